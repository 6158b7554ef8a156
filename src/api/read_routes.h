// The v3.2 text routes (spec §2.1-2.3, §2.5): synchronous /ocr and asynchronous Read.
//
//   POST /vision/v3.2/ocr                      -> HandleOcrV32
//        query: detectOrientation (true|false, default true), language (default "unk" =
//        auto-detect among the installed packs), model-version / modelVersion.
//   POST /vision/v3.2/read/analyze             -> HandleReadAnalyzeV32
//        query: language (optional; absent = auto-detect), pages (CSV of n, n-m, n-, -m),
//        readingOrder (basic | natural, default basic), model-version.
//        202, empty body, Content-Length 0, Operation-Location: <origin>/vision/v3.2/read/
//        analyzeResults/<uuid>, apim-request-id: <uuid>. The image is fetched and its header
//        checked before answering (bad images fail the POST); the analysis runs on the
//        ReadOperationStore's workers. 429 when the store is full; 503 when the shared
//        result store (--read-store redis://...) cannot be reached.
//   GET  /vision/v3.2/read/analyzeResults/{id} -> HandleReadResultV32 (id in path_param)
//        ReadOperationResult; 404 Azure-shaped for a malformed, unknown or expired id; 503
//        when the shared result store cannot be reached.
// The 4.0 readResult writer is ReadResultToJsonV40 (api/read_json.h).
#pragma once

#include "api/read_json.h"
#include "api/read_operation_store.h"
#include "api/route.h"
#include "api/route_params.h"  // ParseReadPages, ParseReadingOrder

namespace ocular::api {

Response HandleOcrV32(const RouteContext& context);
Response HandleReadAnalyzeV32(const RouteContext& context);
Response HandleReadResultV32(const RouteContext& context);

}  // namespace ocular::api
