// DecodeImage on every shared test image and on generated images of each format and pixel type.
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

double MaxAbsDiff(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size() || a.type() != b.type()) return 1e9;
  return cv::norm(a, b, cv::NORM_INF);
}

TEST(DecodeImageTest, EverySharedImage) {
  const auto manifest = testing::ReadManifest();
  ASSERT_GE(manifest.size(), 50u);
  int declared = 0;
  for (const auto& entry : manifest) {
    SCOPED_TRACE(entry.file);
    const ByteVec bytes = testing::ReadTestImage(entry.file);
    const auto info = ProbeImage(Span(bytes));
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    const auto decoded = DecodeImage(Span(bytes), *info);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(decoded->bgr.type(), CV_8UC3);
    EXPECT_EQ(decoded->bgr.cols, info->width);
    EXPECT_EQ(decoded->bgr.rows, info->height);
    EXPECT_EQ(decoded->scale(), 1.0);
    EXPECT_EQ(decoded->info.width, info->width);
    int w = 0, h = 0;
    if (testing::DeclaredSize(entry.line, &w, &h)) {
      ++declared;
      EXPECT_EQ(info->width, w);
      EXPECT_EQ(info->height, h);
    }
    if (info->format != ImageFormat::kGif) {
      // OpenCV's own reading (EXIF applied) agrees on the displayed size.
      const cv::Mat reference = cv::imdecode(cv::Mat(bytes), cv::IMREAD_COLOR);
      ASSERT_FALSE(reference.empty());
      EXPECT_EQ(reference.cols, info->width);
      EXPECT_EQ(reference.rows, info->height);
    }
    // Every test image passes the 4.0 limits; IngestImage gives the same pixels.
    const auto ingested = IngestImage(Span(bytes), ApiVersion::kV40);
    ASSERT_TRUE(ingested.ok()) << ingested.status().ToString();
    EXPECT_EQ(MaxAbsDiff(ingested->bgr, decoded->bgr), 0);
  }
  EXPECT_GE(declared, 7) << "the manifest declares sizes such as 512x512";
}

