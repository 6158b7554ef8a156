// Adult (v3.2 adult) from the nsfwjs MobileNetV2 classes (Drawing, Hentai, Neutral, Porn, Sexy).
//
// Mapping (probabilities p_* of one softmax):
//   adultScore = p_porn + p_hentai
//   racyScore  = p_porn + p_hentai + p_sexy           (adult content is also racy)
// Flags, calibrated on safe photos (docs/accuracy.md, goal: <= 1% of safe photos flagged):
//   isAdultContent = adultScore >= kAdultThreshold and a person is in view
//   isRacyContent  = racyScore  >= kRacyThreshold  and a person is in view
// "A person is in view": the object detector found a person at its tier's object threshold
// (or a face when the detector is not installed). Without a person the scores are still
// returned, but no flag is raised: the false positives measured at naive thresholds were
// fruit, doughnuts and flat-colour scenes.
// Gore: no installed model computes it; gore_score stays nullopt and the v3.2 writer leaves
// goreScore/isGoryContent out and lists them under "unsupported".
#pragma once

#include <memory>
#include <optional>

#include "analyzers/analyzer.h"
#include "analyzers/engine.h"
#include "analyzers/vision/vision.h"

namespace ocular {

inline constexpr double kAdultThreshold = 0.80;
inline constexpr double kRacyThreshold = 0.95;

// The mapping above. person_in_view: nullopt when no detector could tell (flags then need the
// scores alone).
AdultResult MapAdult(const NsfwScores& s, std::optional<bool> person_in_view);

StatusOr<std::unique_ptr<Analyzer>> CreateAdultAnalyzer(const AnalyzerEnv& env);

}  // namespace ocular
