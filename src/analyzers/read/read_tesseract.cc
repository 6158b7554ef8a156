#include "analyzers/read/read_tesseract.h"

#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cctype>
#include <opencv2/imgproc.hpp>

#include "core/image.h"

namespace ocular {
namespace {

// Resolution Tesseract is told the image has (it only steers size heuristics).
constexpr int kSourceDpi = 300;

std::string TakeText(char* text) {
  if (text == nullptr) return {};
  std::string s(text);
  delete[] text;
  // Trim whitespace and newlines Tesseract appends.
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

Quad BoxQuad(int left, int top, int right, int bottom) {
  return Quad{PointF{double(left), double(top)}, PointF{double(right), double(top)},
              PointF{double(right), double(bottom)}, PointF{double(left), double(bottom)}};
}

// Tesseract wants 8-bit gray (or RGB); a continuous gray image keeps SetImage simple.
StatusOr<cv::Mat> ToGray(const cv::Mat& image) {
  StatusOr<cv::Mat> gray = ToGray8(image);
  if (!gray.ok()) return Internal("OCR input: " + gray.status().message());
  return gray;
}

std::string JoinWords(const std::vector<OcrWord>& words, bool cjk) {
  std::string out;
  for (const OcrWord& w : words) {
    if (!out.empty() && !cjk) out += ' ';
    out += w.text;
  }
  return out;
}

}  // namespace

// ---- pool ----

TesseractPool::TesseractPool(TesseractPoolOptions options) : options_(std::move(options)) {
  options_.max_per_pack = std::max(1, options_.max_per_pack);
  options_.max_total = std::max(options_.max_per_pack, options_.max_total);
}

TesseractPool::~TesseractPool() {
  for (auto& [pack, apis] : idle_) {
    for (tesseract::TessBaseAPI* api : apis) {
      api->End();
      delete api;
    }
  }
}

TesseractPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), pack_(std::move(other.pack_)), api_(other.api_) {
  other.api_ = nullptr;
}

TesseractPool::Lease::~Lease() {
  if (api_ != nullptr) pool_->Release(pack_, api_);
}

StatusOr<TesseractPool::Lease> TesseractPool::Acquire(const std::string& pack) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      auto& idle = idle_[pack];
      if (!idle.empty()) {
        tesseract::TessBaseAPI* api = idle.back();
        idle.pop_back();
        return Lease(this, pack, api);
      }
      if (count_[pack] < options_.max_per_pack) {
        if (total_ >= options_.max_total) {
          // Make room by dropping an idle instance of another pack.
          for (auto& [other, apis] : idle_) {
            if (other == pack || apis.empty()) continue;
            tesseract::TessBaseAPI* victim = apis.back();
            apis.pop_back();
            --count_[other];
            --total_;
            victim->End();
            delete victim;
            break;
          }
        }
        if (total_ < options_.max_total) {
          ++count_[pack];
          ++total_;
          break;  // create outside the lock
        }
      }
      cv_.wait(lock);
    }
  }
  auto api = std::make_unique<tesseract::TessBaseAPI>();
  std::vector<std::string> vars = {"debug_file"};
  std::vector<std::string> values = {"/dev/null"};
  const tesseract::OcrEngineMode oem =
      pack == "osd" ? tesseract::OEM_TESSERACT_ONLY : tesseract::OEM_LSTM_ONLY;
  const std::string dir = options_.tessdata_dir.string();
  if (api->Init(dir.c_str(), pack.c_str(), oem, nullptr, 0, &vars, &values, false) != 0) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      --count_[pack];
      --total_;
    }
    cv_.notify_all();
    return Unavailable("The OCR language pack '" + pack + "' could not be loaded.");
  }
  return Lease(this, pack, api.release());
}

void TesseractPool::Release(const std::string& pack, tesseract::TessBaseAPI* api) {
  api->Clear();  // drop the image and results of the last call
  {
    std::lock_guard<std::mutex> lock(mu_);
    idle_[pack].push_back(api);
  }
  cv_.notify_all();
}

// ---- recognition ----

