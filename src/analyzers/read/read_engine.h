// ReadEngine: the OCR pipeline behind Feature::kRead (4.0 readResult, v3.2 /ocr and /read).
//
//   1. Orientation and script (Tesseract OSD), when asked for or when the language is automatic;
//      the image is turned upright for recognition when OSD is confident.
//   2. Text lines and words, by one of three pipelines (see docs/accuracy.md for the measured
//      comparison that chose the default):
//        kTesseract     Tesseract 5 layout analysis + LSTM recognition of the whole page;
//        kDetTesseract  PP-OCRv4 DBNet line detection, each line deskewed by its box angle and
//                       recognised by Tesseract (single-line mode);
//        kPpOcr         PP-OCRv4 detection + PP-OCRv4 CTC recognition (Chinese/Latin dictionary;
//                       other languages fall back to Tesseract line recognition).
//   3. Every polygon is mapped back to original-image pixels (through the upright rotation and
//      the decode scale).
// Thread-safety: Read() is const and thread-safe (Tesseract instances come from a bounded pool).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <opencv2/core.hpp>

#include "analyzers/read/read_ppocr.h"
#include "analyzers/read/read_tesseract.h"
#include "runtime/session.h"
#include "core/result.h"
#include "core/status.h"

namespace ocular {

enum class OcrPipeline {
  kTesseract,     // Tesseract page layout + recognition
  kDetTesseract,  // PP-OCR line detection + Tesseract line recognition
  kPpOcr,         // PP-OCR detection + PP-OCR recognition (en/zh-Hans; else as kDetTesseract)
  kAuto,          // kTesseract; if the page does not read as a confident document (mean word
                  // confidence >= 0.85 and >= 70% of the detected lines), also kDetTesseract,
                  // keeping the result with more confident text (default)
};
// "tesseract", "ppocr-det+tesseract", "ppocr", "auto" (bench and docs).
const char* OcrPipelineName(OcrPipeline p);

struct ReadEngineOptions {
  TesseractPoolOptions tesseract;  // tessdata folder and pool caps (defaults in read_tesseract.h)
  // ONNX Runtime options of the PP-OCR sessions. Default: runtime::SessionOptions defaults; the
  // engine passes its own (intra-op threads, arena: EngineOptions) so read is bounded like the
  // other models.
  runtime::SessionOptions session;
  // PP-OCRv4 models; empty paths (default) = not installed, and only kTesseract is available.
  std::filesystem::path det_model;
  std::filesystem::path rec_model;
  std::filesystem::path rec_keys;
  // Pipeline used when the models it needs are installed; otherwise kTesseract.
  OcrPipeline pipeline = OcrPipeline::kAuto;
};

struct ReadOptions {
  // Azure code ("en", "zh-Hans"), or "unk"/"" to auto-detect the script with OSD.
  std::string language = "en";
  // Run OSD and report orientation/angle (v3.2 detectOrientation). With false, the page is read
  // as it is and orientation is "NotDetected".
  bool detect_orientation = true;
  // Overrides ReadEngineOptions::pipeline (bench); nullopt = engine default.
  std::optional<OcrPipeline> pipeline;
};

class ReadEngine {
 public:
  static StatusOr<std::unique_ptr<ReadEngine>> Create(const ReadEngineOptions& options);

  // Reads `bgr` (8-bit BGR, decoded at `scale` decoded pixels per original pixel). Errors:
  // InvalidArgument/NotSupportedLanguage, Unavailable (a language pack failed to load),
  // Internal (Tesseract/ORT/OpenCV failure).
  StatusOr<ReadResult> Read(const cv::Mat& bgr, double scale, const ReadOptions& options) const;

  bool has_detector() const { return detector_ != nullptr; }
  bool has_recognizer() const { return recognizer_ != nullptr; }
  const ReadEngineOptions& options() const { return options_; }

 private:
  ReadEngine() = default;
  // The two readers, on an upright image; quads in its pixels.
  StatusOr<OcrPage> ReadPage(const cv::Mat& upright, const OcrLanguage& lang) const;
  // `detected`: the detector's boxes when already computed (nullptr: detect here).
  StatusOr<OcrPage> ReadLines(const cv::Mat& upright, const OcrLanguage& lang, bool ppocr_rec,
                              const std::vector<TextBox>* detected = nullptr) const;
  ReadEngineOptions options_;
  std::unique_ptr<TesseractPool> pool_;
  std::unique_ptr<PpOcrDetector> detector_;
  std::unique_ptr<PpOcrRecognizer> recognizer_;
};

}  // namespace ocular
