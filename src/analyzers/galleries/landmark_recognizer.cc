#include "analyzers/galleries/landmark_recognizer.h"

#include <algorithm>

#include "analyzers/galleries/gallery_analyzers.h"

namespace ocular::gallery {

std::vector<GalleryMatch> MergeLandmarkMatches(std::vector<GalleryMatch> local,
                                               const std::optional<GlobalMatch>& global,
                                               bool global_accepted) {
  if (global && global_accepted) {
    auto it = std::find_if(local.begin(), local.end(),
                           [&](const GalleryMatch& m) { return m.name == global->name; });
    if (it != local.end()) {
      it->confidence = 1.0 - (1.0 - it->confidence) * (1.0 - global->confidence);
    } else {
      local.push_back(GalleryMatch{global->name, global->confidence, 0, {}});
    }
  }
  std::stable_sort(local.begin(), local.end(), [](const GalleryMatch& a, const GalleryMatch& b) {
    return a.confidence > b.confidence;
  });
  return local;
}

StatusOr<LandmarkResult> RecognizeLandmarks(const cv::Mat& bgr, const GalleryMatcher& local,
                                            const GlobalMatcher* global,
                                            const LandmarkDescriber* describer) {
  LandmarkResult r;
  OCULAR_ASSIGN_OR_RETURN(LocalFeatures features, ExtractFeatures(bgr, LandmarkQueryOptions()));
  OCULAR_ASSIGN_OR_RETURN(QueryIndex query, QueryIndex::Build(features));
  OCULAR_ASSIGN_OR_RETURN(r.local, local.Match(query));
  if (global && describer && global->templates() > 0 &&
      global->embedding_id() == describer->id()) {
    OCULAR_ASSIGN_OR_RETURN(std::vector<float> d, describer->Describe(bgr));
    r.global = global->Best(d, describer->background(), &r.global_accepted);
  }
  r.matches = MergeLandmarkMatches(r.local, r.global, r.global_accepted);
  return r;
}

}  // namespace ocular::gallery