TEST(DecodeImageTest, ExifOrientation6File) {
  const ByteVec jpg = testing::ReadTestImage("format_exif_orientation6.jpg");
  const auto decoded = ProbeAndDecode(jpg);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  const cv::Mat stored =
      cv::imdecode(cv::Mat(jpg), cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
  EXPECT_EQ(decoded->bgr.cols, stored.rows);
  EXPECT_EQ(decoded->bgr.rows, stored.cols);
  cv::Mat rotated;
  cv::rotate(stored, rotated, cv::ROTATE_90_CLOCKWISE);
  EXPECT_EQ(MaxAbsDiff(decoded->bgr, rotated), 0);
  EXPECT_EQ(MaxAbsDiff(decoded->bgr, cv::imdecode(cv::Mat(jpg), cv::IMREAD_COLOR)), 0);
}

// A JPEG with an EXIF APP1 (IFD0 holding only Orientation) inserted after SOI.
ByteVec JpegWithOrientation(const cv::Mat& img, int orientation, bool big_endian) {
  const ByteVec jpg = Encode(img, ".jpg", {cv::IMWRITE_JPEG_QUALITY, 95});
  ByteVec tiff;
  Append(tiff, big_endian ? std::string_view("MM\0*", 4) : std::string_view("II*\0", 4));
  PutU32(tiff, 4, 8, big_endian);
  PutU16(tiff, 8, 1, big_endian);
  PutU16(tiff, 10, 0x0112, big_endian);
  PutU16(tiff, 12, 3, big_endian);
  PutU32(tiff, 14, 1, big_endian);
  PutU32(tiff, 18, 0, big_endian);
  PutU16(tiff, 18, static_cast<unsigned>(orientation), big_endian);
  PutU32(tiff, 22, 0, big_endian);
  ByteVec app1 = {0xff, 0xe1};
  PutU16(app1, 2, static_cast<unsigned>(2 + 6 + tiff.size()), true);
  Append(app1, std::string_view("Exif\0\0", 6));
  Append(app1, tiff);
  ByteVec out(jpg.begin(), jpg.begin() + 2);
  Append(out, app1);
  out.insert(out.end(), jpg.begin() + 2, jpg.end());
  return out;
}

TEST(DecodeImageTest, AllEightOrientationsMatchOpenCv) {
  const cv::Mat img = Pattern(96, 64);
  for (int o = 1; o <= 8; ++o) {
    for (bool be : {false, true}) {
      SCOPED_TRACE("orientation " + std::to_string(o) + (be ? " MM" : " II"));
      const ByteVec jpg = JpegWithOrientation(img, o, be);
      const auto info = ProbeImage(Span(jpg));
      ASSERT_TRUE(info.ok()) << info.status().ToString();
      EXPECT_EQ(info->orientation, o);
      EXPECT_EQ(info->width, o >= 5 ? 64 : 96);
      EXPECT_EQ(info->height, o >= 5 ? 96 : 64);
      const auto decoded = DecodeImage(Span(jpg), *info);
      ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
      EXPECT_EQ(MaxAbsDiff(decoded->bgr, cv::imdecode(cv::Mat(jpg), cv::IMREAD_COLOR)), 0);
      // Reduced decodes are upright too.
      const auto reduced = DecodeImage(Span(jpg), *info, DecodeOptions{40});
      ASSERT_TRUE(reduced.ok());
      EXPECT_EQ(reduced->scale(), 0.5);
      EXPECT_EQ(MaxAbsDiff(reduced->bgr, cv::imdecode(cv::Mat(jpg), cv::IMREAD_REDUCED_COLOR_2)),
                0);
    }
  }
}

TEST(DecodeImageTest, ProgressiveRestartAndTrailingBytes) {
  const cv::Mat img = Pattern(120, 90);
  for (const std::vector<int>& params :
       {std::vector<int>{cv::IMWRITE_JPEG_PROGRESSIVE, 1},
        std::vector<int>{cv::IMWRITE_JPEG_RST_INTERVAL, 2},
        std::vector<int>{cv::IMWRITE_JPEG_PROGRESSIVE, 1, cv::IMWRITE_JPEG_RST_INTERVAL, 1}}) {
    const ByteVec jpg = Encode(img, ".jpg", params);
    const auto d = ProbeAndDecode(jpg);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(MaxAbsDiff(d->bgr, cv::imdecode(cv::Mat(jpg), cv::IMREAD_COLOR)), 0);
    // Bytes after EOI are ignored; a cut anywhere in the scans is not.
    ByteVec trailing = jpg;
    Append(trailing, ByteVec(100, 0));
    EXPECT_TRUE(ProbeAndDecode(trailing).ok());
    for (std::size_t keep : {jpg.size() * 3 / 4, jpg.size() - 3}) {
      const auto cut = ProbeAndDecode(ByteVec(jpg.begin(), jpg.begin() + keep));
      ASSERT_FALSE(cut.ok()) << keep;
      EXPECT_EQ(cut.status().inner_code(), "InvalidImageFormat");
    }
  }
}

TEST(DecodeImageTest, ExifAfterFrameHeaderCounts) {
  const ByteVec with_exif = JpegWithOrientation(Pattern(96, 64), 6, false);
  // Move the APP1 segment (right after SOI) behind the SOF0 segment.
  const std::size_t app1_len = (with_exif[4] << 8 | with_exif[5]) + 2;
  ByteVec plain(with_exif.begin(), with_exif.begin() + 2);
  plain.insert(plain.end(), with_exif.begin() + 2 + app1_len, with_exif.end());
  std::size_t sof = 2;
  while (!(plain[sof] == 0xff && plain[sof + 1] == 0xc0))
    sof += 2 + (plain[sof + 2] << 8 | plain[sof + 3]);
  const std::size_t after_sof = sof + 2 + (plain[sof + 2] << 8 | plain[sof + 3]);
  ByteVec moved(plain.begin(), plain.begin() + after_sof);
  moved.insert(moved.end(), with_exif.begin() + 2, with_exif.begin() + 2 + app1_len);
  moved.insert(moved.end(), plain.begin() + after_sof, plain.end());
  const auto decoded = ProbeAndDecode(moved);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->info.orientation, 6);
  EXPECT_EQ(decoded->bgr.cols, 64);
  EXPECT_EQ(MaxAbsDiff(decoded->bgr, cv::imdecode(cv::Mat(moved), cv::IMREAD_COLOR)), 0);
}

