// AnalysisContext: one request's image and the intermediates analyzers share, so each model
// runs at most once per request however many features need its output.
//
// Thread-safety: all methods may be called concurrently by analyzers running in parallel.
// Lifetime: the context and everything it caches are destroyed when the request ends; nothing
// is written to disk or kept across requests.
#pragma once

#include <any>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "analyzers/request.h"
#include "core/image.h"
#include "core/status.h"

namespace ocular {

class AnalysisContext {
 public:
  // REQUIRES: `image` was decoded from the request bytes (the scale may be reduced).
  AnalysisContext(DecodedImage image, const AnalysisRequest& request)
      : image_(std::move(image)), request_(request) {}

  const AnalysisRequest& request() const { return request_; }
  const ImageInfo& info() const { return image_.info; }
  // The decoded upright BGR image; image().scale() maps original pixels to decoded pixels.
  const DecodedImage& image() const { return image_; }

  // Returns the shared intermediate stored under `key`, computing it with `compute` on first
  // use. Concurrent callers of the same key wait for the first computation; an error is cached
  // too (the model is not re-run). REQUIRES: every caller of a key uses the same type T.
  template <typename T>
  StatusOr<std::shared_ptr<const T>> Shared(const std::string& key,
                                            const std::function<StatusOr<T>()>& compute) {
    Slot* slot = GetSlot(key);
    std::lock_guard<std::mutex> lock(slot->mu);
    if (!slot->done) {
      StatusOr<T> r = compute();
      if (r.ok()) {
        slot->value = std::make_shared<const T>(std::move(r).value());
      } else {
        slot->status = r.status();
      }
      slot->done = true;
    }
    if (!slot->status.ok()) return slot->status;
    return std::any_cast<std::shared_ptr<const T>>(slot->value);
  }

 private:
  struct Slot {
    std::mutex mu;
    bool done = false;
    Status status;
    std::any value;
  };
  Slot* GetSlot(const std::string& key) {
    std::lock_guard<std::mutex> lock(slots_mu_);
    auto& slot = slots_[key];
    if (!slot) slot = std::make_unique<Slot>();
    return slot.get();
  }

  DecodedImage image_;
  const AnalysisRequest& request_;
  std::mutex slots_mu_;
  std::map<std::string, std::unique_ptr<Slot>> slots_;
};

}  // namespace ocular
