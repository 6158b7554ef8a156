// A YOLOv8-format detector (Ultralytics `export format=onnx`): the pack's yolov8n/s/m tiers, or
// any detector an operator trained on their own classes, declared in its config.json:
//
//   "task": "object-detection", "labels": "labels.txt" (one class per line),
//   "inputs": [{"shape": [1, 3, H, W], "layout": "NCHW", "color": "RGB", "mean": [0, 0, 0],
//               "std": [255, 255, 255]}]                          (RGB in 0..1)
//   "outputs": [{"shape": [1, 4 + classes, anchors]}]            (or [1, anchors, 4 + classes])
//   "params": {"decoder": "yolov8",
//              "letterbox_pad": 114,       grey padding, pixel value. Default 114 (Ultralytics)
//              "nms_iou": 0.7,             class-wise NMS IoU. Default 0.7 (Ultralytics val)
//              "max_candidates": 1000,     best anchors kept before NMS. Default 1000
//              "max_detections": 100,      boxes kept after NMS. Default 100
//              "object_threshold": 0.5,    the tier's measured threshold. Default 0.5
//              "calibration": [[s, p]...], score -> measured precision. Default identity
//              "input_size": 640}          for a dynamic H/W only. Default 640
//
// Decoding: letterbox the decoded image into H x W (uniform scale, centred, grey padding); per
// anchor the row is cx, cy, w, h in input pixels, then one sigmoid score per class (no objectness);
// each anchor keeps its best class; anchors scoring below Detector::kDetectionFloor are dropped,
// the best max_candidates go to class-wise NMS; boxes map back through the exact letterbox
// geometry to decoded pixels, then scale to original pixels.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyzers/detection/detector.h"

namespace ocular {

namespace runtime {
struct Model;
}  // namespace runtime

class YoloDetector final : public Detector {
 public:
  // FailedPrecondition naming the model when its config does not declare a YOLOv8 detector
  // (params.decoder "yolov8", one NCHW image input, one output with 4 + labels rows, labels).
  static StatusOr<std::shared_ptr<const YoloDetector>> Create(
      std::shared_ptr<const runtime::Model> model, const std::string& tier);

  const std::vector<std::string>& labels() const { return labels_; }
  int min_long_side() const override { return input_size_; }

  // Public for make_shared; use Create.
  YoloDetector(std::string tier, std::vector<std::string> models, double object_threshold,
               ScoreCalibration calibration)
      : Detector(std::move(tier), std::move(models), object_threshold, std::move(calibration)) {}

 protected:
  StatusOr<std::vector<Detection>> DetectRaw(const cv::Mat& bgr, int orig_width,
                                             int orig_height) const override;

 private:
  std::shared_ptr<const runtime::Model> model_;
  std::vector<std::string> labels_;
  std::string output_;
  bool anchors_last_ = true;  // output [1, 4 + classes, anchors] (Ultralytics' layout)
  int input_size_ = 640;      // H = W for dynamic inputs; else the input's larger side
  double pad_ = 114;
  double nms_iou_ = 0.7;
  std::size_t max_candidates_ = 1000;
  std::size_t max_detections_ = 100;
};

}  // namespace ocular
