// Celebrities (v3.2 details=Celebrities, /vision/v3.2/models/celebrities/analyze): names the
// request's faces against the operator's celebrity gallery (celebrity_faces.h). Declared in
// gallery_analyzers.h.
//
// Availability, checked at engine start, each with its reason: EngineOptions::enable_celebrities
// (off by default: it identifies people); a loaded gallery index with enrolled celebrities; the
// face detector and embedder models; and index embeddings of the embedder's size (an index built
// with another embedder must be rebuilt).
//
// Privacy: the request's faces and embeddings are not stored, logged or added to the gallery.
#include <algorithm>

#include "analyzers/galleries/celebrity_faces.h"
#include "analyzers/galleries/gallery_analyzers.h"
#include "analyzers/galleries/gallery_holder.h"

namespace ocular {

namespace {

class CelebritiesAnalyzer : public Analyzer {
 public:
  CelebritiesAnalyzer(std::shared_ptr<gallery::GalleryHolder> holder,
                      std::shared_ptr<const FaceDetector> detector,
                      std::shared_ptr<const FaceEmbedder> embedder)
      : holder_(std::move(holder)),
        detector_(std::move(detector)),
        embedder_(std::move(embedder)) {}

  std::string_view name() const override { return "celebrities"; }
  std::vector<Feature> features() const override { return {Feature::kCelebrities}; }
  int min_long_side() const override { return kCelebrityDecodeSide; }
  // The celebrity detail is attached to the categories computed first.
  std::vector<Feature> runs_after() const override { return {Feature::kCategories}; }

  Status Analyze(AnalysisContext& context, AnalysisResult& result) const override {
    // The gallery of this request (a SIGHUP reload may swap it; this request keeps its own).
    std::shared_ptr<const gallery::LoadedGallery> g = holder_->Get();
    if (!g || !g->celebrities) return Status::Ok();
    OCULAR_ASSIGN_OR_RETURN(auto faces, SharedFaces(context, *detector_));
    OCULAR_ASSIGN_OR_RETURN(
        std::vector<Category::Celebrity> celebs,
        RecognizeCelebrities(*faces, context.image(), *embedder_, *g->celebrities));
    if (celebs.empty()) return Status::Ok();
    if (!result.categories) result.categories.emplace();
    std::vector<Category>& cats = *result.categories;
    auto it = std::find_if(cats.begin(), cats.end(),
                           [](const Category& c) { return c.name.starts_with("people_"); });
    if (it == cats.end()) {
      cats.push_back(Category{"people_", celebs.front().confidence, {}, {}});
      it = cats.end() - 1;
    }
    it->celebrities = std::move(celebs);
    return Status::Ok();
  }

 private:
  std::shared_ptr<gallery::GalleryHolder> holder_;
  std::shared_ptr<const FaceDetector> detector_;
  std::shared_ptr<const FaceEmbedder> embedder_;
};

}  // namespace

StatusOr<std::unique_ptr<Analyzer>> CreateCelebritiesAnalyzer(const AnalyzerEnv& env) {
  if (!env.options.enable_celebrities) {
    return Unavailable(
        "celebrity recognition is disabled (it identifies people; the operator "
        "turns it on with --enable-celebrities)");
  }
  OCULAR_ASSIGN_OR_RETURN(auto holder, gallery::OpenGalleryHolder(env));
  std::shared_ptr<const gallery::LoadedGallery> g = holder->Get();
  if (!g->celebrities) {
    return Unavailable("the gallery '" + env.options.galleries_dir +
                       "' has no enrolled celebrities (add celebrities/<Name>/*.jpg portraits "
                       "and run `ocular gallery build`)");
  }
  StatusOr<std::shared_ptr<const FaceDetector>> detector = FaceDetector::Create(env.models.get());
  if (!detector.ok()) {
    return Unavailable("celebrity recognition needs the face detector: " +
                       detector.status().message());
  }
  StatusOr<std::shared_ptr<const FaceEmbedder>> embedder = FaceEmbedder::Create(env.models.get());
  if (!embedder.ok()) {
    return Unavailable("celebrity recognition needs the face embedder: " +
                       embedder.status().message());
  }
  if (g->celebrities->dim() != (*embedder)->dim()) {
    return Unavailable("the celebrity gallery holds " + std::to_string(g->celebrities->dim()) +
                       "-value embeddings but the embedder '" + (*embedder)->model_name() +
                       "' makes " + std::to_string((*embedder)->dim()) +
                       ": rebuild it with `ocular gallery build`");
  }
  return std::unique_ptr<Analyzer>(std::make_unique<CelebritiesAnalyzer>(
      std::move(holder), std::move(*detector), std::move(*embedder)));
}

}  // namespace ocular
