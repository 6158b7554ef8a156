// GalleryMatcher: recognises the names of one gallery kind (brands or landmarks) in a query.
//
// Algorithm: (1) shortlist: every query descriptor looks up its 2 nearest gallery descriptors in
// one FLANN kd-tree over all templates of the kind (an inverted file over local features, i.e. a
// bag of visual words with one word per template descriptor); a ratio-test pass is a vote for the
// template it came from. The templates with the most votes (at most `shortlist`, and at least
// max(3, min_inliers / 2) votes each) are verified. Cost per request grows with
// log(gallery descriptors) for the lookup plus a constant number of verifications.
// (2) verification: VerifyTemplate (ratio test into the query, RANSAC homography, inlier count
// and ratio, plausible outline). (3) the best verified template per name wins; overlapping
// outlines of different names keep the stronger one.
//
// Confidence = 1 - exp(-inliers / 10): monotone in the geometric evidence (10 inliers -> 0.63,
// 20 -> 0.86, 40 -> 0.98); it is not a calibrated probability. Precision is set by the inlier
// thresholds of VerifyOptions (see docs/galleries.md for the measured operating point).
//
// Thread-safety: Match is const and safe to call concurrently.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyzers/galleries/gallery_features.h"
#include "analyzers/galleries/gallery_index.h"
#include "core/status.h"

namespace ocular::gallery {

struct MatcherOptions {
  VerifyOptions verify;
  int shortlist = 8;          // templates verified per request (see above)
  double vote_ratio = 0.85;   // ratio test of the shortlist lookup
};

// The matcher settings used by the analyzers (and measured in docs/accuracy.md).
MatcherOptions LandmarkMatcherOptions();
MatcherOptions BrandMatcherOptions();

struct GalleryMatch {
  std::string name;
  double confidence = 0;
  int inliers = 0;
  std::vector<cv::Point2f> quad;  // the template outline in query-feature pixels
};

class GalleryMatcher {
 public:
  // Copies the templates of `kind` out of `index`. Errors: Internal if the kd-tree fails.
  static StatusOr<std::unique_ptr<GalleryMatcher>> Create(const GalleryIndex& index,
                                                          GalleryKind kind,
                                                          const MatcherOptions& options);
  size_t names() const { return names_.size(); }
  size_t templates() const { return templates_.size(); }

  // The recognised names, by descending confidence.
  StatusOr<std::vector<GalleryMatch>> Match(const QueryIndex& query) const;

 private:
  GalleryMatcher() = default;
  StatusOr<std::vector<int>> Shortlist(const QueryIndex& query) const;

  MatcherOptions options_;
  std::vector<std::string> names_;
  struct Template {
    int name = 0;
    LocalFeatures features;
  };
  std::vector<Template> templates_;
  cv::Mat all_descriptors_;              // every template's descriptors, stacked
  std::vector<int> descriptor_template_;  // row -> template
  std::shared_ptr<cv::flann::Index> tree_;
};

}  // namespace ocular::gallery
