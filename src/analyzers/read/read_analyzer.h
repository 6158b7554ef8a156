// The Read analyzer: Feature::kRead (4.0 readResult, v3.2 /ocr and asynchronous /read) on top of
// ReadEngine (analyzers/read_engine.h).
//
// Models: Tesseract language packs from Debian (tessdata, required: eng and osd), and the
// optional PP-OCRv4 text detector/recognizer in the model repository:
//   <model_repo>/ppocr-det/<kModelPackVersion>/model.onnx                   (text-detection)
//   <model_repo>/ppocr-rec/<kModelPackVersion>/{model.onnx,ppocr_keys_v1.txt} (text-recognition)
// (installed by scripts/setup.d/45-ocr-models.sh). Without them, Read uses Tesseract alone.
//
// Resolution: min_long_side() is 0 (full resolution): OCR accuracy depends on stroke width in
// pixels, and the engine scales pages itself (small pages up, the detector input down to 960).
//
// Language: AnalysisRequest::language, an Azure code; "unk" or "" = auto-detect (OSD script).
// For 4.0 (which has no Read language), a language without an installed pack falls back to
// auto-detection instead of failing, since 4.0's `language` belongs to tags.
#pragma once

#include <memory>

#include "analyzers/analyzer.h"
#include "analyzers/engine.h"
#include "analyzers/read/read_engine.h"

namespace ocular {

class ReadAnalyzer : public Analyzer {
 public:
  explicit ReadAnalyzer(std::unique_ptr<ReadEngine> engine) : engine_(std::move(engine)) {}
  std::string_view name() const override { return "read"; }
  std::vector<Feature> features() const override { return {Feature::kRead}; }
  int min_long_side() const override { return 0; }
  Status Analyze(AnalysisContext& context, AnalysisResult& result) const override;

  const ReadEngine& engine() const { return *engine_; }

 private:
  std::unique_ptr<ReadEngine> engine_;
};

// The engine options the factory uses for a model repository root (paths set only for model
// files that exist). Env OCULAR_TESSDATA overrides the tessdata folder.
ReadEngineOptions DefaultReadEngineOptions(const std::string& model_repo);

// Factory for registry.cc. Errors: Unavailable when Tesseract's English pack cannot load.
StatusOr<std::unique_ptr<Analyzer>> CreateReadAnalyzer(const AnalyzerEnv& env);

}  // namespace ocular
