// Objects (4.0 objectsResult, v3.2 objects with WordNet parent chains) and people (4.0
// peopleResult), from one detector run per request (the engine's detector tier, detector.h;
// SharedDetections, key "detections").
//
// Thresholds (measured per tier on shared/testdata/coco-dev with bench/objects_eval,
// docs/accuracy.md):
//   - objects: the boxes that reach the tier's object threshold (Detection::confident);
//   - people: every "person" box scoring >= Detector::kDetectionFloor (low scores included,
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

// The objects a request sees: the confident detections, by descending score, with parents.
std::vector<DetectedObject> ObjectsFromDetections(const std::vector<Detection>& detections);
// Person boxes >= Detector::kDetectionFloor, by descending score.
std::vector<DetectedPerson> PeopleFromDetections(const std::vector<Detection>& detections);

StatusOr<std::unique_ptr<Analyzer>> CreateObjectsAnalyzer(const AnalyzerEnv& env);

}  // namespace ocular
