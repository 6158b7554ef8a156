// Colour (v3.2 `color`): rule-based, no model.
//
// Every pixel of a 256-px-long-side copy is named with one of Azure's 12 colours (NameColor).
//   - dominantColorBackground: the most frequent name in the outer border band (12% per side);
//   - dominantColorForeground: the most frequent name in the central region (middle 50%x50%);
//   - dominantColors: names covering >= 10% of the image, most frequent first (at most 3;
//     at least the most frequent one);
//   - accentColor: the mean RGB of the most salient chromatic cluster (highest saturation x
//     value among hue bins covering >= 0.5% of pixels), as "RRGGBB"; the mean colour when the
//     image has no chromatic pixels;
//   - isBWImg: >= 98% of pixels have chroma (max-min of R,G,B) below 24.
#pragma once

#include <memory>
#include <string>

#include "analyzers/analyzer.h"
#include "analyzers/engine.h"

namespace ocular {

// Names an 8-bit RGB colour with one of: Black, Blue, Brown, Gray, Green, Orange, Pink, Purple,
// Red, Teal, White, Yellow.
std::string NameColor(int r, int g, int b);

// Computes the colour result of a BGR image (CV_8UC3, non-empty).
ColorResult AnalyzeColors(const cv::Mat& bgr);

StatusOr<std::unique_ptr<Analyzer>> CreateColorAnalyzer(const AnalyzerEnv& env);

}  // namespace ocular
