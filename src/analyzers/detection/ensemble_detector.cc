#include "analyzers/detection/ensemble_detector.h"

#include <algorithm>
#include <cmath>

#include "analyzers/model_loading.h"
#include "runtime/model_repository.h"
#include "runtime/preprocess.h"

namespace ocular {

namespace {

// Boxes below this are not decoded at all (half the floor: fusion can only lower a score).
constexpr double kDecodeFloor = Detector::kDetectionFloor / 2;
// NanoDet scores every cell for every class: at most this many of its best candidates go to NMS
// (as NanoDet's own post-processing does), which bounds the O(n^2) NMS and fusion on busy
// scenes. CenterNet's graph already returns only its top 100.
constexpr std::size_t kNanoDetCandidates = 300;

// Class-wise NMS, returning the kept boxes.
std::vector<ScoredBox> Suppress(const std::vector<ScoredBox>& boxes, double iou) {
  NmsOptions opt;
  opt.iou_threshold = iou;
  std::vector<ScoredBox> out;
  for (std::size_t k : NonMaxSuppression(boxes, opt)) out.push_back(boxes[k]);
  return out;
}

// Maps a network-input box to decoded-image pixels, clamped; false when it is degenerate.
bool ToImageBox(const runtime::ImageTransform& t, double x1, double y1, double x2, double y2,
                int cols, int rows, ScoredBox* s) {
  cv::Point2f a = t.ToImage(float(x1), float(y1)), b = t.ToImage(float(x2), float(y2));
  s->x1 = std::clamp(double(std::min(a.x, b.x)), 0.0, double(cols));
  s->x2 = std::clamp(double(std::max(a.x, b.x)), 0.0, double(cols));
  s->y1 = std::clamp(double(std::min(a.y, b.y)), 0.0, double(rows));
  s->y2 = std::clamp(double(std::max(a.y, b.y)), 0.0, double(rows));
  return s->x2 - s->x1 >= 1 && s->y2 - s->y1 >= 1;
}

}  // namespace

std::vector<ScoredBox> FuseBoxes(const std::vector<std::vector<ScoredBox>>& lists,
                                 const std::vector<double>& weights, double fusion_iou) {
  struct Item {
    const ScoredBox* box;
    std::size_t model;
  };
  std::vector<Item> items;
  for (std::size_t m = 0; m < lists.size(); ++m) {
    for (const ScoredBox& b : lists[m]) items.push_back({&b, m});
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return a.box->score > b.box->score; });
  struct Cluster {
    ScoredBox fused;
    double acc[4] = {0, 0, 0, 0}, mass = 0;
    std::vector<double> best;
  };
  std::vector<Cluster> clusters;
  for (const Item& it : items) {
    const ScoredBox& b = *it.box;
    Cluster* target = nullptr;
    double best_iou = fusion_iou;
    for (Cluster& c : clusters) {
      if (c.fused.cls != b.cls) continue;
      const double iou = BoxIoU(c.fused, b);
      if (iou > best_iou) best_iou = iou, target = &c;
    }
    if (target == nullptr) {
      clusters.push_back({});
      target = &clusters.back();
      target->fused = b;
      target->best.assign(lists.size(), 0.0);
    }
    const double w = weights[it.model] * b.score;
    target->acc[0] += w * b.x1, target->acc[1] += w * b.y1;
    target->acc[2] += w * b.x2, target->acc[3] += w * b.y2;
    target->mass += w;
    target->best[it.model] = std::max(target->best[it.model], b.score);
    if (target->mass > 0) {
      target->fused.x1 = target->acc[0] / target->mass, target->fused.y1 = target->acc[1] / target->mass;
      target->fused.x2 = target->acc[2] / target->mass, target->fused.y2 = target->acc[3] / target->mass;
    }
  }
  double total = 0;
  for (double w : weights) total += w;
  std::vector<ScoredBox> out;
  for (Cluster& c : clusters) {
    double s = 0;
    for (std::size_t m = 0; m < lists.size(); ++m) s += weights[m] * c.best[m];
    c.fused.score = total > 0 ? s / total : 0;
    out.push_back(c.fused);
  }
  return out;
}

ScoreCalibration EnsembleCalibration() {
  // `objects_eval --detector ensemble --calibration` on coco-dev: precision of the fused boxes in
  // each score band, made non-decreasing (the same measurement as the YOLOv8 tiers' tables).
  return ScoreCalibration({{0.05, 0.011}, {0.10, 0.046}, {0.15, 0.140}, {0.20, 0.241},
                           {0.25, 0.265}, {0.30, 0.473}, {0.35, 0.608}, {0.40, 0.802},
                           {0.45, 0.891}, {0.50, 0.929}, {0.55, 0.988}, {0.70, 1.0}, {1.0, 1.0}});
}

