#include "analyzers/read/read_ppocr.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <opencv2/imgproc.hpp>

#include "runtime/session.h"
#include "runtime/tensor.h"

namespace ocular {
namespace {

constexpr int kRecHeight = 48;
constexpr int kRecMinWidth = 320;       // PaddleOCR pads every line to at least 48 x 320
constexpr int kRecMaxWidth = 3200;      // longer lines are squeezed (ratio 66:1)
constexpr double kMaxDetUpscale = 3.0;  // detector input is never enlarged more than this

double Dist(const cv::Point2f& a, const cv::Point2f& b) { return std::hypot(a.x - b.x, a.y - b.y); }

}  // namespace

Quad OrderQuad(const std::array<cv::Point2f, 4>& in) {
  // Sort by x; the two left-most are TL/BL (by y), the two right-most TR/BR.
  std::array<cv::Point2f, 4> p = in;
  std::sort(p.begin(), p.end(),
            [](const cv::Point2f& a, const cv::Point2f& b) { return a.x < b.x; });
  cv::Point2f tl = p[0], bl = p[1], tr = p[2], br = p[3];
  if (tl.y > bl.y) std::swap(tl, bl);
  if (tr.y > br.y) std::swap(tr, br);
  return Quad{PointF{tl.x, tl.y}, PointF{tr.x, tr.y}, PointF{br.x, br.y}, PointF{bl.x, bl.y}};
}

PointF MapPoint(const cv::Mat& h, double x, double y) {
  const double* m = h.ptr<double>();
  double w = m[6] * x + m[7] * y + m[8];
  if (std::abs(w) < 1e-12) w = 1e-12;
  return {(m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w};
}

StatusOr<LineCrop> CropLine(const cv::Mat& image, const Quad& q) {
  try {
    cv::Point2f src[4] = {{float(q[0].x), float(q[0].y)},
                          {float(q[1].x), float(q[1].y)},
                          {float(q[2].x), float(q[2].y)},
                          {float(q[3].x), float(q[3].y)}};
    int w = static_cast<int>(std::round(std::max(Dist(src[0], src[1]), Dist(src[3], src[2]))));
    int h = static_cast<int>(std::round(std::max(Dist(src[0], src[3]), Dist(src[1], src[2]))));
    w = std::max(w, 1);
    h = std::max(h, 1);
    cv::Point2f dst[4] = {{0, 0}, {float(w), 0}, {float(w), float(h)}, {0, float(h)}};
    cv::Mat to_crop = cv::getPerspectiveTransform(src, dst);
    LineCrop crop;
    cv::warpPerspective(image, crop.image, to_crop, cv::Size(w, h), cv::INTER_CUBIC,
                        cv::BORDER_REPLICATE);
    crop.to_image = to_crop.inv();
    if (h >= 1.5 * w) {
      // Vertical text: rotate counter-clockwise so it reads left to right; crop (x, y) of the
      // rotated image came from (w - 1 - y, x) ~ (w - y, x) of the unrotated crop.
      cv::Mat rotated;
      cv::rotate(crop.image, rotated, cv::ROTATE_90_COUNTERCLOCKWISE);
      cv::Mat unrot = (cv::Mat_<double>(3, 3) << 0, -1, double(w), 1, 0, 0, 0, 0, 1);
      crop.image = rotated;
      crop.to_image = crop.to_image * unrot;
    }
    return crop;
  } catch (const cv::Exception&) {
    return Internal("Text line crop failed");
  }
}

std::string PpOcrModelLabel(const std::filesystem::path& model) {
  if (model.filename() == "model.onnx" && !model.parent_path().parent_path().empty()) {
    const std::filesystem::path version = model.parent_path();
    return "model '" + version.parent_path().filename().string() + "' " +
           version.filename().string();
  }
  return "model '" + model.stem().string() + "'";
}

// ---- detector ----

PpOcrDetector::~PpOcrDetector() = default;

StatusOr<std::unique_ptr<PpOcrDetector>> PpOcrDetector::Create(
    const std::filesystem::path& model, PpOcrDetectorOptions options,
    const runtime::SessionOptions* session) {
  std::unique_ptr<PpOcrDetector> d(new PpOcrDetector());
  OCULAR_ASSIGN_OR_RETURN(
      d->session_, runtime::Session::Create(model, PpOcrModelLabel(model),
                                            session ? *session : runtime::SessionOptions{}));
  if (d->session_->inputs().size() != 1 || d->session_->outputs().empty()) {
    return FailedPrecondition("text detection model: expected 1 input and 1 output");
  }
  d->options_ = options;
  return d;
}

StatusOr<std::vector<TextBox>> PpOcrDetector::Detect(const cv::Mat& bgr) const {
  if (bgr.empty() || bgr.type() != CV_8UC3) return Internal("text detection input is not BGR");
  const int h = bgr.rows, w = bgr.cols;
  // Longer side to limit_side: large images are scaled down, small ones up (at most
  // kMaxDetUpscale), so that small print is still several pixels high for DBNet.
  double ratio = std::min(kMaxDetUpscale, double(options_.limit_side) / std::max(h, w));
  int rh = std::max(32, static_cast<int>(std::round(h * ratio / 32.0)) * 32);
  int rw = std::max(32, static_cast<int>(std::round(w * ratio / 32.0)) * 32);
  std::vector<float> input(static_cast<std::size_t>(3) * rh * rw);
  cv::Mat prob;
  try {
    cv::Mat resized;
    cv::resize(bgr, resized, cv::Size(rw, rh), 0, 0, cv::INTER_LINEAR);
    const float mean[3] = {0.485f, 0.456f, 0.406f}, stdv[3] = {0.229f, 0.224f, 0.225f};
    const std::size_t plane = static_cast<std::size_t>(rh) * rw;
    for (int y = 0; y < rh; ++y) {
      const cv::Vec3b* row = resized.ptr<cv::Vec3b>(y);
      for (int x = 0; x < rw; ++x) {
        for (int c = 0; c < 3; ++c) {
          input[c * plane + static_cast<std::size_t>(y) * rw + x] =
              (row[x][c] / 255.0f - mean[c]) / stdv[c];
        }
      }
    }
  } catch (const cv::Exception&) {
    return Internal("text detection preprocessing failed");
  }
  std::vector<runtime::Tensor> in;
  in.push_back(
      runtime::Tensor::Float(session_->inputs()[0].name, {1, 3, rh, rw}, std::move(input)));
  OCULAR_ASSIGN_OR_RETURN(std::vector<runtime::Tensor> out, session_->Run(in));
  const runtime::Tensor& map = out[0];
  if (map.shape.size() != 4 || map.shape[2] != rh || map.shape[3] != rw ||
      map.floats.size() != static_cast<std::size_t>(rh) * rw) {
    return Internal("text detection model returned an unexpected shape");
  }
  std::vector<TextBox> boxes;
  try {
    prob = cv::Mat(rh, rw, CV_32F, const_cast<float*>(map.floats.data()));
    const double sx = double(w) / rw, sy = double(h) / rh;
    // Contours of the binarised map in `roi`. A blob whose box scores too low is usually two
    // lines merged across a narrow gap (curved or tightly set pages): it is split by
    // re-thresholding its region higher (0.3 -> 0.5 -> 0.7), which separates the lines.
    std::function<void(const cv::Rect&, float)> find = [&](const cv::Rect& roi, float threshold) {
      cv::Mat bitmap = prob(roi) > threshold;  // CV_8U 0/255
      std::vector<std::vector<cv::Point>> contours;
      cv::findContours(bitmap, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE, roi.tl());
      for (const auto& contour : contours) {
        if (contour.size() < 3 || boxes.size() >= 1000) continue;
        cv::RotatedRect rr = cv::minAreaRect(contour);
        if (std::min(rr.size.width, rr.size.height) < options_.min_side) continue;
        // Score: mean probability inside the contour's minimum-area box.
        cv::Rect bb = cv::boundingRect(contour) & cv::Rect(0, 0, rw, rh);
        if (bb.empty()) continue;
        cv::Mat mask = cv::Mat::zeros(bb.size(), CV_8U);
        std::vector<cv::Point> shifted;
        cv::Point2f corners[4];
        rr.points(corners);
        for (const auto& p : corners)
          shifted.emplace_back(cvRound(p.x) - bb.x, cvRound(p.y) - bb.y);
        cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{shifted}, cv::Scalar(1));
        double score = cv::mean(prob(bb), mask)[0];
        if (score < options_.box_threshold) {
          if (threshold < 0.65f) find(bb, threshold + 0.2f);
          continue;
        }
        // Unclip: grow by area * ratio / perimeter on every side.
        double area = double(rr.size.width) * rr.size.height;
        double perimeter = 2.0 * (rr.size.width + rr.size.height);
        double d = perimeter > 0 ? area * options_.unclip_ratio / perimeter : 0;
        cv::RotatedRect grown(rr.center, cv::Size2f(rr.size.width + 2 * d, rr.size.height + 2 * d),
                              rr.angle);
        if (std::min(grown.size.width, grown.size.height) < options_.min_side + 2) continue;
        grown.points(corners);
        std::array<cv::Point2f, 4> pts;
        for (int i = 0; i < 4; ++i) {
          pts[i] = {static_cast<float>(std::clamp(corners[i].x * sx, 0.0, double(w))),
                    static_cast<float>(std::clamp(corners[i].y * sy, 0.0, double(h)))};
        }
        boxes.push_back({OrderQuad(pts), score});
      }
    };
    find(cv::Rect(0, 0, rw, rh), options_.bin_threshold);
  } catch (const cv::Exception&) {
    return Internal("text detection postprocessing failed");
  }
  // Reading order: top to bottom, then left to right within ~one line height.
  std::sort(boxes.begin(), boxes.end(), [](const TextBox& a, const TextBox& b) {
    return a.quad[0].y != b.quad[0].y ? a.quad[0].y < b.quad[0].y : a.quad[0].x < b.quad[0].x;
  });
  for (std::size_t i = 0; i + 1 < boxes.size(); ++i) {
    for (std::size_t j = i + 1; j > 0; --j) {
      const Quad& a = boxes[j - 1].quad;
      const Quad& b = boxes[j].quad;
      if (std::abs(b[0].y - a[0].y) < 10 && b[0].x < a[0].x) {
        std::swap(boxes[j - 1], boxes[j]);
      } else {
        break;
      }
    }
  }
  return boxes;
}

// ---- recognizer ----

PpOcrRecognizer::~PpOcrRecognizer() = default;

StatusOr<std::unique_ptr<PpOcrRecognizer>> PpOcrRecognizer::Create(
    const std::filesystem::path& model, const std::filesystem::path& keys,
    const runtime::SessionOptions* session) {
  std::unique_ptr<PpOcrRecognizer> r(new PpOcrRecognizer());
  std::ifstream in(keys);
  if (!in) return FailedPrecondition("text recognition dictionary is missing");
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    r->keys_.push_back(line);
  }
  r->keys_.push_back(" ");  // PaddleOCR use_space_char
  OCULAR_ASSIGN_OR_RETURN(
      r->session_, runtime::Session::Create(model, PpOcrModelLabel(model),
                                            session ? *session : runtime::SessionOptions{}));
  if (r->session_->inputs().size() != 1 || r->session_->outputs().empty()) {
    return FailedPrecondition("text recognition model: expected 1 input and 1 output");
  }
  const auto& shape = r->session_->outputs()[0].shape;
  if (shape.size() == 3 && shape[2] > 0 &&
      static_cast<std::size_t>(shape[2]) != r->keys_.size() + 1) {
    return FailedPrecondition("text recognition model: dictionary size does not match the model");
  }
  return r;
}

