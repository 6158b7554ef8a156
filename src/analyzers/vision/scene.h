// Scene evidence: everything the rule-based features (tags, captions, categories, smart crops)
// derive their output from, gathered once per request from the shared model outputs.
//
// Confidence combination (documented in docs/accuracy.md): independent pieces of evidence for
// one tag are combined with a noisy-OR, conf = 1 - prod(1 - s_i), where s_i are the supporting
// scores (an object label's best instance as its calibrated score (detector.h), child labels for a WordNet parent,
// trigger objects for a scene word times the rule's weight, face scores, the NSFW Drawing
// probability, the low-chroma pixel share, the mean OCR word confidence). Several instances of
// one label are not independent evidence (one detector error repeats across a picture: four
// "birds" on a line drawing), so a label takes its best instance, not their noisy-OR. A tag is returned when
// conf >= kTagThreshold.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzers/context.h"
#include "analyzers/vision/vision.h"
#include "core/result.h"

namespace ocular {

struct Evidence {
  int width = 0, height = 0;                // original pixels
  std::vector<Detection> detections;        // all detections >= the detector floor
  std::vector<FaceBox> faces;               // empty when no face detector is installed
  bool faces_known = false;                 // a face detector ran
  std::optional<NsfwScores> nsfw;           // when the NSFW model is installed
  double gray_share = 0;                    // share of pixels with chroma < 24 (0..1)
  double sky_share = 0;                     // SkyShare of the image (0..1)
  double water_share = 0;                   // WaterShare of the image (0..1)
  std::optional<double> text_confidence;    // OCR ran on this request and found words
};

// Tags are returned from this combined confidence up.
inline constexpr double kTagThreshold = 0.50;
// "drawing" needs the NSFW model's Drawing probability at or above this (photos of flat
// scenes score up to 0.97 on it, and the line drawings and clip art of the shared test set
// score below 0.5; see docs/accuracy.md).
inline constexpr double kDrawingThreshold = 0.98;
// "black and white" needs at least this share of low-chroma pixels.
inline constexpr double kBlackAndWhiteShare = 0.98;

// On line drawings an object counts as evidence only from this calibrated score up. The
// line-drawing test runs only on images with at least kDrawingGrayShare low-chroma pixels.
inline constexpr double kDrawingEvidence = 0.9;
inline constexpr double kDrawingGrayShare = 0.9;
// Two confident boxes of different classes overlapping this much are one object.
inline constexpr double kSameObjectIoU = 0.7;

// Removes evidence the models are known to get wrong (docs/accuracy.md, "Tags"): on a line
// drawing, objects below kDrawingEvidence; of two confident boxes of different classes with IoU
// >= kSameObjectIoU, the weaker; faces inside a confident non-person object and no person box.
void CleanEvidence(Evidence& evidence, bool line_drawing);

// Gathers the evidence (runs each installed model at most once per request through the context
// cache), then CleanEvidence. `result` supplies the OCR result when the request computed it.
StatusOr<Evidence> GatherEvidence(AnalysisContext& context, const VisionModels& models,
                                  const AnalysisResult& result);

// English tags from the evidence, by descending confidence (ties by name).
std::vector<Tag> ComputeTags(const Evidence& evidence);

// Every English word ComputeTags can return (the translation vocabulary).
std::vector<std::string> TagVocabulary();

// Detections that count as evidence (the detector tier's confident ones), by descending score.
std::vector<Detection> Confident(const Evidence& evidence);

// Share of the top third of `bgr` that looks like open sky: smooth (Sobel magnitude < 24 on a
// 128-px-wide copy) and blue or dusk-purple (B > R + 15 and B > G, or B > G + 15 and R > G).
// A share >= kSkyShare adds "sky" and "outdoor" evidence.
double SkyShare(const cv::Mat& bgr);
inline constexpr double kSkyShare = 0.30;

// Share of the bottom third of `bgr` (128-px-wide copy) that is water-coloured: blue to
// turquoise (B > R + 20 and G >= R) and not dark (B >= 60). Only a caption's "in the water" reads
// it, and only together with a confident surfboard or boat (captioner.h).
double WaterShare(const cv::Mat& bgr);
inline constexpr double kWaterShare = 0.35;

// 1 - prod(1 - s).
double NoisyOr(const std::vector<double>& scores);


}  // namespace ocular
