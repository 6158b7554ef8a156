#include "analyzers/engine.h"

#include <algorithm>
#include <chrono>
#include <functional>

#include "analyzers/detection/detector.h"
#include "core/malloc_tuning.h"
#include "core/version.h"
#include "runtime/model_repository.h"

namespace ocular {

namespace {
// The model repository, or null when it cannot be opened (the model-backed analyzers then report
// their models as missing, naming the repository).
std::shared_ptr<runtime::ModelRepository> OpenModels(const EngineOptions& options) {
  runtime::RepositoryOptions repo_options;
  repo_options.session.intra_op_threads = options.intra_op_threads;
  repo_options.session.cpu_arena = options.ort_arena;
  StatusOr<std::unique_ptr<runtime::ModelRepository>> repo =
      runtime::ModelRepository::Open(options.model_repo, repo_options);
  if (!repo.ok()) return nullptr;
  return std::shared_ptr<runtime::ModelRepository>(std::move(repo).value());
}

// The checkpoint between pipeline stages: the work of a request whose client has gone is dropped.
Status CheckNotCancelled(const AnalysisRequest& request) {
  if (!request.Cancelled()) return Status::Ok();
  return Unavailable("The client closed the connection; the analysis was abandoned.",
                     kCancelledInnerCode);
}

constexpr Feature kAllFeatures[] = {
    Feature::kTags,       Feature::kCaption,    Feature::kDenseCaptions, Feature::kObjects,
    Feature::kPeople,     Feature::kRead,       Feature::kSmartCrops,    Feature::kCategories,
    Feature::kDescription, Feature::kFaces,     Feature::kImageType,     Feature::kColor,
    Feature::kAdult,      Feature::kBrands,     Feature::kCelebrities,   Feature::kLandmarks};
}  // namespace

StatusOr<std::unique_ptr<Engine>> Engine::Create(const EngineOptions& options) {
  std::unique_ptr<Engine> engine(new Engine());
  engine->model_version_ = kModelPackVersion;
  engine->analyzer_observer_ = options.analyzer_observer;
  engine->max_decode_pixels_ = options.max_decode_pixels;
  engine->trim_malloc_ = options.trim_malloc;
  AnalyzerEnv env{options, OpenModels(options)};
  // A detector tier the operator named explicitly must load: running silently without it (or on
  // another tier) would surprise. "auto" falls back to the ensemble, and a missing repository
  // only disables the model-backed features.
  if (env.models != nullptr) {
    StatusOr<std::shared_ptr<const Detector>> detector =
        CreateDetector(env.models.get(), options.detector);
    if (detector.ok()) {
      engine->detector_tier_ = (*detector)->tier();
    } else if (options.detector != kDetectorAuto) {
      return FailedPrecondition("--detector " + options.detector + ": " +
                                detector.status().message());
    }
  }
  for (const AnalyzerRegistration& reg : AllAnalyzers()) {
    StatusOr<std::unique_ptr<Analyzer>> made = reg.create(env);
    if (!made.ok()) {
      // The analyzer could not load its models: its features stay unavailable with this reason.
      for (Feature f : reg.features) {
        if (!engine->by_feature_.count(f) && !engine->unavailable_.count(f)) {
          engine->unavailable_[f] = made.status();
        }
      }
      continue;
    }
    for (Feature f : (*made)->features()) {
      if (!engine->by_feature_.count(f)) {
        engine->by_feature_[f] = made->get();
        engine->unavailable_.erase(f);
      }
    }
    engine->analyzers_.push_back(std::move(made).value());
  }
  return engine;
}

Status Engine::CheckFeatures(const std::set<Feature>& features) const {
  for (Feature f : features) {
    if (by_feature_.count(f)) continue;
    auto it = unavailable_.find(f);
    std::string why = it != unavailable_.end()
                          ? it->second.message()
                          : "no analyzer for it is part of this build";
    return InvalidArgument("The feature '" + std::string(FeatureName(f)) +
                               "' is not available on this server: " + why,
                           "NotSupportedFeature");
  }
  return Status::Ok();
}

std::map<Feature, std::string> Engine::FeatureStatus() const {
  std::map<Feature, std::string> out;
  for (Feature f : kAllFeatures) {
    if (by_feature_.count(f)) {
      out[f] = "ok";
    } else if (auto it = unavailable_.find(f); it != unavailable_.end()) {
      out[f] = it->second.message();
    } else {
      out[f] = "not implemented";
    }
  }
  return out;
}

std::map<Feature, std::string> Engine::FeatureNotes() const {
  std::map<Feature, std::string> out;
  if (by_feature_.count(Feature::kAdult)) {
    out[Feature::kAdult] =
        "goreScore and isGoryContent are unsupported: the model pack has no gore model (v3.2 "
        "adult lists them under \"unsupported\")";
  }
  if (by_feature_.count(Feature::kCaption) || by_feature_.count(Feature::kDescription)) {
    out[Feature::kCaption] = "rule-based captions generated from the detections (no captioning model)";
  }
  return out;
}

StatusOr<AnalysisResult> Engine::Analyze(std::span<const std::uint8_t> bytes,
                                         const AnalysisRequest& request) const {
  StatusOr<AnalysisResult> result = AnalyzeDecoded(bytes, request);
  // The decoded image and every analyzer's buffers are freed by now.
  if (trim_malloc_) TrimMalloc();
  return result;
}

StatusOr<AnalysisResult> Engine::AnalyzeDecoded(std::span<const std::uint8_t> bytes,
                                                const AnalysisRequest& request) const {
  OCULAR_RETURN_IF_ERROR(CheckFeatures(request.features));
  OCULAR_RETURN_IF_ERROR(CheckByteSize(bytes.size(), request.api));
  OCULAR_ASSIGN_OR_RETURN(ImageInfo info, ProbeImage(bytes));
  OCULAR_RETURN_IF_ERROR(CheckDimensions(info, ImageLimits::ForApi(request.api)));

  // The analyzers to run, each once, in an order that satisfies depends_on() and runs_after().
  std::vector<const Analyzer*> order;
  std::set<const Analyzer*> seen;
  std::function<void(Feature)> visit = [&](Feature f) {
    auto it = by_feature_.find(f);
    if (it == by_feature_.end() || seen.count(it->second)) return;
    seen.insert(it->second);
    for (Feature dep : it->second->depends_on()) visit(dep);
    for (Feature dep : it->second->runs_after()) {
      if (request.features.count(dep)) visit(dep);
    }
    order.push_back(it->second);
  };
  for (Feature f : request.features) visit(f);

  // Decode once, at the largest resolution any of them needs (0 = full resolution).
  DecodeOptions decode;
  decode.max_pixels = max_decode_pixels_;
  for (const Analyzer* a : order) {
    int need = a->min_long_side();
    if (need == 0) {
      decode.min_long_side = 0;
      break;
    }
    decode.min_long_side = std::max(decode.min_long_side, need);
  }
  OCULAR_RETURN_IF_ERROR(CheckNotCancelled(request));
  const auto decode_started = std::chrono::steady_clock::now();
  OCULAR_ASSIGN_OR_RETURN(DecodedImage image, DecodeImage(bytes, info, decode));
  const auto ms_since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
  };

  AnalysisResult result;
  result.timings_ms.emplace_back("decode", ms_since(decode_started));
  result.model_version = model_version_;
  result.image = info;
  AnalysisContext context(std::move(image), request);
  for (const Analyzer* a : order) {
    OCULAR_RETURN_IF_ERROR(CheckNotCancelled(request));
    const auto started = std::chrono::steady_clock::now();
    Status status = a->Analyze(context, result);
    const double ms = ms_since(started);
    result.timings_ms.emplace_back(std::string(a->name()), ms);
    if (analyzer_observer_) analyzer_observer_(a->name(), ms / 1000.0);
    OCULAR_RETURN_IF_ERROR(status);
  }
  return result;
}

}  // namespace ocular
