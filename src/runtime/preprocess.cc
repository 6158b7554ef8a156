#include "runtime/preprocess.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <opencv2/imgproc.hpp>

namespace ocular::runtime {
namespace {

int ToCv(Interpolation i) {
  switch (i) {
    case Interpolation::kArea:
      return cv::INTER_AREA;
    case Interpolation::kNearest:
      return cv::INTER_NEAREST;
    case Interpolation::kLinear:
      break;
  }
  return cv::INTER_LINEAR;
}

// Converts any supported 8-bit image to the input's colour order.
StatusOr<cv::Mat> ToColor(const cv::Mat& image, ColorOrder color) {
  static const int kCodes[3][5] = {
      // from 1 channel, (unused), (unused), from 3 (BGR), from 4 (BGRA)
      {cv::COLOR_GRAY2RGB, -1, -1, cv::COLOR_BGR2RGB, cv::COLOR_BGRA2RGB},  // RGB
      {cv::COLOR_GRAY2BGR, -1, -1, -1, cv::COLOR_BGRA2BGR},                 // BGR
      {-1, -1, -1, cv::COLOR_BGR2GRAY, cv::COLOR_BGRA2GRAY},                // GRAY
  };
  const int row = color == ColorOrder::kRGB ? 0 : color == ColorOrder::kBGR ? 1 : 2;
  const int code = kCodes[row][image.channels()];
  if (code < 0) return image;  // already in the right order
  cv::Mat out;
  cv::cvtColor(image, out, code);
  return out;
}

}  // namespace

StatusOr<PreprocessedImage> PreprocessImage(const cv::Mat& image, const InputConfig& input,
                                            const PreprocessOptions& options) {
  const std::string what = "preprocess for input '" + input.name + "': ";
  if (image.empty() || image.depth() != CV_8U ||
      (image.channels() != 1 && image.channels() != 3 && image.channels() != 4)) {
    return Internal(what + "image must be non-empty 8-bit gray, BGR or BGRA");
  }
  if (!input.is_image() || input.shape.size() != 4) {
    return Internal(what + "not an image input (layout none)");
  }
  if (input.dtype != DataType::kFloat32 && input.dtype != DataType::kUint8) {
    return Internal(what + "image inputs must be float32 or uint8");
  }
  const int channels = ColorChannels(input.color);
  if (input.mean.size() != static_cast<std::size_t>(channels) ||
      input.std.size() != static_cast<std::size_t>(channels)) {
    return Internal(what + "mean/std must have one value per channel");
  }
  std::int64_t height = input.shape[static_cast<std::size_t>(input.height_dim())];
  std::int64_t width = input.shape[static_cast<std::size_t>(input.width_dim())];
  if (height < 0) height = options.height;
  if (width < 0) width = options.width;
  if (height <= 0 || width <= 0 || height > 16384 || width > 16384) {
    return Internal(what + "no valid target size (dynamic dimension without options.width/height)");
  }
  const int out_w = static_cast<int>(width);
  const int out_h = static_cast<int>(height);

  PreprocessedImage result;
  ImageTransform& tf = result.transform;
  tf.input_width = out_w;
  tf.input_height = out_h;
  tf.image_width = image.cols;
  tf.image_height = image.rows;

  cv::Mat resized;
  try {
    OCULAR_ASSIGN_OR_RETURN(cv::Mat colored, ToColor(image, input.color));
    const int interpolation = ToCv(options.interpolation);
    if (options.resize == ResizeMode::kStretch) {
      tf.scale_x = static_cast<double>(out_w) / image.cols;
      tf.scale_y = static_cast<double>(out_h) / image.rows;
      if (colored.cols == out_w && colored.rows == out_h) {
        resized = colored;
      } else {
        cv::resize(colored, resized, cv::Size(out_w, out_h), 0, 0, interpolation);
      }
    } else {
      const double scale = std::min(static_cast<double>(out_w) / image.cols,
                                    static_cast<double>(out_h) / image.rows);
      const int new_w = std::clamp(static_cast<int>(std::lround(image.cols * scale)), 1, out_w);
      const int new_h = std::clamp(static_cast<int>(std::lround(image.rows * scale)), 1, out_h);
      tf.scale_x = static_cast<double>(new_w) / image.cols;
      tf.scale_y = static_cast<double>(new_h) / image.rows;
      const int pad_left = options.letterbox_center ? (out_w - new_w) / 2 : 0;
      const int pad_top = options.letterbox_center ? (out_h - new_h) / 2 : 0;
      tf.pad_left = pad_left;
      tf.pad_top = pad_top;
      resized = cv::Mat(out_h, out_w, colored.type(), cv::Scalar::all(options.pad_value));
      cv::Mat roi = resized(cv::Rect(pad_left, pad_top, new_w, new_h));
      if (colored.cols == new_w && colored.rows == new_h) {
        colored.copyTo(roi);
      } else {
        cv::resize(colored, roi, cv::Size(new_w, new_h), 0, 0, interpolation);
      }
    }
  } catch (const cv::Exception& e) {
    return Internal(what + "OpenCV error: " + e.what());
  }

  const bool nchw = input.layout == Layout::kNCHW;
  Tensor& t = result.tensor;
  t.name = input.name;
  t.dtype = input.dtype;
  t.shape = nchw ? std::vector<std::int64_t>{1, channels, out_h, out_w}
                 : std::vector<std::int64_t>{1, out_h, out_w, channels};
  const std::size_t plane = static_cast<std::size_t>(out_w) * static_cast<std::size_t>(out_h);
  const std::size_t count = plane * static_cast<std::size_t>(channels);
  // Element index of (y, x, c) in the tensor.
  auto index = [&](int y, int x, int c) -> std::size_t {
    const std::size_t pixel = static_cast<std::size_t>(y) * out_w + static_cast<std::size_t>(x);
    return nchw ? static_cast<std::size_t>(c) * plane + pixel
                : pixel * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c);
  };
  if (input.dtype == DataType::kFloat32) {
    t.floats.resize(count);
    const float* mean = input.mean.data();
    const float* std = input.std.data();
    for (int y = 0; y < out_h; ++y) {
      const std::uint8_t* row = resized.ptr<std::uint8_t>(y);
      for (int x = 0; x < out_w; ++x) {
        for (int c = 0; c < channels; ++c) {
          t.floats[index(y, x, c)] = (row[x * channels + c] - mean[c]) / std[c];
        }
      }
    }
  } else {
    t.bytes.resize(count);
    for (int y = 0; y < out_h; ++y) {
      const std::uint8_t* row = resized.ptr<std::uint8_t>(y);
      for (int x = 0; x < out_w; ++x) {
        for (int c = 0; c < channels; ++c) t.bytes[index(y, x, c)] = row[x * channels + c];
      }
    }
  }
  return result;
}

}  // namespace ocular::runtime
