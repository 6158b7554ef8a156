// ICO: entry selection (largest, PNG or DIB) and DIB decoding (32-bit alpha, 24-bit and palette
// entries with their AND mask), built in memory.
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
using testing::PutU16;
using testing::PutU32;
using testing::Span;

// A DIB entry: BITMAPINFOHEADER (height doubled), palette, XOR rows and AND mask, bottom-up.
// `alpha` (32-bit only) and `masked` (AND bit set) are per pixel; palette entries use index
// (x + y) % 2 of {blue, yellow}.
ByteVec Dib(const cv::Mat& bgra, int bpp, const cv::Mat& masked) {
  const int w = bgra.cols, h = bgra.rows;
  ByteVec d;
  PutU32(d, 0, 40, false);
  PutU32(d, 4, static_cast<std::uint32_t>(w), false);
  PutU32(d, 8, static_cast<std::uint32_t>(2 * h), false);
  PutU16(d, 12, 1, false);
  PutU16(d, 14, static_cast<unsigned>(bpp), false);
  testing::GrowTo(d, 40);
  if (bpp == 8) {
    Append(d, ByteVec{255, 0, 0, 0, 0, 255, 255, 0});  // blue, yellow (BGRx)
    PutU32(d, 32, 2, false);
  }
  const int stride = (w * bpp + 31) / 32 * 4;
  for (int y = h - 1; y >= 0; --y) {
    ByteVec row(static_cast<std::size_t>(stride), 0);
    for (int x = 0; x < w; ++x) {
      const cv::Vec4b px = bgra.at<cv::Vec4b>(y, x);
      if (bpp == 32) {
        for (int c = 0; c < 4; ++c) row[4 * x + c] = px[c];
      } else if (bpp == 24) {
        for (int c = 0; c < 3; ++c) row[3 * x + c] = px[c];
      } else {
        row[x] = static_cast<std::uint8_t>((x + y) % 2);
      }
    }
    Append(d, row);
  }
  const int mask_stride = (w + 31) / 32 * 4;
  for (int y = h - 1; y >= 0; --y) {
    ByteVec row(static_cast<std::size_t>(mask_stride), 0);
    for (int x = 0; x < w; ++x) {
      if (masked.at<std::uint8_t>(y, x)) row[x / 8] |= static_cast<std::uint8_t>(0x80 >> (x % 8));
    }
    Append(d, row);
  }
  return d;
}

struct Entry {
  int dir_w, dir_h, bpp;
  ByteVec data;
};

ByteVec Ico(const std::vector<Entry>& entries) {
  ByteVec ico;
  PutU16(ico, 0, 0, false);
  PutU16(ico, 2, 1, false);
  PutU16(ico, 4, static_cast<unsigned>(entries.size()), false);
  std::size_t offset = 6 + 16 * entries.size();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::size_t e = 6 + 16 * i;
    ico.resize(e + 16, 0);
    ico[e] = static_cast<std::uint8_t>(entries[i].dir_w);
    ico[e + 1] = static_cast<std::uint8_t>(entries[i].dir_h);
    PutU16(ico, e + 4, 1, false);
    PutU16(ico, e + 6, static_cast<unsigned>(entries[i].bpp), false);
    PutU32(ico, e + 8, static_cast<std::uint32_t>(entries[i].data.size()), false);
    PutU32(ico, e + 12, static_cast<std::uint32_t>(offset), false);
    offset += entries[i].data.size();
  }
  for (const Entry& entry : entries) Append(ico, entry.data);
  return ico;
}

cv::Mat HalfTransparent(int w, int h) {
  // Left half opaque pattern, right half fully transparent.
  cv::Mat bgr = Pattern(w, h), bgra;
  cv::cvtColor(bgr, bgra, cv::COLOR_BGR2BGRA);
  for (int y = 0; y < h; ++y) {
    for (int x = w / 2; x < w; ++x) bgra.at<cv::Vec4b>(y, x)[3] = 0;
  }
  return bgra;
}

TEST(IcoTest, LargestEntryPngWins) {
  const cv::Mat big = Pattern(64, 64);
  const cv::Mat small = HalfTransparent(48, 48);
  const ByteVec ico = Ico({{48, 48, 32, Dib(small, 32, cv::Mat::zeros(48, 48, CV_8U))},
                           {64, 64, 32, Encode(big, ".png")}});
  const auto d = ProbeAndDecode(ico);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->info.format, ImageFormat::kIco);
  EXPECT_EQ(d->bgr.cols, 64);
  EXPECT_EQ(d->bgr.rows, 64);
  EXPECT_EQ(cv::norm(d->bgr, big, cv::NORM_INF), 0);
}

TEST(IcoTest, PngEntrySizeComesFromItsHeader) {
  // Directory says 0x0 (= 256); the PNG header says 300x280.
  const ByteVec ico = Ico({{0, 0, 32, Encode(Pattern(300, 280), ".png")}});
  const auto info = ProbeImage(Span(ico));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->width, 300);
  EXPECT_EQ(info->height, 280);
  const auto ingested = IngestImage(Span(ico), ApiVersion::kV40);
  ASSERT_TRUE(ingested.ok()) << ingested.status().ToString();
  EXPECT_EQ(ingested->bgr.cols, 300);
}

