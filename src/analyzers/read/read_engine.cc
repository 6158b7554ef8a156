#include "analyzers/read/read_engine.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace ocular {
namespace {

// OSD orientation confidence below which the page is read as it is. Measured on the shared
// documents in all four rotations: correct answers score 3.8-10 once the text is large enough,
// wrong ones (text too small) 0.1-2.2.
constexpr double kMinOrientationConfidence = 3.0;
// OSD script confidence below which auto-detection falls back to English (Latin text scores
// 4-27; spurious "Cyrillic"/"Bengali" answers on small or scene text 0-2.7 on the test images).
constexpr double kMinScriptConfidence = 3.0;
// OSD runs on pages whose longer side is below this enlarged up to it (at most 4x): its
// orientation votes need characters of ~20 px and more.
constexpr int kOsdMinLongSide = 1200;
// Whole-page Tesseract: pages whose longer side is below this are upscaled 2x first (small
// scans, e.g. 384 px wide, lose thin strokes in Tesseract's binarisation otherwise).
constexpr int kUpscaleBelowLongSide = 1200;
// Line crops for Tesseract are scaled to this height (pixels) and padded by kLinePad.
constexpr int kLineHeight = 64;
constexpr int kLinePad = 10;
// kAuto: a page read by Tesseract's layout analysis with at least this mean word confidence is
// taken as a document and not re-read line by line (clean and scanned pages score 0.85-0.96,
// signs and photos 0.3-0.7 on the shared test images).
constexpr double kDocumentConfidence = 0.85;
// kAuto: ... and when it read at least this share of the lines the detector found (a page
// turned by 4 degrees loses 8 of its 10 lines in Tesseract's layout analysis).
constexpr double kMinLineCoverage = 0.7;
// Lines whose mean word confidence is below this are dropped (noise read as text).
constexpr double kMinLineConfidence = 0.40;
// PP-OCR recognizer: lines below this mean character confidence are dropped (PaddleOCR's
// drop_score).
constexpr double kMinPpOcrConfidence = 0.5;

const char* OrientationName(int rotate_cw) {
  switch (rotate_cw) {
    case 90:
      return "Right";
    case 180:
      return "Down";
    case 270:
      return "Left";
    default:
      return "Up";
  }
}

// Mean confidence over every word of a page (0 when empty).
double MeanWordConfidence(const OcrPage& page) {
  double s = 0;
  int n = 0;
  for (const auto& b : page.blocks)
    for (const OcrLine& l : b)
      for (const OcrWord& w : l.words) {
        s += w.confidence;
        ++n;
      }
  return n > 0 ? s / n : 0;
}

std::size_t LineCount(const OcrPage& page) {
  std::size_t n = 0;
  for (const auto& b : page.blocks) n += b.size();
  return n;
}

// Sum over words of confidence x length: how much credible text a pipeline read.
double WeightedChars(const OcrPage& page) {
  double s = 0;
  for (const auto& b : page.blocks)
    for (const OcrLine& l : b)
      for (const OcrWord& w : l.words) s += w.confidence * w.text.size();
  return s;
}

double MeanConfidence(const OcrLine& line) {
  if (line.words.empty()) return 0;
  double s = 0;
  for (const OcrWord& w : line.words) s += w.confidence;
  return s / line.words.size();
}

// Decodes the first UTF-8 code point of `s` (0 when empty or invalid).
char32_t FirstCodePoint(const std::string& s) {
  if (s.empty()) return 0;
  unsigned char c = s[0];
  if (c < 0x80) return c;
  int n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
  char32_t cp = c & (0x3F >> n);
  for (int i = 1; i <= n && i < static_cast<int>(s.size()); ++i) cp = (cp << 6) | (s[i] & 0x3F);
  return cp;
}

bool IsCjk(char32_t cp) {
  return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

// Median text-line slope (radians, positive = text runs down to the right).
std::optional<double> MedianSlope(const std::vector<OcrLine>& lines) {
  std::vector<double> a;
  for (const OcrLine& l : lines) {
    double dx = l.quad[1].x - l.quad[0].x, dy = l.quad[1].y - l.quad[0].y;
    if (dx > 1) a.push_back(std::atan2(dy, dx));
  }
  if (a.empty()) return std::nullopt;
  std::nth_element(a.begin(), a.begin() + a.size() / 2, a.end());
  return a[a.size() / 2];
}

cv::Mat ToGray(const cv::Mat& bgr) {
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  return gray;
}

// Binarises a gray image with a local (Gaussian-weighted) threshold, so that uneven lighting
// (curved scans, shadows, photos) does not defeat Tesseract's global Otsu threshold. The block
// (51 px) spans about one text line at the sizes the pipelines produce (2x small pages, 64 px
// line crops); C = 15 keeps flat background white.
cv::Mat Binarize(const cv::Mat& gray) {
  cv::Mat out;
  cv::adaptiveThreshold(gray, out, 255, cv::ADAPTIVE_THRESH_GAUSSIAN_C, cv::THRESH_BINARY, 51, 15);
  return out;
}

// Scales a line crop so one line is kLineHeight high (boxes taller than 1.3x the median line
// height may hold two merged lines), makes the text dark on light, and pads it.
struct PreparedLine {
  cv::Mat gray;
  double factor = 1;
};
PreparedLine PrepareLine(const cv::Mat& bgr, double line_height) {
  PreparedLine p;
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  p.factor = double(kLineHeight) / std::max(1.0, std::min(double(gray.rows), line_height));
  int h = std::max(1, static_cast<int>(std::round(gray.rows * p.factor)));
  int w = std::max(1, static_cast<int>(std::round(gray.cols * p.factor)));
  cv::resize(gray, gray, cv::Size(w, h), 0, 0, cv::INTER_CUBIC);
  // The background dominates a line box: a dark median means light text on a dark sign.
  cv::Mat sorted = gray.reshape(1, 1).clone();
  std::nth_element(sorted.begin<uchar>(), sorted.begin<uchar>() + sorted.total() / 2,
                   sorted.end<uchar>());
  int background = sorted.at<uchar>(0, static_cast<int>(sorted.total() / 2));
  if (background < 128) {
    cv::bitwise_not(gray, gray);
    background = 255 - background;
  }
  // Constant padding: replicating the border would stretch strokes that touch it.
  cv::copyMakeBorder(gray, p.gray, kLinePad, kLinePad, kLinePad, kLinePad, cv::BORDER_CONSTANT,
                     cv::Scalar(background));
  return p;
}

}  // namespace

const char* OcrPipelineName(OcrPipeline p) {
  switch (p) {
    case OcrPipeline::kTesseract:
      return "tesseract";
    case OcrPipeline::kDetTesseract:
      return "ppocr-det+tesseract";
    case OcrPipeline::kPpOcr:
      return "ppocr";
    case OcrPipeline::kAuto:
      return "auto";
  }
  return "unknown";
}

StatusOr<std::unique_ptr<ReadEngine>> ReadEngine::Create(const ReadEngineOptions& options) {
  std::unique_ptr<ReadEngine> e(new ReadEngine());
  e->options_ = options;
  e->pool_ = std::make_unique<TesseractPool>(options.tesseract);
  // English must load: it is the default language and the fallback of auto-detection.
  { OCULAR_ASSIGN_OR_RETURN(TesseractPool::Lease probe, e->pool_->Acquire("eng")); }
  if (!options.det_model.empty()) {
    OCULAR_ASSIGN_OR_RETURN(e->detector_,
                            PpOcrDetector::Create(options.det_model, {}, &options.session));
  }
  if (!options.rec_model.empty()) {
    OCULAR_ASSIGN_OR_RETURN(e->recognizer_,
                            PpOcrRecognizer::Create(options.rec_model, options.rec_keys,
                                                    &options.session));
  }
  return e;
}

StatusOr<ReadResult> ReadEngine::Read(const cv::Mat& bgr, double scale,
                                      const ReadOptions& options) const {
  if (bgr.empty() || bgr.type() != CV_8UC3) return Internal("OCR input is not a BGR image");
  if (!(scale > 0)) scale = 1.0;
  OcrPipeline pipeline = options.pipeline.value_or(options_.pipeline);
  if (pipeline != OcrPipeline::kTesseract && pipeline != OcrPipeline::kAuto && !detector_)
    pipeline = OcrPipeline::kTesseract;
  if (pipeline == OcrPipeline::kPpOcr && !recognizer_) pipeline = OcrPipeline::kDetTesseract;

  const bool auto_lang = IsAutoLanguage(options.language);
  std::optional<OcrLanguage> lang;
  if (!auto_lang) {
    OCULAR_ASSIGN_OR_RETURN(lang,
                            ResolveOcrLanguage(options.language, options_.tesseract.tessdata_dir));
  }

  ReadResult result;
  int rotate = 0;  // clockwise rotation that makes the page upright
  int text_rotation = 0;
  if (options.detect_orientation || auto_lang) {
    cv::Mat osd_input = bgr;
    const int long_side = std::max(bgr.cols, bgr.rows);
    if (long_side < kOsdMinLongSide) {
      const double up = std::min(4.0, double(kOsdMinLongSide) / long_side);
      try {
        cv::resize(bgr, osd_input, cv::Size(), up, up, cv::INTER_CUBIC);
      } catch (const cv::Exception&) {
        return Internal("OCR resize failed");
      }
    }
    StatusOr<OsdResult> osd = DetectOrientationScript(*pool_, osd_input);
    if (osd.ok()) {
      if (osd->orientation_confidence >= kMinOrientationConfidence) {
        text_rotation = osd->rotate_cw_degrees;
        rotate = (360 - text_rotation) % 360;
      }
      if (auto_lang && osd->script_confidence >= kMinScriptConfidence) {
        lang = AutoLanguageForScript(osd->script, options_.tesseract.tessdata_dir);
      }
    } else if (osd.status().code() != StatusCode::kNotFound &&
               osd.status().code() != StatusCode::kUnavailable) {
      return osd.status();
    }
  }
  if (!lang) lang = OcrLanguage{"en", "eng", false};
  result.language = lang->azure;

  cv::Mat upright;
  try {
    upright = RotateClockwise(bgr, rotate);
  } catch (const cv::Exception&) {
    return Internal("OCR rotation failed");
  }

  StatusOr<OcrPage> page = Internal("no OCR pipeline ran");
  try {
    switch (pipeline) {
      case OcrPipeline::kTesseract:
        page = ReadPage(upright, *lang);
        break;
      case OcrPipeline::kDetTesseract:
        page = ReadLines(upright, *lang, false);
        break;
      case OcrPipeline::kPpOcr:
        page = ReadLines(upright, *lang, true);
        break;
      case OcrPipeline::kAuto: {
        // Documents: Tesseract's layout analysis is accurate and keeps paragraphs as blocks.
        // Photos/signs: it finds little or reads noise, so the detector's lines are read too,
        // and the result with more confidence-weighted characters wins.
        page = ReadPage(upright, *lang);
        if (page.ok() && detector_) {
          OCULAR_ASSIGN_OR_RETURN(std::vector<TextBox> boxes, detector_->Detect(upright));
          // A document: confident, and Tesseract found most of the lines the detector sees
          // (its layout analysis silently drops lines on skewed pages).
          const bool document =
              !page->blocks.empty() && MeanWordConfidence(*page) >= kDocumentConfidence &&
              LineCount(*page) >= kMinLineCoverage * static_cast<double>(boxes.size());
          if (!document) {
            StatusOr<OcrPage> lines = ReadLines(upright, *lang, false, &boxes);
            if (!lines.ok()) return lines.status();
            if (WeightedChars(*lines) > WeightedChars(*page)) page = std::move(lines);
          }
        }
        break;
      }
    }
  } catch (const cv::Exception&) {
    return Internal("OCR image processing failed");
  }
  if (!page.ok()) return page.status();
  std::vector<std::vector<OcrLine>>& blocks = page->blocks;
  const std::optional<double> slope = page->deskew_radians;  // clockwise skew, radians

  // Back to original-image pixels: undo the upright rotation, then the decode scale.
  const double max_x = bgr.cols / scale, max_y = bgr.rows / scale;
  auto to_original = [&](PointF p) {
    PointF q = UnrotatePoint(p, rotate, bgr.cols, bgr.rows);
    return PointF{std::clamp(q.x / scale, 0.0, max_x), std::clamp(q.y / scale, 0.0, max_y)};
  };
  for (auto& blk : blocks) {
    TextBlock out;
    for (OcrLine& l : blk) {
      TextLine line;
      line.text = l.text;
      for (int i = 0; i < 4; ++i) line.polygon[i] = to_original(l.quad[i]);
      for (const OcrWord& w : l.words) {
        TextWord word;
        word.text = w.text;
        word.confidence = w.confidence;
        for (int i = 0; i < 4; ++i) word.polygon[i] = to_original(w.quad[i]);
        line.words.push_back(std::move(word));
      }
      out.lines.push_back(std::move(line));
    }
    result.blocks.push_back(std::move(out));
  }
  if (options.detect_orientation && !result.blocks.empty()) {
    result.orientation = OrientationName(text_rotation);
    // Azure textAngle: the clockwise rotation that levels the lines = minus their slope.
    if (slope) result.text_angle_radians = -*slope;
  }
  return result;
}

StatusOr<OcrPage> ReadEngine::ReadPage(const cv::Mat& upright, const OcrLanguage& lang_ref) const {
  const OcrLanguage* lang = &lang_ref;
  std::vector<std::vector<OcrLine>> blocks;
  std::optional<double> slope;
  double up = std::max(upright.cols, upright.rows) < kUpscaleBelowLongSide ? 2.0 : 1.0;
  cv::Mat work = upright;
  if (up != 1.0) cv::resize(upright, work, cv::Size(), up, up, cv::INTER_CUBIC);
  OCULAR_ASSIGN_OR_RETURN(OcrPage page, RecognizePage(*pool_, *lang, Binarize(ToGray(work))));
  for (auto& blk : page.blocks) {
    std::erase_if(blk, [](const OcrLine& l) { return MeanConfidence(l) < kMinLineConfidence; });
    for (OcrLine& l : blk) {
      for (PointF& p : l.quad) p = {p.x / up, p.y / up};
      for (OcrWord& w : l.words)
        for (PointF& p : w.quad) p = {p.x / up, p.y / up};
    }
    if (!blk.empty()) blocks.push_back(std::move(blk));
  }
  slope = page.deskew_radians;
  OcrPage out;
  out.blocks = std::move(blocks);
  out.deskew_radians = slope;
  return out;
}

StatusOr<OcrPage> ReadEngine::ReadLines(const cv::Mat& upright, const OcrLanguage& lang_ref,
                                        bool ppocr_rec,
                                        const std::vector<TextBox>* detected) const {
  const OcrLanguage* lang = &lang_ref;
  std::vector<std::vector<OcrLine>> blocks;
  std::optional<double> slope;
  std::vector<TextBox> boxes;
  if (detected != nullptr) {
    boxes = *detected;
  } else {
    OCULAR_ASSIGN_OR_RETURN(boxes, detector_->Detect(upright));
  }
  std::vector<OcrLine> lines;
  // Median box height (pixels): the typical single-line height on this page.
  double median_height = 0;
  if (!boxes.empty()) {
    std::vector<double> hs;
    for (const TextBox& b : boxes)
      hs.push_back(std::hypot(b.quad[3].x - b.quad[0].x, b.quad[3].y - b.quad[0].y));
    std::nth_element(hs.begin(), hs.begin() + hs.size() / 2, hs.end());
    median_height = hs[hs.size() / 2];
  }
  const bool use_rec =
      ppocr_rec && recognizer_ && (lang->azure == "en" || lang->azure == "zh-Hans");
  for (const TextBox& box : boxes) {
    OCULAR_ASSIGN_OR_RETURN(LineCrop crop, CropLine(upright, box.quad));
    OcrLine line;
    line.quad = box.quad;
    const double ch = crop.image.rows, cw = crop.image.cols;
    auto to_image = [&](double x, double y) {
      return MapPoint(crop.to_image, std::clamp(x, 0.0, cw), std::clamp(y, 0.0, ch));
    };
    if (use_rec) {
      OCULAR_ASSIGN_OR_RETURN(RecognizedLine rec, recognizer_->Recognize(crop.image));
      if (rec.confidence < kMinPpOcrConfidence) continue;
      OcrWord word;
      double x0 = 0, x1 = 0, conf = 0;
      int n = 0;
      auto flush = [&]() {
        if (!word.text.empty()) {
          word.quad = {to_image(x0, 0), to_image(x1, 0), to_image(x1, ch), to_image(x0, ch)};
          word.confidence = conf / n;
          line.words.push_back(word);
        }
        word = OcrWord{};
        conf = 0;
        n = 0;
      };
      for (const RecognizedChar& c : rec.chars) {
        if (c.text == " ") {
          flush();
          continue;
        }
        const bool cjk = IsCjk(FirstCodePoint(c.text));
        if (cjk) flush();
        if (word.text.empty()) x0 = c.x0;
        word.text += c.text;
        x1 = c.x1;
        conf += c.confidence;
        ++n;
        if (cjk) flush();
      }
      flush();
      for (std::size_t i = 0; i < line.words.size(); ++i) {
        const bool cjk = IsCjk(FirstCodePoint(line.words[i].text));
        if (i > 0 && !(cjk && IsCjk(FirstCodePoint(line.words[i - 1].text)))) line.text += ' ';
        line.text += line.words[i].text;
      }
    } else {
      PreparedLine prep = PrepareLine(crop.image, 1.3 * median_height);
      OCULAR_ASSIGN_OR_RETURN(OcrPage page,
                              RecognizePage(*pool_, *lang, prep.gray, OcrLayout::kBlock));
      auto crop_point = [&](PointF p) {
        return to_image((p.x - kLinePad) / prep.factor, (p.y - kLinePad) / prep.factor);
      };
      std::vector<OcrLine> found;
      for (auto& blk : page.blocks)
        for (OcrLine& l : blk)
          if (MeanConfidence(l) >= kMinLineConfidence) found.push_back(std::move(l));
      for (OcrLine& l : found) {
        for (OcrWord& w : l.words)
          for (PointF& p : w.quad) p = crop_point(p);
        // One line: the detector's box; two merged lines: Tesseract's line boxes.
        if (found.size() == 1) {
          l.quad = box.quad;
        } else {
          for (PointF& p : l.quad) p = crop_point(p);
        }
      }
      for (std::size_t i = 0; i + 1 < found.size(); ++i) lines.push_back(std::move(found[i]));
      if (!found.empty()) line = std::move(found.back());
    }
    if (!line.words.empty()) lines.push_back(std::move(line));
  }
  slope = MedianSlope(lines);
  if (!lines.empty()) blocks.push_back(std::move(lines));

  OcrPage out;
  out.blocks = std::move(blocks);
  out.deskew_radians = slope;
  return out;
}

}  // namespace ocular