StatusOr<std::shared_ptr<const EnsembleDetector>> EnsembleDetector::Create(
    runtime::ModelRepository* repo, const EnsembleDetectorOptions& options) {
  OCULAR_ASSIGN_OR_RETURN(std::shared_ptr<const runtime::Model> model,
                          LoadInstalledModel(repo, kObjectModel));
  const bool ensemble =
      options.ensemble && repo != nullptr && !repo->Versions(kSecondObjectModel).empty();
  std::vector<std::string> names = {kObjectModel};
  if (ensemble) names.push_back(kSecondObjectModel);
  auto d = std::make_shared<EnsembleDetector>(std::move(names));
  int out = FindOutputByLastDim(model->config, 6);
  if (out < 0 || model->config.inputs.size() != 1) {
    return FailedPrecondition(model->label() +
                              ": expected one image input and an [N, 6] detections output");
  }
  d->centernet_output_ = model->config.outputs[static_cast<std::size_t>(out)].name;
  d->labels_ = model->labels.size() == CocoLabels().size() ? model->labels : CocoLabels();
  // Labels files may spell a few COCO names differently; the API uses the COCO names.
  for (auto& l : d->labels_) {
    if (l == "motorbike") l = "motorcycle";
    if (l == "aeroplane") l = "airplane";
    if (l == "sofa") l = "couch";
    if (l == "tvmonitor") l = "tv";
  }
  d->centernet_nms_iou_ = ParamOr(model->config, "nms_iou", 0.5);
  d->options_ = options;
  d->centernet_ = std::move(model);

  if (ensemble) {
    OCULAR_ASSIGN_OR_RETURN(std::shared_ptr<const runtime::Model> nano,
                            repo->Load(kSecondObjectModel));
    const auto levels = nano->config.params.find("levels");
    if (nano->config.inputs.size() != 1 || levels == nano->config.params.end() ||
        !levels->is_array() || levels->empty()) {
      return FailedPrecondition(nano->label() +
                                ": expected one image input and params.levels (stride, grid, "
                                "scores, boxes) as in tools/convert/pack/nanodet.json");
    }
    for (const auto& l : *levels) {
      NanoDetLevel level;
      level.stride = l.value("stride", 0);
      level.grid = l.value("grid", 0);
      level.scores = l.value("scores", "");
      level.boxes = l.value("boxes", "");
      if (level.stride <= 0 || level.grid <= 0 || level.scores.empty() || level.boxes.empty()) {
        return FailedPrecondition(nano->label() + ": a params.levels entry lacks stride, grid, "
                                                  "scores or boxes");
      }
      d->nanodet_levels_.push_back(level);
    }
    d->nanodet_reg_max_ = static_cast<int>(ParamOr(nano->config, "reg_max", 10));
    d->nanodet_nms_iou_ = ParamOr(nano->config, "nms_iou", 0.6);
    d->nanodet_ = std::move(nano);
  }
  return std::shared_ptr<const EnsembleDetector>(std::move(d));
}

StatusOr<std::vector<ScoredBox>> EnsembleDetector::CenterNetPass(const cv::Mat& img) const {
  const runtime::InputConfig& in = centernet_->config.inputs[0];
  OCULAR_ASSIGN_OR_RETURN(runtime::PreprocessedImage p, runtime::PreprocessImage(img, in));
  OCULAR_ASSIGN_OR_RETURN(std::vector<runtime::Tensor> outs,
                          centernet_->session->Run({std::move(p.tensor)}, {centernet_output_}));
  const std::vector<float>& v = outs[0].floats;
  std::vector<ScoredBox> boxes;
  for (std::size_t i = 0; i + 6 <= v.size(); i += 6) {
    const float* r = &v[i];
    const int cls = static_cast<int>(std::lround(r[5]));
    if (!(r[4] >= kDecodeFloor) || cls < 0 || cls >= static_cast<int>(labels_.size())) continue;
    ScoredBox s;
    s.score = r[4];
    s.cls = cls;
    if (ToImageBox(p.transform, r[0], r[1], r[2], r[3], img.cols, img.rows, &s)) {
      boxes.push_back(s);
    }
  }
  return Suppress(boxes, centernet_nms_iou_);
}

