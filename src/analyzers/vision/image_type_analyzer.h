// Image type (v3.2 `imageType`): rule-based, no model. The rule and its measured accuracy are in
// docs/accuracy.md ("Image type").
//
// Metrics are computed on a copy whose long side is 512 px:
//   - flat_share: share of pixels whose 3x3 neighbourhood is exactly uniform in all channels
//     (synthetic graphics are flat; photos, even smooth ones, carry sensor noise);
//   - colors_90: how many 5-bit-per-channel colour bins cover 90% of the pixels;
//   - ink_share / paper_share / mid_share: dark (< 100), light (> 200) and in-between shares of
//     the grey image; chromatic_share: pixels with chroma >= 40;
//   - largest_ink_component: the largest 8-connected ink component's share of all ink
//     (drawings are a few long strokes; text is many small glyphs).
// Rules:
//   ink on paper = paper >= 55%, ink in [0.5%, 35%], mid <= 12%, chromatic <= 3%;
//   for ink on paper: lineDrawingType = 1 when the strokes connect (largest_ink_component >=
//     0.25), else 0 (text); clipArtType = lineDrawingType (a drawing is "ambiguous" clip art,
//     text is none);
//   otherwise lineDrawingType = 0 and clipArtType = 3 (good) when flat_share >= 0.55 and
//     colors_90 <= 64; 2 (normal) when flat_share >= 0.40 and colors_90 <= 256, or flat_share
//     >= 0.20 and colors_90 <= 100 (palette renders); 1 (ambiguous) when flat_share >= 0.25;
//     else 0.
#pragma once

#include <memory>

#include "analyzers/analyzer.h"
#include "analyzers/engine.h"

namespace ocular {

struct ImageTypeMetrics {
  double flat_share = 0;
  int colors_90 = 0;
  double ink_share = 0;
  double paper_share = 0;
  double mid_share = 0;
  double chromatic_share = 0;
  double largest_ink_component = 0;
};

ImageTypeMetrics MeasureImageType(const cv::Mat& bgr);
ImageTypeResult ClassifyImageType(const ImageTypeMetrics& m);

StatusOr<std::unique_ptr<Analyzer>> CreateImageTypeAnalyzer(const AnalyzerEnv& env);

}  // namespace ocular
