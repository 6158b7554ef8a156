#include "analyzers/vision/smart_crop.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <opencv2/imgproc.hpp>
#include <opencv2/saliency.hpp>

namespace ocular {

namespace {

constexpr int kGrid = 64;  // long side of the importance grid

// Sum of importance inside an original-pixel rect (cells counted when mostly inside).
double Mass(const cv::Mat& integral, const CropInputs& in, double x1, double y1, double x2,
            double y2) {
  const int gw = integral.cols - 1, gh = integral.rows - 1;
  int cx1 = std::clamp(int(std::lround(x1 / in.width * gw)), 0, gw);
  int cy1 = std::clamp(int(std::lround(y1 / in.height * gh)), 0, gh);
  int cx2 = std::clamp(int(std::lround(x2 / in.width * gw)), 0, gw);
  int cy2 = std::clamp(int(std::lround(y2 / in.height * gh)), 0, gh);
  return integral.at<double>(cy2, cx2) - integral.at<double>(cy1, cx2) -
         integral.at<double>(cy2, cx1) + integral.at<double>(cy1, cx1);
}

Rect Union(const std::vector<Rect>& rs) {
  int x1 = std::numeric_limits<int>::max(), y1 = x1, x2 = std::numeric_limits<int>::min(), y2 = x2;
  for (const Rect& r : rs) {
    x1 = std::min(x1, r.x), y1 = std::min(y1, r.y);
    x2 = std::max(x2, r.x + r.w), y2 = std::max(y2, r.y + r.h);
  }
  return rs.empty() ? Rect{} : Rect{x1, y1, x2 - x1, y2 - y1};
}

}  // namespace

Rect CropForRatio(const CropInputs& in, double ratio) {
  const int W = std::max(1, in.width), H = std::max(1, in.height);
  int w = W, h = H;
  if (double(W) / H > ratio) {
    w = std::clamp(int(std::lround(H * ratio)), 1, W);
  } else {
    h = std::clamp(int(std::lround(W / ratio)), 1, H);
  }
  // Allowed range of the free coordinate.
  const bool slide_x = w < W;
  const int limit = slide_x ? W - w : H - h;
  int lo = 0, hi = limit;
  auto keep = [&](const Rect& u) {
    int a = slide_x ? u.x : u.y, len = slide_x ? u.w : u.h, size = slide_x ? w : h;
    if (len > size) return false;
    int nlo = std::max(0, a + len - size), nhi = std::min(limit, a);
    if (nlo > nhi) return false;
    lo = nlo, hi = nhi;
    return true;
  };
  if (!in.faces.empty() && !keep(Union(in.faces))) {
    const Rect* largest = &in.faces[0];
    for (const Rect& f : in.faces) {
      if (f.area() > largest->area()) largest = &f;
    }
    keep(*largest);
  }
  cv::Mat integral;
  if (!in.importance.empty()) cv::integral(in.importance, integral, CV_64F);
  double best = -1;
  int best_pos = (lo + hi) / 2;
  const int step = std::max(1, limit / 200);
  for (int pos = lo; pos <= hi; pos += step) {
    double m = integral.empty() ? 0.0
               : slide_x        ? Mass(integral, in, pos, 0, pos + w, h)
                                : Mass(integral, in, 0, pos, w, pos + h);
    double centre = std::abs(pos - limit / 2.0);
    double best_centre = std::abs(best_pos - limit / 2.0);
    if (m > best + 1e-9 || (std::abs(m - best) <= 1e-9 && centre < best_centre)) {
      best = m;
      best_pos = pos;
    }
  }
  if (hi >= lo && (hi - lo) % step != 0) {  // the last position when the step skipped it
    int pos = hi;
    double m = integral.empty() ? 0.0
               : slide_x        ? Mass(integral, in, pos, 0, pos + w, h)
                                : Mass(integral, in, 0, pos, w, pos + h);
    if (m > best + 1e-9) best_pos = pos;
  }
  return slide_x ? Rect{best_pos, 0, w, h} : Rect{0, best_pos, w, h};
}

Rect AreaOfInterest(const CropInputs& in, const std::vector<Rect>& subjects) {
  const int W = std::max(1, in.width), H = std::max(1, in.height);
  Rect r = Union(subjects);
  if (subjects.empty() && !in.importance.empty()) {
    // The smallest box holding the top half of the saliency mass: threshold at the median of
    // the cells sorted by importance.
    cv::Mat flat = in.importance.reshape(1, 1).clone();
    std::vector<float> v(flat.begin<float>(), flat.end<float>());
    std::vector<float> sorted = v;
    std::sort(sorted.begin(), sorted.end(), std::greater<float>());
    double total = 0;
    for (float f : sorted) total += f;
    double acc = 0;
    float thr = sorted.empty() ? 0 : sorted.back();
    for (float f : sorted) {
      acc += f;
      thr = f;
      if (acc >= total / 2) break;
    }
    int gx1 = in.importance.cols, gy1 = in.importance.rows, gx2 = -1, gy2 = -1;
    for (int y = 0; y < in.importance.rows; ++y) {
      for (int x = 0; x < in.importance.cols; ++x) {
        if (total > 0 && in.importance.at<float>(y, x) >= thr) {
          gx1 = std::min(gx1, x), gy1 = std::min(gy1, y), gx2 = std::max(gx2, x), gy2 = std::max(gy2, y);
        }
      }
    }
    if (gx2 >= 0) {
      double cw = double(W) / in.importance.cols, ch = double(H) / in.importance.rows;
      r = Rect{int(gx1 * cw), int(gy1 * ch), int((gx2 + 1 - gx1) * cw), int((gy2 + 1 - gy1) * ch)};
    }
  }
  if (r.w <= 0 || r.h <= 0) return Rect{0, 0, W, H};
  double w = std::max(r.w, W / 4), h = std::max(r.h, H / 4);
  double ratio = std::clamp(w / h, 0.5, 2.0);
  if (w / h < ratio) w = h * ratio; else h = w / ratio;
  if (w > W) { w = W; h = std::min<double>(H, w / ratio); }
  if (h > H) { h = H; w = std::min<double>(W, h * ratio); }
  double cx = r.x + r.w / 2.0, cy = r.y + r.h / 2.0;
  double x = std::clamp(cx - w / 2, 0.0, W - w), y = std::clamp(cy - h / 2, 0.0, H - h);
  return ClampRect(x, y, x + w, y + h, W, H);
}

CropInputs MakeCropInputs(const cv::Mat& bgr, int width, int height,
                          const std::vector<std::pair<Rect, double>>& objects,
                          const std::vector<Rect>& faces) {
  CropInputs in;
  in.width = width;
  in.height = height;
  in.faces = faces;
  int gw = width >= height ? kGrid : std::max(1, int(std::lround(kGrid * double(width) / height)));
  int gh = height >= width ? kGrid : std::max(1, int(std::lround(kGrid * double(height) / width)));
  cv::Mat small;
  cv::resize(bgr, small, cv::Size(gw, gh), 0, 0, cv::INTER_AREA);
  cv::Mat sal;
  auto sr = cv::saliency::StaticSaliencySpectralResidual::create();
  sr->setImageWidth(gw);
  sr->setImageHeight(gh);
  if (!sr->computeSaliency(small, sal) || sal.empty()) sal = cv::Mat::zeros(gh, gw, CV_32F);
  sal.convertTo(sal, CV_32F);
  if (sal.size() != cv::Size(gw, gh)) cv::resize(sal, sal, cv::Size(gw, gh));
  double mx = 0;
  cv::minMaxLoc(sal, nullptr, &mx);
  if (mx > 0) sal /= mx;
  auto paint = [&](const Rect& r, float density) {
    cv::Rect g(int(std::floor(double(r.x) / width * gw)), int(std::floor(double(r.y) / height * gh)),
               std::max(1, int(std::ceil(double(r.w) / width * gw))),
               std::max(1, int(std::ceil(double(r.h) / height * gh))));
    g &= cv::Rect(0, 0, gw, gh);
    if (g.area() > 0) sal(g) += density;
  };
  for (const auto& [r, s] : objects) paint(r, static_cast<float>(s));
  for (const Rect& f : faces) paint(f, 4.0f);
  in.importance = sal;
  return in;
}

}  // namespace ocular
