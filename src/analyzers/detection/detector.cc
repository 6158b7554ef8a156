#include "analyzers/detection/detector.h"

#include <algorithm>

#include "analyzers/detection/ensemble_detector.h"
#include "analyzers/detection/yolo_detector.h"
#include "analyzers/model_loading.h"
#include "runtime/model_repository.h"

namespace ocular {

const std::vector<std::string>& CocoLabels() {
  static const std::vector<std::string> kLabels = {
      "person",        "bicycle",      "car",           "motorcycle",    "airplane",
      "bus",           "train",        "truck",         "boat",          "traffic light",
      "fire hydrant",  "stop sign",    "parking meter", "bench",         "bird",
      "cat",           "dog",          "horse",         "sheep",         "cow",
      "elephant",      "bear",         "zebra",         "giraffe",       "backpack",
      "umbrella",      "handbag",      "tie",           "suitcase",      "frisbee",
      "skis",          "snowboard",    "sports ball",   "kite",          "baseball bat",
      "baseball glove", "skateboard",  "surfboard",     "tennis racket", "bottle",
      "wine glass",    "cup",          "fork",          "knife",         "spoon",
      "bowl",          "banana",       "apple",         "sandwich",      "orange",
      "broccoli",      "carrot",       "hot dog",       "pizza",         "donut",
      "cake",          "chair",        "couch",         "potted plant",  "bed",
      "dining table",  "toilet",       "tv",            "laptop",        "mouse",
      "remote",        "keyboard",     "cell phone",    "microwave",     "oven",
      "toaster",       "sink",         "refrigerator",  "book",          "clock",
      "vase",          "scissors",     "teddy bear",    "hair drier",    "toothbrush"};
  return kLabels;
}

double ScoreCalibration::operator()(double raw) const {
  if (points_.empty()) return std::clamp(raw, 0.0, 1.0);
  raw = std::clamp(raw, 0.0, 1.0);
  double x0 = 0, y0 = 0;
  for (const auto& [x, y] : points_) {
    if (raw <= x) return x > x0 ? y0 + (y - y0) * (raw - x0) / (x - x0) : y;
    x0 = x, y0 = y;
  }
  return y0;
}

void FinishDetections(std::vector<Detection>& dets, double object_threshold,
                      const ScoreCalibration& calibration) {
  std::stable_sort(dets.begin(), dets.end(), [](const Detection& a, const Detection& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.cls != b.cls) return a.cls < b.cls;
    return a.y1 != b.y1 ? a.y1 < b.y1 : a.x1 < b.x1;
  });
  for (Detection& d : dets) {
    d.calibrated = calibration(d.score);
    d.confident = d.score >= object_threshold;
  }
}

Detection Detector::ToDetection(const ScoredBox& s, double sx, double sy, int orig_width,
                                int orig_height, const std::vector<std::string>& labels) {
  Detection d;
  d.x1 = s.x1 * sx, d.y1 = s.y1 * sy, d.x2 = s.x2 * sx, d.y2 = s.y2 * sy;
  d.box = ClampRect(d.x1, d.y1, d.x2, d.y2, orig_width, orig_height);
  d.score = s.score;
  d.cls = s.cls;
  d.label = labels[static_cast<std::size_t>(s.cls)];
  return d;
}

StatusOr<std::vector<Detection>> Detector::Detect(const cv::Mat& bgr, int orig_width,
                                                  int orig_height) const {
  if (bgr.empty() || orig_width <= 0 || orig_height <= 0) {
    return Internal("detector: empty image");
  }
  OCULAR_ASSIGN_OR_RETURN(std::vector<Detection> dets, DetectRaw(bgr, orig_width, orig_height));
  dets.erase(std::remove_if(dets.begin(), dets.end(),
                            [](const Detection& d) { return d.score < kDetectionFloor; }),
             dets.end());
  FinishDetections(dets, object_threshold_, calibration_);
  return dets;
}

const std::vector<std::string>& DetectorTiers() {
  static const std::vector<std::string> kTiers = {"yolov8n", "yolov8s", "yolov8m", kEnsembleTier};
  return kTiers;
}

std::string ResolveDetectorTier(runtime::ModelRepository* repo, const std::string& requested) {
  if (requested != kDetectorAuto) return requested;
  if (repo != nullptr && !repo->Versions(kDefaultYoloTier).empty()) return kDefaultYoloTier;
  return kEnsembleTier;
}

StatusOr<std::shared_ptr<const Detector>> CreateDetector(runtime::ModelRepository* repo,
                                                         const std::string& tier) {
  const std::string resolved = ResolveDetectorTier(repo, tier);
  const auto& tiers = DetectorTiers();
  if (std::find(tiers.begin(), tiers.end(), resolved) == tiers.end()) {
    std::string list = kDetectorAuto;
    for (const std::string& t : tiers) list += ", " + t;
    return InvalidArgument("unknown detector tier '" + resolved + "' (one of: " + list + ")");
  }
  if (resolved == kEnsembleTier) {
    OCULAR_ASSIGN_OR_RETURN(auto d, EnsembleDetector::Create(repo));
    return std::shared_ptr<const Detector>(std::move(d));
  }
  OCULAR_ASSIGN_OR_RETURN(std::shared_ptr<const runtime::Model> model,
                          LoadInstalledModel(repo, resolved));
  OCULAR_ASSIGN_OR_RETURN(auto d, YoloDetector::Create(std::move(model), resolved));
  return std::shared_ptr<const Detector>(std::move(d));
}

}  // namespace ocular
