#include "analyzers/vision/scene_analyzers.h"

#include <algorithm>

#include "analyzers/vision/captioner.h"
#include "analyzers/vision/categories.h"
#include "analyzers/vision/scene.h"
#include "analyzers/vision/smart_crop.h"
#include "analyzers/vision/translations.h"
#include "analyzers/vision/vision.h"

namespace ocular {
namespace {

// Tags in the request language; words without a translation are left out (never English
// words in another language's list).
std::vector<Tag> Translate(const std::vector<Tag>& tags, const std::string& language) {
  std::vector<Tag> out;
  for (const Tag& t : tags) {
    if (auto name = TranslateTag(t.name, language)) out.push_back({*name, t.confidence, t.hint});
  }
  return out;
}

class SceneAnalyzer : public Analyzer {
 public:
  explicit SceneAnalyzer(VisionModels models) : models_(std::move(models)) {}
  int min_long_side() const override { return VisionDecodeSide(models_); }
  std::vector<Feature> runs_after() const override { return {Feature::kRead}; }

 protected:
  StatusOr<Evidence> Gather(AnalysisContext& context, const AnalysisResult& result) const {
    return GatherEvidence(context, models_, result);
  }
  VisionModels models_;
};

class TagsAnalyzer final : public SceneAnalyzer {
 public:
  using SceneAnalyzer::SceneAnalyzer;
  std::string_view name() const override { return "tags"; }
  std::vector<Feature> features() const override { return {Feature::kTags}; }
  Status Analyze(AnalysisContext& context, AnalysisResult& result) const override {
    OCULAR_ASSIGN_OR_RETURN(Evidence e, Gather(context, result));
    result.tags = Translate(ComputeTags(e), context.request().language);
    return Status::Ok();
  }
};

class CaptionAnalyzer final : public SceneAnalyzer {
 public:
  explicit CaptionAnalyzer(VisionModels models)
      : SceneAnalyzer(std::move(models)), captioner_(MakeCaptioner()) {}
  std::string_view name() const override { return "caption"; }
  std::vector<Feature> features() const override {
    return {Feature::kCaption, Feature::kDenseCaptions, Feature::kDescription};
  }
  Status Analyze(AnalysisContext& context, AnalysisResult& result) const override {
    OCULAR_ASSIGN_OR_RETURN(Evidence e, Gather(context, result));
    const AnalysisRequest& req = context.request();
    if (req.features.count(Feature::kCaption)) {
      result.caption = captioner_->Describe(e, 1).front();
    }
    if (req.features.count(Feature::kDenseCaptions)) {
      result.dense_captions =
          captioner_->DenseCaptions(e, context.image().bgr, context.image().scale());
    }
    if (req.features.count(Feature::kDescription)) {
      result.caption_candidates = captioner_->Describe(e, std::clamp(req.max_candidates, 1, 100));
      std::vector<std::string> names;
      for (const Tag& t : Translate(ComputeTags(e), req.language)) names.push_back(t.name);
      result.description_tags = std::move(names);
    }
    return Status::Ok();
  }

 private:
  std::unique_ptr<Captioner> captioner_;
};

class CategoriesAnalyzer final : public SceneAnalyzer {
 public:
  using SceneAnalyzer::SceneAnalyzer;
  std::string_view name() const override { return "categories"; }
  std::vector<Feature> features() const override { return {Feature::kCategories}; }
  Status Analyze(AnalysisContext& context, AnalysisResult& result) const override {
    OCULAR_ASSIGN_OR_RETURN(Evidence e, Gather(context, result));
    result.categories = ComputeCategories(e);
    return Status::Ok();
  }
};

class SmartCropsAnalyzer final : public SceneAnalyzer {
 public:
  using SceneAnalyzer::SceneAnalyzer;
  std::string_view name() const override { return "smartCrops"; }
  std::vector<Feature> features() const override { return {Feature::kSmartCrops}; }
  Status Analyze(AnalysisContext& context, AnalysisResult& result) const override {
    OCULAR_ASSIGN_OR_RETURN(Evidence e, Gather(context, result));
    std::vector<std::pair<Rect, double>> objects;
    std::vector<Rect> subjects;
    for (const Detection& d : Confident(e)) {
      objects.push_back({d.box, d.score});
      subjects.push_back(d.box);
    }
    std::vector<FaceBox> faces = e.faces;
    std::sort(faces.begin(), faces.end(),
              [](const FaceBox& a, const FaceBox& b) { return a.box.area() > b.box.area(); });
    // The main faces: at least 1/4 of the largest face's area (background faces don't
    // constrain the crop).
    std::vector<Rect> main_faces;
    for (const FaceBox& f : faces) {
      if (f.box.area() * 4 >= faces[0].box.area()) main_faces.push_back(f.box);
      subjects.push_back(f.box);
    }
    CropInputs in = MakeCropInputs(context.image().bgr, e.width, e.height, objects, main_faces);
    std::vector<SmartCrop> crops;
    const auto& ratios = context.request().smart_crop_ratios;
    if (ratios.empty()) {
      Rect box = AreaOfInterest(in, subjects);
      crops.push_back({box.h > 0 ? double(box.w) / box.h : 1.0, box});
    }
    for (double r : ratios) crops.push_back({r, CropForRatio(in, r)});
    result.smart_crops = std::move(crops);
    return Status::Ok();
  }
};

template <typename T>
StatusOr<std::unique_ptr<Analyzer>> Make(const AnalyzerEnv& env) {
  VisionModels m = LoadVisionModels(env.models.get(), env.options.detector);
  if (!m.objects) return m.objects_status;
  return std::unique_ptr<Analyzer>(std::make_unique<T>(std::move(m)));
}

}  // namespace

StatusOr<std::unique_ptr<Analyzer>> CreateTagsAnalyzer(const AnalyzerEnv& env) {
  return Make<TagsAnalyzer>(env);
}
StatusOr<std::unique_ptr<Analyzer>> CreateCaptionAnalyzer(const AnalyzerEnv& env) {
  return Make<CaptionAnalyzer>(env);
}
StatusOr<std::unique_ptr<Analyzer>> CreateCategoriesAnalyzer(const AnalyzerEnv& env) {
  return Make<CategoriesAnalyzer>(env);
}
StatusOr<std::unique_ptr<Analyzer>> CreateSmartCropsAnalyzer(const AnalyzerEnv& env) {
  return Make<SmartCropsAnalyzer>(env);
}

}  // namespace ocular
