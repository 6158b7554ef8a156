// Engine: owns the analyzers and runs one request through them.
//
//   auto engine = Engine::Create({.model_repo = "models"});
//   StatusOr<AnalysisResult> r = (*engine)->Analyze(bytes, request);
//
// Thread-safety: Analyze may be called from many threads at once.
// Privacy: the image and the result live only in the call's memory.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/request.h"
#include "core/result.h"
#include "core/status.h"

namespace ocular {

namespace runtime {
class ModelRepository;
}  // namespace runtime

inline constexpr std::int64_t kDefaultMaxDecodePixels = 12'000'000;
// The inner code of the Unavailable status Analyze returns for a cancelled request
// (AnalysisRequest::cancelled); nobody receives it, the server logs such requests as 499.
inline constexpr char kCancelledInnerCode[] = "Cancelled";

struct EngineOptions {
  // Model repository root. Default "models" (relative to the working directory), the folder
  // scripts/setup.sh fills. A missing repository only disables the model-backed features.
  std::string model_repo = "models";
  // ONNX Runtime intra-op threads per session. Default 0 = one per core: a lone request uses
  // every core (yolov8s request 211 -> 129 ms on 2 cores), at 7% less throughput when every
  // worker is busy (8.8 -> 8.2 requests/s; docs/performance.md). 1 = the most throughput.
  int intra_op_threads = 0;
  // Operator galleries folder (docs/galleries.md): `<dir>/.index` built by `ocular gallery
  // build`. Default "galleries" (relative to the working directory). A missing index only
  // disables brands, landmarks and celebrities, with that reason.
  std::string galleries_dir = "galleries";
  // Celebrity recognition identifies people: off unless the operator turns it on
  // (--enable-celebrities). Default false.
  bool enable_celebrities = false;
  // The object detector tier under objects, people, tags, captions, categories and smart crops
  // (detection/detector.h): "auto" (default: yolov8s when installed, else the permissively
  // licensed CenterNet + NanoDet ensemble), "yolov8n", "yolov8s", "yolov8m" or "ensemble".
  std::string detector = "auto";
  // The per-request pixel budget (DecodeOptions::max_pixels): an image is decoded reduced by an
  // integer factor until it has at most this many pixels, even for read, which otherwise wants
  // full resolution. Bounds decode memory (3 bytes a pixel, once per request) and analysis time
  // on huge images (docs/reliability.md). Default 12 000 000 (a 4000 x 3000 photo or an A4 page
  // at 300 dpi stay whole; a 16000 x 16000 page is read at 3200 x 3200). 0: no budget.
  std::int64_t max_decode_pixels = kDefaultMaxDecodePixels;
  // ONNX Runtime's per-session CPU memory arena (runtime::SessionOptions::cpu_arena). Default
  // false: an arena keeps, per model and forever, the largest working set the busiest moment
  // needed; without it tensor buffers go back to malloc after each Run (docs/reliability.md
  // "Memory budget").
  bool ort_arena = false;
  // Return free malloc memory to the kernel after every analysis (core/malloc_tuning.h
  // TrimMalloc), so RSS falls back to the working set of the requests still running. Default
  // true (costs a few page faults per request; docs/reliability.md "Memory budget").
  bool trim_malloc = true;
  // Tesseract instances the read analyzer keeps over all language packs (each holds 10-60 MB;
  // read/read_tesseract.h TesseractPoolOptions::max_total), at most 2 per pack. Default 8; past
  // it an idle instance of another pack is destroyed to make room, or the request waits.
  int ocr_instances = 8;
  // Called after each analyzer ran on a request, with its name and wall time (for metrics).
  // Must be thread-safe. Default: none.
  std::function<void(std::string_view analyzer, double seconds)> analyzer_observer;
};

// What an analyzer factory gets: the model repository (null when none could be opened).
struct AnalyzerEnv {
  const EngineOptions& options;
  std::shared_ptr<runtime::ModelRepository> models;
};

// Creates an analyzer. Returns NotFound/Unavailable when a model it needs is not installed:
// the engine then answers requests for its features with that message (never a made-up result).
using AnalyzerFactory = StatusOr<std::unique_ptr<Analyzer>> (*)(const AnalyzerEnv& env);

struct AnalyzerRegistration {
  const char* name;
  std::vector<Feature> features;  // what it serves once created
  AnalyzerFactory create;
};

// Every analyzer Ocular has, in creation order; the first that serves a feature wins
// (analyzers/registry.cc, the one list to edit when adding an analyzer).
const std::vector<AnalyzerRegistration>& AllAnalyzers();

class Engine {
 public:
  static StatusOr<std::unique_ptr<Engine>> Create(const EngineOptions& options);

  // OK when every requested feature has a loaded analyzer; otherwise the reason for the first
  // that has none, as InvalidArgument/NotSupportedFeature naming the missing model.
  Status CheckFeatures(const std::set<Feature>& features) const;

  // Ingests the image (limits of request.api), runs the requested analyzers, and fills result.
  // Errors: the ingestion errors of core/image.h, CheckFeatures errors, analyzer errors, and
  // Unavailable/kCancelledInnerCode when request.cancelled turns true (checked before decoding
  // and before each analyzer; an analyzer already running finishes first).
  StatusOr<AnalysisResult> Analyze(std::span<const std::uint8_t> bytes,
                                   const AnalysisRequest& request) const;

  const std::string& model_version() const { return model_version_; }
  // The object detector tier in use (EngineOptions::detector resolved: "yolov8s", "ensemble");
  // "" when no detector could be loaded.
  const std::string& detector_tier() const { return detector_tier_; }
  // Per feature: "ok" or why it is unavailable (for `ocular models list` and /ready).
  std::map<Feature, std::string> FeatureStatus() const;
  // Parts of available features that no installed model computes, for listings (e.g. adult:
  // "goreScore and isGoryContent are unsupported: the model pack has no gore model").
  std::map<Feature, std::string> FeatureNotes() const;

 private:
  Engine() = default;
  StatusOr<AnalysisResult> AnalyzeDecoded(std::span<const std::uint8_t> bytes,
                                          const AnalysisRequest& request) const;
  std::string model_version_;
  std::string detector_tier_;
  std::function<void(std::string_view, double)> analyzer_observer_;
  std::int64_t max_decode_pixels_ = 0;
  bool trim_malloc_ = false;
  std::vector<std::unique_ptr<Analyzer>> analyzers_;
  std::map<Feature, const Analyzer*> by_feature_;
  std::map<Feature, Status> unavailable_;
};

}  // namespace ocular