TEST(DecodeImageTest, ReducedJpegDecode) {
  const ByteVec jpg = testing::ReadTestImage("logo_mcdonalds_sign.jpg");
  const auto info = ProbeImage(Span(jpg));
  ASSERT_TRUE(info.ok());
  // f = 5624 / 1000 = 5: DCT 1/4, then an area resize to ceil(5624 / 5) x ceil(3749 / 5).
  const auto fifth = DecodeImage(Span(jpg), *info, DecodeOptions{1000});
  ASSERT_TRUE(fifth.ok()) << fifth.status().ToString();
  EXPECT_EQ(fifth->bgr.cols, 1125);
  EXPECT_EQ(fifth->bgr.rows, 750);
  EXPECT_EQ(fifth->info.width, 5624);
  EXPECT_EQ(fifth->info.height, 3749);
  EXPECT_DOUBLE_EQ(fifth->scale(), 1125.0 / 5624);
  const auto eighth = DecodeImage(Span(jpg), *info, DecodeOptions{703});
  ASSERT_TRUE(eighth.ok());
  EXPECT_EQ(eighth->bgr.cols, 703);
  EXPECT_EQ(eighth->bgr.rows, 469);  // ceil(3749 / 8)
  EXPECT_EQ(MaxAbsDiff(eighth->bgr, cv::imdecode(cv::Mat(jpg), cv::IMREAD_REDUCED_COLOR_8)), 0);
  const auto half = DecodeImage(Span(jpg), *info, DecodeOptions{2000});
  ASSERT_TRUE(half.ok());
  EXPECT_EQ(half->bgr.cols, 2812);
  // Other formats are reduced too (image_reduce_test.cc checks the pixels).
  const ByteVec png = testing::ReadTestImage("portrait_astronaut.png");
  const auto png_decoded = ProbeAndDecode(png, DecodeOptions{60});
  ASSERT_TRUE(png_decoded.ok());
  const int f = std::max(png_decoded->info.width, png_decoded->info.height) / 60;
  EXPECT_EQ(png_decoded->bgr.cols, (png_decoded->info.width + f - 1) / f);
}

bool IsWhite(const cv::Vec3b& px) { return px == cv::Vec3b(255, 255, 255); }

