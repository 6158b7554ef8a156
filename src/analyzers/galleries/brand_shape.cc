#include "analyzers/galleries/brand_shape.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>

#include <opencv2/imgproc.hpp>

#include "analyzers/galleries/gallery_features.h"

namespace ocular::gallery {
namespace {

// Thresholds (measured with bench/brands_eval on the shared images; docs/accuracy.md "Brands").
// Query is analysed at <= this long side.
constexpr int kShapeQuerySide = 800;
// Colour distance in Lab, with L down-weighted (lighting): sqrt(kLWeight*dL^2 + da^2 + db^2).
constexpr double kLWeight = 0.1;
constexpr double kMaxColourDist = 30.0;
// A mark must be chromatic (Lab chroma) for the colour segmentation to mean anything.
constexpr double kMinChroma = 30.0;
// The mark's largest ink component must hold this share of the ink (one silhouette).
constexpr double kMinDominantInk = 0.9;
// Nearly convex marks (discs, boxes) match countless blobs; too round marks have no orientation.
constexpr double kMaxModelSolidity = 0.8;
constexpr double kMinModelElongation = 1.15;
// Wordmarks (long and thin: eBay 3.7, FedEx 3.6) match letters and stripes of many photos
// (scores up to 0.92 on shared images): only compact marks take the path.
constexpr double kMaxModelElongation = 2.5;
// Candidate components: share of the (downscaled) image area, and gates before the silhouette
// score.
constexpr double kMinComponentArea = 0.0005;
constexpr double kMaxComponentArea = 0.5;
constexpr double kMaxSolidityDiff = 0.12;
constexpr double kMaxElongationRatio = 1.35;
// Normalised silhouettes: each principal-axis standard deviation maps to this many pixels, and
// the overlap tolerates this distance (pixels of the kShapeCanon canvas).
constexpr double kCanonSigma = 18.0;
constexpr double kCanonTolerance = 3.0;
// Silhouette overlap score to accept a component.
constexpr double kMinShapeScore = 0.90;

struct AxisMoments {
  cv::Point2d centre;
  double area = 0;
  double theta = 0;       // principal axis angle (radians)
  double elongation = 1;  // sqrt(major / minor)
  double sigma_major = 0, sigma_minor = 0;
};

AxisMoments Axes(const std::vector<cv::Point>& contour) {
  AxisMoments a;
  cv::Moments m = cv::moments(contour);
  a.area = std::abs(m.m00);
  if (a.area <= 0) return a;
  a.centre = cv::Point2d(m.m10 / m.m00, m.m01 / m.m00);
  const double mu20 = m.mu20 / m.m00, mu02 = m.mu02 / m.m00, mu11 = m.mu11 / m.m00;
  a.theta = 0.5 * std::atan2(2 * mu11, mu20 - mu02);
  const double root = std::sqrt(4 * mu11 * mu11 + (mu20 - mu02) * (mu20 - mu02));
  const double l1 = (mu20 + mu02 + root) / 2, l2 = (mu20 + mu02 - root) / 2;
  a.elongation = l2 > 1e-9 ? std::sqrt(l1 / l2) : 1e9;
  a.sigma_major = std::sqrt(std::max(l1, 0.0));
  a.sigma_minor = std::sqrt(std::max(l2, 0.0));
  return a;
}

double Solidity(const std::vector<cv::Point>& contour) {
  std::vector<cv::Point> hull;
  cv::convexHull(contour, hull);
  const double h = cv::contourArea(hull);
  return h > 0 ? cv::contourArea(contour) / h : 0;
}

cv::Vec3f ToLab(const cv::Scalar& bgr) {
  cv::Mat px(1, 1, CV_32FC3, cv::Scalar(bgr[0] / 255.0, bgr[1] / 255.0, bgr[2] / 255.0));
  cv::Mat lab;
  cv::cvtColor(px, lab, cv::COLOR_BGR2Lab);
  return lab.at<cv::Vec3f>(0, 0);
}

}  // namespace

StatusOr<cv::Scalar> ParseHexColour(const std::string& hex) {
  std::string h = hex.starts_with("#") ? hex.substr(1) : hex;
  if (h.size() != 6 || !std::all_of(h.begin(), h.end(), [](char c) { return std::isxdigit(c); })) {
    return InvalidArgument("not a hex colour: '" + hex + "'");
  }
  const unsigned long v = std::stoul(h, nullptr, 16);
  return cv::Scalar(double(v & 0xff), double((v >> 8) & 0xff), double((v >> 16) & 0xff));
}

StatusOr<cv::Mat> NormaliseContour(const std::vector<cv::Point>& contour, bool flip) {
  try {
    AxisMoments a = Axes(contour);
    if (a.area <= 0 || a.sigma_minor <= 0) return InvalidArgument("empty contour");
    // Principal axes to x/y, each scaled to kCanonSigma: invariant to rotation, scale, stroke
    // width (mostly) and a stretch along the axes (foreshortening).
    const double sx = kCanonSigma / a.sigma_major, sy = kCanonSigma / a.sigma_minor;
    const double t = -a.theta + (flip ? CV_PI : 0);
    const double c = std::cos(t), s = std::sin(t);
    std::vector<cv::Point> out;
    out.reserve(contour.size());
    for (const cv::Point& p : contour) {
      const double dx = p.x - a.centre.x, dy = p.y - a.centre.y;
      out.emplace_back(cvRound((c * dx - s * dy) * sx + kShapeCanon / 2.0),
                       cvRound((s * dx + c * dy) * sy + kShapeCanon / 2.0));
    }
    cv::Mat canon = cv::Mat::zeros(kShapeCanon, kShapeCanon, CV_8U);
    cv::fillPoly(canon, std::vector<std::vector<cv::Point>>{out}, cv::Scalar(255));
    return canon;
  } catch (const cv::Exception& e) {
    return Internal("cannot normalise a contour", e.what());
  }
}

double CanonScore(const cv::Mat& a, const cv::Mat& b) {
  // Tolerant overlap: the share of each mask's pixels within kCanonTolerance of the other mask;
  // the smaller share is the score (1 = same silhouette up to the tolerance).
  auto within = [](const cv::Mat& from, const cv::Mat& to) {
    cv::Mat dist;
    cv::distanceTransform(255 - to, dist, cv::DIST_L2, 3);
    const int n = cv::countNonZero(from);
    if (n == 0) return 0.0;
    cv::Mat near = (dist <= kCanonTolerance) & from;
    return double(cv::countNonZero(near)) / n;
  };
  return std::min(within(a, b), within(b, a));
}

StatusOr<double> ShapeSimilarity(const std::vector<cv::Point>& a, const std::vector<cv::Point>& b) {
  OCULAR_ASSIGN_OR_RETURN(cv::Mat ca, NormaliseContour(a, false));
  double best = 0;
  for (bool flip : {false, true}) {
    OCULAR_ASSIGN_OR_RETURN(cv::Mat cb, NormaliseContour(b, flip));
    best = std::max(best, CanonScore(ca, cb));
  }
  return best;
}

StatusOr<ShapeModel> MakeShapeModel(const cv::Mat& rendered_grey, const cv::Scalar& bgr_colour) {
  try {
    ShapeModel model;
    model.lab = ToLab(bgr_colour);
    if (std::hypot(model.lab[1], model.lab[2]) < kMinChroma) {
      return FailedPrecondition("brand colour is not chromatic enough for the shape path");
    }
    cv::Mat ink = rendered_grey < 128;
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(ink, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
    if (contours.empty()) return FailedPrecondition("the mark has no ink");
    double total = 0;
    size_t best = 0;
    for (size_t i = 0; i < contours.size(); ++i) {
      const double area = cv::contourArea(contours[i]);
      total += area;
      if (area > cv::contourArea(contours[best])) best = i;
    }
    if (cv::contourArea(contours[best]) < kMinDominantInk * total) {
      return FailedPrecondition("the mark is not one silhouette");
    }
    model.solidity = Solidity(contours[best]);
    model.elongation = Axes(contours[best]).elongation;
    if (model.solidity > kMaxModelSolidity || model.elongation < kMinModelElongation ||
        model.elongation > kMaxModelElongation) {
      return FailedPrecondition("the mark's silhouette is not distinctive enough");
    }
    OCULAR_ASSIGN_OR_RETURN(model.canon, NormaliseContour(contours[best], false));
    return model;
  } catch (const cv::Exception& e) {
    return Internal("cannot build a shape model", e.what());
  }
}

StatusOr<ShapeModel> MakeShapeModel(const std::filesystem::path& svg,
                                    const cv::Scalar& bgr_colour) {
  OCULAR_ASSIGN_OR_RETURN(cv::Mat grey, RenderSvg(svg, 400));
  return MakeShapeModel(grey, bgr_colour);
}

std::string ReadBrandColour(const std::filesystem::path& name_dir) {
  std::ifstream in(name_dir / kBrandColourFile);
  std::string hex;
  in >> hex;
  return hex;
}

StatusOr<ShapeQuery> PrepareShapeQuery(const cv::Mat& bgr) {
  if (bgr.empty() || bgr.type() != CV_8UC3) return InvalidArgument("the shape path needs BGR");
  try {
    ShapeQuery q;
    q.original = bgr.size();
    q.scale = std::min(1.0, double(kShapeQuerySide) / std::max(bgr.cols, bgr.rows));
    cv::Mat small;
    if (q.scale < 1.0) {
      cv::resize(bgr, small, cv::Size(), q.scale, q.scale, cv::INTER_AREA);
    } else {
      small = bgr;
    }
    small.convertTo(q.lab, CV_32FC3, 1.0 / 255.0);
    cv::cvtColor(q.lab, q.lab, cv::COLOR_BGR2Lab);
    return q;
  } catch (const cv::Exception& e) {
    return Internal("brand shape query failed", e.what());
  }
}

StatusOr<std::vector<ShapeHit>> FindShape(const ShapeQuery& query, const ShapeModel& model,
                                          double min_score) {
  if (min_score < 0) min_score = kMinShapeScore;
  std::vector<ShapeHit> hits;
  try {
    const cv::Mat& lab = query.lab;
    const double f = query.scale;
    cv::Mat mask(lab.size(), CV_8U);
    const double max2 = kMaxColourDist * kMaxColourDist;
    for (int y = 0; y < lab.rows; ++y) {
      const cv::Vec3f* row = lab.ptr<cv::Vec3f>(y);
      uchar* out = mask.ptr<uchar>(y);
      for (int x = 0; x < lab.cols; ++x) {
        const double dl = row[x][0] - model.lab[0], da = row[x][1] - model.lab[1],
                     db = row[x][2] - model.lab[2];
        out[x] = kLWeight * dl * dl + da * da + db * db < max2 ? 255 : 0;
      }
    }
    cv::morphologyEx(mask, mask, cv::MORPH_OPEN, cv::Mat::ones(3, 3, CV_8U));
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
    const double image_area = double(lab.cols) * lab.rows;
    for (const std::vector<cv::Point>& c : contours) {
      const double area = cv::contourArea(c);
      if (area < kMinComponentArea * image_area || area > kMaxComponentArea * image_area) continue;
      if (std::abs(Solidity(c) - model.solidity) > kMaxSolidityDiff) continue;
      const double el = Axes(c).elongation;
      if (std::max(el / model.elongation, model.elongation / el) > kMaxElongationRatio) continue;
      double score = 0;
      for (bool flip : {false, true}) {
        OCULAR_ASSIGN_OR_RETURN(cv::Mat canon, NormaliseContour(c, flip));
        score = std::max(score, CanonScore(model.canon, canon));
      }
      if (score < min_score) continue;
      cv::Rect r = cv::boundingRect(c);
      cv::Rect box(int(std::floor(r.x / f)), int(std::floor(r.y / f)), int(std::ceil(r.width / f)),
                   int(std::ceil(r.height / f)));
      hits.push_back(
          ShapeHit{box & cv::Rect(0, 0, query.original.width, query.original.height), score});
    }
  } catch (const cv::Exception& e) {
    return Internal("brand shape matching failed", e.what());
  }
  std::sort(hits.begin(), hits.end(),
            [](const ShapeHit& a, const ShapeHit& b) { return a.score > b.score; });
  return hits;
}

}  // namespace ocular::gallery
