// DecodeImage: first frame to upright CV_8UC3 BGR. JPEG/PNG/BMP/WEBP/TIFF go through OpenCV
// (after the structural checks of image_structure.cc, since libjpeg turns a truncated file into
// a grey-filled "success"), GIF through giflib (gif_decoder.cc), ICO by hand (ico_decoder.cc),
// animated WebP's first frame through libwebpdemux + libwebp's scaler. The decoded size must equal
// the probed size.
#include <webp/decode.h>
#include <webp/demux.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/image.h"
#include "core/image_internal.h"

namespace ocular {
namespace image_internal {
namespace {

// Display transform for EXIF orientations 2..8 (the same mapping as OpenCV's).
void ApplyOrientation(cv::Mat& img, int orientation) {
  switch (orientation) {
    case 2:
      cv::flip(img, img, 1);
      break;
    case 3:
      cv::flip(img, img, -1);
      break;
    case 4:
      cv::flip(img, img, 0);
      break;
    case 5:
      cv::transpose(img, img);
      break;
    case 6:
      cv::rotate(img, img, cv::ROTATE_90_CLOCKWISE);
      break;
    case 7:
      cv::transpose(img, img);
      cv::flip(img, img, -1);
      break;
    case 8:
      cv::rotate(img, img, cv::ROTATE_90_COUNTERCLOCKWISE);
      break;
    default:
      break;
  }
}

// Composites a BGRA (or grey+alpha, expanded to BGRA first) image onto white.
cv::Mat CompositeOnWhite(const cv::Mat& bgra) {
  cv::Mat out(bgra.rows, bgra.cols, CV_8UC3);
  for (int y = 0; y < bgra.rows; ++y) {
    const cv::Vec4b* src = bgra.ptr<cv::Vec4b>(y);
    cv::Vec3b* dst = out.ptr<cv::Vec3b>(y);
    for (int x = 0; x < bgra.cols; ++x) {
      const int a = src[x][3];
      for (int c = 0; c < 3; ++c) {
        dst[x][c] = static_cast<std::uint8_t>((src[x][c] * a + 255 * (255 - a) + 127) / 255);
      }
    }
  }
  return out;
}

StatusOr<cv::Mat> ToBgr8Unchecked(const cv::Mat& decoded) {
  cv::Mat img8;
  switch (decoded.depth()) {
    case CV_8U:
      img8 = decoded;
      break;
    case CV_16U:
      decoded.convertTo(img8, CV_8U, 1.0 / 257.0);
      break;
    case CV_32F:
    case CV_64F:
      decoded.convertTo(img8, CV_8U, 255.0);
      break;  // float images are in [0, 1]
    default:
      cv::normalize(decoded, img8, 0, 255, cv::NORM_MINMAX, CV_8U);
      break;
  }
  cv::Mat out;
  switch (img8.channels()) {
    case 1:
      cv::cvtColor(img8, out, cv::COLOR_GRAY2BGR);
      return out;
    case 2: {
      cv::Mat planes[2];
      cv::split(img8, planes);
      const cv::Mat bgra_planes[4] = {planes[0], planes[0], planes[0], planes[1]};
      cv::Mat bgra;
      cv::merge(bgra_planes, 4, bgra);
      return CompositeOnWhite(bgra);
    }
    case 3:
      return img8;
    case 4:
      return CompositeOnWhite(img8);
    default:
      return FormatError("unsupported number of colour channels");
  }
}

// The largest JPEG DCT reduction (8, 4, 2 or 1) not above `factor`, as an imdecode flag.
int JpegFlag(int factor, int* dct) {
  static constexpr std::pair<int, int> kChoices[] = {{8, cv::IMREAD_REDUCED_COLOR_8},
                                                     {4, cv::IMREAD_REDUCED_COLOR_4},
                                                     {2, cv::IMREAD_REDUCED_COLOR_2}};
  for (const auto& [f, flag] : kChoices) {
    if (factor >= f) {
      *dct = f;
      return flag;
    }
  }
  *dct = 1;
  return cv::IMREAD_COLOR;
}

int Reduced(int side, int factor) { return (side + factor - 1) / factor; }

// An area resize of an image decoded at 1/decoded_factor of the displayed size to 1/factor. The
// decoded size is checked first, so a decoder disagreeing with the header is still an error.
StatusOr<cv::Mat> ResizeTo(cv::Mat img, const ImageInfo& info, int factor, int decoded_factor = 1) {
  if (img.cols != Reduced(info.width, decoded_factor) ||
      img.rows != Reduced(info.height, decoded_factor)) {
    return FormatError("the decoded image does not match its header");
  }
  const cv::Size want(Reduced(info.width, factor), Reduced(info.height, factor));
  if (img.size() == want) return img;
  cv::Mat out;
  cv::resize(img, out, want, 0, 0, cv::INTER_AREA);
  return out;
}

// WEBP bitstream bytes (a whole still file, or one animation frame's ALPH + VP8/VP8L chunks)
// decoded by libwebp, scaled while decoding to width x height, BGRA composited onto white.
StatusOr<cv::Mat> DecodeWebpTo(Bytes bytes, int width, int height) {
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) return Internal("libwebp version mismatch");
  config.options.use_scaling = 1;
  config.options.scaled_width = width;
  config.options.scaled_height = height;
  config.output.colorspace = MODE_BGRA;
  if (WebPDecode(bytes.data(), bytes.size(), &config) != VP8_STATUS_OK) {
    WebPFreeDecBuffer(&config.output);
    return FormatError("corrupt WEBP data");
  }
  const cv::Mat view(config.output.height, config.output.width, CV_8UC4, config.output.u.RGBA.rgba,
                     static_cast<std::size_t>(config.output.u.RGBA.stride));
  StatusOr<cv::Mat> out = ToBgr8(view);
  WebPFreeDecBuffer(&config.output);
  return out;
}

// WEBP (still) decoded by libwebp at the wanted size, BGRA composited onto white.
StatusOr<cv::Mat> DecodeWebpScaled(Bytes bytes, const ImageInfo& info, int factor) {
  const bool swapped = info.orientation >= 5;  // info has displayed sides; libwebp stored ones
  return DecodeWebpTo(bytes, Reduced(swapped ? info.height : info.width, factor),
                      Reduced(swapped ? info.width : info.height, factor));
}

// The first frame of an animated WebP (OpenCV 4.6 refuses animations) as BGR of the stored
// canvas size reduced by `factor`: the canvas white, the frame decoded alone by libwebp's scaler
// and pasted at its offset (the first frame has nothing under it to blend with or dispose of).
// Never holds the canvas or the frame at full size (libwebp's animation decoder kept two
// full-size BGRA canvases: 3 GB of RSS for an 8 KB file declaring 15999 x 15999).
StatusOr<cv::Mat> DecodeAnimatedWebpFirstFrame(Bytes bytes, int factor) {
  WebPData data{bytes.data(), bytes.size()};
  std::unique_ptr<WebPDemuxer, void (*)(WebPDemuxer*)> demux(WebPDemux(&data), WebPDemuxDelete);
  if (!demux) return FormatError("corrupt animated WEBP data");
  const std::int64_t canvas_w = WebPDemuxGetI(demux.get(), WEBP_FF_CANVAS_WIDTH);
  const std::int64_t canvas_h = WebPDemuxGetI(demux.get(), WEBP_FF_CANVAS_HEIGHT);
  if (canvas_w <= 0 || canvas_h <= 0 || canvas_w * canvas_h > kMaxDecodePixels) {
    return FormatError("corrupt animated WEBP header");
  }
  WebPIterator frame;
  if (!WebPDemuxGetFrame(demux.get(), 1, &frame)) {
    return FormatError("corrupt animated WEBP frame");
  }
  std::unique_ptr<WebPIterator, void (*)(WebPIterator*)> release(&frame, WebPDemuxReleaseIterator);
  if (frame.width <= 0 || frame.height <= 0 || frame.x_offset + frame.width > canvas_w ||
      frame.y_offset + frame.height > canvas_h) {
    return FormatError("corrupt animated WEBP frame");
  }
  cv::Mat canvas(Reduced(static_cast<int>(canvas_h), factor),
                 Reduced(static_cast<int>(canvas_w), factor), CV_8UC3, cv::Scalar(255, 255, 255));
  OCULAR_ASSIGN_OR_RETURN(
      const cv::Mat pixels,
      DecodeWebpTo(Bytes(frame.fragment.bytes, frame.fragment.size), Reduced(frame.width, factor),
                   Reduced(frame.height, factor)));
  cv::Rect at(frame.x_offset / factor, frame.y_offset / factor, pixels.cols, pixels.rows);
  at &= cv::Rect(0, 0, canvas.cols, canvas.rows);
  pixels(cv::Rect(0, 0, at.width, at.height)).copyTo(canvas(at));
  return canvas;
}

}  // namespace

StatusOr<cv::Mat> ImDecode(Bytes bytes, int flags) {
  if (bytes.empty()) return FormatError("the image is empty");
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return SizeError("The image is too large to decode.");
  }
  try {
    const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1,
                         const_cast<std::uint8_t*>(bytes.data()));
    cv::Mat decoded = cv::imdecode(buffer, flags);
    if (decoded.empty()) return FormatError("the image data could not be decoded");
    return decoded;
  } catch (const cv::Exception&) {
    return FormatError("the image data could not be decoded");
  } catch (const std::bad_alloc&) {
    return SizeError("The image is too large to decode.");
  } catch (const std::exception&) {
    return FormatError("the image data could not be decoded");
  }
}

