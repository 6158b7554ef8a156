// Captions (4.0 captionResult, v3.2 description captions) and dense captions.
//
// No captioning network ships in the default pack, so captions are RULE-BASED: English sentences
// generated from the confident detections: the most salient subject (people first when they are
// reasonably salient), its most specific relation to another detection from box geometry
// (caption_relations.h: riding, on a board, wearing, holding, sitting on, on a table, in front
// of, next to; otherwise "and"), and the setting only when evidence supports it (kitchen/street
// tags; "in the water" needs a confident surfboard or boat and a water-coloured bottom third),
// e.g. "a person riding a horse", "a cup on a table", "two people in front of a bus on a
// street". A count word is used only when the count is known (every counted instance is
// confident and no likely-real unconfident one is left out); otherwise "people"/"some cups".
// Dense captions use the same relation phrases for a region ("a person in blue riding a horse"). The generator
// names people "person"/"people" only: it never guesses gender, so gender-neutral-caption is
// always honoured. Confidence is derived from the calibrated detection scores (scene.h
// calibrated score, detector.h) of what the sentence mentions.
//
// A neural captioner can replace the generator later: implement Captioner and return it from
// MakeCaptioner; the analyzers only see this interface.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "analyzers/vision/scene.h"
#include "core/result.h"

namespace ocular {

class Captioner {
 public:
  virtual ~Captioner() = default;
  // Up to max_candidates captions of the whole image, by descending confidence (at least one).
  virtual std::vector<Caption> Describe(const Evidence& evidence, int max_candidates) const = 0;
  // The whole-image caption, then up to 9 salient regions ("a red car"). `bgr` is the decoded
  // image, `scale` decoded pixels per original pixel (for region colours).
  virtual std::vector<Caption> DenseCaptions(const Evidence& evidence, const cv::Mat& bgr,
                                             double scale) const = 0;
};

// The rule-based generator.
std::unique_ptr<Captioner> MakeCaptioner();

// Grammar helpers (exposed for tests).
// The caption noun of a detector label ("tv" -> "television", "sports ball" -> "ball").
std::string CaptionNoun(const std::string& label);
// "dog" -> "dogs", "person" -> "people", "bus" -> "buses", "sheep" -> "sheep".
std::string Plural(const std::string& noun);
// "a dog", "an apple", "two dogs", "a group of people" (>= 10 people), "many donuts" (>= 10).
std::string CountPhrase(const std::string& noun, int count);
// The subject of a caption: CountPhrase when the count is known, else "people" / "some cups"
// (two or more, number unknown) or the singular.
std::string SubjectPhrase(const std::string& label, int count, bool count_known);
// "one" .. "nine"; digits from 10.
std::string NumberWord(int n);
// "a" or "an" for the noun.
std::string Article(const std::string& noun);

}  // namespace ocular