TEST(DecodeImageTest, AlphaCompositedOntoWhite) {
  for (const char* file : {"clipart_toucan_alpha.png", "format_dice_alpha.webp"}) {
    SCOPED_TRACE(file);
    const ByteVec bytes = testing::ReadTestImage(file);
    const cv::Mat raw = cv::imdecode(cv::Mat(bytes), cv::IMREAD_UNCHANGED);
    ASSERT_EQ(raw.channels(), 4);
    ASSERT_EQ(raw.at<cv::Vec4b>(0, 0)[3], 0) << "the corner must be transparent in the file";
    const auto decoded = ProbeAndDecode(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    const cv::Mat& bgr = decoded->bgr;
    for (auto [y, x] : {std::pair{0, 0}, {0, bgr.cols - 1}, {bgr.rows - 1, 0}}) {
      if (raw.at<cv::Vec4b>(y, x)[3] == 0) {
        EXPECT_TRUE(IsWhite(bgr.at<cv::Vec3b>(y, x))) << y << "," << x;
      }
    }
    // Opaque pixels keep their colour.
    int checked = 0;
    for (int y = 0; y < raw.rows && checked < 50; y += 3) {
      for (int x = 0; x < raw.cols && checked < 50; x += 3) {
        const cv::Vec4b px = raw.at<cv::Vec4b>(y, x);
        if (px[3] != 255) continue;
        EXPECT_EQ(bgr.at<cv::Vec3b>(y, x), cv::Vec3b(px[0], px[1], px[2]));
        ++checked;
      }
    }
    EXPECT_GT(checked, 0);
  }
}

TEST(DecodeImageTest, Gifs) {
  const ByteVec animated = testing::ReadTestImage("cartoon_animated.gif");
  const auto a = ProbeAndDecode(animated);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_TRUE(a->info.animated);
  cv::Scalar mean, stddev;
  cv::meanStdDev(a->bgr, mean, stddev);
  EXPECT_GT(stddev[0] + stddev[1] + stddev[2], 10.0) << "the first frame has content";

  const auto hopper = ProbeAndDecode(testing::ReadTestImage("format_hopper.gif"));
  ASSERT_TRUE(hopper.ok());
  EXPECT_FALSE(hopper->info.animated);
  EXPECT_EQ(hopper->bgr.cols, 128);
  EXPECT_EQ(hopper->bgr.rows, 128);
  // The GIF and BMP of the same portrait agree closely (palette quantisation aside).
  const auto bmp = ProbeAndDecode(testing::ReadTestImage("format_hopper.bmp"));
  ASSERT_TRUE(bmp.ok());
  const double mean_abs_diff = cv::norm(hopper->bgr, bmp->bgr, cv::NORM_L1) / (128.0 * 128 * 3);
  EXPECT_LT(mean_abs_diff, 8.0);  // measured 4.0; a wrong palette or row order gives > 40
  RecordProperty("hopper_gif_vs_bmp_mean_abs_diff", std::to_string(mean_abs_diff));

  const auto bars = ProbeAndDecode(testing::ReadTestImage("format_colorbars.gif"));
  ASSERT_TRUE(bars.ok());
  cv::Mat red;
  cv::inRange(bars->bgr, cv::Scalar(0, 0, 200), cv::Scalar(60, 60, 255), red);
  EXPECT_GT(cv::countNonZero(red), bars->bgr.total() / 50);
}

TEST(DecodeImageTest, GeneratedPngVariants) {
  // 16-bit colour -> 8 bits.
  cv::Mat deep(60, 70, CV_16UC3, cv::Scalar(257 * 10, 257 * 128, 65535));
  auto d = ProbeAndDecode(Encode(deep, ".png"));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->bgr.at<cv::Vec3b>(5, 5), cv::Vec3b(10, 128, 255));
  // Greyscale -> 3 equal channels.
  cv::Mat grey(60, 70, CV_8UC1, cv::Scalar(77));
  auto g = ProbeAndDecode(Encode(grey, ".png"));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->bgr.at<cv::Vec3b>(3, 3), cv::Vec3b(77, 77, 77));
  // 16-bit greyscale.
  cv::Mat grey16(60, 70, CV_16UC1, cv::Scalar(257 * 200));
  auto g16 = ProbeAndDecode(Encode(grey16, ".png"));
  ASSERT_TRUE(g16.ok());
  EXPECT_EQ(g16->bgr.at<cv::Vec3b>(3, 3), cv::Vec3b(200, 200, 200));
  // RGBA with half transparency.
  cv::Mat rgba(60, 70, CV_8UC4, cv::Scalar(0, 0, 255, 128));
  auto a = ProbeAndDecode(Encode(rgba, ".png"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->bgr.at<cv::Vec3b>(0, 0), cv::Vec3b(127, 127, 255));
}

