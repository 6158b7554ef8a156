// A custom model: an operator's own detector or classifier, added with `ocular models add` and
// served under its own name through the Custom Vision Prediction API (docs/custom-models.md) and
// Image Analysis 4.0 `model-name`.
//
// A repository model is custom when its config.json carries params.custom:
//
//   "task": "object-detection" | "image-classification",
//   "params": {"custom": {"project_id": "<uuid>"},
//              detectors:   "decoder": "yolov8", ... (yolo_detector.h)
//              classifiers: "activation": "softmax" | "sigmoid" | "none"   Default softmax
//                           "resize": "stretch" | "letterbox"              Default stretch
//                           "letterbox_pad": 0..255                        Default 0
//                           "input_size": N  (dynamic H/W only)            Default 224}
//
// Classifier preprocessing (size, mean/std, channel order, layout) is the input's config.json
// entry (runtime/preprocess.h); the output must hold exactly one score per label.
//
//   OCULAR_ASSIGN_OR_RETURN(auto m, CustomModel::Create(repo->Load("hardhats")));
//   OCULAR_ASSIGN_OR_RETURN(auto preds, m->Predict(bgr, width, height));
//
// Immutable after Create; Predict is thread-safe.
#pragma once

#include "core/uuid.h"  // IsUuid, for project ids

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/status.h"
#include "runtime/model_repository.h"
#include "runtime/preprocess.h"

namespace ocular {

class Detector;

// One prediction, Custom Vision style: a tag with its probability and, for detectors, a box
// normalised to 0..1 of the original image.
struct CustomPrediction {
  int tag_index = 0;  // line of the labels file
  std::string tag;
  double probability = 0;
  bool has_box = false;
  double left = 0, top = 0, width = 0, height = 0;  // fractions of the image
};

enum class CustomKind { kDetector, kClassifier };

class CustomModel {
 public:
  // True when `config` declares a custom model (params.custom is an object).
  static bool IsCustom(const runtime::ModelConfig& config);

  // FailedPrecondition naming the model when it is not a custom model, its task is neither
  // detection nor classification, or its inputs/outputs do not fit the task and its labels.
  static StatusOr<std::shared_ptr<const CustomModel>> Create(
      std::shared_ptr<const runtime::Model> model);

  const std::string& name() const;
  const std::string& version() const;
  const std::string& project_id() const { return project_id_; }
  // A stable UUID per model version (derived from its model_sha256).
  const std::string& iteration_id() const { return iteration_id_; }
  CustomKind kind() const { return kind_; }
  const std::vector<std::string>& labels() const { return model_->labels; }
  // A stable UUID per (project, label).
  const std::string& tag_id(int index) const { return tag_ids_.at(index); }
  // The longest image side the model wants decoded.
  int min_long_side() const { return min_long_side_; }

  // Predictions by descending probability. Detectors: boxes scoring at least
  // Detector::kDetectionFloor; classifiers: one per label.
  StatusOr<std::vector<CustomPrediction>> Predict(const cv::Mat& bgr, int orig_width,
                                                  int orig_height) const;

  // Public for make_shared; use Create.
  CustomModel() = default;

 private:
  StatusOr<std::vector<CustomPrediction>> Classify(const cv::Mat& bgr) const;

  std::shared_ptr<const runtime::Model> model_;
  std::shared_ptr<const Detector> detector_;  // kDetector only
  CustomKind kind_ = CustomKind::kClassifier;
  std::string project_id_, iteration_id_;
  std::vector<std::string> tag_ids_;
  std::string activation_ = "softmax";
  runtime::PreprocessOptions preprocess_;
  int output_index_ = 0;
  int min_long_side_ = 0;
};

// A UUID-formatted string (8-4-4-4-12 lowercase hex) made from the first 16 bytes of
// sha256(`seed`), with the version-5-style bits set. Deterministic.
std::string UuidFromSeed(const std::string& seed);
// A random version-4 UUID.
std::string RandomUuid();

}  // namespace ocular
