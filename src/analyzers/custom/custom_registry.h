// The custom models of a model repository (custom_model.h), loaded together and swapped
// atomically on reload, like the galleries (galleries/gallery_holder.h): requests in flight keep
// the set they started with, and a reload that finds any broken custom model is refused as a
// whole, so the previous set keeps serving.
//
//   std::shared_ptr<CustomModelHolder> h = CustomModelsFor("models", &status);  // loads once
//   std::shared_ptr<const CustomModelSet> now = h->Get();                      // per request
//   ReloadAllCustomModels();                                                   // SIGHUP
//
// Thread-safety: every method may be called from any thread; reloads are serialised.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "analyzers/custom/custom_model.h"
#include "core/status.h"

namespace ocular {

struct CustomModelSet {
  std::map<std::string, std::shared_ptr<const CustomModel>> models;  // by name
  // Null when `name` is not a custom model.
  std::shared_ptr<const CustomModel> Find(const std::string& name) const {
    auto it = models.find(name);
    return it == models.end() ? nullptr : it->second;
  }
};

// Scans `repo` afresh and loads the newest version of every custom model, then runs a mid-grey
// image through each. FailedPrecondition "custom model 'NAME': why" when one fails (nothing is
// returned); an empty set when the repository has none or does not exist.
StatusOr<std::shared_ptr<const CustomModelSet>> LoadCustomModels(const std::filesystem::path& repo);

class CustomModelHolder {
 public:
  explicit CustomModelHolder(std::filesystem::path repo) : repo_(std::move(repo)) {}
  // Loads the set again and swaps it in. On error the current set stays.
  Status Reload();
  // The current set; never null (empty before the first successful load).
  std::shared_ptr<const CustomModelSet> Get() const {
    auto s = current_.load();
    return s ? s : std::make_shared<const CustomModelSet>();
  }
  void Set(std::shared_ptr<const CustomModelSet> set) { current_.store(std::move(set)); }

 private:
  std::filesystem::path repo_;
  std::mutex reload_mu_;
  std::atomic<std::shared_ptr<const CustomModelSet>> current_;
};

// The process-wide holder of `repo`, loaded on first use; *status gets that first load's result.
std::shared_ptr<CustomModelHolder> CustomModelsFor(const std::filesystem::path& repo,
                                                   Status* status);

// The SIGHUP hook: reloads every holder CustomModelsFor created. OK or the first error (holders
// that failed keep their set). Not for signal handlers.
Status ReloadAllCustomModels();

}  // namespace ocular
