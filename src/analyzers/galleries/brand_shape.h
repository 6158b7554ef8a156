// Colour + silhouette matching of flat brand marks that SIFT cannot match (few keypoints, smooth
// curves: the McDonald's arches). The query is segmented by the brand colour in CIE Lab, each
// connected component of a plausible size is normalised by its moments (centroid, principal
// axes) and compared with the mark's silhouette (the rendered SVG) by a tolerant mask overlap.
//
// Contract: every function returns Status/StatusOr and never throws (OpenCV errors converted);
// nothing is written to disk or logged.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/status.h"

namespace ocular::gallery {

// The brand colour of an SVG mark: `<dir>/brands/<Name>/colour.txt`, one hex colour ("FBC817";
// scripts/setup.d/60-galleries.sh writes simple-icons' `hex`). Only marks with this file and an
// .svg source take the shape path; the file is not a template, the builder stores its colour.
inline constexpr char kBrandColourFile[] = "colour.txt";

// A silhouette normalised by its moments: kCanon x kCanon 8-bit mask (255 = inside).
inline constexpr int kShapeCanon = 96;

struct ShapeModel {
  cv::Mat canon;          // normalised silhouette, kShapeCanon x kShapeCanon CV_8U (NormaliseContour)
  double solidity = 0;    // area / convex hull area of the mark
  double elongation = 0;  // sqrt(major / minor second moment)
  cv::Vec3f lab;          // brand colour, CIE Lab (L 0..100, a, b)
};

// Parses "FBC817" / "#FBC817" to BGR. InvalidArgument otherwise.
StatusOr<cv::Scalar> ParseHexColour(const std::string& hex);

// The normalised silhouette of one outer contour (filled): rotated so that its principal axis is
// horizontal (flipped by 180 degrees when `flip`), scaled to a fixed area, centred.
StatusOr<cv::Mat> NormaliseContour(const std::vector<cv::Point>& contour, bool flip);

// Tolerant overlap of two normalised silhouettes (0..1): the smaller of the shares of each
// mask's pixels lying within a few canvas pixels of the other (1 = same silhouette).
double CanonScore(const cv::Mat& a, const cv::Mat& b);

// Scale/rotation-invariant similarity of two outer contours: the best CanonScore over the two
// principal-axis orientations (1 = same shape).
StatusOr<double> ShapeSimilarity(const std::vector<cv::Point>& a, const std::vector<cv::Point>& b);

// A model from a rendered mark (grey, dark ink on white) and the brand colour. FailedPrecondition
// when the mark is not suitable for this path (see kShape* in brand_shape.cc): its ink is not one
// dominant component, it is nearly convex or not elongated enough to fix its orientation, or the
// colour is not chromatic.
StatusOr<ShapeModel> MakeShapeModel(const cv::Mat& rendered_grey, const cv::Scalar& bgr_colour);
// The same from an SVG file (RenderSvg at 400 px).
StatusOr<ShapeModel> MakeShapeModel(const std::filesystem::path& svg, const cv::Scalar& bgr_colour);

struct ShapeHit {
  cv::Rect box;      // in `bgr` pixels
  double score = 0;  // silhouette score (CanonScore), >= the acceptance threshold
};

// The brand colour of a gallery name folder (`<dir>/brands/<Name>/`): the first word of its
// kBrandColourFile, unparsed; empty when the file is missing or empty. `ocular gallery build`
// stores it and the shape models made with it in the index (gallery_index.h).
std::string ReadBrandColour(const std::filesystem::path& name_dir);

// A query image prepared once for all models: downscaled, in CIE Lab.
struct ShapeQuery {
  cv::Mat lab;         // CV_32FC3
  double scale = 1.0;  // lab pixels per original pixel
  cv::Size original;
};
StatusOr<ShapeQuery> PrepareShapeQuery(const cv::Mat& bgr);

// Components of the query in the model's colour whose silhouette matches (best first), boxes in
// original pixels. `min_score` < 0 uses the shipped threshold (benchmarks pass a lower one).
StatusOr<std::vector<ShapeHit>> FindShape(const ShapeQuery& query, const ShapeModel& model,
                                          double min_score = -1);

}  // namespace ocular::gallery
