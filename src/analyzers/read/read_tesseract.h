// Tesseract 5 behind Ocular's error model: a bounded pool of TessBaseAPI instances (they are not
// thread-safe) and the three calls the Read analyzer needs (page recognition, single-line
// recognition, orientation and script detection).
//
// Coordinates: every quad is in the pixels of the image passed in (the caller maps them back to
// original-image pixels). Quads are clockwise from the top-left corner.
// Privacy: nothing here logs or writes text or images; Tesseract's own debug output is sent to
// /dev/null.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "analyzers/read/read_languages.h"
#include "core/geometry.h"
#include "core/status.h"

namespace tesseract {
class TessBaseAPI;
}  // namespace tesseract

namespace ocular {

struct OcrWord {
  std::string text;
  Quad quad{};
  double confidence = 0;  // [0, 1]
};

struct OcrLine {
  std::string text;  // words joined by one space (CJK: no separator)
  Quad quad{};
  std::vector<OcrWord> words;
};

struct OcrPage {
  std::vector<std::vector<OcrLine>> blocks;  // reading order (Tesseract's layout analysis)
  // Skew of the text lines in radians as Tesseract measured it (positive = counter-clockwise);
  // nullopt when no text was found.
  std::optional<double> deskew_radians;
};

struct OsdResult {
  int rotate_cw_degrees = 0;  // 0/90/180/270: rotation of the text w.r.t. upright (clockwise)
  double orientation_confidence = 0;  // Tesseract scale; >= ~2 is usable, 15 is very sure
  std::string script;                 // "Latin", "Han", "Japanese", "Hangul", ... ("" unknown)
  double script_confidence = 0;
};

struct TesseractPoolOptions {
  // Where the *.traineddata files live. Default: Debian's tesseract-ocr 5 folder.
  std::filesystem::path tessdata_dir = kDefaultTessdataDir;
  // Instances per language pack. Default 2 (one per core of the reference machine): requests for
  // the same language beyond this wait for a free instance.
  int max_per_pack = 2;
  // Instances over all packs (each holds 10-60 MB). Default 8: past it, an idle instance of
  // another pack is destroyed to make room, or the caller waits.
  int max_total = 8;
};

// Lazily creates and reuses initialised TessBaseAPI instances. Thread-safe.
class TesseractPool {
 public:
  explicit TesseractPool(TesseractPoolOptions options = {});
  ~TesseractPool();
  TesseractPool(const TesseractPool&) = delete;
  TesseractPool& operator=(const TesseractPool&) = delete;

  const TesseractPoolOptions& options() const { return options_; }

  // An instance checked out of the pool; returned on destruction.
  class Lease {
   public:
    Lease(TesseractPool* pool, std::string pack, tesseract::TessBaseAPI* api)
        : pool_(pool), pack_(std::move(pack)), api_(api) {}
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();
    tesseract::TessBaseAPI* get() const { return api_; }
    tesseract::TessBaseAPI* operator->() const { return api_; }

   private:
    TesseractPool* pool_;
    std::string pack_;
    tesseract::TessBaseAPI* api_;
  };

  // Checks out an instance initialised with `pack` ("eng", "chi_sim", "osd"). Blocks while the
  // caps are reached. Errors: Unavailable when the pack cannot be initialised (missing or corrupt
  // traineddata).
  StatusOr<Lease> Acquire(const std::string& pack);

 private:
  void Release(const std::string& pack, tesseract::TessBaseAPI* api);

  TesseractPoolOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::vector<tesseract::TessBaseAPI*>> idle_;
  std::map<std::string, int> count_;  // live instances per pack (idle + leased)
  int total_ = 0;
};

// Tesseract page segmentation used by RecognizePage.
enum class OcrLayout {
  kAuto,   // full layout analysis: blocks, columns, lines (PSM_AUTO)
  kBlock,  // one uniform block of lines, e.g. a detected line box that may hold two (PSM 6)
  kLine,   // exactly one line (PSM 7)
};

// Recognises an 8-bit gray or BGR image. With kBlock/kLine there is at most one block.
// CJK languages (lang.cjk) get one word per character (the 4.0 convention).
StatusOr<OcrPage> RecognizePage(TesseractPool& pool, const OcrLanguage& lang, const cv::Mat& image,
                                OcrLayout layout = OcrLayout::kAuto);

// Orientation and script detection with osd.traineddata. Errors: Unavailable when osd is not
// installed; NotFound when the page has too little text to decide.
StatusOr<OsdResult> DetectOrientationScript(TesseractPool& pool, const cv::Mat& image);

// Rotates an image clockwise by 0/90/180/270 degrees.
cv::Mat RotateClockwise(const cv::Mat& image, int degrees);
// Maps a point of RotateClockwise(image, degrees) back to `image` (of size width x height).
PointF UnrotatePoint(PointF p, int degrees, int width, int height);

}  // namespace ocular
