#include "analyzers/detection/yolo_detector.h"

#include <algorithm>

#include "analyzers/detection/nms.h"
#include "analyzers/model_loading.h"
#include "runtime/model_repository.h"
#include "runtime/preprocess.h"

namespace ocular {

namespace {

// params.calibration as [[score, precision], ...] sorted by score; empty when absent.
StatusOr<ScoreCalibration> ReadCalibration(const runtime::Model& model) {
  auto it = model.config.params.find("calibration");
  if (it == model.config.params.end()) return ScoreCalibration();
  std::vector<std::pair<double, double>> points;
  if (it->is_array()) {
    for (const auto& p : *it) {
      if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number()) {
        points.clear();
        break;
      }
      points.emplace_back(p[0].get<double>(), p[1].get<double>());
    }
  }
  const bool sorted = std::is_sorted(points.begin(), points.end());
  if (points.empty() || !sorted) {
    return FailedPrecondition(model.label() +
                              ": params.calibration must be [[score, precision], ...] sorted by "
                              "score");
  }
  return ScoreCalibration(std::move(points));
}

}  // namespace

StatusOr<std::shared_ptr<const YoloDetector>> YoloDetector::Create(
    std::shared_ptr<const runtime::Model> model, const std::string& tier) {
  const runtime::ModelConfig& c = model->config;
  auto decoder = c.params.find("decoder");
  if (decoder == c.params.end() || !decoder->is_string() || *decoder != "yolov8") {
    return FailedPrecondition(model->label() +
                              ": config.json does not declare params.decoder \"yolov8\"");
  }
  if (model->labels.empty()) {
    return FailedPrecondition(model->label() + ": a YOLOv8 detector needs a labels file");
  }
  if (c.inputs.size() != 1 || c.inputs[0].layout != runtime::Layout::kNCHW ||
      c.inputs[0].shape.size() != 4 || c.outputs.size() != 1 || c.outputs[0].shape.size() != 3) {
    return FailedPrecondition(model->label() +
                              ": expected one NCHW image input and one [1, 4 + classes, anchors] "
                              "output");
  }
  const std::int64_t rows = static_cast<std::int64_t>(model->labels.size()) + 4;
  const auto& oshape = c.outputs[0].shape;
  bool anchors_last = true;
  if (oshape[1] == rows) {
    anchors_last = true;
  } else if (oshape[2] == rows) {
    anchors_last = false;
  } else {
    return FailedPrecondition(model->label() + ": output " + runtime::ShapeToString(oshape) +
                              " does not have 4 + " + std::to_string(model->labels.size()) +
                              " rows (box + one score per label): do the labels match the "
                              "model?");
  }
  OCULAR_ASSIGN_OR_RETURN(ScoreCalibration calibration, ReadCalibration(*model));
  auto d = std::make_shared<YoloDetector>(tier, std::vector<std::string>{c.name},
                                          ParamOr(c, "object_threshold", 0.5),
                                          std::move(calibration));
  d->labels_ = model->labels;
  d->output_ = c.outputs[0].name;
  d->anchors_last_ = anchors_last;
  const auto& ishape = c.inputs[0].shape;
  d->input_size_ = ishape[2] > 0 && ishape[3] > 0
                       ? static_cast<int>(std::max(ishape[2], ishape[3]))
                       : static_cast<int>(ParamOr(c, "input_size", 640));
  d->pad_ = ParamOr(c, "letterbox_pad", 114);
  d->nms_iou_ = ParamOr(c, "nms_iou", 0.7);
  d->max_candidates_ = static_cast<std::size_t>(std::max(1.0, ParamOr(c, "max_candidates", 1000)));
  d->max_detections_ = static_cast<std::size_t>(std::max(1.0, ParamOr(c, "max_detections", 100)));
  if (d->input_size_ < 32 || d->input_size_ > 4096) {
    return FailedPrecondition(model->label() + ": input size out of range");
  }
  d->model_ = std::move(model);
  return std::shared_ptr<const YoloDetector>(std::move(d));
}

StatusOr<std::vector<Detection>> YoloDetector::DetectRaw(const cv::Mat& bgr, int orig_width,
                                                         int orig_height) const {
  const runtime::InputConfig& in = model_->config.inputs[0];
  runtime::PreprocessOptions po;
  po.resize = runtime::ResizeMode::kLetterbox;
  po.letterbox_center = true;
  po.pad_value = pad_;
  po.width = po.height = input_size_;
  OCULAR_ASSIGN_OR_RETURN(runtime::PreprocessedImage p, runtime::PreprocessImage(bgr, in, po));
  OCULAR_ASSIGN_OR_RETURN(std::vector<runtime::Tensor> outs,
                          model_->session->Run({std::move(p.tensor)}, {output_}));
  const runtime::Tensor& out = outs[0];
  const std::size_t rows = labels_.size() + 4;
  if (out.shape.size() != 3 || out.floats.size() % rows != 0) {
    return Internal(model_->label() + ": unexpected output shape " +
                    runtime::ShapeToString(out.shape));
  }
  const std::size_t anchors = out.floats.size() / rows;
  // Element (row r, anchor a) in either layout.
  const float* v = out.floats.data();
  auto at = [&](std::size_t r, std::size_t a) {
    return anchors_last_ ? v[r * anchors + a] : v[a * rows + r];
  };
  std::vector<ScoredBox> candidates;
  for (std::size_t a = 0; a < anchors; ++a) {
    std::size_t best = 0;
    float best_score = at(4, a);
    for (std::size_t k = 1; k < labels_.size(); ++k) {
      const float s = at(4 + k, a);
      if (s > best_score) best_score = s, best = k;
    }
    if (!(best_score >= kDetectionFloor)) continue;
    const double cx = at(0, a), cy = at(1, a), w = at(2, a), h = at(3, a);
    const cv::Point2f p1 = p.transform.ToImage(float(cx - w / 2), float(cy - h / 2));
    const cv::Point2f p2 = p.transform.ToImage(float(cx + w / 2), float(cy + h / 2));
    ScoredBox b;
    b.x1 = std::clamp(double(p1.x), 0.0, double(bgr.cols));
    b.y1 = std::clamp(double(p1.y), 0.0, double(bgr.rows));
    b.x2 = std::clamp(double(p2.x), 0.0, double(bgr.cols));
    b.y2 = std::clamp(double(p2.y), 0.0, double(bgr.rows));
    b.score = best_score;
    b.cls = static_cast<int>(best);
    if (b.x2 - b.x1 >= 1 && b.y2 - b.y1 >= 1) candidates.push_back(b);
  }
  // The candidate cap bounds NMS (quadratic) on busy scenes: the best max_candidates_ survive.
  if (candidates.size() > max_candidates_) {
    std::nth_element(candidates.begin(), candidates.begin() + std::ptrdiff_t(max_candidates_),
                     candidates.end(),
                     [](const ScoredBox& a, const ScoredBox& b) { return a.score > b.score; });
    candidates.resize(max_candidates_);
  }
  NmsOptions nms;
  nms.iou_threshold = nms_iou_;
  nms.class_wise = true;
  nms.max_keep = max_detections_;
  const double sx = double(orig_width) / bgr.cols, sy = double(orig_height) / bgr.rows;
  std::vector<Detection> dets;
  for (std::size_t k : NonMaxSuppression(candidates, nms)) {
    dets.push_back(ToDetection(candidates[k], sx, sy, orig_width, orig_height, labels_));
  }
  return dets;
}

}  // namespace ocular
