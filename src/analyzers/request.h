// What a caller asks for, independent of the wire format: the API layer parses 4.0 and v3.2
// query strings into an AnalysisRequest; the CLI fills one from its flags.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/image.h"

namespace ocular {

// Internal capabilities. The API layer maps wire names onto these (4.0 "caption" -> kCaption,
// v3.2 "Description" -> kDescription, ...).
enum class Feature {
  kTags,
  kCaption,        // 4.0 captionResult
  kDenseCaptions,  // 4.0 denseCaptionsResult
  kObjects,
  kPeople,
  kRead,           // 4.0 readResult, v3.2 /ocr and /read
  kSmartCrops,     // 4.0 smartCropsResult, v3.2 areaOfInterest/generateThumbnail
  kCategories,     // v3.2
  kDescription,    // v3.2 description (tags + caption candidates)
  kFaces,          // v3.2
  kImageType,      // v3.2
  kColor,          // v3.2
  kAdult,          // v3.2
  kBrands,         // v3.2
  kCelebrities,    // v3.2 details / domain model
  kLandmarks,      // v3.2 details / domain model
};

// "tags", "caption", ... (lower-case, for messages and logs).
std::string_view FeatureName(Feature feature);

struct AnalysisRequest {
  ApiVersion api = ApiVersion::kV40;
  std::set<Feature> features;
  std::string language = "en";           // validated by the API layer per feature
  bool gender_neutral_caption = false;    // 4.0 gender-neutral-caption
  std::vector<double> smart_crop_ratios;  // empty: one crop with the best ratio in [0.5, 2.0]
  int max_candidates = 1;                 // v3.2 describe maxCandidates
  // v3.2 /ocr: detect page orientation (detectOrientation=true).
  bool detect_orientation = true;
  // When set and true, the caller no longer wants the result (its client closed the connection):
  // Engine::Analyze stops at its next checkpoint (before decoding, between analyzers) with
  // Unavailable/"Cancelled". Null (the default): never cancelled.
  std::shared_ptr<const std::atomic<bool>> cancelled;
  bool Cancelled() const { return cancelled != nullptr && cancelled->load(); }
};

}  // namespace ocular
