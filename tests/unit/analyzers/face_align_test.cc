// Face alignment geometry: the least-squares similarity recovers a known transform, the
// canonical template scales and zooms about the crop centre, and a warped face lands on it.
#include "analyzers/galleries/face_align.h"

#include <cmath>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

namespace ocular {
namespace {

cv::Point2f Apply(const cv::Matx23d& m, cv::Point2f p) {
  return cv::Point2f(float(m(0, 0) * p.x + m(0, 1) * p.y + m(0, 2)),
                     float(m(1, 0) * p.x + m(1, 1) * p.y + m(1, 2)));
}

// Rotation by `deg`, uniform scale `s`, translation (tx, ty).
cv::Matx23d Similarity(double deg, double s, double tx, double ty) {
  const double a = s * std::cos(deg * CV_PI / 180), b = s * std::sin(deg * CV_PI / 180);
  return cv::Matx23d(a, -b, tx, b, a, ty);
}

TEST(FaceAlignTest, RecoversAKnownSimilarityExactly) {
  const cv::Matx23d truth = Similarity(23, 1.7, -41.5, 12.25);
  const std::vector<cv::Point2f> src = {{10, 20}, {60, 18}, {35, 45}, {37, 70}};
  std::vector<cv::Point2f> dst;
  for (const cv::Point2f& p : src) dst.push_back(Apply(truth, p));
  StatusOr<cv::Matx23d> m = EstimateSimilarity(src, dst);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  for (int r = 0; r < 2; ++r) {
    for (int c = 0; c < 3; ++c) EXPECT_NEAR((*m)(r, c), truth(r, c), 1e-4) << r << "," << c;
  }
}

TEST(FaceAlignTest, NoisyPointsGiveTheLeastSquaresFit) {
  // Symmetric noise that cancels in the fit: the transform is still the true one.
  const cv::Matx23d truth = Similarity(-10, 0.5, 7, 9);
  const std::vector<cv::Point2f> src = {{0, 0}, {100, 0}, {100, 100}, {0, 100}};
  const std::vector<cv::Point2f> noise = {{1, 0}, {-1, 0}, {1, 0}, {-1, 0}};
  std::vector<cv::Point2f> dst;
  for (std::size_t i = 0; i < src.size(); ++i) dst.push_back(Apply(truth, src[i]) + noise[i]);
  StatusOr<cv::Matx23d> m = EstimateSimilarity(src, dst);
  ASSERT_TRUE(m.ok());
  const double scale = std::hypot((*m)(0, 0), (*m)(1, 0));
  const double angle = std::atan2((*m)(1, 0), (*m)(0, 0)) * 180 / CV_PI;
  EXPECT_NEAR(scale, 0.5, 0.01);
  EXPECT_NEAR(angle, -10, 0.6);
}

TEST(FaceAlignTest, DegeneratePointsAreRejected) {
  const std::vector<cv::Point2f> same = {{5, 5}, {5, 5}, {5, 5}};
  const std::vector<cv::Point2f> dst = {{0, 0}, {1, 0}, {0, 1}};
  StatusOr<cv::Matx23d> m = EstimateSimilarity(same, dst);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  const std::vector<cv::Point2f> one = {{0, 0}};
  EXPECT_FALSE(EstimateSimilarity(one, std::vector<cv::Point2f>{{1, 1}}).ok());
  EXPECT_FALSE(EstimateSimilarity(dst, one).ok());
}

TEST(FaceAlignTest, TemplateScalesWithSizeAndZoomsAboutTheCentre) {
  const FaceTemplate t112 = CanonicalFaceTemplate(112);
  const FaceTemplate t224 = CanonicalFaceTemplate(224);
  const FaceTemplate zoomed = CanonicalFaceTemplate(224, 0.5);
  EXPECT_EQ(t224.size, 224);
  // Eyes level and ordered: the subject's right eye is on the image left.
  EXPECT_LT(t112.points[0].x, t112.points[1].x);
  EXPECT_NEAR(t112.points[0].y, t112.points[1].y, 0.5);
  // Nose between the eyes and the mouth.
  EXPECT_GT(t112.points[2].y, t112.points[0].y);
  EXPECT_GT(t112.points[3].y, t112.points[2].y);
  for (int i = 0; i < kAlignPoints; ++i) {
    EXPECT_NEAR(t224.points[i].x, 2 * t112.points[i].x, 1e-3);
    EXPECT_NEAR(t224.points[i].y, 2 * t112.points[i].y, 1e-3);
    EXPECT_NEAR(zoomed.points[i].x, 112 + (t224.points[i].x - 112) * 0.5, 1e-3);
    EXPECT_NEAR(zoomed.points[i].y, 112 + (t224.points[i].y - 112) * 0.5, 1e-3);
  }
}

TEST(FaceAlignTest, WarpedKeypointsLandOnTheTemplate) {
  // A synthetic "face": four bright dots where a rotated, scaled and shifted template puts the
  // eyes, nose and mouth of a face in a 400x300 image. Aligning it must bring each dot back to
  // its template position in the crop.
  const FaceTemplate t = CanonicalFaceTemplate(112);
  const cv::Matx23d place = Similarity(30, 1.6, 180, 20);
  std::array<cv::Point2f, kFaceKeypoints> kp{};
  cv::Mat image(300, 400, CV_8UC1, cv::Scalar(0));
  for (int i = 0; i < kAlignPoints; ++i) {
    kp[static_cast<std::size_t>(i)] = Apply(place, t.points[i]);
    cv::circle(image, kp[static_cast<std::size_t>(i)], 3, cv::Scalar(255), cv::FILLED);
  }
  kp[kRightEar] = cv::Point2f(-500, 900);  // ears are not used: far-off values change nothing
  kp[kLeftEar] = cv::Point2f(900, -500);
  StatusOr<cv::Mat> crop = AlignFace(image, kp, t);
  ASSERT_TRUE(crop.ok()) << crop.status().ToString();
  ASSERT_EQ(crop->cols, 112);
  ASSERT_EQ(crop->rows, 112);
  for (int i = 0; i < kAlignPoints; ++i) {
    // The brightness-weighted centre of the dot's neighbourhood in the crop.
    const cv::Point2f want = t.points[i];
    cv::Rect win(int(want.x) - 6, int(want.y) - 6, 13, 13);
    cv::Moments mo = cv::moments((*crop)(win));
    ASSERT_GT(mo.m00, 0) << "no dot near template point " << i;
    EXPECT_NEAR(win.x + mo.m10 / mo.m00, want.x, 0.7) << i;
    EXPECT_NEAR(win.y + mo.m01 / mo.m00, want.y, 0.7) << i;
  }
}

TEST(FaceAlignTest, EmptyImageIsAnError) {
  std::array<cv::Point2f, kFaceKeypoints> kp{};
  StatusOr<cv::Mat> crop = AlignFace(cv::Mat(), kp, CanonicalFaceTemplate(112));
  EXPECT_FALSE(crop.ok());
}

}  // namespace
}  // namespace ocular
