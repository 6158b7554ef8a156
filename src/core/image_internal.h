// Internals of image ingestion (image*.cc, gif_decoder.cc, ico_decoder.cc); not a public API.
//
// Everything here works on untrusted bytes: every read goes through ByteReader (bounds-checked)
// and every error is an InvalidArgument Status with an Azure inner code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <opencv2/core.hpp>

#include "core/image.h"
#include "core/status.h"

namespace ocular::image_internal {

using Bytes = std::span<const std::uint8_t>;

inline constexpr const char* kInvalidImageFormat = "InvalidImageFormat";
inline constexpr const char* kInvalidImageSize = "InvalidImageSize";

// The largest pixel count DecodeImage ever allocates for (the 4.0 and v3.2 maximum side squared).
inline constexpr std::int64_t kMaxDecodePixels = std::int64_t{16000} * 16000;

// BMP, the DIB entries of ICO and TIFFs whose layout libtiff's RGBA reader refuses (or any TIFF
// at full resolution) have no reduced decoder here: they are decoded at full resolution (up to 4
// bytes a pixel, then a BGR copy) before the area resize, so they get a tighter bound than the
// streamed formats: 40 MP (a 600 dpi A4 scan, 35 MP, fits; about 280 MB while decoding). Larger
// ones are refused with InvalidImageSize by DecodeImage, and BMPs already by CheckDimensions
// (docs/reliability.md "Bounded work per request").
inline constexpr std::int64_t kMaxWholeDecodePixels = 40'000'000;

// InvalidArgument/InvalidImageFormat with a message that never contains image bytes.
Status FormatError(const std::string& what);
// InvalidArgument/InvalidImageSize.
Status SizeError(const std::string& what);
// SizeError when a `what` image ("BMP", "TIFF", ...) decoded whole would exceed
// kMaxWholeDecodePixels; OK otherwise.
Status CheckWholeDecodeSize(const char* what, std::int64_t width, std::int64_t height);

// Bounds-checked little/big-endian reads. Every accessor returns std::nullopt when the requested
// bytes do not lie entirely inside the buffer; nothing ever reads out of bounds.
class ByteReader {
 public:
  explicit ByteReader(Bytes bytes) : bytes_(bytes) {}
  std::size_t size() const { return bytes_.size(); }
  bool Has(std::size_t offset, std::size_t count) const {
    return offset <= bytes_.size() && count <= bytes_.size() - offset;
  }
  std::optional<std::uint8_t> U8(std::size_t off) const {
    if (!Has(off, 1)) return std::nullopt;
    return bytes_[off];
  }
  std::optional<std::uint16_t> U16(std::size_t off, bool big_endian) const {
    if (!Has(off, 2)) return std::nullopt;
    const std::uint16_t a = bytes_[off], b = bytes_[off + 1];
    return big_endian ? std::uint16_t(a << 8 | b) : std::uint16_t(b << 8 | a);
  }
  std::optional<std::uint32_t> U32(std::size_t off, bool big_endian) const {
    if (!Has(off, 4)) return std::nullopt;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const std::uint32_t byte = bytes_[off + (big_endian ? i : 3 - i)];
      v = v << 8 | byte;
    }
    return v;
  }
  std::optional<std::uint64_t> U64(std::size_t off, bool big_endian) const {
    if (!Has(off, 8)) return std::nullopt;
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) {
      const std::uint64_t byte = bytes_[off + (big_endian ? i : 7 - i)];
      v = v << 8 | byte;
    }
    return v;
  }
  // True when the bytes at `off` equal `magic` (false when out of bounds).
  bool Matches(std::size_t off, std::string_view magic) const {
    if (!Has(off, magic.size())) return false;
    for (std::size_t i = 0; i < magic.size(); ++i) {
      if (bytes_[off + i] != static_cast<std::uint8_t>(magic[i])) return false;
    }
    return true;
  }
  Bytes Sub(std::size_t off, std::size_t count) const { return bytes_.subspan(off, count); }
  Bytes bytes() const { return bytes_; }

 private:
  Bytes bytes_;
};