TEST(DecodeImageTest, PalettePngWithTransparency) {
  const int w = 6, h = 4;
  ByteVec png = testing::PngHeader(w, h, /*color_type=*/3, /*bit_depth=*/8);
  Append(png, testing::PngChunk("PLTE", {255, 0, 0, 0, 255, 0, 0, 0, 255}));
  Append(png, testing::PngChunk("tRNS", {255, 0, 128}));
  ByteVec raw;
  for (int y = 0; y < h; ++y) {
    raw.push_back(0);  // filter: none
    for (int x = 0; x < w; ++x) raw.push_back(static_cast<std::uint8_t>((x + y) % 3));
  }
  Append(png, testing::PngChunk("IDAT", testing::ZlibStored(raw)));
  Append(png, testing::PngChunk("IEND", {}));
  const auto decoded = ProbeAndDecode(png);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->bgr.at<cv::Vec3b>(0, 0), cv::Vec3b(0, 0, 255));      // opaque red
  EXPECT_EQ(decoded->bgr.at<cv::Vec3b>(0, 1), cv::Vec3b(255, 255, 255));  // transparent
  const cv::Vec3b half = decoded->bgr.at<cv::Vec3b>(0, 2);                // blue at alpha 128
  EXPECT_NEAR(half[0], 255, 1);
  EXPECT_NEAR(half[1], 127, 1);
  EXPECT_NEAR(half[2], 127, 1);
}

TEST(DecodeImageTest, GeneratedOtherFormats) {
  const cv::Mat img = Pattern(90, 70);
  // Lossless round trips are exact.
  for (auto [ext, params] : {std::pair<const char*, std::vector<int>>{".bmp", {}},
                             {".tiff", {}},
                             {".webp", {cv::IMWRITE_WEBP_QUALITY, 101}}}) {
    const auto d = ProbeAndDecode(Encode(img, ext, params));
    ASSERT_TRUE(d.ok()) << ext << " " << d.status().ToString();
    EXPECT_EQ(MaxAbsDiff(d->bgr, img), 0) << ext;
  }
  const auto lossy = ProbeAndDecode(Encode(img, ".webp", {cv::IMWRITE_WEBP_QUALITY, 90}));
  ASSERT_TRUE(lossy.ok());
  EXPECT_EQ(lossy->bgr.size(), img.size());
  // 16-bit and RGBA TIFFs.
  cv::Mat deep(60, 70, CV_16UC3, cv::Scalar(257 * 3, 257 * 30, 257 * 250));
  const auto t16 = ProbeAndDecode(Encode(deep, ".tiff"));
  ASSERT_TRUE(t16.ok()) << t16.status().ToString();
  EXPECT_EQ(t16->bgr.at<cv::Vec3b>(1, 1), cv::Vec3b(3, 30, 250));
  cv::Mat rgba(60, 70, CV_8UC4, cv::Scalar(10, 20, 30, 0));
  const auto t4 = ProbeAndDecode(Encode(rgba, ".tiff"));
  ASSERT_TRUE(t4.ok()) << t4.status().ToString();
  EXPECT_TRUE(IsWhite(t4->bgr.at<cv::Vec3b>(1, 1)));
}

TEST(DecodeImageTest, BigEndianUncompressedTiff) {
  const bool be = true;
  const int w = 60, h = 55;
  ByteVec t;
  Append(t, std::string_view("MM\0*", 4));
  PutU32(t, 4, 8, be);
  const std::pair<unsigned, std::uint32_t> tags[] = {
      {256, w}, {257, h}, {258, 8}, {259, 1}, {262, 1}, {273, 0}, {277, 1}, {278, h}, {279, w * h}};
  const std::size_t n = std::size(tags);
  const std::size_t data_at = 8 + 2 + 12 * n + 4;
  PutU16(t, 8, static_cast<unsigned>(n), be);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t e = 10 + 12 * i;
    const auto [tag, value] = tags[i];
    const bool as_short = tag != 273 && tag != 279;
    PutU16(t, e, tag, be);
    PutU16(t, e + 2, as_short ? 3 : 4, be);
    PutU32(t, e + 4, 1, be);
    PutU32(t, e + 8, 0, be);
    if (as_short) {
      PutU16(t, e + 8, value, be);
    } else {
      PutU32(t, e + 8, tag == 273 ? static_cast<std::uint32_t>(data_at) : value, be);
    }
  }
  PutU32(t, 10 + 12 * n, 0, be);
  for (int i = 0; i < w * h; ++i) t.push_back(static_cast<std::uint8_t>(i % 251));
  const auto d = ProbeAndDecode(t);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->info.format, ImageFormat::kTiff);
  EXPECT_EQ(d->bgr.cols, w);
  EXPECT_EQ(d->bgr.rows, h);
  EXPECT_EQ(d->bgr.at<cv::Vec3b>(0, 7), cv::Vec3b(7, 7, 7));
}

