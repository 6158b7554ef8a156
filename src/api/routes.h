// Handlers of the analysis routes that run the engine on one image (4.0 analyze and the v3.2
// image operations). The OCR/Read handlers are in api/read_routes.h.
#pragma once

#include <nlohmann/json.hpp>

#include "api/analyze_request.h"
#include "api/route.h"

namespace ocular::api {

// POST /computervision/imageanalysis:analyze (4.0).
Response HandleAnalyzeV40(const RouteContext& context);

// POST /vision/v3.2/{analyze,describe,detect,tag,areaOfInterest} and
// /vision/v3.2/models/{celebrities,landmarks}/analyze.
Response HandleV32(const RouteContext& context, V32Operation op);

// POST /vision/v3.2/generateThumbnail: JPEG bytes of width x height (1..1024 each), cropped to
// that aspect ratio around the smart crop (smartCropping=true) or the centre (false, default).
Response HandleThumbnailV32(const RouteContext& context);

// GET /vision/v3.2/models: the domain models this server can run, then the custom models.
Response HandleListModelsV32(const RouteContext& context);

// A 200 JSON response.
Response JsonResponse(const nlohmann::json& body);

}  // namespace ocular::api
