// JSON writers: one AnalysisResult -> the 4.0 or v3.2 response body. Field names and shapes
// follow the spec exactly (case-sensitive: clients parse them by name).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "api/read_json.h"  // ReadResultToJsonV40, the 4.0 readResult writer
#include "core/result.h"

namespace ocular::api {

// 4.0 ImageAnalysisResult: modelVersion, metadata, and a *Result key per computed feature.
nlohmann::json ToJsonV40(const AnalysisResult& result);

// v3.2 bodies. `request_id` is the uuid also sent as apim-request-id.
nlohmann::json ToJsonV32Analyze(const AnalysisResult& result, const std::string& request_id);
nlohmann::json ToJsonV32Describe(const AnalysisResult& result, const std::string& request_id);
nlohmann::json ToJsonV32Detect(const AnalysisResult& result, const std::string& request_id);
nlohmann::json ToJsonV32Tag(const AnalysisResult& result, const std::string& request_id);
nlohmann::json ToJsonV32AreaOfInterest(const AnalysisResult& result,
                                       const std::string& request_id);
// /models/{celebrities|landmarks}/analyze: {"result":{"celebrities":[...]}} or landmarks.
nlohmann::json ToJsonV32Domain(const AnalysisResult& result, bool celebrities,
                               const std::string& request_id);

// Shared pieces.
nlohmann::json BoxJson(const Rect& r);           // {"x","y","w","h"}
nlohmann::json FaceRectangleJson(const Rect& r);  // {"left","top","width","height"}
nlohmann::json V32Metadata(const AnalysisResult& result);  // {"width","height","format"}

}  // namespace ocular::api