void ExpectDecodeError(const ByteVec& bytes, const std::string& inner, const std::string& what) {
  const auto info = ProbeImage(Span(bytes));
  if (!info.ok()) {
    EXPECT_EQ(info.status().inner_code(), inner) << what;
    return;
  }
  const auto decoded = DecodeImage(Span(bytes), *info);
  ASSERT_FALSE(decoded.ok()) << what << " decoded " << decoded->bgr.cols;
  EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument) << what;
  EXPECT_EQ(decoded.status().inner_code(), inner) << what;
}

TEST(DecodeImageTest, TruncatedFilesAreFormatErrors) {
  for (const char* file :
       {"portrait_obama.jpg", "format_exif_orientation6.jpg", "portrait_astronaut.png",
        "format_hopper.gif", "format_hopper.bmp", "format_flower.webp", "format_hopper.tif",
        "clipart_toucan_alpha.png", "doc_deslant.tif"}) {
    const ByteVec full = testing::ReadTestImage(file);
    ByteVec half(full.begin(), full.begin() + full.size() / 2);
    ExpectDecodeError(half, "InvalidImageFormat", std::string(file) + " half");
    if (std::string(file).ends_with(".jpg")) {
      // A JPEG cut just before its EOI marker.
      ByteVec no_eoi(full.begin(), full.end() - 2);
      ExpectDecodeError(no_eoi, "InvalidImageFormat", std::string(file) + " without EOI");
      const auto ingest = IngestImage(Span(half), ApiVersion::kV40);
      ASSERT_FALSE(ingest.ok());
      EXPECT_EQ(ingest.status().inner_code(), "InvalidImageFormat");
    }
  }
  // An animated GIF cut after its first frame still yields that (complete) frame; cut inside
  // the first frame it is corrupt.
  const ByteVec gif = testing::ReadTestImage("cartoon_animated.gif");
  const auto full = ProbeAndDecode(gif);
  ASSERT_TRUE(full.ok());
  const auto half = ProbeAndDecode(ByteVec(gif.begin(), gif.begin() + gif.size() / 2));
  ASSERT_TRUE(half.ok());
  EXPECT_EQ(MaxAbsDiff(half->bgr, full->bgr), 0);
  ExpectDecodeError(ByteVec(gif.begin(), gif.begin() + 2000), "InvalidImageFormat",
                    "animated GIF cut in its first frame");
  // Valid header, garbage body.
  ByteVec png = testing::PngHeader(64, 64);
  Append(png, testing::PngChunk("IDAT", ByteVec(50, 0xab)));
  Append(png, testing::PngChunk("IEND", {}));
  ExpectDecodeError(png, "InvalidImageFormat", "PNG with garbage IDAT");
}

TEST(DecodeImageTest, HeadersPromisingMoreThanTheDataHolds) {
  // Within the dimension limits, but the data cannot hold that many pixels: refused from the
  // structure, before a decoder allocates the raster.
  ByteVec png = testing::PngHeader(15000, 15000);
  Append(png, testing::PngChunk("IDAT", testing::ZlibStored(ByteVec(1000, 0))));
  Append(png, testing::PngChunk("IEND", {}));
  const auto p = IngestImage(Span(png), ApiVersion::kV40);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().inner_code(), "InvalidImageFormat");

  ByteVec bmp = Encode(Pattern(60, 60), ".bmp");
  PutU32(bmp, 18, 6000, false);  // 36 MP: within the bound of the formats decoded whole
  PutU32(bmp, 22, 6000, false);
  const auto b = IngestImage(Span(bmp), ApiVersion::kV40);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().inner_code(), "InvalidImageFormat");
}

