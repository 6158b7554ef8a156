// Image type: synthetic cases, and the measurement on the shared photos against the MANIFEST
// `expect` column that docs/accuracy.md reports (run this binary to reproduce the table).
#include "analyzers/vision/image_type_analyzer.h"

#include <cstdio>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "tests/unit/core/image_test_util.h"

namespace ocular {
namespace {

TEST(ImageTypeTest, FlatColourGraphicIsGoodClipArt) {
  cv::Mat img(300, 400, CV_8UC3, cv::Scalar(255, 255, 255));
  cv::circle(img, {200, 150}, 100, cv::Scalar(0, 200, 255), cv::FILLED);
  cv::rectangle(img, cv::Rect(20, 20, 80, 60), cv::Scalar(200, 50, 0), cv::FILLED);
  ImageTypeResult r = ClassifyImageType(MeasureImageType(img));
  EXPECT_EQ(r.clip_art_type, 3);
  EXPECT_EQ(r.line_drawing_type, 0);
}

TEST(ImageTypeTest, NoisyPhotoLikeImageIsNotClipArt) {
  cv::Mat img(300, 400, CV_8UC3);
  cv::randu(img, cv::Scalar(0, 0, 0), cv::Scalar(255, 255, 255));
  cv::GaussianBlur(img, img, cv::Size(5, 5), 0);
  ImageTypeResult r = ClassifyImageType(MeasureImageType(img));
  EXPECT_EQ(r.clip_art_type, 0);
  EXPECT_EQ(r.line_drawing_type, 0);
}

TEST(ImageTypeTest, ConnectedBlackStrokesOnWhiteAreALineDrawing) {
  cv::Mat img(400, 400, CV_8UC3, cv::Scalar(255, 255, 255));
  cv::ellipse(img, {200, 200}, {150, 100}, 0, 0, 360, cv::Scalar(0, 0, 0), 3);
  cv::line(img, {50, 200}, {350, 200}, cv::Scalar(0, 0, 0), 3);
  cv::line(img, {200, 100}, {200, 300}, cv::Scalar(0, 0, 0), 3);
  ImageTypeResult r = ClassifyImageType(MeasureImageType(img));
  EXPECT_EQ(r.line_drawing_type, 1);
}

TEST(ImageTypeTest, PrintedTextIsNeitherLineDrawingNorClipArt) {
  cv::Mat img(400, 600, CV_8UC3, cv::Scalar(255, 255, 255));
  for (int row = 0; row < 8; ++row) {
    cv::putText(img, "The quick brown fox jumps", {20, 40 + row * 45}, cv::FONT_HERSHEY_SIMPLEX,
                0.9, cv::Scalar(0, 0, 0), 2);
  }
  ImageTypeResult r = ClassifyImageType(MeasureImageType(img));
  EXPECT_EQ(r.line_drawing_type, 0);
  EXPECT_EQ(r.clip_art_type, 0);
}

// Ground truth from MANIFEST `expect`: clip art = "clipart" or "cartoon"; line drawing =
// "line drawing"; photos = rows naming an object, face, scene, landmark, food or sport and none
// of the above. Documents and test patterns are not scored for clip art.
TEST(ImageTypeTest, MeasuredOnSharedTestdata) {
  int clip_total = 0, clip_ok = 0, line_total = 0, line_ok = 0;
  std::string misses;
  std::printf("%-36s %5s %5s %6s %6s  expected\n", "image", "clip", "line", "flat", "c90");
  for (const testing::ManifestEntry& e : testing::ReadManifest()) {
    // The `expect` column is the sixth (tab-separated).
    std::string expect = e.line;
    for (int col = 0; col < 5; ++col) expect = expect.substr(expect.find('\t') + 1);
    expect = expect.substr(0, expect.find('\t'));
    auto has = [&](const char* s) { return expect.find(s) != std::string::npos; };
    testing::ByteVec bytes = testing::ReadTestImage(e.file);
    StatusOr<DecodedImage> img = IngestImage(testing::Span(bytes), ApiVersion::kV40, {1024});
    ASSERT_TRUE(img.ok()) << e.file << ": " << img.status().ToString();
    ImageTypeMetrics m = MeasureImageType(img->bgr);
    ImageTypeResult r = ClassifyImageType(m);
    const bool is_clip = has("clipart") || has("cartoon");
    const bool is_line = has("line drawing");
    const bool is_doc = has("document") || has("colourful");
    std::printf("%-36s %5d %5d %6.2f %6d  %s%s\n", e.file.c_str(), r.clip_art_type,
                r.line_drawing_type, m.flat_share, m.colors_90, is_clip ? "clipart " : "",
                is_line ? "line-drawing" : "");
    ++line_total;
    if ((r.line_drawing_type == 1) == is_line) {
      ++line_ok;
    } else {
      misses += " line:" + e.file;
    }
    if (is_line || is_doc) continue;
    ++clip_total;
    if ((r.clip_art_type >= 2) == is_clip) {
      ++clip_ok;
    } else {
      misses += " clip:" + e.file;
    }
  }
  std::printf("clip art: %d/%d correct; line drawing: %d/%d correct; misses:%s\n", clip_ok,
              clip_total, line_ok, line_total, misses.c_str());
  EXPECT_GE(clip_ok, clip_total * 9 / 10) << misses;
  EXPECT_GE(line_ok, line_total * 9 / 10) << misses;
}

}  // namespace
}  // namespace ocular
