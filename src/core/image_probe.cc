// ProbeImage: format from magic bytes and dimensions from the header, without decoding pixels.
// Every read is bounds-checked (ByteReader); a truncated or inconsistent header is
// InvalidArgument/InvalidImageFormat.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "core/image.h"
#include "core/image_internal.h"

namespace ocular {
namespace image_internal {
namespace {

constexpr std::string_view kPngMagic("\x89PNG\r\n\x1a\n", 8);

// Stored dimensions must be positive and fit an int; anything else is a corrupt header.
StatusOr<ImageInfo> MakeInfo(ImageFormat format, std::int64_t width, std::int64_t height) {
  if (width <= 0 || height <= 0) return FormatError("the header declares an empty image");
  if (width > INT32_MAX || height > INT32_MAX) {
    return FormatError("the header declares impossible dimensions");
  }
  ImageInfo info;
  info.format = format;
  info.width = static_cast<int>(width);
  info.height = static_cast<int>(height);
  return info;
}

Status Truncated(std::string_view format) {
  return FormatError("truncated or corrupt " + std::string(format) + " header");
}

// ---- TIFF structure (TIFF files and EXIF blocks) ---------------------------------------------

// One IFD entry's first value as an unsigned integer (SHORT, LONG or LONG8), or nullopt.
struct TiffHeader {
  bool big_endian = false;
  bool big_tiff = false;
  std::uint64_t first_ifd = 0;
};

std::optional<TiffHeader> ReadTiffHeader(const ByteReader& r) {
  TiffHeader h;
  if (r.Matches(0, "II")) {
    h.big_endian = false;
  } else if (r.Matches(0, "MM")) {
    h.big_endian = true;
  } else {
    return std::nullopt;
  }
  const auto version = r.U16(2, h.big_endian);
  if (!version) return std::nullopt;
  if (*version == 42) {
    const auto off = r.U32(4, h.big_endian);
    if (!off) return std::nullopt;
    h.first_ifd = *off;
  } else if (*version == 43) {
    // BigTIFF: offset size 8, reserved 0, then an 8-byte first IFD offset.
    const auto offset_size = r.U16(4, h.big_endian);
    const auto off = r.U64(8, h.big_endian);
    if (!offset_size || *offset_size != 8 || !off) return std::nullopt;
    h.big_tiff = true;
    h.first_ifd = *off;
  } else {
    return std::nullopt;
  }
  return h;
}

// Looks up integer-valued tags of the IFD at h.first_ifd. `tags`/`values` have `n` entries;
// values stay unset when the tag is absent or has a non-integer type.
bool ReadIfdTags(const ByteReader& r, const TiffHeader& h, const std::uint16_t* tags,
                 std::optional<std::uint64_t>* values, int n) {
  if (h.first_ifd >= r.size()) return false;
  const std::size_t ifd = static_cast<std::size_t>(h.first_ifd);
  const std::size_t entry_size = h.big_tiff ? 20 : 12;
  const std::size_t count_size = h.big_tiff ? 8 : 2;
  std::uint64_t count = 0;
  if (h.big_tiff) {
    const auto c = r.U64(ifd, h.big_endian);
    if (!c) return false;
    count = *c;
  } else {
    const auto c = r.U16(ifd, h.big_endian);
    if (!c) return false;
    count = *c;
  }
  // Never walk past the buffer, whatever the count says.
  count = std::min<std::uint64_t>(count, (r.size() - ifd) / entry_size);
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::size_t e = ifd + count_size + static_cast<std::size_t>(i) * entry_size;
    const auto tag = r.U16(e, h.big_endian);
    const auto type = r.U16(e + 2, h.big_endian);
    if (!tag || !type) return false;
    const std::size_t value_at = e + (h.big_tiff ? 12 : 8);
    std::optional<std::uint64_t> value;
    if (*type == 3) {  // SHORT
      if (auto v = r.U16(value_at, h.big_endian)) value = *v;
    } else if (*type == 4) {  // LONG
      if (auto v = r.U32(value_at, h.big_endian)) value = *v;
    } else if (*type == 16 && h.big_tiff) {  // LONG8
      if (auto v = r.U64(value_at, h.big_endian)) value = *v;
    }
    for (int k = 0; k < n; ++k) {
      if (tags[k] == *tag && !values[k]) values[k] = value;
    }
  }
  return true;
}

StatusOr<ImageInfo> ProbeTiff(Bytes bytes) {
  const ByteReader r(bytes);
  const auto header = ReadTiffHeader(r);
  if (!header) return Truncated("TIFF");
  const std::uint16_t tags[3] = {256, 257, 274};  // ImageWidth, ImageLength, Orientation
  std::optional<std::uint64_t> values[3];
  if (!ReadIfdTags(r, *header, tags, values, 3)) return Truncated("TIFF");
  if (!values[0] || !values[1]) return FormatError("the TIFF header has no image dimensions");
  if (*values[0] > INT32_MAX || *values[1] > INT32_MAX) {
    return FormatError("the header declares impossible dimensions");
  }
  OCULAR_ASSIGN_OR_RETURN(ImageInfo info,
                          MakeInfo(ImageFormat::kTiff, static_cast<std::int64_t>(*values[0]),
                                   static_cast<std::int64_t>(*values[1])));
  // The Orientation tag means what EXIF's does (same tag, same values); others are ignored.
  if (values[2] && *values[2] >= 1 && *values[2] <= 8) info.orientation = static_cast<int>(*values[2]);
  return info;
}

// ---- single formats -----------------------------------------------------------------------

StatusOr<ImageInfo> ProbeGif(Bytes bytes) {
  const ByteReader r(bytes);
  const auto w = r.U16(6, false), h = r.U16(8, false);
  const auto flags = r.U8(10);
  if (!w || !h || !flags || !r.Has(0, 13)) return Truncated("GIF");
  OCULAR_ASSIGN_OR_RETURN(ImageInfo info, MakeInfo(ImageFormat::kGif, *w, *h));
  // Animation: walk the block structure (sub-block lengths only, no LZW) until a second image
  // descriptor. A malformed or truncated tail just stops the walk: the decoder judges the data.
  std::size_t pos = 13;
  if (*flags & 0x80) pos += 3u * (1u << ((*flags & 7) + 1));
  int images = 0;
  const auto skip_sub_blocks = [&]() {
    while (true) {
      const auto len = r.U8(pos);
      if (!len) return false;
      pos += 1 + *len;
      if (*len == 0) return true;
    }
  };
  while (images < 2) {
    const auto block = r.U8(pos);
    if (!block || *block == 0x3B) break;
    if (*block == 0x21) {
      pos += 2;  // introducer and label
      if (!skip_sub_blocks()) break;
    } else if (*block == 0x2C) {
      const auto packed = r.U8(pos + 9);
      if (!packed) break;
      ++images;
      pos += 10;
      if (*packed & 0x80) pos += 3u * (1u << ((*packed & 7) + 1));
      pos += 1;  // LZW minimum code size
      if (!skip_sub_blocks()) break;
    } else {
      break;
    }
  }
  info.animated = images >= 2;
  return info;
}

StatusOr<ImageInfo> ProbeBmp(Bytes bytes) {
  const ByteReader r(bytes);
  const auto header_size = r.U32(14, false);
  if (!header_size) return Truncated("BMP");
  std::int64_t width = 0, height = 0;
  if (*header_size == 12) {  // BITMAPCOREHEADER: unsigned 16-bit sides
    const auto w = r.U16(18, false), h = r.U16(20, false);
    if (!w || !h) return Truncated("BMP");
    width = *w;
    height = *h;
  } else if (*header_size >= 40) {  // BITMAPINFOHEADER and its successors: signed 32-bit sides
    const auto w = r.U32(18, false), h = r.U32(22, false);
    if (!w || !h) return Truncated("BMP");
    width = static_cast<std::int32_t>(*w);
    height = static_cast<std::int32_t>(*h);
    if (height < 0) height = -height;  // top-down bitmap (INT32_MIN becomes 2^31: rejected)
  } else {
    return FormatError("unsupported BMP header");
  }
  return MakeInfo(ImageFormat::kBmp, width, height);
}

// The orientation in a WebP's EXIF chunk (VP8X files only), walking the RIFF chunks; 1 when
// absent or malformed. Some writers keep JPEG's "Exif\0\0" prefix in the chunk: skipped.
int WebpExifOrientation(const ByteReader& r) {
  std::size_t pos = 12;
  for (int chunks = 0; chunks < 64; ++chunks) {
    const auto size = r.U32(pos + 4, false);
    if (!size || !r.Has(pos, 8)) return 1;
    if (r.Matches(pos, "EXIF")) {
      const std::size_t n = std::min<std::size_t>(*size, r.size() - pos - 8);
      Bytes payload = r.Sub(pos + 8, n);
      if (ByteReader(payload).Matches(0, std::string_view("Exif\0\0", 6))) {
        payload = payload.subspan(6);
      }
      return ExifOrientation(payload);
    }
    pos += 8 + std::size_t{*size} + (*size & 1);
  }
  return 1;
}

StatusOr<ImageInfo> ProbeWebp(Bytes bytes) {
  const ByteReader r(bytes);
  if (r.Matches(12, "VP8 ")) {
    // Lossy: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height.
    if (!r.Matches(23, "\x9d\x01\x2a")) return Truncated("WEBP");
    const auto w = r.U16(26, false), h = r.U16(28, false);
    if (!w || !h) return Truncated("WEBP");
    return MakeInfo(ImageFormat::kWebp, *w & 0x3fff, *h & 0x3fff);
  }
  if (r.Matches(12, "VP8L")) {
    // Lossless: signature 0x2f, then 14-bit width-1 and 14-bit height-1.
    const auto sig = r.U8(20);
    const auto bits = r.U32(21, false);
    if (!sig || *sig != 0x2f || !bits) return Truncated("WEBP");
    return MakeInfo(ImageFormat::kWebp, (*bits & 0x3fff) + 1, ((*bits >> 14) & 0x3fff) + 1);
  }
  if (r.Matches(12, "VP8X")) {
    // Extended: flags byte, 3 reserved bytes, 24-bit canvas width-1 and height-1.
    const auto flags = r.U8(20);
    const auto w = r.U32(24, false), h = r.U32(26, false);
    if (!flags || !w || !h) return Truncated("WEBP");
    OCULAR_ASSIGN_OR_RETURN(ImageInfo info, MakeInfo(ImageFormat::kWebp, (*w & 0xffffff) + 1,
                                                     ((*h >> 8) & 0xffffff) + 1));
    info.animated = (*flags & 0x02) != 0;
    if (*flags & 0x08) info.orientation = WebpExifOrientation(r);
    return info;
  }
  return Truncated("WEBP");
}

StatusOr<ImageInfo> ProbeIco(Bytes bytes) {
  OCULAR_ASSIGN_OR_RETURN(const IcoEntry entry, SelectIcoEntry(bytes));
  return MakeInfo(ImageFormat::kIco, entry.width, entry.height);
}

bool IsSofMarker(std::uint8_t m) {
  return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

}  // namespace

ImageFormat DetectFormat(Bytes bytes) {
  const ByteReader r(bytes);
  if (r.Matches(0, "\xff\xd8\xff")) return ImageFormat::kJpeg;
  if (r.Matches(0, kPngMagic)) return ImageFormat::kPng;
  if (r.Matches(0, "GIF87a") || r.Matches(0, "GIF89a")) return ImageFormat::kGif;
  if (r.Matches(0, "BM")) return ImageFormat::kBmp;
  if (r.Matches(0, "RIFF") && r.Matches(8, "WEBP")) return ImageFormat::kWebp;
  if (r.Matches(0, std::string_view("II*\0", 4)) || r.Matches(0, std::string_view("MM\0*", 4)) ||
      r.Matches(0, std::string_view("II+\0", 4)) || r.Matches(0, std::string_view("MM\0+", 4))) {
    return ImageFormat::kTiff;
  }
  if (r.Matches(0, std::string_view("\0\0\1\0", 4))) return ImageFormat::kIco;
  return ImageFormat::kUnknown;
}

int ExifOrientation(Bytes tiff) {
  const ByteReader r(tiff);
  const auto header = ReadTiffHeader(r);
  if (!header || header->big_tiff) return 1;
  const std::uint16_t tags[1] = {0x0112};
  std::optional<std::uint64_t> values[1];
  if (!ReadIfdTags(r, *header, tags, values, 1) || !values[0]) return 1;
  return *values[0] >= 1 && *values[0] <= 8 ? static_cast<int>(*values[0]) : 1;
}

StatusOr<ImageInfo> ProbePng(Bytes bytes) {
  const ByteReader r(bytes);
  if (!r.Matches(0, kPngMagic)) return FormatError("not a PNG image");
  // The first chunk must be IHDR (length 13): width and height are big-endian 32-bit.
  const auto length = r.U32(8, true);
  const auto w = r.U32(16, true), h = r.U32(20, true);
  if (!length || !r.Matches(12, "IHDR") || !w || !h || !r.Has(0, 33)) return Truncated("PNG");
  if (*length != 13) return Truncated("PNG");
  if (*w > INT32_MAX || *h > INT32_MAX)
    return FormatError("the header declares impossible dimensions");
  return MakeInfo(ImageFormat::kPng, *w, *h);
}

StatusOr<ImageInfo> ProbeJpeg(Bytes bytes) {
  const ByteReader r(bytes);
  if (!r.Matches(0, "\xff\xd8")) return FormatError("not a JPEG image");
  // Walks the header segments up to the first scan: the frame header (SOFn) gives the stored
  // sides and the first EXIF APP1 the orientation (it may come before or after SOFn).
  std::optional<ImageInfo> frame;
  int orientation = 1;
  bool exif_seen = false;
  const auto finish = [&]() -> StatusOr<ImageInfo> {
    if (!frame) return FormatError("the JPEG data has no frame header");
    frame->orientation = orientation;
    return *frame;
  };
  std::size_t pos = 2;
  while (true) {
    // Find the next marker: tolerate garbage before it (as libjpeg does) and 0xff fill bytes.
    while (r.Has(pos, 1) && *r.U8(pos) != 0xff) ++pos;
    while (r.Has(pos + 1, 1) && *r.U8(pos + 1) == 0xff) ++pos;
    const auto marker = r.U8(pos + 1);
    if (!marker) return frame ? finish() : Truncated("JPEG");
    pos += 2;
    const std::uint8_t m = *marker;
    if (m == 0x01 || (m >= 0xD0 && m <= 0xD7) || m == 0x00 || m == 0xD8) continue;  // no payload
    if (m == 0xD9 || m == 0xDA) return finish();
    const auto length = r.U16(pos, true);
    if (!length || *length < 2 || !r.Has(pos, *length)) {
      return frame ? finish() : Truncated("JPEG");  // a cut body is the decoder's business
    }
    const Bytes payload = r.Sub(pos + 2, *length - 2);
    if (IsSofMarker(m) && !frame) {
      const ByteReader sof(payload);
      const auto h = sof.U16(1, true), w = sof.U16(3, true);
      if (!h || !w) return Truncated("JPEG");
      OCULAR_ASSIGN_OR_RETURN(frame, MakeInfo(ImageFormat::kJpeg, *w, *h));
    } else if (m == 0xE1 && !exif_seen &&
               ByteReader(payload).Matches(0, std::string_view("Exif\0\0", 6))) {
      exif_seen = true;  // only the first EXIF block counts
      orientation = ExifOrientation(payload.subspan(6));
    }
    pos += *length;
  }
}

}  // namespace image_internal

StatusOr<ImageInfo> ProbeImage(std::span<const std::uint8_t> bytes) {
  using namespace image_internal;
  if (bytes.empty()) return FormatError("the image is empty");
  StatusOr<ImageInfo> info = FormatError("unsupported image format");
  switch (DetectFormat(bytes)) {
    case ImageFormat::kJpeg:
      info = ProbeJpeg(bytes);
      break;
    case ImageFormat::kPng:
      info = ProbePng(bytes);
      break;
    case ImageFormat::kGif:
      info = ProbeGif(bytes);
      break;
    case ImageFormat::kBmp:
      info = ProbeBmp(bytes);
      break;
    case ImageFormat::kWebp:
      info = ProbeWebp(bytes);
      break;
    case ImageFormat::kTiff:
      info = ProbeTiff(bytes);
      break;
    case ImageFormat::kIco:
      info = ProbeIco(bytes);
      break;
    case ImageFormat::kUnknown:
      break;
  }
  if (!info.ok()) return info;
  // Orientations 5..8 transpose the stored image: report the displayed sides.
  if (info->orientation >= 5) std::swap(info->width, info->height);
  return info;
}

}  // namespace ocular
