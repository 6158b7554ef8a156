// Parsing of the analysis routes' query parameters into an AnalysisRequest, for both APIs.
// Validation errors are Azure-shaped Statuses (InvalidArgument with the spec's inner codes).
#pragma once

#include <set>
#include <string>

#include "analyzers/request.h"
#include "api/query.h"
#include "core/status.h"

namespace ocular::api {

// The api-versions the 4.0 route accepts: 2023-10-01 (the TypeSpec's) and 2024-02-01 (docs).
bool IsSupportedV40ApiVersion(const std::string& version);

// Checks `model-version` (4.0) / `model-version` or `modelVersion` (v3.2): absent, "latest" or
// the pack version are accepted. A malformed value or another version: BadArgument.
Status CheckModelVersion(const QueryParams& query);

// 4.0 `imageanalysis:analyze`: features (required), language, gender-neutral-caption,
// smartcrops-aspect-ratios, model-version. REQUIRES: api-version already checked.
StatusOr<AnalysisRequest> ParseAnalyzeV40(const QueryParams& query);

// The v3.2 operations that analyse one image (the OCR/Read ones parse their own parameters).
enum class V32Operation { kAnalyze, kDescribe, kDetect, kTag, kAreaOfInterest, kThumbnail,
                          kCelebrities, kLandmarks };

// v3.2: visualFeatures (analyze; default Categories), details, language, maxCandidates
// (describe), descriptionExclude, model-version.
StatusOr<AnalysisRequest> ParseV32(V32Operation op, const QueryParams& query);

// Languages the tags feature can answer in (the others are English only).
const std::set<std::string>& TagLanguages();

}  // namespace ocular::api