// A PNG entry can declare any size: under a pixel budget it is decoded reduced while streaming,
// like a PNG file, and matches an area resize of the full decode.
TEST(IcoTest, LargePngEntryIsDecodedReduced) {
  const cv::Mat big = Pattern(600, 400);
  const ByteVec ico = Ico({{0, 0, 32, Encode(big, ".png")}});
  const auto d = ProbeAndDecode(ico, {.max_pixels = 60000});  // factor 2: 300 x 200
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->bgr.cols, 300);
  ASSERT_EQ(d->bgr.rows, 200);
  cv::Mat want;
  cv::resize(big, want, cv::Size(300, 200), 0, 0, cv::INTER_AREA);
  EXPECT_LE(cv::norm(d->bgr, want, cv::NORM_INF), 2);
}

// A bitmap entry is decoded whole: one declaring more than 40 MP is refused before decoding.
TEST(IcoTest, HugeBitmapEntryIsRefused) {
  ByteVec dib = Dib(HalfTransparent(8, 8), 32, cv::Mat::zeros(8, 8, CV_8U));
  PutU32(dib, 4, 7000, false);
  PutU32(dib, 8, 2 * 7000, false);
  const ByteVec ico = Ico({{0, 0, 32, dib}});
  const auto d = IngestImage(Span(ico), ApiVersion::kV40);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().inner_code(), "InvalidImageSize");
  EXPECT_NE(d.status().message().find("decoded whole"), std::string::npos) << d.status().message();
}

TEST(IcoTest, Bmp32WithAlpha) {
  const cv::Mat bgra = HalfTransparent(52, 54);
  const ByteVec ico = Ico({{52, 54, 32, Dib(bgra, 32, cv::Mat::zeros(54, 52, CV_8U))}});
  const auto d = ProbeAndDecode(ico);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->bgr.cols, 52);
  ASSERT_EQ(d->bgr.rows, 54);
  for (auto [y, x] : {std::pair{0, 0}, {53, 10}, {20, 25}}) {
    const cv::Vec4b px = bgra.at<cv::Vec4b>(y, x);
    EXPECT_EQ(d->bgr.at<cv::Vec3b>(y, x), cv::Vec3b(px[0], px[1], px[2])) << y << "," << x;
  }
  EXPECT_EQ(d->bgr.at<cv::Vec3b>(0, 51), cv::Vec3b(255, 255, 255));
  EXPECT_EQ(d->bgr.at<cv::Vec3b>(53, 30), cv::Vec3b(255, 255, 255));
}

TEST(IcoTest, Bmp24And8WithAndMask) {
  const int w = 40, h = 36;
  cv::Mat mask = cv::Mat::zeros(h, w, CV_8U);
  mask(cv::Rect(0, 0, 10, 10)).setTo(1);  // top-left corner transparent
  cv::Mat bgra;
  cv::cvtColor(Pattern(w, h), bgra, cv::COLOR_BGR2BGRA);
  for (int bpp : {24, 8}) {
    SCOPED_TRACE(bpp);
    const auto d = ProbeAndDecode(Ico({{w, h, bpp, Dib(bgra, bpp, mask)}}));
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(d->bgr.at<cv::Vec3b>(2, 2), cv::Vec3b(255, 255, 255));
    const cv::Vec3b want =
        bpp == 24 ? cv::Vec3b(bgra.at<cv::Vec4b>(20, 21)[0], bgra.at<cv::Vec4b>(20, 21)[1],
                              bgra.at<cv::Vec4b>(20, 21)[2])
                  : cv::Vec3b(0, 255, 255);  // index (21+20)%2 = 1: yellow
    EXPECT_EQ(d->bgr.at<cv::Vec3b>(20, 21), want);
  }
}

TEST(IcoTest, CorruptIcons) {
  const cv::Mat bgra = HalfTransparent(16, 16);
  ByteVec good = Ico({{16, 16, 32, Dib(bgra, 32, cv::Mat::zeros(16, 16, CV_8U))}});
  ASSERT_TRUE(ProbeAndDecode(good).ok());
  const auto expect_format_error = [](const ByteVec& bytes, const char* what) {
    const auto d = ProbeAndDecode(bytes);
    ASSERT_FALSE(d.ok()) << what;
    EXPECT_EQ(d.status().inner_code(), "InvalidImageFormat") << what;
  };
  ByteVec no_entries = good;
  PutU16(no_entries, 4, 0, false);
  expect_format_error(no_entries, "zero entries");
  ByteVec outside = good;
  PutU32(outside, 6 + 12, 1000000, false);
  expect_format_error(outside, "entry outside the file");
  ByteVec cut(good.begin(), good.begin() + 30);
  expect_format_error(cut, "cut directory");
  ByteVec huge = good;
  PutU32(huge, 22 + 4, 100000, false);  // DIB width 100000 with 16 rows of data
  expect_format_error(huge, "DIB larger than its data");
}

}  // namespace
}  // namespace ocular
