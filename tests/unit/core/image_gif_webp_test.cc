// GIF and animated WebP files built byte by byte: GIF transparency, logical-screen background,
// interlacing and animation detection; the first frame of an animated WebP.
#include <gtest/gtest.h>
#include <vector>

#include <algorithm>

#include "core/image.h"
#include "image_test_util.h"

namespace ocular {
namespace {

using testing::Append;
using testing::ByteVec;
using testing::Encode;
using testing::ProbeAndDecode;
using testing::PutU16;
using testing::PutU32;
using testing::Span;

// A GIF with uncompressed LZW (a clear code every two literals keeps codes 3 bits wide).
ByteVec LzwLiterals(const std::vector<int>& indices) {
  std::vector<int> codes;
  for (std::size_t i = 0; i < indices.size(); ++i) {
    if (i % 2 == 0) codes.push_back(4);  // clear
    codes.push_back(indices[i]);
  }
  codes.push_back(5);  // end of information
  ByteVec packed;
  std::uint32_t acc = 0;
  int bits = 0;
  for (int code : codes) {
    acc |= static_cast<std::uint32_t>(code) << bits;
    bits += 3;
    while (bits >= 8) {
      packed.push_back(static_cast<std::uint8_t>(acc));
      acc >>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) packed.push_back(static_cast<std::uint8_t>(acc));
  ByteVec blocks = {2};  // LZW minimum code size
  for (std::size_t pos = 0; pos < packed.size(); pos += 255) {
    const std::size_t n = std::min<std::size_t>(255, packed.size() - pos);
    blocks.push_back(static_cast<std::uint8_t>(n));
    blocks.insert(blocks.end(), packed.begin() + pos, packed.begin() + pos + n);
  }
  blocks.push_back(0);
  return blocks;
}

struct GifFrame {
  int left, top, width, height;
  std::vector<int> indices;  // row-major, display order
  bool interlaced = false;
};

ByteVec MakeGif(int screen_w, int screen_h, int transparent, const std::vector<GifFrame>& frames) {
  ByteVec gif;
  Append(gif, "GIF89a");
  PutU16(gif, 6, static_cast<unsigned>(screen_w), false);
  PutU16(gif, 8, static_cast<unsigned>(screen_h), false);
  Append(gif, ByteVec{0x81, 0, 0});                                // global table of 4 colours
  Append(gif, ByteVec{255, 0, 0, 0, 0, 255, 0, 255, 0, 0, 0, 0});  // red, blue, green, black
  for (const GifFrame& f : frames) {
    Append(gif, ByteVec{0x21, 0xf9, 4, static_cast<std::uint8_t>(transparent >= 0 ? 1 : 0), 0, 0,
                        static_cast<std::uint8_t>(std::max(transparent, 0)), 0});
    ByteVec desc = {0x2c};
    PutU16(desc, 1, static_cast<unsigned>(f.left), false);
    PutU16(desc, 3, static_cast<unsigned>(f.top), false);
    PutU16(desc, 5, static_cast<unsigned>(f.width), false);
    PutU16(desc, 7, static_cast<unsigned>(f.height), false);
    desc.push_back(f.interlaced ? 0x40 : 0);
    Append(gif, desc);
    std::vector<int> stream;
    if (!f.interlaced) {
      stream = f.indices;
    } else {
      const int offsets[4] = {0, 4, 2, 1}, steps[4] = {8, 8, 4, 2};
      for (int p = 0; p < 4; ++p) {
        for (int y = offsets[p]; y < f.height; y += steps[p]) {
          stream.insert(stream.end(), f.indices.begin() + y * f.width,
                        f.indices.begin() + (y + 1) * f.width);
        }
      }
    }
    Append(gif, LzwLiterals(stream));
  }
  gif.push_back(0x3b);
  return gif;
}

TEST(HandMadeGifTest, TransparencyBackgroundAndInterlace) {
  GifFrame frame{2, 1, 4, 11, {}, false};
  for (int i = 0; i < 44; ++i) frame.indices.push_back(i % 4);
  for (bool interlaced : {false, true}) {
    SCOPED_TRACE(interlaced ? "interlaced" : "progressive");
    frame.interlaced = interlaced;
    GifFrame second = frame;
    second.indices.assign(44, 0);
    const ByteVec gif = MakeGif(7, 13, /*transparent=*/1, {frame, second});
    const auto decoded = ProbeAndDecode(gif);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_TRUE(decoded->info.animated);
    const cv::Mat& bgr = decoded->bgr;
    ASSERT_EQ(bgr.cols, 7);
    ASSERT_EQ(bgr.rows, 13);
    const cv::Vec3b colours[4] = {{0, 0, 255}, {255, 255, 255}, {0, 255, 0}, {0, 0, 0}};
    for (int y = 0; y < 13; ++y) {
      for (int x = 0; x < 7; ++x) {
        const bool inside = x >= 2 && x < 6 && y >= 1 && y < 12;
        const cv::Vec3b want =
            inside ? colours[frame.indices[(y - 1) * 4 + (x - 2)]] : cv::Vec3b(255, 255, 255);
        EXPECT_EQ(bgr.at<cv::Vec3b>(y, x), want) << x << "," << y;
      }
    }
  }
  // A single frame is not animated; a cut frame is corrupt.
  const ByteVec single = MakeGif(7, 13, -1, {frame});
  const auto one = ProbeAndDecode(single);
  ASSERT_TRUE(one.ok());
  EXPECT_FALSE(one->info.animated);
  ByteVec cut = single;
  cut.resize(cut.size() - 12);
  const auto bad = ProbeAndDecode(cut);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().inner_code(), "InvalidImageFormat");
}

// Reduced decoding streams into 1/factor of the screen: each pixel is the mean of its block of
// the full decode (white where no frame pixel is painted).
TEST(HandMadeGifTest, ReducedScreenIsTheBlockMeans) {
  GifFrame frame{2, 1, 4, 11, {}, true};
  for (int i = 0; i < 44; ++i) frame.indices.push_back(i % 4);
  const ByteVec gif = MakeGif(7, 13, /*transparent=*/1, {frame});
  const auto full = ProbeAndDecode(gif);
  ASSERT_TRUE(full.ok());
  const auto info = ProbeImage(Span(gif));
  const auto reduced = DecodeImage(Span(gif), *info, {.min_long_side = 0, .max_pixels = 28});
  ASSERT_TRUE(reduced.ok()) << reduced.status().ToString();
  ASSERT_EQ(reduced->bgr.size(), cv::Size(4, 7));  // f = 2
  for (int oy = 0; oy < 7; ++oy) {
    for (int ox = 0; ox < 4; ++ox) {
      int sum[3] = {0, 0, 0}, n = 0;
      for (int y = 2 * oy; y < std::min(13, 2 * oy + 2); ++y) {
        for (int x = 2 * ox; x < std::min(7, 2 * ox + 2); ++x, ++n) {
          for (int c = 0; c < 3; ++c) sum[c] += full->bgr.at<cv::Vec3b>(y, x)[c];
        }
      }
      for (int c = 0; c < 3; ++c) {
        EXPECT_EQ(reduced->bgr.at<cv::Vec3b>(oy, ox)[c], (sum[c] + n / 2) / n) << ox << "," << oy;
      }
    }
  }
}

// RIFF chunk with even padding.
ByteVec Chunk(std::string_view fourcc, const ByteVec& payload) {
  ByteVec c;
  Append(c, fourcc);
  PutU32(c, 4, static_cast<std::uint32_t>(payload.size()), false);
  Append(c, payload);
  if (payload.size() % 2) c.push_back(0);
  return c;
}

void Put24(ByteVec& v, std::uint32_t x) {
  for (int i = 0; i < 3; ++i) v.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
}

// One frame of AnimatedWebp: offset (even: WebP stores half offsets), size and colour.
struct Frame {
  int x, y, w, h;
  cv::Scalar colour;
};

// An animated WebP of canvas_w x canvas_h whose frames are lossless single-colour VP8L images.
ByteVec AnimatedWebp(int canvas_w, int canvas_h, const std::vector<Frame>& frames) {
  ByteVec body;
  Append(body, "WEBP");
  ByteVec vp8x = {0x02, 0, 0, 0};  // animation flag
  Put24(vp8x, canvas_w - 1);
  Put24(vp8x, canvas_h - 1);
  Append(body, Chunk("VP8X", vp8x));
  Append(body, Chunk("ANIM", {255, 255, 255, 255, 0, 0}));
  for (const Frame& f : frames) {
    const ByteVec still =
        Encode(cv::Mat(f.h, f.w, CV_8UC3, f.colour), ".webp", {cv::IMWRITE_WEBP_QUALITY, 101});
    ByteVec anmf;
    Put24(anmf, f.x / 2);
    Put24(anmf, f.y / 2);
    Put24(anmf, f.w - 1);
    Put24(anmf, f.h - 1);
    Put24(anmf, 100);
    anmf.push_back(0);
    anmf.insert(anmf.end(), still.begin() + 12, still.end());  // the VP8L chunk
    Append(body, Chunk("ANMF", anmf));
  }
  ByteVec webp;
  Append(webp, "RIFF");
  PutU32(webp, 4, static_cast<std::uint32_t>(body.size()), false);
  Append(webp, body);
  return webp;
}

TEST(HandMadeWebpTest, AnimatedFirstFrame) {
  const int w = 64, h = 60;
  const ByteVec webp = AnimatedWebp(
      w, h, {{0, 0, w, h, cv::Scalar(0, 0, 255)}, {0, 0, w, h, cv::Scalar(255, 0, 0)}});
  const auto d = ProbeAndDecode(webp);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(d->info.animated);
  EXPECT_EQ(d->bgr.cols, w);
  EXPECT_EQ(d->bgr.rows, h);
  EXPECT_EQ(d->bgr.at<cv::Vec3b>(10, 10), cv::Vec3b(0, 0, 255));  // the first (red) frame
}

// The first frame covers part of the canvas: the rest is white, at full size and reduced (the
// canvas is never allocated at full size when a pixel budget applies).
TEST(HandMadeWebpTest, AnimatedFirstFrameSmallerThanItsCanvas) {
  const ByteVec webp = AnimatedWebp(
      200, 160, {{40, 20, 64, 60, cv::Scalar(0, 0, 255)}, {0, 0, 200, 160, cv::Scalar(255, 0, 0)}});
  const auto full = ProbeAndDecode(webp);
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  ASSERT_EQ(full->bgr.cols, 200);
  EXPECT_EQ(full->bgr.at<cv::Vec3b>(50, 70), cv::Vec3b(0, 0, 255));    // inside the frame
  EXPECT_EQ(full->bgr.at<cv::Vec3b>(5, 5), cv::Vec3b(255, 255, 255));  // canvas outside it
  EXPECT_EQ(full->bgr.at<cv::Vec3b>(150, 190), cv::Vec3b(255, 255, 255));

  const auto half = ProbeAndDecode(webp, {.max_pixels = 8000});  // factor 2: 100 x 80
  ASSERT_TRUE(half.ok()) << half.status().ToString();
  ASSERT_EQ(half->bgr.cols, 100);
  ASSERT_EQ(half->bgr.rows, 80);
  EXPECT_EQ(half->bgr.at<cv::Vec3b>(25, 35), cv::Vec3b(0, 0, 255));
  EXPECT_EQ(half->bgr.at<cv::Vec3b>(2, 2), cv::Vec3b(255, 255, 255));
  EXPECT_EQ(half->bgr.at<cv::Vec3b>(75, 95), cv::Vec3b(255, 255, 255));
}

}  // namespace
}  // namespace ocular
