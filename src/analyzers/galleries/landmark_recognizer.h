// Landmark recognition of one photo: both evidence paths, merged.
//
//   local  : SIFT/RootSIFT + RANSAC homography against the templates (GalleryMatcher with
//            LandmarkMatcherOptions): precise, but only for similar viewpoint and lighting.
//   global : the learned global descriptor with the cohort test (GlobalMatcher): across
//            day/night and viewpoint changes.
//
// A name found by both gets confidence 1 - (1 - c_local)(1 - c_global); a name found by one
// keeps that path's confidence. Both are monotone in their evidence (inliers, margin), so the
// merged confidence is too. Names are returned by descending confidence.
#pragma once

#include <optional>
#include <vector>

#include <opencv2/core.hpp>

#include "analyzers/galleries/gallery_matcher.h"
#include "analyzers/galleries/landmark_descriptor.h"
#include "analyzers/galleries/landmark_global.h"
#include "core/status.h"

namespace ocular::gallery {

struct LandmarkResult {
  std::vector<GalleryMatch> matches;  // the recognised names (merged), best first
  std::vector<GalleryMatch> local;    // the local path alone
  std::optional<GlobalMatch> global;  // the global path's top name, accepted or not
  bool global_accepted = false;
};

// Merges the two paths (rule above).
std::vector<GalleryMatch> MergeLandmarkMatches(std::vector<GalleryMatch> local,
                                               const std::optional<GlobalMatch>& global,
                                               bool global_accepted);

// Runs both paths on an 8-bit BGR image. `global`/`describer` may be null (local path only);
// the global path also needs describer->id() == global->embedding_id() (an index built with
// another descriptor is not compared: rebuild it).
StatusOr<LandmarkResult> RecognizeLandmarks(const cv::Mat& bgr, const GalleryMatcher& local,
                                            const GlobalMatcher* global,
                                            const LandmarkDescriber* describer);

}  // namespace ocular::gallery
