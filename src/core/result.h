// The result model: what analyzers produce, independent of any wire format. The API writers
// (src/api) turn one AnalysisResult into 4.0 or v3.2 JSON. Every box is in original-image pixels.
//
// A std::optional member is set only when its feature was requested and computed. Each analyzer
// writes only the members it owns, so analyzers may run in parallel on one AnalysisResult.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/geometry.h"
#include "core/image.h"

namespace ocular {

struct Tag {
  std::string name;
  double confidence = 0;  // [0, 1]
  std::string hint;       // v3.2 optional hint (e.g. "food"), empty when none
};

// One step of a v3.2 object's parent chain (WordNet hypernyms, nearest first).
struct ObjectParent {
  std::string name;
  double confidence = 0;
};

struct DetectedObject {
  Rect box;
  std::string name;
  double confidence = 0;
  std::vector<ObjectParent> parents;  // nearest first; may be empty
};

struct DetectedPerson {
  Rect box;
  double confidence = 0;
};

struct DetectedFace {
  Rect box;
  double confidence = 0;  // detector score (not on the wire; used by crops and tags)
};

struct Caption {
  std::string text;
  double confidence = 0;
  Rect box;  // dense captions: the region (the whole image for the first); unused for captions
};

struct ColorResult {
  std::string dominant_foreground;  // one of the 12 Azure colour names, capitalised
  std::string dominant_background;
  std::vector<std::string> dominant_colors;
  std::string accent_color;  // "RRGGBB", no '#'
  bool is_bw = false;
};

struct ImageTypeResult {
  int clip_art_type = 0;       // 0 non-clip-art, 1 ambiguous, 2 normal, 3 good
  int line_drawing_type = 0;   // 0 or 1
};

struct AdultResult {
  double adult_score = 0;
  double racy_score = 0;
  bool is_adult = false;
  bool is_racy = false;
  // Gore: no installed model computes it. nullopt means "unsupported"; writers mark it so.
  std::optional<double> gore_score;
};

struct SmartCrop {
  double aspect_ratio = 0;  // width / height of `box`, rounded to 2 decimals on the wire
  Rect box;
};

struct Category {
  std::string name;
  double score = 0;
  struct Celebrity {
    std::string name;
    double confidence = 0;
    Rect face;
  };
  struct Landmark {
    std::string name;
    double confidence = 0;
  };
  std::vector<Celebrity> celebrities;  // detail, only with details=Celebrities
  std::vector<Landmark> landmarks;     // detail, only with details=Landmarks
};

struct Brand {
  std::string name;
  double confidence = 0;
  Rect box;
};

// Text (OCR). Polygons are 4 points clockwise from top-left, in original-image pixels.
struct TextWord {
  std::string text;
  Quad polygon{};
  double confidence = 0;
};
struct TextLine {
  std::string text;
  Quad polygon{};
  std::vector<TextWord> words;
};
struct TextBlock {
  std::vector<TextLine> lines;
};
struct ReadResult {
  std::vector<TextBlock> blocks;  // reading order
  std::string language;           // detected or requested language code ("en"), empty if unknown
  // Page orientation: "Up", "Down", "Left", "Right" or "NotDetected" (v3.2 /ocr).
  std::string orientation = "NotDetected";
  std::optional<double> text_angle_radians;  // skew; absent when unknown
};

struct AnalysisResult {
  std::string model_version;
  ImageInfo image;  // original dimensions and format (metadata)

  std::optional<std::vector<Tag>> tags;
  std::optional<std::vector<DetectedObject>> objects;
  std::optional<std::vector<DetectedPerson>> people;
  std::optional<std::vector<DetectedFace>> faces;
  std::optional<Caption> caption;
  std::optional<std::vector<Caption>> caption_candidates;  // v3.2 description (sorted)
  // v3.2 description.tags (tag names in the request language); when absent, the writer uses
  // the names of `tags`.
  std::optional<std::vector<std::string>> description_tags;
  std::optional<std::vector<Caption>> dense_captions;
  std::optional<ColorResult> color;
  std::optional<ImageTypeResult> image_type;
  std::optional<AdultResult> adult;
  std::optional<std::vector<SmartCrop>> smart_crops;
  std::optional<std::vector<Category>> categories;
  std::optional<std::vector<Brand>> brands;
  std::optional<ReadResult> read;

  // Wall time of each step that ran, in order: "decode", then each analyzer by name (milliseconds).
  // Filled by Engine::Analyze; the API sends it as the Server-Timing header (api/server_timing.h).
  std::vector<std::pair<std::string, double>> timings_ms;
};

}  // namespace ocular
