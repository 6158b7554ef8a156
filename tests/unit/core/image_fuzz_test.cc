// Robustness: deterministic byte mutations and truncations of real images never crash, and
// every failure is InvalidArgument with an image inner code.
#include <gtest/gtest.h>

#include <random>

#include "core/image.h"
#include "image_test_util.h"

namespace ocular {
namespace {

using testing::ByteVec;
using testing::Span;

void CheckOutcome(const ByteVec& bytes, const std::string& what) {
  const auto info = ProbeImage(Span(bytes));
  if (!info.ok()) {
    EXPECT_EQ(info.status().code(), StatusCode::kInvalidArgument) << what;
    EXPECT_EQ(info.status().inner_code(), "InvalidImageFormat") << what;
    return;
  }
  // Mutations can make absurd (but bounded) headers: only decode what ingestion would allow.
  if (!CheckDimensions(*info, ImageLimits::ForApi(ApiVersion::kV40)).ok()) return;
  const auto decoded = DecodeImage(Span(bytes), *info);
  if (decoded.ok()) {
    EXPECT_EQ(decoded->bgr.type(), CV_8UC3) << what;
    EXPECT_EQ(decoded->bgr.cols, info->width) << what;
    EXPECT_EQ(decoded->bgr.rows, info->height) << what;
  } else {
    EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument) << what;
    const std::string inner = decoded.status().inner_code();
    EXPECT_TRUE(inner == "InvalidImageFormat" || inner == "InvalidImageSize")
        << what << " " << decoded.status().ToString();
  }
}

TEST(ImageFuzzTest, MutationsAndTruncationsNeverCrash) {
  std::mt19937 rng(20261126);
  const char* files[] = {"format_exif_orientation6.jpg",
                         "clipart_toucan_alpha.png",
                         "format_hopper.gif",
                         "format_hopper.bmp",
                         "format_dice_alpha.webp",
                         "format_hopper.tif",
                         "doc_printed_paragraph.png",
                         "format_colorbars.gif"};
  int cases = 0;
  for (const char* file : files) {
    const ByteVec original = testing::ReadTestImage(file);
    ASSERT_GT(original.size(), 100u);
    for (int i = 0; i < 45; ++i) {
      ByteVec bytes = original;
      const int kind = i % 3;
      if (kind == 0) {
        // A few random bytes anywhere.
        const int n = 1 + static_cast<int>(rng() % 8);
        for (int k = 0; k < n; ++k) bytes[rng() % bytes.size()] = static_cast<std::uint8_t>(rng());
      } else if (kind == 1) {
        // Header damage: the first 64 bytes hold the structures the probe reads.
        const std::size_t span = std::min<std::size_t>(64, bytes.size());
        bytes[4 + rng() % (span - 4)] = static_cast<std::uint8_t>(rng());
        if (rng() % 2) bytes[rng() % bytes.size()] ^= 0xff;
      } else {
        bytes.resize(rng() % bytes.size());
      }
      CheckOutcome(bytes, std::string(file) + " #" + std::to_string(i));
      ++cases;
    }
  }
  EXPECT_EQ(cases, 360);
}

}  // namespace
}  // namespace ocular
