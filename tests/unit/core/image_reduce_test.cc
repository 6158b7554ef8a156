// Reduced decoding (DecodeOptions: min_long_side and the max_pixels budget): the factor rule,
// and per format that the reduced image is what the full image says it should be. PNG and GIF
// are reduced while streaming, so their result must equal the block means of the full decode.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "core/image.h"
#include "image_test_util.h"

namespace ocular {
namespace {

using testing::Append;
using testing::ByteVec;
using testing::Encode;
using testing::Pattern;
using testing::ProbeAndDecode;
using testing::PngChunk;
using testing::PutU16;
using testing::PutU32;
using testing::Span;

// The mean of each factor x factor block (edge blocks smaller), rounded like the decoders.
cv::Mat BlockMeans(const cv::Mat& full, int f) {
  cv::Mat out((full.rows + f - 1) / f, (full.cols + f - 1) / f, CV_8UC3);
  for (int oy = 0; oy < out.rows; ++oy) {
    for (int ox = 0; ox < out.cols; ++ox) {
      int sum[3] = {0, 0, 0}, n = 0;
      for (int y = oy * f; y < std::min(full.rows, oy * f + f); ++y) {
        for (int x = ox * f; x < std::min(full.cols, ox * f + f); ++x) {
          for (int c = 0; c < 3; ++c) sum[c] += full.at<cv::Vec3b>(y, x)[c];
          ++n;
        }
      }
      for (int c = 0; c < 3; ++c)
        out.at<cv::Vec3b>(oy, ox)[c] = static_cast<std::uint8_t>((sum[c] + n / 2) / n);
    }
  }
  return out;
}

double MeanAbsDiff(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat d;
  cv::absdiff(a, b, d);
  const cv::Scalar m = cv::mean(d);
  return (m[0] + m[1] + m[2]) / 3;
}

TEST(ReductionFactor, LongSideAndPixelBudget) {
  ImageInfo info;
  info.width = 8000;
  info.height = 6000;
  EXPECT_EQ(ReductionFactor(info, {}), 1);
  EXPECT_EQ(ReductionFactor(info, {.min_long_side = 1024}), 7);  // 8000 / 7 = 1143 >= 1024
  EXPECT_EQ(ReductionFactor(info, {.min_long_side = 10000}), 1);
  // 48 MP under a 12 MP budget: f = 2 gives exactly 4000 x 3000.
  EXPECT_EQ(ReductionFactor(info, {.min_long_side = 0, .max_pixels = 12'000'000}), 2);
  EXPECT_EQ(ReductionFactor(info, {.min_long_side = 0, .max_pixels = 11'999'999}), 3);
  // The budget wins over a caller that wants more resolution.
  EXPECT_EQ(ReductionFactor(info, {.min_long_side = 8000, .max_pixels = 12'000'000}), 2);
  EXPECT_EQ(ReductionFactor(info, {.min_long_side = 0, .max_pixels = 1}), 256);
}

TEST(ReducedDecode, PngEqualsBlockMeansOfTheFullImage) {
  cv::Mat bgra(203, 301, CV_8UC4);
  for (int y = 0; y < bgra.rows; ++y) {
    for (int x = 0; x < bgra.cols; ++x) {
      bgra.at<cv::Vec4b>(y, x) =
          cv::Vec4b(static_cast<std::uint8_t>(x * 7), static_cast<std::uint8_t>(y * 5),
                    static_cast<std::uint8_t>((x ^ y) & 255),
                    static_cast<std::uint8_t>((x + y) % 3 == 0 ? 128 : 255));
    }
  }
  for (const cv::Mat& img : {Pattern(301, 203), bgra}) {
    const ByteVec png = Encode(img, ".png");
    const auto full = ProbeAndDecode(png);
    ASSERT_TRUE(full.ok()) << full.status().ToString();
    const auto reduced = ProbeAndDecode(png, {.min_long_side = 100});  // f = 3
    ASSERT_TRUE(reduced.ok()) << reduced.status().ToString();
    ASSERT_EQ(reduced->bgr.size(), cv::Size(101, 68));
    EXPECT_EQ(cv::norm(reduced->bgr, BlockMeans(full->bgr, 3), cv::NORM_INF), 0);
    EXPECT_EQ(reduced->info.width, 301);  // the original size is still reported
    EXPECT_NEAR(reduced->scale(), 101.0 / 301, 1e-9);
  }
}

// An interlaced 8-bit RGB PNG written by hand (Adam7, filter 0, stored deflate).
ByteVec InterlacedPng(const cv::Mat& bgr) {
  static constexpr int kX0[7] = {0, 4, 0, 2, 0, 1, 0}, kY0[7] = {0, 0, 4, 0, 2, 0, 1};
  static constexpr int kDx[7] = {8, 8, 4, 4, 2, 2, 1}, kDy[7] = {8, 8, 8, 4, 4, 2, 2};
  ByteVec raw;
  for (int p = 0; p < 7; ++p) {
    if (kX0[p] >= bgr.cols) continue;
    for (int y = kY0[p]; y < bgr.rows; y += kDy[p]) {
      raw.push_back(0);
      for (int x = kX0[p]; x < bgr.cols; x += kDx[p]) {
        const cv::Vec3b v = bgr.at<cv::Vec3b>(y, x);
        raw.insert(raw.end(), {v[2], v[1], v[0]});
      }
    }
  }
  ByteVec png;
  Append(png, std::string_view("\x89PNG\r\n\x1a\n", 8));
  ByteVec ihdr;
  PutU32(ihdr, 0, static_cast<std::uint32_t>(bgr.cols), true);
  PutU32(ihdr, 4, static_cast<std::uint32_t>(bgr.rows), true);
  Append(ihdr, ByteVec{8, 2, 0, 0, 1});
  Append(png, PngChunk("IHDR", ihdr));
  Append(png, PngChunk("IDAT", testing::ZlibStored(raw)));
  Append(png, PngChunk("IEND", {}));
  return png;
}

TEST(ReducedDecode, InterlacedPngUsesItsOddRows) {
  const cv::Mat img = Pattern(120, 90);
  const ByteVec png = InterlacedPng(img);
  const auto full = ProbeAndDecode(png);
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_EQ(cv::norm(full->bgr, img, cv::NORM_INF), 0);     // the hand-made file is right
  const auto reduced = ProbeAndDecode(png, {.min_long_side = 60});  // f = 2: one odd row per block
  ASSERT_TRUE(reduced.ok()) << reduced.status().ToString();
  ASSERT_EQ(reduced->bgr.size(), cv::Size(60, 45));
  cv::Mat odd_rows(45, 120, CV_8UC3);
  for (int y = 0; y < 45; ++y) img.row(2 * y + 1).copyTo(odd_rows.row(y));
  cv::Mat want;
  cv::resize(odd_rows, want, cv::Size(60, 45), 0, 0, cv::INTER_AREA);  // horizontal pairs
  EXPECT_LE(cv::norm(reduced->bgr, want, cv::NORM_INF), 1);
}

TEST(ReducedDecode, JpegWebpBmpTiffAreCloseToTheResizedFullImage) {
  const cv::Mat img = Pattern(640, 480);
  for (const char* ext : {".jpg", ".webp", ".bmp", ".tiff"}) {
    SCOPED_TRACE(ext);
    const ByteVec bytes = Encode(img, ext);
    const auto full = ProbeAndDecode(bytes);
    ASSERT_TRUE(full.ok()) << full.status().ToString();
    for (int side : {320, 213, 60}) {  // f = 2 (DCT only for JPEG), 3, 10 (DCT 8 + resize)
      const auto reduced = ProbeAndDecode(bytes, {.min_long_side = side});
      ASSERT_TRUE(reduced.ok()) << reduced.status().ToString();
      const int f = 640 / side;
      ASSERT_EQ(reduced->bgr.size(), cv::Size((640 + f - 1) / f, (480 + f - 1) / f)) << side;
      cv::Mat want;
      cv::resize(full->bgr, want, reduced->bgr.size(), 0, 0, cv::INTER_AREA);
      EXPECT_LT(MeanAbsDiff(reduced->bgr, want), 4.0) << side;
    }
  }
}

TEST(ReducedDecode, PixelBudgetBoundsEveryFormat) {
  const cv::Mat img = Pattern(400, 300);
  for (const char* ext : {".png", ".jpg", ".webp", ".bmp"}) {
    SCOPED_TRACE(ext);
    const auto reduced = ProbeAndDecode(Encode(img, ext), {.min_long_side = 0, .max_pixels = 10000});
    ASSERT_TRUE(reduced.ok()) << reduced.status().ToString();
    EXPECT_EQ(reduced->bgr.size(), cv::Size(100, 75));  // f = 4 (f = 3 would be 134 x 100)
  }
}

// The decompression bombs of issue 16, made small enough for a unit test: a 1-bit PNG that
// declares 12000 x 12000 (144 MP; stored deflate here, so 18 MB, where zlib makes it ~17 KB).
TEST(ReducedDecode, HugeOneBitPngStreamsWithinTheBudget) {
  const int side = 12000;
  ByteVec raw;
  const std::size_t row = 1 + (side + 7) / 8;
  raw.assign(row * side, 0);
  ByteVec png;
  Append(png, std::string_view("\x89PNG\r\n\x1a\n", 8));
  ByteVec ihdr;
  PutU32(ihdr, 0, side, true);
  PutU32(ihdr, 4, side, true);
  Append(ihdr, ByteVec{1, 0, 0, 0, 0});
  Append(png, PngChunk("IHDR", ihdr));
  Append(png, PngChunk("IDAT", testing::ZlibStored(raw)));
  Append(png, PngChunk("IEND", {}));
  const auto reduced = ProbeAndDecode(png, {.min_long_side = 0, .max_pixels = 1'000'000});
  ASSERT_TRUE(reduced.ok()) << reduced.status().ToString();
  EXPECT_EQ(reduced->bgr.size(), cv::Size(1000, 1000));  // f = 12
  EXPECT_EQ(cv::norm(reduced->bgr, cv::NORM_INF), 0);    // all black
}

// TIFF is read band by band through libtiff's RGBA interface when reduced: transparent pixels
// come out white, as in the full decode.
TEST(ReducedDecode, TiffWithAlphaIsCompositedOntoWhite) {
  cv::Mat bgra(120, 160, CV_8UC4, cv::Scalar(10, 20, 200, 255));
  bgra(cv::Rect(80, 0, 80, 120)).setTo(cv::Scalar(10, 20, 200, 0));  // right half transparent
  const ByteVec bytes = Encode(bgra, ".tiff");
  const auto full = ProbeAndDecode(bytes);
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  const auto reduced = ProbeAndDecode(bytes, {.min_long_side = 80});  // f = 2
  ASSERT_TRUE(reduced.ok()) << reduced.status().ToString();
  ASSERT_EQ(reduced->bgr.size(), cv::Size(80, 60));
  cv::Mat want;
  cv::resize(full->bgr, want, reduced->bgr.size(), 0, 0, cv::INTER_AREA);
  EXPECT_LE(cv::norm(reduced->bgr, want, cv::NORM_INF), 2);
  EXPECT_EQ(reduced->bgr.at<cv::Vec3b>(30, 70), cv::Vec3b(255, 255, 255));
  EXPECT_LE(cv::norm(cv::Vec3i(reduced->bgr.at<cv::Vec3b>(30, 10)) - cv::Vec3i(10, 20, 200)), 2);
}

// A TIFF bomb made small enough for a unit test: an uncompressed grey TIFF of 5000 x 5000 in
// 64-row strips (25 MB; with deflate it would be ~25 KB) under a 1 MP budget: read reduced,
// one band at a time.
TEST(ReducedDecode, LargeStripTiffStreamsWithinTheBudget) {
  const std::uint32_t side = 5000, rows = 64, strips = (side + rows - 1) / rows;
  const std::uint32_t entries = 9, ifd = 8, offsets_at = ifd + 2 + entries * 12 + 4;
  const std::uint32_t counts_at = offsets_at + 4 * strips, data_at = counts_at + 4 * strips;
  ByteVec t;
  Append(t, std::string_view("II*\0", 4));
  PutU32(t, 4, ifd, false);
  PutU16(t, ifd, entries, false);
  const std::uint32_t tags[entries][3] = {{256, 4, side}, {257, 4, side}, {258, 3, 8},
                                          {259, 3, 1},    {262, 3, 1},    {273, 4, offsets_at},
                                          {277, 3, 1},    {278, 4, rows}, {279, 4, counts_at}};
  for (std::uint32_t i = 0; i < entries; ++i) {
    const std::size_t e = ifd + 2 + 12 * i;
    PutU16(t, e, tags[i][0], false);
    PutU16(t, e + 2, tags[i][1], false);
    PutU32(t, e + 4, (tags[i][0] == 273 || tags[i][0] == 279) ? strips : 1, false);
    PutU32(t, e + 8, 0, false);
    if (tags[i][1] == 3) {
      PutU16(t, e + 8, tags[i][2], false);
    } else {
      PutU32(t, e + 8, tags[i][2], false);
    }
  }
  PutU32(t, ifd + 2 + 12 * entries, 0, false);
  for (std::uint32_t s = 0; s < strips; ++s) {
    PutU32(t, offsets_at + 4 * s, data_at + s * rows * side, false);
    PutU32(t, counts_at + 4 * s, std::min(rows, side - s * rows) * side, false);
  }
  t.resize(data_at + std::size_t{side} * side, 0);
  for (std::uint32_t x = 0; x < side; ++x) t[data_at + x] = 255;  // the first row white
  const auto reduced = ProbeAndDecode(t, {.min_long_side = 0, .max_pixels = 1'000'000});
  ASSERT_TRUE(reduced.ok()) << reduced.status().ToString();
  ASSERT_EQ(reduced->bgr.size(), cv::Size(1000, 1000));                  // f = 5
  EXPECT_EQ(reduced->bgr.at<cv::Vec3b>(0, 500), cv::Vec3b(51, 51, 51));  // 1 of 5 rows white
  EXPECT_EQ(cv::norm(reduced->bgr(cv::Rect(0, 1, 1000, 999)), cv::NORM_INF), 0);
}

}  // namespace
}  // namespace ocular
