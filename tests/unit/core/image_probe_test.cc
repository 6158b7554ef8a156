// ProbeImage: format detection by magic bytes and header-only dimensions for every format.
#include <gtest/gtest.h>

#include "core/image.h"
#include "image_test_util.h"

namespace ocular {
namespace {

using testing::Append;
using testing::ByteVec;
using testing::Encode;
using testing::Pattern;
using testing::PutU16;
using testing::PutU32;
using testing::Span;

void ExpectFormatError(const ByteVec& bytes, const std::string& what) {
  const auto info = ProbeImage(Span(bytes));
  ASSERT_FALSE(info.ok()) << what;
  EXPECT_EQ(info.status().code(), StatusCode::kInvalidArgument) << what;
  EXPECT_EQ(info.status().inner_code(), "InvalidImageFormat") << what;
}

TEST(ProbeImageTest, EncodedFormats) {
  const cv::Mat img = Pattern(123, 77);
  struct Case {
    const char* ext;
    ImageFormat format;
  };
  for (const Case& c : {Case{".jpg", ImageFormat::kJpeg}, Case{".png", ImageFormat::kPng},
                        Case{".bmp", ImageFormat::kBmp}, Case{".webp", ImageFormat::kWebp},
                        Case{".tiff", ImageFormat::kTiff}}) {
    const auto info = ProbeImage(Span(Encode(img, c.ext)));
    ASSERT_TRUE(info.ok()) << c.ext << " " << info.status().ToString();
    EXPECT_EQ(info->format, c.format) << c.ext;
    EXPECT_EQ(info->width, 123) << c.ext;
    EXPECT_EQ(info->height, 77) << c.ext;
    EXPECT_EQ(info->orientation, 1);
    EXPECT_FALSE(info->animated);
  }
  // Lossless WebP (VP8L).
  const auto lossless = ProbeImage(Span(Encode(img, ".webp", {cv::IMWRITE_WEBP_QUALITY, 101})));
  ASSERT_TRUE(lossless.ok());
  EXPECT_EQ(lossless->width, 123);
  EXPECT_EQ(lossless->height, 77);
}

TEST(ProbeImageTest, SharedFiles) {
  struct Case {
    const char* file;
    ImageFormat format;
    int w, h;
    bool animated;
  };
  for (const Case& c : {Case{"portrait_astronaut.png", ImageFormat::kPng, 512, 512, false},
                        Case{"format_hopper.bmp", ImageFormat::kBmp, 128, 128, false},
                        Case{"format_hopper.gif", ImageFormat::kGif, 128, 128, false},
                        Case{"format_hopper.tif", ImageFormat::kTiff, 128, 128, false},
                        Case{"clipart_toucan_alpha.png", ImageFormat::kPng, 162, 150, false},
                        Case{"format_bmp_testpattern.bmp", ImageFormat::kBmp, 127, 64, false},
                        Case{"logo_mcdonalds_sign.jpg", ImageFormat::kJpeg, 5624, 3749, false},
                        Case{"logo_mcdonalds_fries.jpg", ImageFormat::kJpeg, 4258, 3139, false}}) {
    const auto info = ProbeImage(Span(testing::ReadTestImage(c.file)));
    ASSERT_TRUE(info.ok()) << c.file << " " << info.status().ToString();
    EXPECT_EQ(info->format, c.format) << c.file;
    EXPECT_EQ(info->width, c.w) << c.file;
    EXPECT_EQ(info->height, c.h) << c.file;
    EXPECT_EQ(info->animated, c.animated) << c.file;
  }
  const auto gif = ProbeImage(Span(testing::ReadTestImage("cartoon_animated.gif")));
  ASSERT_TRUE(gif.ok());
  EXPECT_TRUE(gif->animated);
  for (const char* webp : {"format_flower.webp", "format_dice_alpha.webp"}) {
    const auto info = ProbeImage(Span(testing::ReadTestImage(webp)));
    ASSERT_TRUE(info.ok()) << webp;
    EXPECT_EQ(info->format, ImageFormat::kWebp);
    EXPECT_FALSE(info->animated);
  }
}

TEST(ProbeImageTest, ExifOrientationSwapsSides) {
  const ByteVec jpg = testing::ReadTestImage("format_exif_orientation6.jpg");
  const auto info = ProbeImage(Span(jpg));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->orientation, 6);
  // The stored (SOF) sides, as decoded without orientation.
  const cv::Mat stored =
      cv::imdecode(cv::Mat(jpg), cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
  ASSERT_FALSE(stored.empty());
  // (This file is square; JpegWithOrientation in image_decode_test.cc covers non-square ones.)
  EXPECT_EQ(info->width, stored.rows);
  EXPECT_EQ(info->height, stored.cols);
}

TEST(ProbeImageTest, PngHeaderOnly) {
  const ByteVec header = testing::PngHeader(60000, 60000);
  const auto info = ProbeImage(Span(header));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->width, 60000);
  EXPECT_EQ(info->height, 60000);
  // Dimensions beyond int range are corrupt, not huge.
  ExpectFormatError(testing::PngHeader(0x80000000u, 10), "PNG width 2^31");
  ExpectFormatError(testing::PngHeader(0, 10), "PNG width 0");
}

// A minimal TIFF header with one IFD: ImageWidth and ImageLength with the given types.
ByteVec TiffHeader(bool big_endian, int width_type, std::uint32_t w, int height_type,
                   std::uint32_t h) {
  ByteVec t;
  Append(t, big_endian ? std::string_view("MM\0*", 4) : std::string_view("II*\0", 4));
  PutU32(t, 4, 8, big_endian);
  PutU16(t, 8, 2, big_endian);
  const auto entry = [&](std::size_t at, unsigned tag, int type, std::uint32_t v) {
    PutU16(t, at, tag, big_endian);
    PutU16(t, at + 2, static_cast<unsigned>(type), big_endian);
    PutU32(t, at + 4, 1, big_endian);
    PutU32(t, at + 8, 0, big_endian);
    if (type == 3) {
      PutU16(t, at + 8, v, big_endian);
    } else {
      PutU32(t, at + 8, v, big_endian);
    }
  };
  entry(10, 256, width_type, w);
  entry(22, 257, height_type, h);
  PutU32(t, 34, 0, big_endian);
  return t;
}

TEST(ProbeImageTest, TiffBothEndiannessesShortAndLong) {
  for (bool be : {false, true}) {
    for (int wt : {3, 4}) {
      for (int ht : {3, 4}) {
        const auto info = ProbeImage(Span(TiffHeader(be, wt, 640, ht, 480)));
        ASSERT_TRUE(info.ok()) << be << wt << ht << info.status().ToString();
        EXPECT_EQ(info->format, ImageFormat::kTiff);
        EXPECT_EQ(info->width, 640);
        EXPECT_EQ(info->height, 480);
      }
    }
  }
  const auto big = ProbeImage(Span(TiffHeader(true, 4, 70000, 4, 3)));
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->width, 70000);
  // IFD offset outside the file, and a truncated IFD.
  ByteVec bad = TiffHeader(false, 3, 10, 3, 10);
  PutU32(bad, 4, 100000, false);
  ExpectFormatError(bad, "TIFF IFD out of range");
  ByteVec cut = TiffHeader(false, 3, 10, 3, 10);
  cut.resize(24);
  ExpectFormatError(cut, "TIFF truncated IFD");
}

