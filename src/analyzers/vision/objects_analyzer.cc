#include "analyzers/vision/objects_analyzer.h"

#include "analyzers/vision/wordnet_chains.h"

namespace ocular {

std::vector<DetectedObject> ObjectsFromDetections(const std::vector<Detection>& detections) {
  const auto& chains = WordNetParentChains();
  std::vector<DetectedObject> out;
  for (const Detection& d : detections) {  // already by descending score
    if (!d.confident) continue;
    DetectedObject o;
    o.box = d.box;
    o.name = d.label;
    o.confidence = d.score;
    if (auto it = chains.find(d.label); it != chains.end()) {
      for (const std::string& p : it->second) o.parents.push_back({p, d.score});
    }
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<DetectedPerson> PeopleFromDetections(const std::vector<Detection>& detections) {
  std::vector<DetectedPerson> out;
  for (const Detection& d : detections) {
    if (d.label == "person") out.push_back({d.box, d.score});
  }
  return out;
}

namespace {

class ObjectsAnalyzer final : public Analyzer {
 public:
  explicit ObjectsAnalyzer(std::shared_ptr<const Detector> detector)
      : detector_(std::move(detector)) {}
  std::string_view name() const override { return "objects"; }
  std::vector<Feature> features() const override { return {Feature::kObjects, Feature::kPeople}; }
  int min_long_side() const override { return detector_->min_long_side(); }
  Status Analyze(AnalysisContext& context, AnalysisResult& result) const override {
    OCULAR_ASSIGN_OR_RETURN(auto detections, SharedDetections(context, *detector_));
    const auto& f = context.request().features;
    if (f.count(Feature::kObjects)) result.objects = ObjectsFromDetections(*detections);
    if (f.count(Feature::kPeople)) result.people = PeopleFromDetections(*detections);
    return Status::Ok();
  }

 private:
  std::shared_ptr<const Detector> detector_;
};

}  // namespace

StatusOr<std::unique_ptr<Analyzer>> CreateObjectsAnalyzer(const AnalyzerEnv& env) {
  OCULAR_ASSIGN_OR_RETURN(auto detector, CreateDetector(env.models.get(), env.options.detector));
  return std::unique_ptr<Analyzer>(std::make_unique<ObjectsAnalyzer>(std::move(detector)));
}

}  // namespace ocular
