// Geometry in original-image pixel coordinates (the coordinates every API response uses).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>

namespace ocular {

// Axis-aligned integer box. Invariant for results: x, y >= 0, w, h >= 0, inside the image.
struct Rect {
  int x = 0;
  int y = 0;
  int w = 0;
  int h = 0;

  long long area() const { return static_cast<long long>(w) * h; }
  bool operator==(const Rect&) const = default;
};

struct PointF {
  double x = 0;
  double y = 0;
};

// Four corners, clockwise from the top-left of the (possibly rotated) box.
using Quad = std::array<PointF, 4>;

// Intersection over union of two boxes, 0 when either is empty.
inline double IoU(const Rect& a, const Rect& b) {
  int x1 = std::max(a.x, b.x), y1 = std::max(a.y, b.y);
  int x2 = std::min(a.x + a.w, b.x + b.w), y2 = std::min(a.y + a.h, b.y + b.h);
  long long inter = static_cast<long long>(std::max(0, x2 - x1)) * std::max(0, y2 - y1);
  long long uni = a.area() + b.area() - inter;
  return uni > 0 ? double(inter) / double(uni) : 0.0;
}

// Clamps a box given in floating-point pixels to an image of width x height (rounding outward
// to whole pixels). The result is inside the image; it may be empty.
inline Rect ClampRect(double x1, double y1, double x2, double y2, int width, int height) {
  int ix1 = std::clamp(static_cast<int>(std::floor(x1)), 0, width);
  int iy1 = std::clamp(static_cast<int>(std::floor(y1)), 0, height);
  int ix2 = std::clamp(static_cast<int>(std::ceil(x2)), 0, width);
  int iy2 = std::clamp(static_cast<int>(std::ceil(y2)), 0, height);
  return Rect{ix1, iy1, std::max(0, ix2 - ix1), std::max(0, iy2 - iy1)};
}

}  // namespace ocular

namespace ocular {

// The largest box of aspect ratio `ratio` (width / height) centred in a width x height image.
inline Rect CenterCropForAspect(int width, int height, double ratio) {
  int w = width, h = height;
  if (double(width) / height > ratio) {
    w = std::max(1, static_cast<int>(std::lround(height * ratio)));
  } else {
    h = std::max(1, static_cast<int>(std::lround(width / ratio)));
  }
  w = std::min(w, width);
  h = std::min(h, height);
  return Rect{(width - w) / 2, (height - h) / 2, w, h};
}

}  // namespace ocular
