// The "ensemble" detector tier (detector.h): CenterNet and, when it is installed, NanoDet, fused
// into one list of boxes in original-image pixels. Both models are MIT-licensed: this is the
// tier a permissive-only install runs.
//
//   auto detector = EnsembleDetector::Create(repo);          // NotFound when centernet is missing
//   auto dets = (*detector)->Detect(image.bgr, info.width, info.height);
//
// Per detector: one pass over the whole decoded image (stretched to the model's square input),
// its own decoding, class-wise NMS at the pack's IoU. Then weighted box fusion (WBF): boxes of the
// same class from the two detectors that overlap (IoU > fusion_iou) become one box whose corners
// are the score-weighted mean and whose score is the weighted mean of each detector's best score
// in the cluster, a detector that did not see the object counting 0. Agreement therefore raises a
// box, a box only one detector saw is damped: measured on coco-dev this is what lifts precision
// at a given recall (docs/accuracy.md, `bench/objects_eval`).
//
// Thread-safe after Create (ORT sessions are); no I/O.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "analyzers/detection/detector.h"
#include "analyzers/detection/nms.h"
#include "core/geometry.h"
#include "core/status.h"

namespace ocular {

namespace runtime {
class ModelRepository;
struct Model;
}  // namespace runtime


// The model names in the default pack.
inline constexpr const char* kObjectModel = "centernet";
inline constexpr const char* kSecondObjectModel = "nanodet";

// Weighted box fusion of per-detector box lists (see the header comment): `lists[m]` are detector
// m's boxes (after its own NMS), `weights[m]` its weight (same size as lists). Returns one box per
// cluster, in order of creation (by the score of each cluster's first box).
std::vector<ScoredBox> FuseBoxes(const std::vector<std::vector<ScoredBox>>& lists,
                                 const std::vector<double>& weights, double fusion_iou);

struct EnsembleDetectorOptions {
  // Also run NanoDet (model "nanodet") and fuse it with CenterNet. Default on when NanoDet is
  // installed; off, or NanoDet missing, gives CenterNet alone (scores unchanged).
  bool ensemble = true;
  // Weights of the two detectors in the fused score and corners (CenterNet, NanoDet). Default
  // 0.6/0.4: CenterNet is the stronger model (AP50 0.52 vs 0.445 alone on coco-dev).
  double centernet_weight = 0.6;
  double nanodet_weight = 0.4;
  // Boxes of one class from different detectors join a cluster above this IoU. Default 0.55 (the
  // WBF paper's value; 0.5..0.6 measured within 0.005 AP50).
  double fusion_iou = 0.55;
  // Test-time augmentation: also run every detector on the mirrored image and fuse all four
  // passes. Default off: measured on coco-dev it moves along the same precision/recall curve
  // (0.30: precision 0.772, recall 0.405, AP50 0.367, against 0.759/0.411/0.377 without) at
  // twice the cost.
  bool flip = false;
};

// The ensemble's object threshold on the fused score: 0.30 returns boxes 75.7% correct on
// coco-dev (goal >= 70%) at recall 0.41 (docs/accuracy.md).
inline constexpr double kEnsembleObjectThreshold = 0.30;

// The fused score mapped to the measured precision of the boxes in its score band on coco-dev
// (bench/objects_eval --calibration, docs/accuracy.md).
ScoreCalibration EnsembleCalibration();

class EnsembleDetector final : public Detector {
 public:
  // NotFound naming the model when centernet is not installed; FailedPrecondition when a model's
  // inputs/outputs are not what its decoder needs; the repository's errors otherwise.
  static StatusOr<std::shared_ptr<const EnsembleDetector>> Create(
      runtime::ModelRepository* repo, const EnsembleDetectorOptions& options = {});

  int min_long_side() const override { return 512; }

  // Public for make_shared; use Create.
  explicit EnsembleDetector(std::vector<std::string> models)
      : Detector(kEnsembleTier, std::move(models), kEnsembleObjectThreshold,
                 EnsembleCalibration()) {}

 protected:
  StatusOr<std::vector<Detection>> DetectRaw(const cv::Mat& bgr, int orig_width,
                                             int orig_height) const override;

 private:
  // One pass of each model over the decoded image: boxes in decoded-image pixels after the
  // model's own class-wise NMS.
  StatusOr<std::vector<ScoredBox>> CenterNetPass(const cv::Mat& img) const;
  StatusOr<std::vector<ScoredBox>> NanoDetPass(const cv::Mat& img) const;

  struct NanoDetLevel {
    int stride = 0, grid = 0;
    std::string scores, boxes;  // output names
  };

  EnsembleDetectorOptions options_;
  std::vector<std::string> labels_;
  std::shared_ptr<const runtime::Model> centernet_;
  std::string centernet_output_;
  double centernet_nms_iou_ = 0.5;
  std::shared_ptr<const runtime::Model> nanodet_;  // null: CenterNet alone
  std::vector<NanoDetLevel> nanodet_levels_;
  int nanodet_reg_max_ = 10;
  double nanodet_nms_iou_ = 0.6;
};

}  // namespace ocular
