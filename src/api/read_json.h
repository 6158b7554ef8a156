// JSON writers for text recognition (ReadResult, core/result.h) in the three wire shapes. They
// are plain functions of their arguments (no HTTP), so the CLI uses them too.
//
//   4.0 readResult (spec §1.4): {"blocks":[{"lines":[{"text","boundingPolygon":[{x,y} x4],
//       "words":[{"text","boundingPolygon","confidence"}]}]}]}. All lines go into exactly one
//       block (the spec's rule), in reading order; with no text, "blocks":[] (spec §5.4).
//   v3.2 OcrResult (/ocr, spec §2.3): {language, textAngle?, orientation, regions:[{boundingBox:
//       "x,y,w,h", lines:[{boundingBox, words:[{boundingBox, text}]}]}], modelVersion}; one region
//       per recognised block.
//   v3.2 Read page (spec §2.3): {page, language, angle, width, height, unit:"pixel",
//       lines:[{boundingBox:[8], text, words:[{boundingBox:[8], text, confidence}]}]}.
// Coordinates are original-image pixels rounded to integers (4.0 points are int32 in the spec).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace ocular::api {

// "analyzeResult.version" of v3.2 Read results. The sources disagree ("v3.2" in the spec example,
// "3.2" in the docs, spec §5.14); we send the docs' spelling.
inline constexpr const char* kReadResultVersion = "3.2";

nlohmann::json ReadResultToJsonV40(const ReadResult& read);

nlohmann::json OcrResultToJsonV32(const ReadResult& read, const std::string& model_version);

// One v3.2 Read page for an image of width x height original pixels.
nlohmann::json ReadPageToJsonV32(const ReadResult& read, int page, int width, int height);

// The v3.2 page "angle": clockwise text direction in degrees, in [-180, 180): the orientation
// (Up 0, Right 90, Down 180, Left -90) plus the skew (minus textAngle).
double ReadPageAngleDegrees(const ReadResult& read);

}  // namespace ocular::api
