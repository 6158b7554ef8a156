#include "analyzers/galleries/face_align.h"

#include <cmath>
#include <string>

#include <opencv2/imgproc.hpp>

namespace ocular {

namespace {
// ArcFace 112x112 template (insightface `arcface_dst`), eyes/nose/mouth centre.
constexpr double kArcFace[kAlignPoints][2] = {
    {38.2946, 51.6963}, {73.5318, 51.5014}, {56.0252, 71.7366}, {56.1396, 92.2848}};
constexpr double kArcFaceSize = 112.0;
}  // namespace

FaceTemplate CanonicalFaceTemplate(int size, double zoom) {
  FaceTemplate t;
  t.size = size;
  const double s = size / kArcFaceSize, c = size / 2.0;
  for (int i = 0; i < kAlignPoints; ++i) {
    t.points[static_cast<std::size_t>(i)] = cv::Point2f(float(c + (kArcFace[i][0] * s - c) * zoom),
                                                        float(c + (kArcFace[i][1] * s - c) * zoom));
  }
  return t;
}

StatusOr<cv::Matx23d> EstimateSimilarity(std::span<const cv::Point2f> src,
                                         std::span<const cv::Point2f> dst) {
  if (src.size() != dst.size() || src.size() < 2) {
    return InvalidArgument("similarity transform: need >= 2 point pairs of equal count");
  }
  const double n = double(src.size());
  double mpx = 0, mpy = 0, mqx = 0, mqy = 0;
  for (std::size_t i = 0; i < src.size(); ++i) {
    mpx += src[i].x, mpy += src[i].y, mqx += dst[i].x, mqy += dst[i].y;
  }
  mpx /= n, mpy /= n, mqx /= n, mqy /= n;
  double var = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < src.size(); ++i) {
    const double ax = src[i].x - mpx, ay = src[i].y - mpy;
    const double bx = dst[i].x - mqx, by = dst[i].y - mqy;
    var += ax * ax + ay * ay;
    sxx += ax * bx + ay * by;
    sxy += ax * by - ay * bx;
  }
  if (!(var > 1e-9) || !std::isfinite(var)) {
    return InvalidArgument("similarity transform: the source points coincide");
  }
  const double a = sxx / var, b = sxy / var;  // scale * cos, scale * sin
  return cv::Matx23d(a, -b, mqx - (a * mpx - b * mpy), b, a, mqy - (b * mpx + a * mpy));
}

StatusOr<cv::Matx23d> FaceAlignment(const std::array<cv::Point2f, kFaceKeypoints>& keypoints,
                                    const FaceTemplate& tmpl) {
  const std::array<cv::Point2f, kAlignPoints> src = {keypoints[kRightEye], keypoints[kLeftEye],
                                                     keypoints[kNoseTip], keypoints[kMouth]};
  return EstimateSimilarity(src, tmpl.points);
}

StatusOr<cv::Mat> AlignFace(const cv::Mat& image,
                            const std::array<cv::Point2f, kFaceKeypoints>& keypoints,
                            const FaceTemplate& tmpl) {
  if (image.empty()) return InvalidArgument("face alignment: empty image");
  OCULAR_ASSIGN_OR_RETURN(cv::Matx23d m, FaceAlignment(keypoints, tmpl));
  try {
    cv::Mat out;
    cv::warpAffine(image, out, cv::Mat(m), cv::Size(tmpl.size, tmpl.size), cv::INTER_LINEAR,
                   cv::BORDER_REPLICATE);
    return out;
  } catch (const cv::Exception& e) {
    return Internal(std::string("face alignment: OpenCV: ") + e.what());
  }
}

}  // namespace ocular
