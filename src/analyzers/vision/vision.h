// The model-backed evidence every vision feature shares: object detections (detection/detector.h, one tier per engine), face
// boxes (MediaPipe full-range face detector, "facemesh-detection-full") and NSFW class scores
// (nsfwjs MobileNetV2). Each model runs at most once per request: the Shared* functions cache
// their result in the AnalysisContext under a fixed key ("detections", "faces", "nsfw").
//
// Boxes are in original-image pixels: the decoded image may be reduced (image().scale()), and
// the network input may be letterboxed; both are undone here.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "analyzers/context.h"
#include "analyzers/detection/nms.h"
#include "analyzers/detection/detector.h"
#include "core/geometry.h"
#include "core/status.h"

namespace ocular {

namespace runtime {
class ModelRepository;
struct Model;
}  // namespace runtime

// BlazeFace keypoint order (FaceBox::keypoints).
enum FaceKeypoint {
  kRightEye = 0,  // the subject's right eye (image left in a frontal, unmirrored photo)
  kLeftEye = 1,
  kNoseTip = 2,
  kMouth = 3,
  kRightEar = 4,  // right ear tragion
  kLeftEar = 5,
  kFaceKeypoints = 6
};

struct FaceBox {
  Rect box;  // original-image pixels
  double score = 0;
  // The detector's 6 keypoints (FaceKeypoint order) in original-image pixels, continuous
  // (not clamped: an ear may lie outside the image). Used to align the face (face_align.h).
  std::array<cv::Point2f, kFaceKeypoints> keypoints{};
};

// nsfwjs class probabilities (softmax), in the model's order.
struct NsfwScores {
  double drawing = 0, hentai = 0, neutral = 0, porn = 0, sexy = 0;
};

// Full-range BlazeFace ("facemesh-detection-full"): 192x192 input, x/127.5-1, one anchor per
// cell at stride 4 (48x48 = 2304 anchors); each row is [logit, dx, dy, w, h, 6 keypoints x 2] in
// input pixels relative to the anchor centre. Sigmoid score >= 0.5, NMS IoU 0.3 (config params
// "min_score", "nms_iou"). Images >= 2x the input also run 2x2 tiles for small faces.
// Each FaceBox carries the 6 keypoints of the detection NMS kept.
class FaceDetector {
 public:
  static StatusOr<std::shared_ptr<const FaceDetector>> Create(runtime::ModelRepository* repo);
  StatusOr<std::vector<FaceBox>> Detect(const cv::Mat& bgr, int orig_width, int orig_height) const;

 private:
  // One raw detection of Pass: box and keypoints in decoded-image pixels.
  struct RawFace {
    ScoredBox box;
    std::array<cv::Point2f, kFaceKeypoints> keypoints{};
  };
  StatusOr<std::vector<RawFace>> Pass(const cv::Mat& img, double ox, double oy) const;
  std::shared_ptr<const runtime::Model> model_;
  std::string output_;
  double min_score_ = 0.5;
  double nms_iou_ = 0.3;
};

// nsfwjs MobileNetV2 ("nsfw"): 224x224 RGB /255, five softmax classes
// Drawing, Hentai, Neutral, Porn, Sexy.
class NsfwClassifier {
 public:
  static StatusOr<std::shared_ptr<const NsfwClassifier>> Create(runtime::ModelRepository* repo);
  StatusOr<NsfwScores> Classify(const cv::Mat& bgr) const;

 private:
  std::shared_ptr<const runtime::Model> model_;
  std::array<int, 5> index_{0, 1, 2, 3, 4};  // model output index of Drawing..Sexy
};

// The models the vision analyzers use, loaded once per analyzer factory (the repository caches
// sessions, so several analyzers share one session). Members are null when not installed.
struct VisionModels {
  std::shared_ptr<const Detector> objects;
  std::shared_ptr<const FaceDetector> faces;
  std::shared_ptr<const NsfwClassifier> nsfw;
  Status objects_status, faces_status, nsfw_status;  // why a member is null
};
// `detector_tier` is EngineOptions::detector (detector.h: "auto", "yolov8s", "ensemble", ...).
VisionModels LoadVisionModels(runtime::ModelRepository* repo, const std::string& detector_tier);

// The longest image side the vision analyzers decode: 512, or more when the detector tier
// wants more (YOLOv8: its 640 input), so the shared detections see what the tier was measured on.
int VisionDecodeSide(const VisionModels& models);

// Per-request shared results (cached in the context; an error is cached too).
StatusOr<std::shared_ptr<const std::vector<Detection>>> SharedDetections(
    AnalysisContext& context, const Detector& detector);
StatusOr<std::shared_ptr<const std::vector<FaceBox>>> SharedFaces(AnalysisContext& context,
                                                                  const FaceDetector& detector);
StatusOr<std::shared_ptr<const NsfwScores>> SharedNsfw(AnalysisContext& context,
                                                       const NsfwClassifier& classifier);

// The model names in the default pack.
inline constexpr const char* kFaceModel = "facemesh-detection-full";
inline constexpr const char* kNsfwModel = "nsfw";

}  // namespace ocular
