#include "analyzers/vision/adult_analyzer.h"

#include <algorithm>

namespace ocular {

AdultResult MapAdult(const NsfwScores& s, std::optional<bool> person_in_view) {
  AdultResult r;
  r.adult_score = std::clamp(s.porn + s.hentai, 0.0, 1.0);
  r.racy_score = std::clamp(s.porn + s.hentai + s.sexy, 0.0, 1.0);
  bool person = person_in_view.value_or(true);
  r.is_adult = person && r.adult_score >= kAdultThreshold;
  r.is_racy = person && r.racy_score >= kRacyThreshold;
  r.gore_score = std::nullopt;  // unsupported: no gore model in the pack
  return r;
}

namespace {

class AdultAnalyzer final : public Analyzer {
 public:
  explicit AdultAnalyzer(VisionModels models) : models_(std::move(models)) {}
  std::string_view name() const override { return "adult"; }
  std::vector<Feature> features() const override { return {Feature::kAdult}; }
  int min_long_side() const override { return VisionDecodeSide(models_); }
  Status Analyze(AnalysisContext& context, AnalysisResult& result) const override {
    OCULAR_ASSIGN_OR_RETURN(auto scores, SharedNsfw(context, *models_.nsfw));
    std::optional<bool> person;
    if (models_.objects) {
      OCULAR_ASSIGN_OR_RETURN(auto dets, SharedDetections(context, *models_.objects));
      bool any = false;
      for (const Detection& d : *dets) {
        if (d.label == "person" && d.confident) any = true;
      }
      person = any;
    } else if (models_.faces) {
      OCULAR_ASSIGN_OR_RETURN(auto faces, SharedFaces(context, *models_.faces));
      person = !faces->empty();
    }
    result.adult = MapAdult(*scores, person);
    return Status::Ok();
  }

 private:
  VisionModels models_;
};

}  // namespace

StatusOr<std::unique_ptr<Analyzer>> CreateAdultAnalyzer(const AnalyzerEnv& env) {
  VisionModels m = LoadVisionModels(env.models.get(), env.options.detector);
  if (!m.nsfw) return m.nsfw_status;
  return std::unique_ptr<Analyzer>(std::make_unique<AdultAnalyzer>(std::move(m)));
}

}  // namespace ocular