TEST(ProbeImageTest, BmpNegativeHeightIsTopDown) {
  ByteVec bmp = Encode(Pattern(90, 70), ".bmp");
  PutU32(bmp, 22, static_cast<std::uint32_t>(-70), false);
  const auto info = ProbeImage(Span(bmp));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->width, 90);
  EXPECT_EQ(info->height, 70);
  PutU32(bmp, 22, 0x80000000u, false);
  ExpectFormatError(bmp, "BMP INT_MIN height");
}

TEST(ProbeImageTest, GifHeaderAndAnimation) {
  ByteVec gif;
  Append(gif, "GIF89a");
  PutU16(gif, 6, 300, false);
  PutU16(gif, 8, 200, false);
  gif.push_back(0);  // no global colour table
  gif.push_back(0);
  gif.push_back(0);
  const auto info = ProbeImage(Span(gif));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->format, ImageFormat::kGif);
  EXPECT_EQ(info->width, 300);
  EXPECT_EQ(info->height, 200);
  EXPECT_FALSE(info->animated);
}

TEST(ProbeImageTest, WrongMagicAndTruncatedHeaders) {
  ExpectFormatError({}, "empty");
  ExpectFormatError({'n', 'o', 't', ' ', 'a', 'n', ' ', 'i', 'm', 'a', 'g', 'e'}, "text");
  ExpectFormatError({0x00, 0x00, 0x00, 0x0c, 'j', 'P', ' ', ' '}, "JPEG 2000");
  const std::pair<const char*, std::size_t> cuts[] = {
      {"portrait_astronaut.png", 20}, {"format_hopper.bmp", 20},
      {"format_hopper.gif", 8},       {"format_flower.webp", 20},
      {"format_hopper.tif", 6},       {"format_dice_alpha.webp", 25},
      {"portrait_obama.jpg", 100},    {"format_exif_orientation6.jpg", 4}};
  for (const auto& [file, keep] : cuts) {
    ByteVec bytes = testing::ReadTestImage(file);
    bytes.resize(keep);
    ExpectFormatError(bytes, std::string(file) + " cut");
  }
  // A JPEG whose segment length runs past the end, and one with no frame header.
  ExpectFormatError({0xff, 0xd8, 0xff, 0xe0, 0x40, 0x00, 'J', 'F'}, "JPEG segment overrun");
  ExpectFormatError({0xff, 0xd8, 0xff, 0xd9}, "JPEG without SOF");
}

}  // namespace
}  // namespace ocular
