// Image ingestion: format names, per-API limits and the IngestImage pipeline. Probing lives in
// image_probe.cc, decoding in image_decode.cc (with gif_decoder.cc and ico_decoder.cc).
#include "core/image.h"

#include <cstdint>
#include <string>

#include "core/image_internal.h"

namespace ocular {
namespace image_internal {

Status FormatError(const std::string& what) {
  return InvalidArgument("Input data is not a valid image: " + what + ".", kInvalidImageFormat);
}

Status SizeError(const std::string& what) { return InvalidArgument(what, kInvalidImageSize); }

Status CheckWholeDecodeSize(const char* what, std::int64_t width, std::int64_t height) {
  if (width * height <= kMaxWholeDecodePixels) return Status::Ok();
  return SizeError(std::string(what) + " images are decoded whole, so they may have at most " +
                   std::to_string(kMaxWholeDecodePixels / 1'000'000) + " megapixels; this one is " +
                   std::to_string(width) + " x " + std::to_string(height) +
                   ". JPEG, PNG, GIF and WEBP images may be larger.");
}

}  // namespace image_internal

using image_internal::SizeError;

std::string_view ImageFormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg:
      return "Jpeg";
    case ImageFormat::kPng:
      return "Png";
    case ImageFormat::kGif:
      return "Gif";
    case ImageFormat::kBmp:
      return "Bmp";
    case ImageFormat::kWebp:
      return "Webp";
    case ImageFormat::kTiff:
      return "Tiff";
    case ImageFormat::kIco:
      return "Ico";
    case ImageFormat::kUnknown:
      break;
  }
  return "Unknown";
}

ImageLimits ImageLimits::ForApi(ApiVersion api) {
  ImageLimits limits;
  limits.max_bytes = api == ApiVersion::kV40 ? std::size_t{20971520} : std::size_t{4194304};
  limits.min_side = 50;
  limits.max_side = 16000;
  return limits;
}

Status CheckByteSize(std::size_t size, ApiVersion api) {
  const ImageLimits limits = ImageLimits::ForApi(api);
  const std::string max = std::to_string(limits.max_bytes);
  if (api == ApiVersion::kV40) {
    if (size == 0 || size > limits.max_bytes) {
      return InvalidArgument("The image size is not allowed to be zero or larger than " + max +
                             " bytes.");
    }
    return Status::Ok();
  }
  if (size == 0) return SizeError("Input image is empty. The image must not be zero bytes.");
  if (size > limits.max_bytes) {
    return SizeError("Input image is too large. The image must be smaller than " + max + " bytes.");
  }
  return Status::Ok();
}

Status CheckDimensions(const ImageInfo& info, const ImageLimits& limits) {
  const auto in_range = [&](int side) { return side > limits.min_side && side < limits.max_side; };
  if (!in_range(info.width) || !in_range(info.height)) {
    return SizeError("Image dimension is not allowed to be smaller than " +
                     std::to_string(limits.min_side) + " and larger than " +
                     std::to_string(limits.max_side) + ".");
  }
  // BMP is always decoded whole (a TIFF only when libtiff's RGBA reader refuses its layout, and
  // the DIB entries of ICO: both checked when they are decoded).
  if (info.format == ImageFormat::kBmp) {
    return image_internal::CheckWholeDecodeSize("BMP", info.width, info.height);
  }
  return Status::Ok();
}

StatusOr<DecodedImage> IngestImage(std::span<const std::uint8_t> bytes, ApiVersion api,
                                   const DecodeOptions& options) {
  OCULAR_RETURN_IF_ERROR(CheckByteSize(bytes.size(), api));
  OCULAR_ASSIGN_OR_RETURN(const ImageInfo info, ProbeImage(bytes));
  OCULAR_RETURN_IF_ERROR(CheckDimensions(info, ImageLimits::ForApi(api)));
  return DecodeImage(bytes, info, options);
}

}  // namespace ocular
