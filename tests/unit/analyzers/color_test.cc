#include "analyzers/vision/color_analyzer.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

namespace ocular {
namespace {

cv::Mat Solid(int r, int g, int b, int w = 200, int h = 150) {
  return cv::Mat(h, w, CV_8UC3, cv::Scalar(b, g, r));
}

TEST(NameColorTest, NamesPrototypes) {
  EXPECT_EQ(NameColor(0, 0, 0), "Black");
  EXPECT_EQ(NameColor(255, 255, 255), "White");
  EXPECT_EQ(NameColor(128, 128, 128), "Gray");
  EXPECT_EQ(NameColor(220, 20, 30), "Red");
  EXPECT_EQ(NameColor(255, 140, 0), "Orange");
  EXPECT_EQ(NameColor(240, 230, 30), "Yellow");
  EXPECT_EQ(NameColor(30, 180, 40), "Green");
  EXPECT_EQ(NameColor(0, 128, 128), "Teal");
  EXPECT_EQ(NameColor(20, 40, 220), "Blue");
  EXPECT_EQ(NameColor(128, 0, 160), "Purple");
  EXPECT_EQ(NameColor(255, 105, 180), "Pink");
  EXPECT_EQ(NameColor(120, 70, 20), "Brown");
}

TEST(AnalyzeColorsTest, SolidRedImage) {
  ColorResult c = AnalyzeColors(Solid(220, 20, 30));
  EXPECT_EQ(c.dominant_foreground, "Red");
  EXPECT_EQ(c.dominant_background, "Red");
  ASSERT_EQ(c.dominant_colors.size(), 1u);
  EXPECT_EQ(c.dominant_colors[0], "Red");
  EXPECT_EQ(c.accent_color, "DC141E");
  EXPECT_FALSE(c.is_bw);
}

TEST(AnalyzeColorsTest, BlueObjectOnWhiteBackground) {
  cv::Mat img = Solid(255, 255, 255, 400, 300);
  cv::rectangle(img, cv::Rect(120, 90, 160, 120), cv::Scalar(220, 40, 20), cv::FILLED);
  ColorResult c = AnalyzeColors(img);
  EXPECT_EQ(c.dominant_background, "White");
  EXPECT_EQ(c.dominant_foreground, "Blue");
  ASSERT_GE(c.dominant_colors.size(), 2u);
  EXPECT_EQ(c.dominant_colors[0], "White");
  EXPECT_EQ(c.dominant_colors[1], "Blue");
  // The accent is the blue cluster's mean (edge pixels blend slightly when downscaled).
  int r = std::stoi(c.accent_color.substr(0, 2), nullptr, 16);
  int g = std::stoi(c.accent_color.substr(2, 2), nullptr, 16);
  int b = std::stoi(c.accent_color.substr(4, 2), nullptr, 16);
  EXPECT_NEAR(r, 20, 12);
  EXPECT_NEAR(g, 40, 12);
  EXPECT_NEAR(b, 220, 12);
  EXPECT_FALSE(c.is_bw);
}

TEST(AnalyzeColorsTest, GreyscaleGradientIsBlackAndWhite) {
  cv::Mat img(100, 256, CV_8UC3);
  for (int x = 0; x < 256; ++x) img.col(x).setTo(cv::Scalar(x, x, x));
  ColorResult c = AnalyzeColors(img);
  EXPECT_TRUE(c.is_bw);
  // A grey image has no chromatic accent: the accent is its mean grey.
  EXPECT_EQ(c.accent_color.substr(0, 2), c.accent_color.substr(2, 2));
}

TEST(AnalyzeColorsTest, BlackAndWhiteThresholdIsTwoPercentChromatic) {
  cv::Mat img = Solid(128, 128, 128);
  cv::rectangle(img, cv::Rect(0, 0, 20, 20), cv::Scalar(0, 0, 255), cv::FILLED);  // 1.3% red
  ColorResult c = AnalyzeColors(img);
  EXPECT_TRUE(c.is_bw);
  EXPECT_EQ(c.dominant_colors, std::vector<std::string>{"Gray"});
  EXPECT_EQ(c.accent_color, "FF0000");  // the only chromatic cluster
  cv::rectangle(img, cv::Rect(0, 0, 40, 40), cv::Scalar(0, 0, 255), cv::FILLED);  // 5.3% red
  EXPECT_FALSE(AnalyzeColors(img).is_bw);
}

}  // namespace
}  // namespace ocular
