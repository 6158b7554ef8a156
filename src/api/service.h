// api::Service: the analysis routes of both wire APIs behind one transport-neutral entry point.
// The HTTP server authenticates a request, then calls Handle() on a worker thread.
//
// Routes handled (everything under /computervision/ and /vision/v3.2/): see service.cc.
// Contract: Handle never throws, is safe to call from many threads at once, keeps the request
// image and result in memory only for the duration of the call, and returns an Azure-shaped
// error body for every failure (one error boundary per route).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "analyzers/engine.h"
#include "analyzers/request.h"
#include "api/read_operation_store.h"
#include "api/http_types.h"
#include "core/status.h"

namespace ocular::api {

struct ServiceOptions {
  std::string model_repo = "models";  // model repository root (see docs/model-repository.md)
  // Operator galleries folder (docs/galleries.md); default "galleries". Celebrities stay off
  // unless enable_celebrities (see EngineOptions).
  std::string galleries_dir = "galleries";
  bool enable_celebrities = false;
  std::string detector = "auto";      // object detector tier (EngineOptions::detector)
  UrlFetcher fetcher;                 // required for {"url": ...} bodies; null -> InvalidImageUrl
  // ONNX Runtime intra-op threads per model session. Default 1 (see EngineOptions).
  int intra_op_threads = 0;
  // The per-request pixel budget of decoded images (see EngineOptions::max_decode_pixels).
  std::int64_t max_decode_pixels = kDefaultMaxDecodePixels;
  // Memory bounds (see EngineOptions::ort_arena and trim_malloc).
  bool ort_arena = false;
  bool trim_malloc = true;
  int ocr_instances = 8;  // Tesseract instances in all (EngineOptions::ocr_instances)
  // The v3.2 asynchronous Read results: memory only, TTL and caps (api/read_operation_store.h).
  ReadOperationStoreOptions read_store;
  // Called after each analyzer ran, with its name and seconds (metrics). Default: none.
  std::function<void(std::string_view analyzer, double seconds)> analyzer_observer;
};

class Service {
 public:
  virtual ~Service() = default;
  // Loads models and analyzers. Missing models are not an error: the features that need them
  // answer with an explicit error naming the missing model.
  static StatusOr<std::unique_ptr<Service>> Create(const ServiceOptions& options);

  // True when `path` (raw, without query) belongs to an analysis route of either API.
  virtual bool Handles(const std::string& path) const = 0;
  virtual Response Handle(const Request& request) const = 0;

  // Per feature: "ok", or why it is unavailable (e.g. the model it needs is not installed).
  virtual std::map<Feature, std::string> FeatureStatus() const = 0;
  // The modelVersion every response carries.
  virtual const std::string& model_version() const = 0;
  // The object detector tier the engine runs ("yolov8s", "ensemble", ...; "" when none loaded).
  virtual std::string detector_tier() const { return ""; }
  // Graceful shutdown: waits until the queued and running asynchronous Read analyses are done,
  // or until `deadline`; true when none is left.
  virtual bool DrainBackground(std::chrono::steady_clock::time_point /*deadline*/) const {
    return true;
  }
};

}  // namespace ocular::api
