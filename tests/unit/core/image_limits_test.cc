// Format names, per-API limits, byte-size and dimension checks, and IngestImage's ordering.
#include <gtest/gtest.h>

#include "core/image.h"
#include "image_test_util.h"

namespace ocular {
namespace {

using testing::ByteVec;
using testing::PngOfSize;
using testing::Span;

TEST(ImageFormatNameTest, AllNames) {
  EXPECT_EQ(ImageFormatName(ImageFormat::kJpeg), "Jpeg");
  EXPECT_EQ(ImageFormatName(ImageFormat::kPng), "Png");
  EXPECT_EQ(ImageFormatName(ImageFormat::kGif), "Gif");
  EXPECT_EQ(ImageFormatName(ImageFormat::kBmp), "Bmp");
  EXPECT_EQ(ImageFormatName(ImageFormat::kWebp), "Webp");
  EXPECT_EQ(ImageFormatName(ImageFormat::kTiff), "Tiff");
  EXPECT_EQ(ImageFormatName(ImageFormat::kIco), "Ico");
  EXPECT_EQ(ImageFormatName(ImageFormat::kUnknown), "Unknown");
}

TEST(ImageLimitsTest, ForApi) {
  const ImageLimits v40 = ImageLimits::ForApi(ApiVersion::kV40);
  EXPECT_EQ(v40.max_bytes, 20971520u);
  EXPECT_EQ(v40.min_side, 50);
  EXPECT_EQ(v40.max_side, 16000);
  const ImageLimits v32 = ImageLimits::ForApi(ApiVersion::kV32);
  EXPECT_EQ(v32.max_bytes, 4194304u);
  EXPECT_EQ(v32.min_side, 50);
  EXPECT_EQ(v32.max_side, 16000);
}

TEST(CheckByteSizeTest, V40) {
  EXPECT_TRUE(CheckByteSize(1, ApiVersion::kV40).ok());
  EXPECT_TRUE(CheckByteSize(20971520, ApiVersion::kV40).ok());
  for (std::size_t bad : {std::size_t{0}, std::size_t{20971521}}) {
    const Status s = CheckByteSize(bad, ApiVersion::kV40);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(s.inner_code(), "");
    EXPECT_EQ(s.message(),
              "The image size is not allowed to be zero or larger than 20971520 bytes.");
  }
}

TEST(CheckByteSizeTest, V32) {
  EXPECT_TRUE(CheckByteSize(1, ApiVersion::kV32).ok());
  EXPECT_TRUE(CheckByteSize(4194304, ApiVersion::kV32).ok());
  const Status big = CheckByteSize(4194305, ApiVersion::kV32);
  EXPECT_EQ(big.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(big.inner_code(), "InvalidImageSize");
  EXPECT_EQ(big.message(),
            "Input image is too large. The image must be smaller than 4194304 bytes.");
  const Status zero = CheckByteSize(0, ApiVersion::kV32);
  EXPECT_EQ(zero.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(zero.inner_code(), "InvalidImageSize");
}

TEST(CheckDimensionsTest, ExclusiveBounds) {
  const ImageLimits limits = ImageLimits::ForApi(ApiVersion::kV40);
  const auto check = [&](int w, int h) {
    ImageInfo info;
    info.format = ImageFormat::kPng;
    info.width = w;
    info.height = h;
    return CheckDimensions(info, limits);
  };
  EXPECT_TRUE(check(51, 51).ok());
  EXPECT_TRUE(check(15999, 15999).ok());
  for (auto [w, h] :
       {std::pair{50, 100}, {100, 50}, {49, 100}, {16000, 100}, {100, 16001}, {0, 0}, {-5, 100}}) {
    const Status s = check(w, h);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << w << "x" << h;
    EXPECT_EQ(s.inner_code(), "InvalidImageSize");
    EXPECT_NE(s.message().find("50"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("16000"), std::string::npos) << s.message();
  }
  // The message names the limits it was given.
  ImageLimits custom = limits;
  custom.min_side = 10;
  custom.max_side = 20;
  ImageInfo info;
  info.width = info.height = 30;
  const Status s = CheckDimensions(info, custom);
  EXPECT_NE(s.message().find("10"), std::string::npos);
  EXPECT_NE(s.message().find("20"), std::string::npos);
}

TEST(IngestImageTest, DimensionLimitsOnRealImages) {
  struct Case {
    int w, h;
    bool ok;
  };
  for (const Case& c : {Case{49, 60, false}, Case{60, 49, false}, Case{50, 60, false},
                        Case{60, 50, false}, Case{51, 51, true}, Case{16001, 60, false},
                        Case{16000, 60, false}, Case{15999, 60, true}}) {
    const ByteVec png = PngOfSize(c.w, c.h);
    for (ApiVersion api : {ApiVersion::kV40, ApiVersion::kV32}) {
      const auto result = IngestImage(Span(png), api);
      EXPECT_EQ(result.ok(), c.ok) << c.w << "x" << c.h << " " << result.status().ToString();
      if (result.ok()) {
        EXPECT_EQ(result->bgr.cols, c.w);
        EXPECT_EQ(result->bgr.rows, c.h);
        EXPECT_EQ(result->bgr.type(), CV_8UC3);
      } else {
        EXPECT_EQ(result.status().inner_code(), "InvalidImageSize");
      }
    }
  }
}

TEST(IngestImageTest, ByteSizeCheckedFirst) {
  // A valid image followed by padding: only the size matters.
  ByteVec body = PngOfSize(60, 60);
  ASSERT_TRUE(IngestImage(Span(body), ApiVersion::kV32).ok());
  body.resize(4194305, 0);
  auto v32 = IngestImage(Span(body), ApiVersion::kV32);
  ASSERT_FALSE(v32.ok());
  EXPECT_EQ(v32.status().inner_code(), "InvalidImageSize");
  EXPECT_NE(v32.status().message().find("4194304"), std::string::npos);
  body.resize(20971521, 0);
  auto v40 = IngestImage(Span(body), ApiVersion::kV40);
  ASSERT_FALSE(v40.ok());
  EXPECT_EQ(v40.status().inner_code(), "");
  EXPECT_EQ(v40.status().message(),
            "The image size is not allowed to be zero or larger than 20971520 bytes.");

  const ByteVec empty;
  auto e40 = IngestImage(Span(empty), ApiVersion::kV40);
  ASSERT_FALSE(e40.ok());
  EXPECT_EQ(e40.status().inner_code(), "");
  auto e32 = IngestImage(Span(empty), ApiVersion::kV32);
  ASSERT_FALSE(e32.ok());
  EXPECT_EQ(e32.status().inner_code(), "InvalidImageSize");
}

TEST(IngestImageTest, DecompressionBombRefusedBeforeDecoding) {
  // A few hundred bytes claiming 60000x60000: header, a tiny IDAT, IEND.
  ByteVec png = testing::PngHeader(60000, 60000);
  testing::Append(png, testing::PngChunk("IDAT", testing::ZlibStored(ByteVec(100, 0))));
  testing::Append(png, testing::PngChunk("IEND", {}));
  ASSERT_LT(png.size(), 1000u);
  const auto info = ProbeImage(Span(png));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->width, 60000);
  EXPECT_EQ(info->height, 60000);
  for (ApiVersion api : {ApiVersion::kV40, ApiVersion::kV32}) {
    const auto result = IngestImage(Span(png), api);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(result.status().inner_code(), "InvalidImageSize");
  }
  // DecodeImage called directly refuses too, before allocating anything.
  const auto direct = DecodeImage(Span(png), *info);
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(direct.status().inner_code(), "InvalidImageSize");
}

TEST(IngestImageTest, UnknownFormat) {
  const ByteVec junk = {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'};
  for (ApiVersion api : {ApiVersion::kV40, ApiVersion::kV32}) {
    const auto result = IngestImage(Span(junk), api);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(result.status().inner_code(), "InvalidImageFormat");
  }
}

}  // namespace
}  // namespace ocular