StatusOr<OcrPage> RecognizePage(TesseractPool& pool, const OcrLanguage& lang, const cv::Mat& image,
                                OcrLayout layout) {
  OCULAR_ASSIGN_OR_RETURN(cv::Mat gray, ToGray(image));
  OCULAR_ASSIGN_OR_RETURN(TesseractPool::Lease api, pool.Acquire(lang.pack));
  api->SetPageSegMode(layout == OcrLayout::kAuto    ? tesseract::PSM_AUTO
                      : layout == OcrLayout::kBlock ? tesseract::PSM_SINGLE_BLOCK
                                                    : tesseract::PSM_SINGLE_LINE);
  api->SetImage(gray.data, gray.cols, gray.rows, 1, static_cast<int>(gray.step));
  api->SetSourceResolution(kSourceDpi);
  if (api->Recognize(nullptr) != 0) return Internal("Text recognition failed");
  OcrPage page;
  std::unique_ptr<tesseract::ResultIterator> it(api->GetIterator());
  if (!it || it->Empty(tesseract::RIL_WORD)) return page;
  {
    tesseract::Orientation orientation;
    tesseract::WritingDirection direction;
    tesseract::TextlineOrder order;
    float deskew = 0;
    it->Orientation(&orientation, &direction, &order, &deskew);
    page.deskew_radians = deskew;
  }
  const tesseract::PageIteratorLevel unit = lang.cjk ? tesseract::RIL_SYMBOL : tesseract::RIL_WORD;
  std::vector<OcrLine>* block = nullptr;
  OcrLine* line = nullptr;
  do {
    if (block == nullptr ||
        (layout == OcrLayout::kAuto && it->IsAtBeginningOf(tesseract::RIL_BLOCK))) {
      page.blocks.emplace_back();
      block = &page.blocks.back();
      line = nullptr;
    }
    if (line == nullptr || it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) {
      block->emplace_back();
      line = &block->back();
      int l = 0, t = 0, r = 0, b = 0;
      it->BoundingBox(tesseract::RIL_TEXTLINE, &l, &t, &r, &b);
      line->quad = BoxQuad(l, t, r, b);
    }
    OcrWord word;
    word.text = TakeText(it->GetUTF8Text(unit));
    if (word.text.empty()) continue;
    word.confidence = std::clamp(it->Confidence(unit) / 100.0, 0.0, 1.0);
    int l = 0, t = 0, r = 0, b = 0;
    it->BoundingBox(unit, &l, &t, &r, &b);
    word.quad = BoxQuad(l, t, r, b);
    line->words.push_back(std::move(word));
  } while (it->Next(unit));
  // Drop empty lines and blocks; join line texts.
  for (auto& blk : page.blocks) {
    std::erase_if(blk, [](const OcrLine& l) { return l.words.empty(); });
    for (OcrLine& l : blk) l.text = JoinWords(l.words, lang.cjk);
  }
  std::erase_if(page.blocks, [](const std::vector<OcrLine>& b) { return b.empty(); });
  return page;
}

StatusOr<OsdResult> DetectOrientationScript(TesseractPool& pool, const cv::Mat& image) {
  OCULAR_ASSIGN_OR_RETURN(cv::Mat gray, ToGray(image));
  OCULAR_ASSIGN_OR_RETURN(TesseractPool::Lease api, pool.Acquire("osd"));
  api->SetPageSegMode(tesseract::PSM_OSD_ONLY);
  api->SetImage(gray.data, gray.cols, gray.rows, 1, static_cast<int>(gray.step));
  api->SetSourceResolution(kSourceDpi);
  int degrees = 0;
  float orient_conf = 0, script_conf = 0;
  const char* script = nullptr;
  if (!api->DetectOrientationScript(&degrees, &orient_conf, &script, &script_conf)) {
    return NotFound("Too little text to detect the orientation");
  }
  OsdResult r;
  r.rotate_cw_degrees = ((degrees % 360) + 360) % 360;
  r.orientation_confidence = orient_conf;
  r.script = script != nullptr ? script : "";
  r.script_confidence = script_conf;
  return r;
}

cv::Mat RotateClockwise(const cv::Mat& image, int degrees) {
  cv::Mat out;
  switch (((degrees % 360) + 360) % 360) {
    case 90:
      cv::rotate(image, out, cv::ROTATE_90_CLOCKWISE);
      break;
    case 180:
      cv::rotate(image, out, cv::ROTATE_180);
      break;
    case 270:
      cv::rotate(image, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      break;
    default:
      out = image;
      break;
  }
  return out;
}

PointF UnrotatePoint(PointF p, int degrees, int width, int height) {
  switch (((degrees % 360) + 360) % 360) {
    // Rotated clockwise by 90: rotated (x', y') came from (y', H - x') in the original.
    case 90:
      return {p.y, double(height) - p.x};
    case 180:
      return {double(width) - p.x, double(height) - p.y};
    case 270:
      return {double(width) - p.y, p.x};
    default:
      return p;
  }
}

}  // namespace ocular
