// ICO: entry selection (shared by ProbeImage and DecodeImage) and decoding of the selected entry.
// PNG entries go through OpenCV; DIB entries (BI_RGB, 1/4/8/24/32 bits per pixel, XOR bitmap then
// AND mask, bottom-up, height stored doubled) are decoded here, with every read bounds-checked
// and the required data size verified before any pixel is allocated.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include <opencv2/imgcodecs.hpp>

#include "core/image_internal.h"

namespace ocular::image_internal {
namespace {

constexpr std::string_view kPngMagic("\x89PNG\r\n\x1a\n", 8);

struct DibHeader {
  std::size_t header_size = 0;
  int width = 0;
  int height = 0;  // of the image (half the stored height)
  int bpp = 0;
  std::uint32_t colors_used = 0;
};

std::optional<DibHeader> ReadDibHeader(Bytes dib) {
  const ByteReader r(dib);
  const auto hs = r.U32(0, false);
  const auto w = r.U32(4, false), h = r.U32(8, false);
  const auto bpp = r.U16(14, false);
  const auto compression = r.U32(16, false);
  const auto colors = r.U32(32, false);
  if (!hs || *hs < 40 || *hs > dib.size() || !w || !h || !bpp || !compression || !colors) {
    return std::nullopt;
  }
  const std::int32_t width = static_cast<std::int32_t>(*w);
  const std::int32_t stored_height = static_cast<std::int32_t>(*h);
  if (width <= 0 || stored_height < 2 || *compression != 0) return std::nullopt;
  if (*bpp != 1 && *bpp != 4 && *bpp != 8 && *bpp != 24 && *bpp != 32) return std::nullopt;
  DibHeader d;
  d.header_size = *hs;
  d.width = width;
  d.height = stored_height / 2;
  d.bpp = *bpp;
  d.colors_used = *colors;
  return d;
}

std::int64_t Stride(std::int64_t width, int bpp) { return (width * bpp + 31) / 32 * 4; }

StatusOr<cv::Mat> DecodeDib(Bytes dib) {
  const auto header = ReadDibHeader(dib);
  if (!header) return FormatError("unsupported or corrupt ICO bitmap");
  const DibHeader& d = *header;
  const ByteReader r(dib);
  std::size_t pos = d.header_size;

  std::array<cv::Vec3b, 256> palette{};
  if (d.bpp <= 8) {
    const std::uint32_t max_colors = 1u << d.bpp;
    const std::uint32_t n = d.colors_used == 0 ? max_colors : std::min(d.colors_used, max_colors);
    if (!r.Has(pos, std::size_t{4} * n)) return FormatError("truncated ICO palette");
    for (std::uint32_t i = 0; i < n; ++i) {
      palette[i] = cv::Vec3b(*r.U8(pos + 4 * i), *r.U8(pos + 4 * i + 1), *r.U8(pos + 4 * i + 2));
    }
    pos += std::size_t{4} * n;
  }
  const std::int64_t xor_stride = Stride(d.width, d.bpp);
  const std::int64_t and_stride = Stride(d.width, 1);
  const std::int64_t xor_size = xor_stride * d.height;
  if (xor_size <= 0 || !r.Has(pos, static_cast<std::size_t>(xor_size))) {
    return FormatError("truncated ICO bitmap");
  }
  const std::size_t xor_at = pos;
  const std::size_t and_at = pos + static_cast<std::size_t>(xor_size);
  // The AND mask is optional in practice: when it is missing every pixel is opaque.
  const bool has_mask = r.Has(and_at, static_cast<std::size_t>(and_stride * d.height));

  // 32-bit entries carry alpha, unless every alpha byte is zero (old icons rely on the mask).
  bool use_alpha = false;
  if (d.bpp == 32) {
    for (std::int64_t i = 0; i < xor_size && !use_alpha; i += 4) {
      use_alpha = dib[xor_at + static_cast<std::size_t>(i) + 3] != 0;
    }
  }

  cv::Mat out(d.height, d.width, CV_8UC3);
  for (int y = 0; y < d.height; ++y) {
    const std::size_t row = xor_at + static_cast<std::size_t>(xor_stride) * (d.height - 1 - y);
    const std::size_t mask_row = and_at + static_cast<std::size_t>(and_stride) * (d.height - 1 - y);
    cv::Vec3b* dst = out.ptr<cv::Vec3b>(y);
    for (int x = 0; x < d.width; ++x) {
      cv::Vec3b px;
      int alpha = 255;
      switch (d.bpp) {
        case 32: {
          const std::uint8_t* p = &dib[row + 4 * std::size_t(x)];
          px = cv::Vec3b(p[0], p[1], p[2]);
          if (use_alpha) alpha = p[3];
          break;
        }
        case 24: {
          const std::uint8_t* p = &dib[row + 3 * std::size_t(x)];
          px = cv::Vec3b(p[0], p[1], p[2]);
          break;
        }
        default: {  // 1, 4, 8 bits: palette indices, most significant bits first
          const std::size_t bit = std::size_t(x) * d.bpp;
          const std::uint8_t byte = dib[row + bit / 8];
          const int shift = 8 - d.bpp - static_cast<int>(bit % 8);
          px = palette[(byte >> shift) & ((1 << d.bpp) - 1)];
          break;
        }
      }
      if (!use_alpha && has_mask) {
        const std::uint8_t m = dib[mask_row + std::size_t(x) / 8];
        if ((m >> (7 - x % 8)) & 1) alpha = 0;
      }
      for (int c = 0; c < 3; ++c) {
        dst[x][c] = static_cast<std::uint8_t>((px[c] * alpha + 255 * (255 - alpha) + 127) / 255);
      }
    }
  }
  return out;
}

}  // namespace

StatusOr<IcoEntry> SelectIcoEntry(Bytes bytes) {
  const ByteReader r(bytes);
  const auto reserved = r.U16(0, false), type = r.U16(2, false), count = r.U16(4, false);
  if (!reserved || !type || !count) return FormatError("truncated or corrupt ICO header");
  if (*reserved != 0 || *type != 1 || *count == 0) return FormatError("corrupt ICO header");
  std::optional<IcoEntry> best;
  int best_bpp = -1;
  for (int i = 0; i < *count; ++i) {
    const std::size_t e = 6 + std::size_t{16} * i;
    const auto dir_bpp = r.U16(e + 6, false);
    const auto size = r.U32(e + 8, false), offset = r.U32(e + 12, false);
    if (!dir_bpp || !size || !offset) return FormatError("truncated ICO directory");
    if (!r.Has(*offset, *size) || *size == 0) continue;  // entries outside the file are skipped
    IcoEntry entry;
    entry.offset = *offset;
    entry.size = *size;
    const Bytes data = r.Sub(entry.offset, entry.size);
    int bpp = 0;
    if (ByteReader(data).Matches(0, kPngMagic)) {
      const auto png = ProbePng(data);
      if (!png.ok()) continue;
      entry.is_png = true;
      entry.width = png->width;
      entry.height = png->height;
      bpp = 32;
    } else {
      const auto dib = ReadDibHeader(data);
      if (!dib || dib->height <= 0) continue;
      entry.width = dib->width;
      entry.height = dib->height;
      bpp = dib->bpp;
    }
    const auto area = [](const IcoEntry& x) { return std::int64_t{x.width} * x.height; };
    if (!best || area(entry) > area(*best) || (area(entry) == area(*best) && bpp > best_bpp)) {
      best = entry;
      best_bpp = bpp;
    }
  }
  if (!best) return FormatError("the ICO file has no readable image");
  return *best;
}

StatusOr<cv::Mat> DecodeIco(Bytes bytes, const IcoEntry& entry, int factor) {
  const ByteReader r(bytes);
  if (!r.Has(entry.offset, entry.size)) return FormatError("truncated ICO entry");
  const Bytes data = r.Sub(entry.offset, entry.size);
  if (entry.is_png) {
    if (!PngComplete(data)) return FormatError("truncated PNG entry in ICO");
    // A PNG entry may declare any size (up to the API's limits): never hold it whole.
    if (factor > 1) return DecodePngReduced(data, factor);
    OCULAR_ASSIGN_OR_RETURN(const cv::Mat decoded, ImDecode(data, cv::IMREAD_UNCHANGED));
    return ToBgr8(decoded);
  }
  return DecodeDib(data);
}

}  // namespace ocular::image_internal
