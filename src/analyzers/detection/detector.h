// The object detector every semantic feature stands on (objects, people, tags, captions, dense
// captions, categories, smart crops), behind one interface with several tiers:
//
//   yolov8n / yolov8s / yolov8m   one Ultralytics YOLOv8 export (yolo_detector.h)
//   ensemble                      CenterNet + NanoDet, weighted box fusion (ensemble_detector.h)
//
//   auto d = CreateDetector(repo, "auto");                 // the measured default, see below
//   auto dets = (*d)->Detect(image.bgr, info.width, info.height);
//
// Every tier returns boxes in original-image pixels, by descending score, each with its raw
// score, the tier's calibrated score (the measured precision of the tier's boxes in that score
// band on coco-dev) and whether it reaches the tier's object threshold. The thresholds and calibration
// tables are measured per tier with bench/objects_eval and live with the tier (YOLO tiers: the
// model's config.json params; the ensemble: ensemble_detector.cc), so downstream features do
// not depend on which tier runs.
//
// Thread-safe after creation (ORT sessions are); no I/O.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

#include "analyzers/detection/nms.h"
#include "core/geometry.h"
#include "core/status.h"

namespace ocular {

namespace runtime {
class ModelRepository;
}  // namespace runtime

// One detector box after class-wise NMS, in original-image pixels.
struct Detection {
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0;  // continuous, clamped to the image
  Rect box;                               // the same, as whole pixels
  double score = 0;                       // the tier's raw score
  double calibrated = 0;                  // measured precision at this score (0..1)
  bool confident = false;                 // score >= the tier's object threshold
  int cls = 0;
  std::string label;  // the model's label ("person", "dog", ... for COCO models)
};

// The 80 COCO class names in COCO order (the pack detectors' class ids; the tags vocabulary).
const std::vector<std::string>& CocoLabels();

// Raw score -> measured precision, piecewise linear through (score, precision) points sorted by
// score; below the first point precision scales linearly to 0 at score 0, above the last it is
// the last precision. An empty table is the identity.
class ScoreCalibration {
 public:
  ScoreCalibration() = default;
  explicit ScoreCalibration(std::vector<std::pair<double, double>> points)
      : points_(std::move(points)) {}
  double operator()(double raw) const;
  bool empty() const { return points_.empty(); }

 private:
  std::vector<std::pair<double, double>> points_;
};

class Detector {
 public:
  // Boxes scoring below this are not returned by any tier. People results include low scores
  // (down to here); features apply the tier's threshold.
  static constexpr double kDetectionFloor = 0.05;

  virtual ~Detector() = default;

  // `bgr` is the decoded image (possibly reduced); boxes are scaled to orig_width x orig_height
  // and carry their calibrated score and confident flag.
  StatusOr<std::vector<Detection>> Detect(const cv::Mat& bgr, int orig_width,
                                          int orig_height) const;

  // The tier ("yolov8s", "ensemble"), the models it runs, and its object threshold.
  const std::string& tier() const { return tier_; }
  const std::vector<std::string>& model_names() const { return model_names_; }
  double object_threshold() const { return object_threshold_; }
  // The longest image side the tier wants decoded (the engine decodes at least this much).
  virtual int min_long_side() const = 0;

 protected:
  Detector(std::string tier, std::vector<std::string> models, double object_threshold,
           ScoreCalibration calibration)
      : tier_(std::move(tier)),
        model_names_(std::move(models)),
        object_threshold_(object_threshold),
        calibration_(std::move(calibration)) {}
  // Boxes in original-image pixels after the tier's NMS, score >= kDetectionFloor, any order.
  virtual StatusOr<std::vector<Detection>> DetectRaw(const cv::Mat& bgr, int orig_width,
                                                     int orig_height) const = 0;
  // A box in decoded pixels -> a Detection in original pixels (scaled by sx, sy, clamped to
  // orig_width x orig_height), labelled from `labels` (cls must index it).
  static Detection ToDetection(const ScoredBox& s, double sx, double sy, int orig_width,
                               int orig_height, const std::vector<std::string>& labels);

 private:
  std::string tier_;
  std::vector<std::string> model_names_;
  double object_threshold_;
  ScoreCalibration calibration_;
};

// The --detector values: "auto" (the measured default: yolov8s when installed, else the
// ensemble), "yolov8n" (fast), "yolov8s" (balanced), "yolov8m" (accurate), "ensemble"
// (CenterNet + NanoDet, permissive licences).
inline constexpr const char* kDetectorAuto = "auto";
inline constexpr const char* kDefaultYoloTier = "yolov8s";
inline constexpr const char* kEnsembleTier = "ensemble";
const std::vector<std::string>& DetectorTiers();  // without "auto"

// The tier `requested` resolves to in `repo` ("auto" -> yolov8s when installed, else ensemble).
std::string ResolveDetectorTier(runtime::ModelRepository* repo, const std::string& requested);

// Creates the detector of `tier` (or "auto"). InvalidArgument for an unknown tier; NotFound
// naming the model when the tier's model is not installed; FailedPrecondition when a model's
// inputs/outputs do not fit its decoder.
StatusOr<std::shared_ptr<const Detector>> CreateDetector(runtime::ModelRepository* repo,
                                                         const std::string& tier);

// Sorts by descending score (ties: by class, then position) and fills calibrated/confident.
void FinishDetections(std::vector<Detection>& dets, double object_threshold,
                      const ScoreCalibration& calibration);

}  // namespace ocular