// Format from magic bytes only.
ImageFormat DetectFormat(Bytes bytes);

// Header probes of single formats (image_probe.cc). They fill format, width, height (stored,
// before any orientation), orientation and animated.
StatusOr<ImageInfo> ProbePng(Bytes bytes);
StatusOr<ImageInfo> ProbeJpeg(Bytes bytes);

// The EXIF orientation (1..8) in a TIFF-structured EXIF block ("II*\0..." / "MM\0*...");
// 1 when absent or malformed (EXIF problems never reject an image).
int ExifOrientation(Bytes tiff);

// ICO (ico_decoder.cc): the entry that ProbeImage reports and DecodeImage decodes: the largest
// by area (ties: more bits per pixel, then the first).
struct IcoEntry {
  std::size_t offset = 0;
  std::size_t size = 0;
  int width = 0;
  int height = 0;
  bool is_png = false;
};
StatusOr<IcoEntry> SelectIcoEntry(Bytes bytes);
// Decodes `entry` to CV_8UC3 BGR (alpha and the AND mask composited onto white), reduced by
// `factor` (ReductionFactor) when it is a PNG entry (while streaming: DecodePngReduced); a DIB
// entry is decoded whole (its pixels are in the file, so the body limit bounds it).
StatusOr<cv::Mat> DecodeIco(Bytes bytes, const IcoEntry& entry, int factor);

// GIF (gif_decoder.cc): the first frame composited onto the logical screen (background and
// transparent pixels white), CV_8UC3 BGR of the logical screen size divided by `factor` (rounded
// up; each pixel the mean of its factor x factor block). REQUIRES: 1 <= factor <= kMaxReduction.
StatusOr<cv::Mat> DecodeGif(Bytes bytes, int factor = 1);

// PNG (png_reduced.cc) decoded while streaming at 1/factor (rounded up; block means, alpha
// composited onto white), without ever holding the full raster. REQUIRES: 1 <= factor <=
// kMaxReduction and PngComplete(bytes).
StatusOr<cv::Mat> DecodePngReduced(Bytes bytes, int factor);

// TIFF (tiff_reduced.cc) read band by band through libtiff's RGBA interface at 1/factor of the
// STORED size (block means, alpha composited onto white), never holding the full raster; the
// caller applies the Orientation tag. Unsupported for layouts libtiff's RGBA reader refuses
// (the caller falls back to a whole decode); InvalidImageFormat for corrupt data.
// REQUIRES: 1 <= factor <= kMaxReduction.
StatusOr<cv::Mat> DecodeTiffReduced(Bytes bytes, int factor);

// The largest reduction factor the decoders use (block sums stay within 32 bits).
inline constexpr int kMaxReduction = 256;

// Structural checks run before a decoder sees the data (image_structure.cc). Each is cheap (a
// walk over segment/chunk headers, or a memchr scan for JPEG) and false for a cut file.
// JPEG: segments and entropy-coded data walked until EOI.
bool JpegComplete(Bytes bytes);
// PNG: chunks reach IEND, and the IDAT bytes can plausibly inflate to the declared raster
// (deflate never expands more than 1032:1), so a tiny file cannot make the decoder allocate a
// huge image only to fail.
bool PngComplete(Bytes bytes);
// BMP: uncompressed (BI_RGB/BITFIELDS) pixel data is entirely present.
bool BmpComplete(Bytes bytes);
// WEBP: the RIFF payload is entirely present.
bool WebpComplete(Bytes bytes);

// OpenCV imdecode with foreign errors converted; an empty result is InvalidImageFormat.
StatusOr<cv::Mat> ImDecode(Bytes bytes, int flags);

// Converts any decoded Mat (1-4 channels, 8/16-bit or float) to CV_8UC3 BGR; alpha (channel 2 of
// 2 or 4 of 4) is composited onto white.
StatusOr<cv::Mat> ToBgr8(const cv::Mat& decoded);

}  // namespace ocular::image_internal
