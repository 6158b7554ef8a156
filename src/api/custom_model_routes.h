// Custom models (analyzers/custom/custom_model.h, docs/custom-models.md) on the Image Analysis
// routes, besides the Custom Vision Prediction API (api/customvision_routes.h):
//
//   POST /computervision/imageanalysis:analyze?model-name=NAME&api-version=V   (no features)
//     -> 200 {"customModelResult": {"objectsResult": {"values": [{"boundingBox": {x,y,w,h},
//             "tags": [{"name", "confidence"}]}]}}            (detectors)
//            {"customModelResult": {"tagsResult": {"values": [{"name", "confidence"}]}}}
//                                                              (classifiers)
//             , "modelVersion": <the model's version>, "metadata": {"width", "height"}}
//   GET  /computervision/models?api-version=V[&skip=N][&top=N]
//     -> 200 [{"name", "status": "succeeded", "trainingParameters": {"modelKind":
//             "Generic-Detector" | "Generic-Classifier"}}]  (the 4.0 preview model list)
//
// V: the previews that had custom models (2023-02-01-preview, 2023-04-01-preview) or the GA
// versions Ocular serves (2023-10-01, 2024-02-01); other previews answer 410 Gone as for
// analyze. Same image limits (4.0), URL fetcher, worker pool and error boundary as analyze; each
// prediction is counted in /metrics as analyzer "custom:<name>".
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzers/custom/custom_model.h"
#include "api/route.h"

namespace ocular::api {

struct CustomModelRun {
  std::vector<CustomPrediction> predictions;  // by descending probability
  int width = 0, height = 0;                  // the image's original size
  double seconds = 0;                         // decode + preprocessing + inference + decoding
};

// The request's image (ImageBytes) through `model`, with the limits of 4.0 analyze: its image
// limits and the server's per-request pixel budget (--max-decode-pixels). Counts the prediction
// in /metrics (analyzer "custom:<name>"). Errors: those of ImageBytes, IngestImage and Predict.
// Shared by 4.0 model-name and the Custom Vision routes.
StatusOr<CustomModelRun> RunCustomModel(const RouteContext& context, const CustomModel& model);

// True for the api-versions that accept model-name and the models listing (above).
bool IsCustomModelApiVersion(const std::string& api_version);

// analyze with model-name. Errors (4.0 shape): model-name with features or empty -> 400
// InvalidRequest/BadArgument; unknown model -> 404 NotFound/InvalidModel; image errors as analyze.
Response HandleAnalyzeCustomModelV40(const RouteContext& context);

// GET /computervision/models. A bad skip/top -> 400 InvalidRequest/BadArgument.
Response HandleListModelsV40(const RouteContext& context);

// The v3.2 ListModelsResult entries of the custom models: {"name", "categories": []}, by name.
nlohmann::json CustomModelsV32(const RouteContext& context);

// True when `name` is a custom model of the context's repository.
bool IsCustomModelName(const RouteContext& context, const std::string& name);

}  // namespace ocular::api