StatusOr<RecognizedLine> PpOcrRecognizer::Recognize(const cv::Mat& bgr) const {
  if (bgr.empty() || bgr.type() != CV_8UC3) return Internal("text recognition input is not BGR");
  int tw = static_cast<int>(std::ceil(kRecHeight * double(bgr.cols) / bgr.rows));
  tw = std::clamp(tw, 1, kRecMaxWidth);
  const int padded = std::max(tw, kRecMinWidth);
  std::vector<float> input(static_cast<std::size_t>(3) * kRecHeight * padded, 0.0f);
  try {
    cv::Mat resized;
    cv::resize(bgr, resized, cv::Size(tw, kRecHeight), 0, 0, cv::INTER_LINEAR);
    const std::size_t plane = static_cast<std::size_t>(kRecHeight) * padded;
    for (int y = 0; y < kRecHeight; ++y) {
      const cv::Vec3b* row = resized.ptr<cv::Vec3b>(y);
      for (int x = 0; x < tw; ++x) {
        for (int c = 0; c < 3; ++c) {
          input[c * plane + static_cast<std::size_t>(y) * padded + x] = row[x][c] / 127.5f - 1.0f;
        }
      }
    }
  } catch (const cv::Exception&) {
    return Internal("text recognition preprocessing failed");
  }
  std::vector<runtime::Tensor> in;
  in.push_back(runtime::Tensor::Float(session_->inputs()[0].name, {1, 3, kRecHeight, padded},
                                      std::move(input)));
  OCULAR_ASSIGN_OR_RETURN(std::vector<runtime::Tensor> out, session_->Run(in));
  const runtime::Tensor& probs = out[0];
  if (probs.shape.size() != 3 || probs.shape[0] != 1) {
    return Internal("text recognition model returned an unexpected shape");
  }
  const std::int64_t steps = probs.shape[1], classes = probs.shape[2];
  if (static_cast<std::size_t>(classes) != keys_.size() + 1) {
    return Internal("text recognition model returned an unexpected class count");
  }
  // Greedy CTC: argmax per step, collapse repeats, drop blanks (index 0).
  RecognizedLine line;
  const double step_px = double(padded) / steps * (double(bgr.cols) / tw);  // crop px per step
  std::int64_t prev = 0;
  double conf_sum = 0;
  for (std::int64_t t = 0; t < steps; ++t) {
    const float* p = probs.floats.data() + t * classes;
    std::int64_t best = std::max_element(p, p + classes) - p;
    if (best != 0 && best != prev) {
      RecognizedChar ch;
      ch.text = keys_[best - 1];
      ch.x0 = t * step_px;
      ch.x1 = (t + 1) * step_px;
      ch.confidence = p[best];
      line.chars.push_back(std::move(ch));
      conf_sum += p[best];
    } else if (best != 0 && best == prev && !line.chars.empty()) {
      line.chars.back().x1 = (t + 1) * step_px;
    }
    prev = best;
  }
  for (RecognizedChar& ch : line.chars) {
    ch.x0 = std::clamp(ch.x0, 0.0, double(bgr.cols));
    ch.x1 = std::clamp(ch.x1, ch.x0, double(bgr.cols));
  }
  if (!line.chars.empty()) line.confidence = conf_sum / line.chars.size();
  return line;
}

}  // namespace ocular
