// The rule-based features built on shared evidence (scene.h): tags, captions (caption, dense
// captions, v3.2 description), categories and smart crops. Each needs the object detector
// (factory returns NotFound naming "centernet" without it); faces and NSFW scores are used when
// their models are installed. They read the OCR result when the same request computed it.
#pragma once

#include <memory>

#include "analyzers/analyzer.h"
#include "analyzers/engine.h"

namespace ocular {

StatusOr<std::unique_ptr<Analyzer>> CreateTagsAnalyzer(const AnalyzerEnv& env);
StatusOr<std::unique_ptr<Analyzer>> CreateCaptionAnalyzer(const AnalyzerEnv& env);
StatusOr<std::unique_ptr<Analyzer>> CreateCategoriesAnalyzer(const AnalyzerEnv& env);
StatusOr<std::unique_ptr<Analyzer>> CreateSmartCropsAnalyzer(const AnalyzerEnv& env);

}  // namespace ocular
