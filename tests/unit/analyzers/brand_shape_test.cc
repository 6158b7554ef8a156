// The colour + silhouette path of brands (brand_shape.h) on synthetic shapes.
#include "analyzers/galleries/brand_shape.h"

#include <gtest/gtest.h>

#include <cmath>

#include <opencv2/imgproc.hpp>

namespace ocular::gallery {
namespace {

// An arches-like "M": two thick arcs joined in the middle (outer contour of a filled polygon).
std::vector<cv::Point> Arches(double scale, double angle_deg, cv::Point2d centre) {
  std::vector<cv::Point2d> p;
  for (int i = 0; i <= 20; ++i)
    p.emplace_back(-100 + 50 * (1 - std::cos(CV_PI * i / 20)), -120 * std::sin(CV_PI * i / 20));
  for (int i = 0; i <= 20; ++i)
    p.emplace_back(0 + 50 * (1 - std::cos(CV_PI * i / 20)), -120 * std::sin(CV_PI * i / 20));
  for (int i = 20; i >= 0; --i)
    p.emplace_back(18 + 32 * (1 - std::cos(CV_PI * i / 20)), -95 * std::sin(CV_PI * i / 20));
  for (int i = 20; i >= 0; --i)
    p.emplace_back(-82 + 32 * (1 - std::cos(CV_PI * i / 20)), -95 * std::sin(CV_PI * i / 20));
  const double a = angle_deg * CV_PI / 180, c = std::cos(a), s = std::sin(a);
  std::vector<cv::Point> out;
  for (const cv::Point2d& q : p) {
    out.emplace_back(cvRound(centre.x + scale * (c * q.x - s * q.y)),
                     cvRound(centre.y + scale * (s * q.x + c * q.y)));
  }
  return out;
}

// A "T": a different non-convex shape of similar elongation.
std::vector<cv::Point> Tee(double scale, cv::Point2d c) {
  std::vector<cv::Point2d> p = {{-100, -60}, {100, -60}, {100, -20}, {20, -20},
                                {20, 80},    {-20, 80},  {-20, -20}, {-100, -20}};
  std::vector<cv::Point> out;
  for (const cv::Point2d& q : p)
    out.emplace_back(cvRound(c.x + scale * q.x), cvRound(c.y + scale * q.y));
  return out;
}

TEST(BrandShapeTest, SameShapeScaledAndRotatedMatches) {
  const std::vector<cv::Point> ref = Arches(2.0, 0, {400, 400});
  for (double scale : {0.4, 1.0, 3.0}) {
    for (double angle : {0.0, 23.0, 90.0, 180.0, 250.0}) {
      StatusOr<double> s = ShapeSimilarity(ref, Arches(scale, angle, {600, 600}));
      ASSERT_TRUE(s.ok());
      EXPECT_GT(*s, 0.9) << "scale " << scale << " angle " << angle;
    }
  }
}

TEST(BrandShapeTest, DifferentShapesDoNotMatch) {
  const std::vector<cv::Point> arches = Arches(2.0, 0, {400, 400});
  StatusOr<double> tee = ShapeSimilarity(arches, Tee(2.0, {400, 400}));
  ASSERT_TRUE(tee.ok());
  EXPECT_LT(*tee, 0.8);
  std::vector<cv::Point> disc;
  cv::ellipse2Poly(cv::Point(400, 400), cv::Size(150, 100), 0, 0, 360, 5, disc);
  StatusOr<double> d = ShapeSimilarity(arches, disc);
  ASSERT_TRUE(d.ok());
  EXPECT_LT(*d, 0.8);
}

TEST(BrandShapeTest, ParsesHexColours) {
  StatusOr<cv::Scalar> c = ParseHexColour("#FBC817");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)[0], 0x17);
  EXPECT_EQ((*c)[1], 0xC8);
  EXPECT_EQ((*c)[2], 0xFB);
  EXPECT_FALSE(ParseHexColour("yellow").ok());
  EXPECT_FALSE(ParseHexColour("#FBC8").ok());
}

TEST(BrandShapeTest, ModelRejectsUnsuitableMarks) {
  cv::Mat mark(400, 400, CV_8U, cv::Scalar(255));
  cv::circle(mark, {200, 200}, 120, cv::Scalar(0), cv::FILLED);  // convex and round
  EXPECT_FALSE(MakeShapeModel(mark, cv::Scalar(0x17, 0xC8, 0xFB)).ok());
  cv::Mat arches(400, 400, CV_8U, cv::Scalar(255));
  cv::fillPoly(arches, std::vector<std::vector<cv::Point>>{Arches(1.5, 0, {200, 300})},
               cv::Scalar(0));
  EXPECT_FALSE(MakeShapeModel(arches, cv::Scalar(128, 128, 128)).ok());  // grey: not chromatic
  EXPECT_TRUE(MakeShapeModel(arches, cv::Scalar(0x17, 0xC8, 0xFB)).ok());
}

TEST(BrandShapeTest, FindsTheColouredShapeOnly) {
  cv::Mat arches(400, 400, CV_8U, cv::Scalar(255));
  cv::fillPoly(arches, std::vector<std::vector<cv::Point>>{Arches(1.5, 0, {200, 300})},
               cv::Scalar(0));
  const cv::Scalar yellow(0x17, 0xC8, 0xFB);
  StatusOr<ShapeModel> model = MakeShapeModel(arches, yellow);
  ASSERT_TRUE(model.ok()) << model.status().ToString();

  cv::Mat photo(900, 1200, CV_8UC3, cv::Scalar(40, 40, 200));  // red background
  cv::fillPoly(photo, std::vector<std::vector<cv::Point>>{Arches(1.2, 10, {400, 500})}, yellow);
  cv::fillPoly(photo, std::vector<std::vector<cv::Point>>{Tee(1.2, {900, 450})}, yellow);
  cv::fillPoly(photo, std::vector<std::vector<cv::Point>>{Arches(1.2, 0, {900, 800})},
               cv::Scalar(200, 120, 40));  // same shape, another colour
  StatusOr<ShapeQuery> q = PrepareShapeQuery(photo);
  ASSERT_TRUE(q.ok());
  StatusOr<std::vector<ShapeHit>> hits = FindShape(*q, *model);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  const cv::Rect& b = (*hits)[0].box;
  EXPECT_TRUE(b.contains(cv::Point(400, 450))) << b;
  EXPECT_LT(b.width, 300);
  EXPECT_FALSE(PrepareShapeQuery(cv::Mat(10, 10, CV_8U)).ok());
}

}  // namespace
}  // namespace ocular::gallery
