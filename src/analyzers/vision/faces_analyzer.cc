#include "analyzers/vision/faces_analyzer.h"

#include "analyzers/vision/vision.h"

namespace ocular {
namespace {

class FacesAnalyzer final : public Analyzer {
 public:
  explicit FacesAnalyzer(std::shared_ptr<const FaceDetector> detector)
      : detector_(std::move(detector)) {}
  std::string_view name() const override { return "faces"; }
  std::vector<Feature> features() const override { return {Feature::kFaces}; }
  int min_long_side() const override { return 512; }
  Status Analyze(AnalysisContext& context, AnalysisResult& result) const override {
    OCULAR_ASSIGN_OR_RETURN(auto faces, SharedFaces(context, *detector_));
    std::vector<DetectedFace> out;
    for (const FaceBox& f : *faces) out.push_back({f.box, f.score});
    result.faces = std::move(out);
    return Status::Ok();
  }

 private:
  std::shared_ptr<const FaceDetector> detector_;
};

}  // namespace

StatusOr<std::unique_ptr<Analyzer>> CreateFacesAnalyzer(const AnalyzerEnv& env) {
  OCULAR_ASSIGN_OR_RETURN(auto detector, FaceDetector::Create(env.models.get()));
  return std::unique_ptr<Analyzer>(std::make_unique<FacesAnalyzer>(std::move(detector)));
}

}  // namespace ocular
