#include "analyzers/read/read_analyzer.h"

#include <algorithm>
#include <cstdlib>
#include <system_error>

#include "core/version.h"

namespace ocular {

ReadEngineOptions DefaultReadEngineOptions(const std::string& model_repo) {
  ReadEngineOptions o;
  if (const char* dir = std::getenv("OCULAR_TESSDATA"); dir != nullptr && *dir != '\0') {
    o.tesseract.tessdata_dir = dir;
  }
  std::error_code ec;
  const std::filesystem::path root(model_repo);
  const auto det = root / "ppocr-det" / kModelPackVersion / "model.onnx";
  const auto rec_dir = root / "ppocr-rec" / kModelPackVersion;
  if (std::filesystem::is_regular_file(det, ec)) o.det_model = det;
  if (std::filesystem::is_regular_file(rec_dir / "model.onnx", ec) &&
      std::filesystem::is_regular_file(rec_dir / "ppocr_keys_v1.txt", ec)) {
    o.rec_model = rec_dir / "model.onnx";
    o.rec_keys = rec_dir / "ppocr_keys_v1.txt";
  }
  return o;
}

namespace {
// The defaults, with the engine's arena choice for the PP-OCR sessions (their intra-op threads
// stay at 1: the OCR pipeline runs them many times per page).
ReadEngineOptions ReadEngineOptionsFor(const EngineOptions& options) {
  ReadEngineOptions o = DefaultReadEngineOptions(options.model_repo);
  o.session.cpu_arena = options.ort_arena;
  o.tesseract.max_total = options.ocr_instances;
  o.tesseract.max_per_pack = std::min(o.tesseract.max_per_pack, options.ocr_instances);
  return o;
}
}  // namespace

StatusOr<std::unique_ptr<Analyzer>> CreateReadAnalyzer(const AnalyzerEnv& env) {
  OCULAR_ASSIGN_OR_RETURN(std::unique_ptr<ReadEngine> engine,
                          ReadEngine::Create(ReadEngineOptionsFor(env.options)));
  return std::unique_ptr<Analyzer>(new ReadAnalyzer(std::move(engine)));
}

Status ReadAnalyzer::Analyze(AnalysisContext& context, AnalysisResult& result) const {
  const AnalysisRequest& request = context.request();
  ReadOptions options;
  options.language = request.language;
  options.detect_orientation = request.detect_orientation;
  if (request.api == ApiVersion::kV40 &&
      !ResolveOcrLanguage(options.language, engine_->options().tesseract.tessdata_dir).ok()) {
    options.language = "unk";
  }
  const DecodedImage& image = context.image();
  OCULAR_ASSIGN_OR_RETURN(ReadResult read, engine_->Read(image.bgr, image.scale(), options));
  result.read = std::move(read);
  return Status::Ok();
}

}  // namespace ocular
