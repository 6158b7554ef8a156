// Image ingestion: format detection from magic bytes, header probing (dimensions before any
// pixel is decoded), per-API limits, and decoding to upright 8-bit BGR.
//
// Contract for every function here: hostile input (truncated, corrupt, huge dimensions,
// decompression bombs) yields an error Status, never a crash, an abort or a half-decoded image.
// Nothing here touches the disk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include <opencv2/core.hpp>

#include "core/status.h"

namespace ocular {

enum class ImageFormat { kUnknown, kJpeg, kPng, kGif, kBmp, kWebp, kTiff, kIco };

// "Jpeg", "Png", "Gif", "Bmp", "Webp", "Tiff", "Ico" (v3.2 metadata.format spelling);
// "Unknown" for kUnknown.
std::string_view ImageFormatName(ImageFormat format);

// The two wire APIs, which differ in their limits and JSON shapes.
enum class ApiVersion { kV40, kV32 };

// What the header says, read without decoding pixels.
struct ImageInfo {
  ImageFormat format = ImageFormat::kUnknown;
  int width = 0;   // as displayed: after EXIF orientation (5..8 swap the stored sides)
  int height = 0;
  // EXIF orientation 1..8 (JPEG's EXIF, TIFF's Orientation tag, a WebP EXIF chunk), applied by
  // DecodeImage; 1 when absent or for the other formats.
  int orientation = 1;
  bool animated = false;  // GIF/WEBP with more than one frame (only the first is analysed)
};

// Byte-size and dimension limits of one API version (spec §1.6 and §2.6).
struct ImageLimits {
  std::size_t max_bytes = 0;  // a body must be non-empty and at most this many bytes
  int min_side = 50;          // both sides must be strictly greater than this
  int max_side = 16000;       // both sides must be strictly less than this

  // 4.0: max_bytes 20 971 520 (20 MiB), sides in (50, 16000).
  // v3.2: max_bytes 4 194 304 (4 MB as the service counts it), sides in (50, 16000).
  static ImageLimits ForApi(ApiVersion api);
};

// Checks the body size against the limits. Errors:
//   4.0:  InvalidArgument, no inner code, "The image size is not allowed to be zero or larger
//         than 20971520 bytes." (spec §1.5, observed without innererror);
//   v3.2: InvalidArgument, inner InvalidImageSize.
Status CheckByteSize(std::size_t size, ApiVersion api);

// Reads format and dimensions from the header only; never allocates pixel memory.
// Errors: InvalidArgument/InvalidImageFormat for unknown magic or a truncated/corrupt header.
StatusOr<ImageInfo> ProbeImage(std::span<const std::uint8_t> bytes);

// Checks the displayed dimensions. Error: InvalidArgument/InvalidImageSize naming the limit.
Status CheckDimensions(const ImageInfo& info, const ImageLimits& limits);

// The decoded image may be reduced by an integer factor f >= 1: it is then ceil(width / f) x
// ceil(height / f), each pixel standing for an f x f block. JPEG is reduced inside libjpeg (DCT
// scaling by 1/2, 1/4, 1/8, then an area resize for the rest), PNG and GIF while streaming (the
// full raster is never allocated), WEBP by libwebp's scaler, the other formats by an area resize
// after decoding.
struct DecodeOptions {
  // 0 (default): decode at full resolution. Otherwise the smallest longer-side length the caller
  // needs: f is the largest factor that keeps the longer side >= this value.
  int min_long_side = 0;
  // The per-request pixel budget: 0 (default) for none. Otherwise f is raised until the decoded
  // image has at most this many pixels, whatever min_long_side asks (so a 16000 x 16000 page is
  // read at 4000 x 4000 under a 16 MP budget).
  std::int64_t max_pixels = 0;
};

// The factor f described above, in [1, 256].
int ReductionFactor(const ImageInfo& info, const DecodeOptions& options);

struct DecodedImage {
  ImageInfo info;  // original (displayed) dimensions, whatever the decoded scale
  cv::Mat bgr;     // CV_8UC3, upright (EXIF applied), alpha composited onto white
  // Decoded pixels per original pixel (1.0 at full resolution, 0.5 for a 1/2 reduced decode).
  double scale() const { return info.width > 0 ? double(bgr.cols) / info.width : 1.0; }
};

// Decodes the first frame of an image already probed. REQUIRES: info == ProbeImage(bytes).
// Errors: InvalidArgument/InvalidImageFormat for corrupt or truncated data.
StatusOr<DecodedImage> DecodeImage(std::span<const std::uint8_t> bytes, const ImageInfo& info,
                                   const DecodeOptions& options = {});

// An 8-bit grey image of an 8-bit 1-, 3- (BGR) or 4-channel (BGRA) image, continuous: a
// converted copy, or `image` itself when it is already continuous grey. InvalidArgument for
// another depth or channel count; never throws (OpenCV errors are converted).
StatusOr<cv::Mat> ToGray8(const cv::Mat& image);

// CheckByteSize + ProbeImage + CheckDimensions + DecodeImage, in that order.
StatusOr<DecodedImage> IngestImage(std::span<const std::uint8_t> bytes, ApiVersion api,
                                   const DecodeOptions& options = {});

}  // namespace ocular
