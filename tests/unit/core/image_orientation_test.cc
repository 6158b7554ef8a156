// TIFF's Orientation tag and a WebP EXIF chunk are applied as JPEG's EXIF orientation is: the
// same pattern stored with orientation o decodes to the same upright image in all three formats.
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

// A TIFF block (little-endian) whose IFD0 holds only Orientation, as EXIF carries it.
ByteVec ExifTiff(int orientation) {
  ByteVec tiff;
  Append(tiff, std::string_view("II*\0", 4));
  PutU32(tiff, 4, 8, false);
  PutU16(tiff, 8, 1, false);
  PutU16(tiff, 10, 0x0112, false);
  PutU16(tiff, 12, 3, false);
  PutU32(tiff, 14, 1, false);
  PutU32(tiff, 18, 0, false);
  PutU16(tiff, 18, static_cast<unsigned>(orientation), false);
  PutU32(tiff, 22, 0, false);
  return tiff;
}

ByteVec JpegWithOrientation(const cv::Mat& img, int orientation) {
  const ByteVec jpg = Encode(img, ".jpg", {cv::IMWRITE_JPEG_QUALITY, 100});
  const ByteVec tiff = ExifTiff(orientation);
  ByteVec app1 = {0xff, 0xe1};
  PutU16(app1, 2, static_cast<unsigned>(2 + 6 + tiff.size()), true);
  Append(app1, std::string_view("Exif\0\0", 6));
  Append(app1, tiff);
  ByteVec out(jpg.begin(), jpg.begin() + 2);
  Append(out, app1);
  out.insert(out.end(), jpg.begin() + 2, jpg.end());
  return out;
}

// An uncompressed RGB TIFF (8 or 16 bits a sample) with an Orientation tag.
ByteVec TiffWithOrientation(const cv::Mat& bgr, int orientation, int bits) {
  const int w = bgr.cols, h = bgr.rows, bytes = bits / 8;
  struct Entry {
    unsigned tag, type, value;
  };
  const unsigned ifd_size = 2 + 10 * 12 + 4, bits_at = 8 + ifd_size, pixels_at = bits_at + 6;
  const Entry entries[10] = {{256, 4, unsigned(w)},
                             {257, 4, unsigned(h)},
                             {258, 3, bits_at},
                             {259, 3, 1},
                             {262, 3, 2},
                             {273, 4, pixels_at},
                             {274, 3, unsigned(orientation)},
                             {277, 3, 3},
                             {278, 4, unsigned(h)},
                             {279, 4, unsigned(w * h * 3 * bytes)}};
  ByteVec t;
  Append(t, std::string_view("II*\0", 4));
  PutU32(t, 4, 8, false);
  PutU16(t, 8, 10, false);
  for (int i = 0; i < 10; ++i) {
    const std::size_t e = 10 + 12 * i;
    PutU16(t, e, entries[i].tag, false);
    PutU16(t, e + 2, entries[i].type, false);
    PutU32(t, e + 4, entries[i].tag == 258 ? 3 : 1, false);
    if (entries[i].type == 3 && entries[i].tag != 258) {
      PutU16(t, e + 8, entries[i].value, false);
      PutU16(t, e + 10, 0, false);
    } else {
      PutU32(t, e + 8, entries[i].value, false);
    }
  }
  PutU32(t, t.size(), 0, false);  // no next IFD
  for (int i = 0; i < 3; ++i) PutU16(t, t.size(), static_cast<unsigned>(bits), false);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const cv::Vec3b v = bgr.at<cv::Vec3b>(y, x);
      for (int c : {2, 1, 0}) {
        if (bytes == 2)
          PutU16(t, t.size(), v[c] * 257u, false);
        else
          t.push_back(v[c]);
      }
    }
  }
  return t;
}

// A lossless WebP turned into the extended format (VP8X) with an EXIF chunk after the image.
ByteVec WebpWithOrientation(const cv::Mat& img, int orientation, bool exif_prefix) {
  const ByteVec simple = Encode(img, ".webp", {cv::IMWRITE_WEBP_QUALITY, 101});
  const ByteVec image_chunk(simple.begin() + 12, simple.end());  // "VP8L" chunk as written
  ByteVec vp8x;
  Append(vp8x, "VP8X");
  PutU32(vp8x, 4, 10, false);
  Append(vp8x, ByteVec{0x08, 0, 0, 0});  // flags: EXIF
  for (int side : {img.cols, img.rows}) {
    const unsigned v = static_cast<unsigned>(side - 1);
    Append(vp8x, ByteVec{std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16)});
  }
  ByteVec exif_payload;
  if (exif_prefix) Append(exif_payload, std::string_view("Exif\0\0", 6));
  Append(exif_payload, ExifTiff(orientation));
  ByteVec exif;
  Append(exif, "EXIF");
  PutU32(exif, 4, static_cast<std::uint32_t>(exif_payload.size()), false);
  Append(exif, exif_payload);
  if (exif_payload.size() % 2) exif.push_back(0);
  ByteVec body;
  Append(body, "WEBP");
  Append(body, vp8x);
  Append(body, image_chunk);
  Append(body, exif);
  ByteVec riff;
  Append(riff, "RIFF");
  PutU32(riff, 4, static_cast<std::uint32_t>(body.size()), false);
  Append(riff, body);
  return riff;
}

double MeanDiff(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size()) return 1e9;
  cv::Mat d;
  cv::absdiff(a, b, d);
  const cv::Scalar m = cv::mean(d);
  return (m[0] + m[1] + m[2]) / 3;
}

TEST(ImageOrientation, TiffAndWebpMatchJpeg) {
  const cv::Mat img = Pattern(96, 64);
  for (int o = 1; o <= 8; ++o) {
    SCOPED_TRACE("orientation " + std::to_string(o));
    const auto jpeg = ProbeAndDecode(JpegWithOrientation(img, o));
    ASSERT_TRUE(jpeg.ok());
    ASSERT_EQ(jpeg->info.orientation, o);
    const std::pair<const char*, ByteVec> others[] = {
        {"tiff8", TiffWithOrientation(img, o, 8)},
        {"tiff16", TiffWithOrientation(img, o, 16)},
        {"webp", WebpWithOrientation(img, o, false)},
        {"webp Exif prefix", WebpWithOrientation(img, o, true)}};
    for (const auto& [name, bytes] : others) {
      SCOPED_TRACE(name);
      const auto decoded = ProbeAndDecode(bytes);
      ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
      EXPECT_EQ(decoded->info.orientation, o);
      EXPECT_EQ(decoded->info.width, o >= 5 ? 64 : 96);
      EXPECT_LT(MeanDiff(decoded->bgr, jpeg->bgr), 3.0);  // JPEG quality 100 vs lossless
      // Reduced decodes are upright too (the scaled WebP path orients after scaling).
      const auto reduced = ProbeAndDecode(bytes, {.min_long_side = 48});
      ASSERT_TRUE(reduced.ok()) << reduced.status().ToString();
      EXPECT_EQ(reduced->bgr.cols, o >= 5 ? 32 : 48);
      cv::Mat want;
      cv::resize(decoded->bgr, want, reduced->bgr.size(), 0, 0, cv::INTER_AREA);
      EXPECT_LT(MeanDiff(reduced->bgr, want), 3.0);
    }
  }
}

}  // namespace
}  // namespace ocular
