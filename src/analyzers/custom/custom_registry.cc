#include "analyzers/custom/custom_registry.h"

#include <vector>

#include <opencv2/core.hpp>

namespace ocular {

StatusOr<std::shared_ptr<const CustomModelSet>> LoadCustomModels(
    const std::filesystem::path& repo) {
  auto set = std::make_shared<CustomModelSet>();
  std::error_code ec;
  if (!std::filesystem::is_directory(repo, ec)) return std::shared_ptr<const CustomModelSet>(set);
  OCULAR_ASSIGN_OR_RETURN(auto r, runtime::ModelRepository::Open(repo));
  // The newest version folder of each model decides whether it is custom.
  std::map<std::string, runtime::ModelEntry> newest;
  for (runtime::ModelEntry& e : r->List()) newest[e.name] = std::move(e);
  for (const auto& [name, e] : newest) {
    if (!e.config || !CustomModel::IsCustom(*e.config)) continue;
    auto model = r->Load(name, e.version);
    if (!model.ok()) {
      return FailedPrecondition("custom model '" + name + "': " + model.status().message());
    }
    auto created = CustomModel::Create(std::move(model).value());
    if (!created.ok()) {
      return FailedPrecondition("custom model '" + name + "': " + created.status().message());
    }
    std::shared_ptr<const CustomModel> custom = std::move(created).value();
    const cv::Mat grey(64, 64, CV_8UC3, cv::Scalar(128, 128, 128));
    auto test = custom->Predict(grey, grey.cols, grey.rows);
    if (!test.ok()) {
      return FailedPrecondition("custom model '" + name +
                                "': test run failed: " + test.status().message());
    }
    set->models[name] = std::move(custom);
  }
  return std::shared_ptr<const CustomModelSet>(set);
}

Status CustomModelHolder::Reload() {
  std::lock_guard<std::mutex> lock(reload_mu_);
  OCULAR_ASSIGN_OR_RETURN(auto set, LoadCustomModels(repo_));
  current_.store(std::move(set));
  return Status::Ok();
}

namespace {

std::mutex& HoldersMu() {
  static std::mutex mu;
  return mu;
}
std::map<std::string, std::shared_ptr<CustomModelHolder>>& Holders() {
  static auto* holders = new std::map<std::string, std::shared_ptr<CustomModelHolder>>();
  return *holders;
}

}  // namespace

std::shared_ptr<CustomModelHolder> CustomModelsFor(const std::filesystem::path& repo,
                                                   Status* status) {
  std::error_code ec;
  std::filesystem::path key = std::filesystem::weakly_canonical(repo, ec);
  if (ec) key = repo;
  std::lock_guard<std::mutex> lock(HoldersMu());
  auto& h = Holders()[key.string()];
  if (!h) {
    h = std::make_shared<CustomModelHolder>(repo);
    Status s = h->Reload();
    if (status) *status = s;
  } else if (status) {
    *status = Status::Ok();
  }
  return h;
}

Status ReloadAllCustomModels() {
  std::vector<std::shared_ptr<CustomModelHolder>> all;
  {
    std::lock_guard<std::mutex> lock(HoldersMu());
    for (auto& [k, h] : Holders()) all.push_back(h);
  }
  Status first = Status::Ok();
  for (auto& h : all) {
    Status s = h->Reload();
    if (!s.ok() && first.ok()) first = s;
  }
  return first;
}

}  // namespace ocular