StatusOr<cv::Mat> ToBgr8(const cv::Mat& decoded) {
  if (decoded.empty()) return FormatError("the image data could not be decoded");
  try {
    return ToBgr8Unchecked(decoded);
  } catch (const cv::Exception&) {
    return FormatError("the image data could not be converted");
  }
}

}  // namespace image_internal

StatusOr<cv::Mat> ToGray8(const cv::Mat& image) {
  if (image.empty() || image.depth() != CV_8U) return InvalidArgument("not an 8-bit image");
  try {
    cv::Mat gray;
    switch (image.channels()) {
      case 1:
        return image.isContinuous() ? image : image.clone();
      case 3:
        cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
        return gray;
      case 4:
        cv::cvtColor(image, gray, cv::COLOR_BGRA2GRAY);
        return gray;
      default:
        return InvalidArgument("unsupported channel count " + std::to_string(image.channels()));
    }
  } catch (const cv::Exception& e) {
    return InvalidArgument(std::string("grey conversion failed: ") + e.what());
  }
}

int ReductionFactor(const ImageInfo& info, const DecodeOptions& options) {
  using image_internal::kMaxReduction;
  const std::int64_t w = std::max(info.width, 1), h = std::max(info.height, 1);
  std::int64_t f = 1;
  if (options.min_long_side > 0)
    f = std::max<std::int64_t>(1, std::max(w, h) / options.min_long_side);
  if (options.max_pixels > 0) {
    const auto pixels = [&](std::int64_t k) { return ((w + k - 1) / k) * ((h + k - 1) / k); };
    while (f < kMaxReduction && pixels(f) > options.max_pixels) ++f;
  }
  return static_cast<int>(std::min<std::int64_t>(f, kMaxReduction));
}

