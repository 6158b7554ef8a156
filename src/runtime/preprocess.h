// Turning a decoded image into a model input tensor, as the input's config.json entry describes.
//
//   const InputConfig& in = model->config.inputs[0];
//   OCULAR_ASSIGN_OR_RETURN(PreprocessedImage p, PreprocessImage(bgr, in, {.resize =
//   ResizeMode::kLetterbox}));
//   ... model->session->Run({std::move(p.tensor)}) ...
//   cv::Point2f in_image = p.transform.ToImage(x_net, y_net);  // back to image pixels
//
// Steps: resize to the input's height x width (stretch or letterbox), reorder channels to the
// input's color (RGB/BGR/GRAY), then for float32 inputs value = (pixel - mean[c]) / std[c] and
// for uint8 inputs the raw pixel, written in the input's layout (NCHW or NHWC) with batch 1.
// Pure function of its arguments, thread-safe, no I/O.
#pragma once

#include <opencv2/core.hpp>

#include "core/status.h"
#include "runtime/model_config.h"
#include "runtime/tensor.h"

namespace ocular::runtime {

enum class ResizeMode {
  kStretch,    // scale width and height independently to fill the input (aspect ratio changes)
  kLetterbox,  // scale uniformly to fit, pad the rest with `pad_value` (aspect ratio kept)
};

enum class Interpolation {
  kLinear,   // cv::INTER_LINEAR (half-pixel centres, as TF's half_pixel_centers=true)
  kArea,     // cv::INTER_AREA (best for strong downscaling)
  kNearest,  // cv::INTER_NEAREST
};

struct PreprocessOptions {
  ResizeMode resize = ResizeMode::kStretch;              // Default: stretch.
  Interpolation interpolation = Interpolation::kLinear;  // Default: bilinear.
  // Letterbox only: centre the image (padding split between both sides) or put it at the
  // top-left corner (padding right/bottom). Default: centred.
  bool letterbox_center = true;
  // Letterbox only: padding colour in 0..255 pixel space, before mean/std. Default 0 (black).
  double pad_value = 0.0;
  // Target size for inputs whose height/width are dynamic (-1) in config.json; ignored for static
  // dimensions. 0 = not given (then a dynamic dimension is an error).
  int width = 0;
  int height = 0;
};

// Maps points between network input coordinates and source image coordinates.
struct ImageTransform {
  double scale_x = 1.0;  // network pixels per image pixel
  double scale_y = 1.0;
  double pad_left = 0.0;  // network pixels of padding before the image (letterbox)
  double pad_top = 0.0;
  int input_width = 0;  // network input size
  int input_height = 0;
  int image_width = 0;  // source image size
  int image_height = 0;

  cv::Point2f ToImage(float x, float y) const {
    return {static_cast<float>((x - pad_left) / scale_x),
            static_cast<float>((y - pad_top) / scale_y)};
  }
  cv::Point2f ToInput(float x, float y) const {
    return {static_cast<float>(x * scale_x + pad_left), static_cast<float>(y * scale_y + pad_top)};
  }
};

struct PreprocessedImage {
  Tensor tensor;  // named after the input, shape with batch 1 and concrete height/width
  ImageTransform transform;
};

// REQUIRES of the arguments, each an Internal error when broken (they are caller bugs): `image`
// non-empty 8-bit with 1 (gray), 3 (BGR) or 4 (BGRA) channels; `input` an image input
// (layout NCHW/NHWC) of dtype float32 or uint8; every dynamic height/width given in `options`.
StatusOr<PreprocessedImage> PreprocessImage(const cv::Mat& image, const InputConfig& input,
                                            const PreprocessOptions& options = {});

}  // namespace ocular::runtime