StatusOr<std::vector<ScoredBox>> EnsembleDetector::NanoDetPass(const cv::Mat& img) const {
  const runtime::InputConfig& in = nanodet_->config.inputs[0];
  OCULAR_ASSIGN_OR_RETURN(runtime::PreprocessedImage p, runtime::PreprocessImage(img, in));
  std::vector<std::string> names;
  for (const NanoDetLevel& l : nanodet_levels_) names.push_back(l.scores), names.push_back(l.boxes);
  OCULAR_ASSIGN_OR_RETURN(std::vector<runtime::Tensor> outs,
                          nanodet_->session->Run({std::move(p.tensor)}, names));
  const std::size_t classes = labels_.size();
  const int bins = nanodet_reg_max_ + 1;
  std::vector<ScoredBox> boxes;
  for (std::size_t li = 0; li < nanodet_levels_.size(); ++li) {
    const NanoDetLevel& l = nanodet_levels_[li];
    const std::vector<float>& sc = outs[2 * li].floats;
    const std::vector<float>& bx = outs[2 * li + 1].floats;
    const std::size_t cells = std::size_t(l.grid) * std::size_t(l.grid);
    if (sc.size() != cells * classes || bx.size() != cells * 4 * std::size_t(bins)) {
      return Internal(nanodet_->label() + ": level with stride " + std::to_string(l.stride) +
                      " has unexpected output sizes");
    }
    for (std::size_t c = 0; c < cells; ++c) {
      const float* s = &sc[c * classes];
      if (*std::max_element(s, s + classes) < kDecodeFloor) continue;
      // GFL: per side, softmax over the bins; distance = expected bin * stride.
      double dist[4];
      for (int side = 0; side < 4; ++side) {
        const float* logits = &bx[c * 4 * std::size_t(bins) + std::size_t(side * bins)];
        const float mx = *std::max_element(logits, logits + bins);
        double sum = 0, mean = 0;
        for (int k = 0; k < bins; ++k) {
          const double e = std::exp(double(logits[k] - mx));
          sum += e, mean += k * e;
        }
        dist[side] = mean / sum * l.stride;
      }
      const double cx = (double(c % std::size_t(l.grid)) + 0.5) * l.stride;
      const double cy = (double(c / std::size_t(l.grid)) + 0.5) * l.stride;
      for (std::size_t k = 0; k < classes; ++k) {
        if (s[k] < kDecodeFloor) continue;
        ScoredBox b;
        b.score = s[k];
        b.cls = static_cast<int>(k);
        if (ToImageBox(p.transform, cx - dist[0], cy - dist[1], cx + dist[2], cy + dist[3],
                       img.cols, img.rows, &b)) {
          boxes.push_back(b);
        }
      }
    }
  }
  if (boxes.size() > kNanoDetCandidates) {
    std::nth_element(boxes.begin(), boxes.begin() + kNanoDetCandidates, boxes.end(),
                     [](const ScoredBox& a, const ScoredBox& b) { return a.score > b.score; });
    boxes.resize(kNanoDetCandidates);
  }
  return Suppress(boxes, nanodet_nms_iou_);
}

StatusOr<std::vector<Detection>> EnsembleDetector::DetectRaw(const cv::Mat& bgr, int orig_width,
                                                             int orig_height) const {
  std::vector<std::vector<ScoredBox>> lists;
  std::vector<double> weights;
  cv::Mat mirrored;
  if (options_.flip) cv::flip(bgr, mirrored, 1);
  for (int f = 0; f < (options_.flip ? 2 : 1); ++f) {
    const cv::Mat& img = f ? mirrored : bgr;
    OCULAR_ASSIGN_OR_RETURN(std::vector<ScoredBox> cn, CenterNetPass(img));
    lists.push_back(std::move(cn));
    weights.push_back(options_.centernet_weight);
    if (nanodet_) {
      OCULAR_ASSIGN_OR_RETURN(std::vector<ScoredBox> nano, NanoDetPass(img));
      lists.push_back(std::move(nano));
      weights.push_back(options_.nanodet_weight);
    }
    if (f) {
      for (std::size_t i = lists.size() - (nanodet_ ? 2 : 1); i < lists.size(); ++i) {
        for (ScoredBox& s : lists[i]) {
          const double x1 = bgr.cols - s.x2;
          s.x2 = bgr.cols - s.x1, s.x1 = x1;
        }
      }
    }
  }
  std::vector<ScoredBox> boxes =
      lists.size() == 1 ? lists[0] : FuseBoxes(lists, weights, options_.fusion_iou);
  // Decoded pixels -> original pixels.
  const double sx = double(orig_width) / bgr.cols, sy = double(orig_height) / bgr.rows;
  std::vector<ScoredBox> scaled;
  for (ScoredBox s : boxes) {
    if (s.score < kDetectionFloor) continue;
    s.x1 *= sx, s.x2 *= sx, s.y1 *= sy, s.y2 *= sy;
    scaled.push_back(s);
  }
  std::vector<Detection> out;
  for (const ScoredBox& s : Suppress(scaled, centernet_nms_iou_)) {
    out.push_back(ToDetection(s, 1.0, 1.0, orig_width, orig_height, labels_));
  }
  return out;
}

}  // namespace ocular