StatusOr<DecodedImage> DecodeImage(std::span<const std::uint8_t> bytes, const ImageInfo& info,
                                   const DecodeOptions& options) {
  using namespace image_internal;
  // Re-probing is cheap (headers only) and makes the size guard below trustworthy even when a
  // caller passes a stale or hand-made ImageInfo.
  OCULAR_ASSIGN_OR_RETURN(const ImageInfo probed, ProbeImage(bytes));
  if (probed.format != info.format || probed.width != info.width || probed.height != info.height ||
      probed.orientation != info.orientation) {
    return Internal("DecodeImage: the ImageInfo does not match the image header");
  }
  // Decompression-bomb guard: never allocate more than the largest acceptable image.
  if (std::int64_t{probed.width} * probed.height > kMaxDecodePixels) {
    return SizeError("The image dimensions are too large to decode.");
  }

  const int factor = ReductionFactor(probed, options);
  StatusOr<cv::Mat> bgr = FormatError("unsupported image format");
  try {
    switch (probed.format) {
      case ImageFormat::kJpeg: {
        if (!JpegComplete(bytes)) return FormatError("truncated or corrupt JPEG data");
        int dct = 1;
        const int flag = JpegFlag(factor, &dct);
        OCULAR_ASSIGN_OR_RETURN(cv::Mat img, ImDecode(bytes, flag | cv::IMREAD_IGNORE_ORIENTATION));
        OCULAR_ASSIGN_OR_RETURN(img, ToBgr8(img));
        ApplyOrientation(img, probed.orientation);
        bgr = ResizeTo(img, probed, factor, dct);
        break;
      }
      case ImageFormat::kPng: {
        if (!PngComplete(bytes)) return FormatError("truncated or corrupt PNG data");
        if (factor > 1) {
          bgr = DecodePngReduced(bytes, factor);
          break;
        }
        OCULAR_ASSIGN_OR_RETURN(const cv::Mat img, ImDecode(bytes, cv::IMREAD_UNCHANGED));
        bgr = ToBgr8(img);
        break;
      }
      case ImageFormat::kBmp: {
        OCULAR_RETURN_IF_ERROR(CheckWholeDecodeSize("BMP", probed.width, probed.height));
        if (!BmpComplete(bytes)) return FormatError("truncated or corrupt BMP data");
        OCULAR_ASSIGN_OR_RETURN(const cv::Mat img,
                                ImDecode(bytes, cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION));
        OCULAR_ASSIGN_OR_RETURN(cv::Mat img8, ToBgr8(img));
        bgr = ResizeTo(img8, probed, factor);
        break;
      }
      case ImageFormat::kWebp: {
        if (!WebpComplete(bytes)) return FormatError("truncated WEBP data");
        if (!probed.animated && factor > 1) {
          OCULAR_ASSIGN_OR_RETURN(cv::Mat img8, DecodeWebpScaled(bytes, probed, factor));
          ApplyOrientation(img8, probed.orientation);
          bgr = img8;
          break;
        }
        if (probed.animated) {
          OCULAR_ASSIGN_OR_RETURN(cv::Mat img8, DecodeAnimatedWebpFirstFrame(bytes, factor));
          ApplyOrientation(img8, probed.orientation);
          bgr = ResizeTo(img8, probed, factor, factor);
          break;
        }
        OCULAR_ASSIGN_OR_RETURN(const cv::Mat img, ImDecode(bytes, cv::IMREAD_UNCHANGED));
        OCULAR_ASSIGN_OR_RETURN(cv::Mat img8, ToBgr8(img));
        ApplyOrientation(img8, probed.orientation);
        bgr = ResizeTo(img8, probed, factor);
        break;
      }
      case ImageFormat::kTiff: {
        // OpenCV's TIFF decoder (libtiff's RGBA reader) applies the Orientation tag itself, even
        // with IMREAD_UNCHANGED; the probe reports it and the displayed sides to match.
        if (factor > 1) {
          StatusOr<cv::Mat> reduced = DecodeTiffReduced(bytes, factor);
          if (reduced.ok()) {
            ApplyOrientation(*reduced, probed.orientation);
            bgr = ResizeTo(*reduced, probed, factor, factor);
            break;
          }
          if (reduced.status().code() != StatusCode::kUnsupported) return reduced.status();
        }
        // Whole: at full resolution, or a layout libtiff's RGBA reader refuses.
        OCULAR_RETURN_IF_ERROR(CheckWholeDecodeSize("TIFF", probed.width, probed.height));
        OCULAR_ASSIGN_OR_RETURN(const cv::Mat img, ImDecode(bytes, cv::IMREAD_UNCHANGED));
        OCULAR_ASSIGN_OR_RETURN(cv::Mat img8, ToBgr8(img));
        bgr = ResizeTo(img8, probed, factor);
        break;
      }
      case ImageFormat::kGif:
        bgr = DecodeGif(bytes, factor);
        break;
      case ImageFormat::kIco: {
        OCULAR_ASSIGN_OR_RETURN(const IcoEntry entry, SelectIcoEntry(bytes));
        if (!entry.is_png) {
          OCULAR_RETURN_IF_ERROR(
              CheckWholeDecodeSize("ICO (bitmap entry)", entry.width, entry.height));
        }
        OCULAR_ASSIGN_OR_RETURN(cv::Mat img8, DecodeIco(bytes, entry, factor));
        bgr = ResizeTo(img8, probed, factor, entry.is_png ? factor : 1);
        break;
      }
      case ImageFormat::kUnknown:
        break;
    }
  } catch (const cv::Exception&) {
    return FormatError("the image data could not be decoded");
  } catch (const std::bad_alloc&) {
    return SizeError("The image is too large to decode.");
  }
  if (!bgr.ok()) return bgr.status();

  if (bgr->type() != CV_8UC3 || bgr->cols != Reduced(probed.width, factor) ||
      bgr->rows != Reduced(probed.height, factor)) {
    return FormatError("the decoded image does not match its header");
  }
  DecodedImage out;
  out.info = probed;
  out.bgr = std::move(bgr).value();
  return out;
}

}  // namespace ocular
