// Objects (4.0 objectsResult, v3.2 objects with WordNet parent chains) and people (4.0
// peopleResult), from one detector run per request (CenterNet + NanoDet fused, object_detector.h;
// SharedDetections, key "detections").
//
// Thresholds (measured on shared/testdata/coco-dev with bench/objects_eval, docs/accuracy.md):
//   - objects: fused boxes scoring >= kObjectThreshold after class-wise NMS (IoU from the pack's
//     config params "nms_iou", 0.6; 0.5 without it);
//   - people: every "person" box scoring >= ObjectDetector::kDetectionFloor (low scores included,
//     as Azure does); the caller filters.
// v3.2 parents: the label's WordNet chain (wordnet_chains.h), each parent with the object's
// confidence (a parent is at least as certain as its child).
#pragma once

#include <memory>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/engine.h"
#include "analyzers/vision/vision.h"

namespace ocular {

// Default object confidence threshold (see the header comment and docs/accuracy.md): 0.30 on the
// fused score returns boxes 75.7% correct on coco-dev (goal >= 70%) at recall 0.41.
inline constexpr double kObjectThreshold = 0.30;

// The objects a request sees: detections >= threshold, by descending score, with parents.
std::vector<DetectedObject> ObjectsFromDetections(const std::vector<Detection>& detections,
                                                  double threshold = kObjectThreshold);
// Person boxes >= ObjectDetector::kDetectionFloor, by descending score.
std::vector<DetectedPerson> PeopleFromDetections(const std::vector<Detection>& detections);

StatusOr<std::unique_ptr<Analyzer>> CreateObjectsAnalyzer(const AnalyzerEnv& env);

}  // namespace ocular
