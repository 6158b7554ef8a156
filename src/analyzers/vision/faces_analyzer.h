// Faces (v3.2 faces): faceRectangle only. No age, gender, landmarks or templates are computed
// or returned (privacy). One detector run per request (SharedFaces, key "faces"), also used by
// tags, captions, categories and smart crops. Settings: vision.h FaceDetector.
#pragma once

#include <memory>

#include "analyzers/analyzer.h"
#include "analyzers/engine.h"

namespace ocular {

StatusOr<std::unique_ptr<Analyzer>> CreateFacesAnalyzer(const AnalyzerEnv& env);

}  // namespace ocular