// BMP is decoded at full resolution before the area resize: it is bounded at 40 MP
// (image_internal.h kMaxWholeDecodePixels), checked from the header already.
TEST(DecodeImageTest, FormatsDecodedWholeHaveATighterBound) {
  ByteVec bmp = Encode(Pattern(60, 60), ".bmp");
  PutU32(bmp, 18, 7000, false);  // 49 MP
  PutU32(bmp, 22, 7000, false);
  const auto b = IngestImage(Span(bmp), ApiVersion::kV40);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().inner_code(), "InvalidImageSize");
  EXPECT_NE(b.status().message().find("BMP images are decoded whole"), std::string::npos)
      << b.status().message();
  const ImageLimits limits = ImageLimits::ForApi(ApiVersion::kV40);
  const auto check = [&](ImageFormat format, int side, bool animated) {
    ImageInfo info;
    info.format = format;
    info.width = side;
    info.height = side;
    info.animated = animated;
    return CheckDimensions(info, limits);
  };
  EXPECT_EQ(check(ImageFormat::kBmp, 6400, false).inner_code(), "InvalidImageSize");
  EXPECT_TRUE(check(ImageFormat::kBmp, 6300, false).ok());    // 39.7 MP
  EXPECT_TRUE(check(ImageFormat::kTiff, 15000, false).ok());  // read reduced, band by band
  EXPECT_TRUE(check(ImageFormat::kWebp, 15000, true).ok());   // first frame decoded scaled
  EXPECT_TRUE(check(ImageFormat::kWebp, 15000, false).ok());  // decoded scaled
  EXPECT_TRUE(check(ImageFormat::kJpeg, 15000, false).ok());
  EXPECT_TRUE(check(ImageFormat::kPng, 15000, false).ok());
  EXPECT_TRUE(check(ImageFormat::kGif, 15000, true).ok());
}

TEST(DecodeImageTest, MismatchedInfoIsRefused) {
  const ByteVec png = testing::PngOfSize(60, 60);
  ImageInfo wrong;
  wrong.format = ImageFormat::kPng;
  wrong.width = 61;
  wrong.height = 60;
  EXPECT_FALSE(DecodeImage(Span(png), wrong).ok());
}

TEST(ToGray8Test, ConvertsOneThreeAndFourChannelImagesOnly) {
  cv::Mat bgr(4, 6, CV_8UC3, cv::Scalar(255, 0, 0));  // pure blue: luma 0.114 * 255 = 29
  StatusOr<cv::Mat> g = ToGray8(bgr);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->type(), CV_8UC1);
  EXPECT_EQ(g->size(), bgr.size());
  EXPECT_EQ(g->at<uchar>(0, 0), 29);
  cv::Mat bgra(4, 6, CV_8UC4, cv::Scalar(0, 0, 255, 0));  // red: 0.299 * 255 = 76
  ASSERT_TRUE(ToGray8(bgra).ok());
  EXPECT_EQ(ToGray8(bgra)->at<uchar>(3, 5), 76);
  // Grey stays grey; a non-continuous view (a column range) becomes a continuous copy.
  cv::Mat grey(5, 8, CV_8UC1, cv::Scalar(7));
  cv::Mat view = grey.colRange(2, 5);
  ASSERT_FALSE(view.isContinuous());
  StatusOr<cv::Mat> v = ToGray8(view);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->isContinuous());
  EXPECT_EQ(v->cols, 3);
  // Other depths, channel counts and empty images are refused, not thrown.
  EXPECT_EQ(ToGray8(cv::Mat(2, 2, CV_32FC3)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ToGray8(cv::Mat(2, 2, CV_8UC2)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ToGray8(cv::Mat()).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ocular
