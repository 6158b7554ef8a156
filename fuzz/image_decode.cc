// Image ingestion as a request runs it: byte size, probe, dimension limits and decode, with the
// decode options taken from the first byte (reduced or full resolution, pixel budget, API).
// Decoded pixels are summed so a sanitizer sees any uninitialised or out-of-bounds read.
//
// Limit before allocation: sources over 512 K pixels or decodes over 128 K pixels are probed and
// checked but not decoded, so one input costs milliseconds (the production bound, 256 MP, is
// covered by the unit tests and bench/bombs, not by the fuzzer).
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/image.h"

namespace {
// Per-input work bounds of the fuzzer (not of the product): the source image (which every
// decoder reads in full, the streaming reducers included) and the decoded image. Every code path
// is reachable within them (a 724 x 724 source reduced by up to 16, the EXIF, alpha, palette,
// interlace and animation branches); larger inputs only cost time per exec.
constexpr std::int64_t kMaxSourcePixels = 1 << 19;
constexpr std::int64_t kMaxDecodedPixels = 1 << 17;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0];
  const std::span<const std::uint8_t> bytes(data + 1, size - 1);
  static constexpr int kSides[4] = {0, 64, 512, 1024};
  static constexpr std::int64_t kBudgets[4] = {0, 1 << 16, 1 << 20, 12'000'000};
  ocular::DecodeOptions options;
  options.min_long_side = kSides[mode & 3];
  options.max_pixels = kBudgets[(mode >> 2) & 3];
  const ocular::ApiVersion api =
      (mode & 0x10) ? ocular::ApiVersion::kV32 : ocular::ApiVersion::kV40;

  if (!ocular::CheckByteSize(bytes.size(), api).ok()) return 0;
  auto info = ocular::ProbeImage(bytes);
  if (!info.ok()) return 0;
  if (!ocular::CheckDimensions(*info, ocular::ImageLimits::ForApi(api)).ok()) return 0;
  const int f = ocular::ReductionFactor(*info, options);
  const std::int64_t w = (info->width + f - 1) / f, h = (info->height + f - 1) / f;
  if (std::int64_t{info->width} * info->height > kMaxSourcePixels || w * h > kMaxDecodedPixels) {
    return 0;
  }
  auto image = ocular::DecodeImage(bytes, *info, options);
  if (!image.ok()) return 0;
  if (image->bgr.cols != w || image->bgr.rows != h || image->bgr.type() != CV_8UC3)
    __builtin_trap();
  unsigned sum = 0;
  for (int y = 0; y < image->bgr.rows; ++y) {
    const std::uint8_t* row = image->bgr.ptr<std::uint8_t>(y);
    for (int x = 0; x < image->bgr.cols * 3; ++x) sum += row[x];
  }
  volatile unsigned sink = sum;
  (void)sink;
  return 0;
}
