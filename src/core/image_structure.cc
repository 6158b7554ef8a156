// Structural completeness checks run before handing bytes to a decoder: libjpeg "succeeds" on a
// cut file (grey fill after a warning) and decoders allocate the full raster before finding out
// the data is missing, so truncation is detected here, from the container structure alone.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "core/image_internal.h"

namespace ocular::image_internal {

bool JpegComplete(Bytes bytes) {
  const ByteReader r(bytes);
  const std::size_t n = bytes.size();
  std::size_t pos = 2;
  bool seen_scan = false;
  while (true) {
    while (pos < n && bytes[pos] != 0xff) ++pos;  // stray bytes before a marker (tolerated)
    while (pos + 1 < n && bytes[pos + 1] == 0xff) ++pos;
    if (pos + 1 >= n) return false;
    const std::uint8_t m = bytes[pos + 1];
    pos += 2;
    if (m == 0xD9) return seen_scan;
    if (m == 0x00 || m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7)) continue;
    const auto length = r.U16(pos, true);
    if (!length || *length < 2 || !r.Has(pos, *length)) return false;
    pos += *length;
    if (m != 0xDA) continue;
    // Entropy-coded data: 0xff is followed by 0x00 (stuffing), RSTn, more 0xff, or a marker.
    seen_scan = true;
    while (true) {
      const void* ff = pos < n ? std::memchr(bytes.data() + pos, 0xff, n - pos) : nullptr;
      if (ff == nullptr) return false;
      pos = static_cast<std::size_t>(static_cast<const std::uint8_t*>(ff) - bytes.data());
      if (pos + 1 >= n) return false;
      const std::uint8_t next = bytes[pos + 1];
      if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
        pos += 2;
      } else if (next == 0xff) {
        pos += 1;
      } else {
        break;  // a real marker: back to the segment walk
      }
    }
  }
}

bool PngComplete(Bytes bytes) {
  const ByteReader r(bytes);
  const auto width = r.U32(16, true), height = r.U32(20, true);
  const auto depth = r.U8(24), colour = r.U8(25);
  if (!width || !height || !depth || !colour) return false;
  int channels = 0;
  switch (*colour) {
    case 0:
    case 3:
      channels = 1;
      break;
    case 2:
      channels = 3;
      break;
    case 4:
      channels = 2;
      break;
    case 6:
      channels = 4;
      break;
    default:
      return false;
  }
  const std::uint64_t row_bytes = (std::uint64_t{*width} * channels * *depth + 7) / 8;
  const std::uint64_t raster = (row_bytes + 1) * *height;  // one filter byte per row

  std::uint64_t idat = 0;
  std::size_t pos = 8;
  while (true) {
    const auto length = r.U32(pos, true);
    if (!length || *length > 0x7fffffffu) return false;
    if (!r.Has(pos, std::size_t{12} + *length)) return false;
    if (r.Matches(pos + 4, "IDAT")) idat += *length;
    if (r.Matches(pos + 4, "IEND")) break;
    pos += std::size_t{12} + *length;
  }
  // Deflate's maximum expansion is 1032:1; the margin covers zlib framing and interlacing.
  return raster / 1032 <= idat + 1024;
}

bool BmpComplete(Bytes bytes) {
  const ByteReader r(bytes);
  const auto data_at = r.U32(10, false), header_size = r.U32(14, false);
  if (!data_at || !header_size) return false;
  std::int64_t width = 0, height = 0;
  int bpp = 0;
  std::uint32_t compression = 0;
  if (*header_size == 12) {
    const auto w = r.U16(18, false), h = r.U16(20, false), b = r.U16(24, false);
    if (!w || !h || !b) return false;
    width = *w;
    height = *h;
    bpp = *b;
  } else {
    const auto w = r.U32(18, false), h = r.U32(22, false), c = r.U32(30, false);
    const auto b = r.U16(28, false);
    if (!w || !h || !b || !c) return false;
    width = static_cast<std::int32_t>(*w);
    height = std::llabs(static_cast<std::int32_t>(*h));
    bpp = *b;
    compression = *c;
  }
  // RLE and embedded JPEG/PNG bitmaps are variable-length: the decoder judges those.
  if (compression != 0 && compression != 3 && compression != 6) return true;
  if (bpp <= 0 || bpp > 32) return false;
  const std::int64_t stride = (width * bpp + 31) / 32 * 4;
  return std::uint64_t{*data_at} + static_cast<std::uint64_t>(stride * height) <= bytes.size();
}

bool WebpComplete(Bytes bytes) {
  const auto riff_size = ByteReader(bytes).U32(4, false);
  return riff_size && std::uint64_t{*riff_size} + 8 <= bytes.size();
}

}  // namespace ocular::image_internal
