// Local features for gallery recognition (brands, landmarks): RootSIFT keypoints and descriptors,
// SVG rendering with librsvg, and geometric verification of one template against a query.
//
// Contract: every function returns Status/StatusOr and never throws; OpenCV and librsvg errors
// are converted here. Nothing is written to disk or logged.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <memory>

#include <opencv2/core.hpp>
#include <opencv2/flann.hpp>

#include "core/geometry.h"
#include "core/status.h"

namespace ocular::gallery {

// Keypoint positions and RootSIFT descriptors of one image (template or query).
struct LocalFeatures {
  int width = 0;   // pixel size of the image the points are in
  int height = 0;
  std::vector<cv::Point2f> points;
  cv::Mat descriptors;  // CV_32F, points.size() x 128 (RootSIFT: L1-normalised, square-rooted)
  // The part of the image that is the mark (templates: the projected box of a brand); default
  // (empty) = the whole image.
  cv::Rect2f outline;
};

struct FeatureOptions {
  // The image is downscaled (INTER_AREA) so that its longer side is at most this; never upscaled.
  int max_side = 1280;
  // SIFT keeps the strongest this many keypoints (0 = all).
  int max_features = 4000;
};

// SIFT + RootSIFT on an 8-bit grey or BGR image. Points are in the (possibly downscaled) image's
// pixels; width/height are that image's size.
StatusOr<LocalFeatures> ExtractFeatures(const cv::Mat& image, const FeatureOptions& options);

// Renders an SVG (librsvg) into a `size` x `size` grey image, centred with a 1/8 margin, black
// shapes (the SVG's own fills) on white. Errors: InvalidArgument for an unreadable SVG.
StatusOr<cv::Mat> RenderSvg(const std::filesystem::path& path, int size);

// Loads a gallery image file as grey: .svg through RenderSvg(size 400), anything else through
// OpenCV. Errors: InvalidArgument naming the file when it cannot be decoded.
StatusOr<cv::Mat> LoadGalleryImage(const std::filesystem::path& path);

struct VerifyOptions {
  double ratio = 0.8;         // Lowe's ratio test on the template->query 2-NN
  double reprojection = 5.0;  // RANSAC homography inlier threshold, query pixels
  int min_inliers = 10;       // fewer RANSAC inliers: no match
  double min_inlier_ratio = 0.3;  // inliers / ratio-test matches below this: no match
};

// The outcome of verifying one template against a query.
struct Verification {
  bool matched = false;
  int matches = 0;   // ratio-test correspondences
  int inliers = 0;   // homography RANSAC inliers
  // The template's outline projected into the query (query pixels); valid when matched.
  std::vector<cv::Point2f> quad;
};

// Query-side matching structure: a FLANN kd-tree over the query descriptors, built once per
// request and shared by every template verified against it.
class QueryIndex {
 public:
  // REQUIRES: `features` outlives this object.
  static StatusOr<QueryIndex> Build(const LocalFeatures& features);
  const LocalFeatures& features() const { return *features_; }
  // 2-NN of every template descriptor among the query descriptors (squared L2 distances).
  Status Knn2(const cv::Mat& descriptors, cv::Mat* indices, cv::Mat* dists) const;
  // The same by exact (brute-force) search: used for small templates (logos), whose few
  // correspondences the approximate kd-tree search would lose.
  Status ExactKnn2(const cv::Mat& descriptors, cv::Mat* indices, cv::Mat* dists) const;

 private:
  const LocalFeatures* features_ = nullptr;
  std::shared_ptr<cv::flann::Index> index_;
};

// Templates with at most this many descriptors are matched exactly (QueryIndex::ExactKnn2).
inline constexpr int kExactMatchMaxDescriptors = 600;

// Matches `tmpl` into the query (ratio test), fits a homography with RANSAC and accepts it when
// the inlier count and ratio pass and the projected outline is a plausible convex quadrilateral.
StatusOr<Verification> VerifyTemplate(const LocalFeatures& tmpl, const QueryIndex& query,
                                      const VerifyOptions& options);

// Relaxed verification for landmarks once the global descriptor has shortlisted a template: the
// ratio-test correspondences (as VerifyTemplate) are fitted with a fundamental matrix
// (USAC_MAGSAC), which accepts any rigid 3-D scene seen from two viewpoints, where a homography
// only fits planar or distant scenes. Returns the number of inliers (0 with fewer than 8
// correspondences). `threshold` is the epipolar distance in query pixels.
StatusOr<int> EpipolarInliers(const LocalFeatures& tmpl, const QueryIndex& query, double ratio,
                              double threshold);

}  // namespace ocular::gallery
