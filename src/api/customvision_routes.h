// The Azure Custom Vision Prediction API (paths, parameters and shapes from the official client
// @azure/cognitiveservices-customvision-prediction@5.1.2), served by the custom models
// (analyzers/custom/custom_model.h, docs/custom-models.md):
//
//   POST /customvision/v3.0/Prediction/{projectId}/{classify|detect}/iterations/{publishedName}/
//        {image|url}[/nostore]            (and /customvision/v3.1/prediction/..., the client's)
//
// image: multipart/form-data "imageData" or application/octet-stream; url: {"url": "..."},
// fetched through the SSRF-guarded fetcher. Response: ImagePrediction {id, project, iteration,
// created, predictions[{probability, tagId, tagName, boundingBox?, tagType}]}, by descending
// probability. Errors: {"code": ..., "message": ...} with Custom Vision's codes. "nostore" and
// store behave the same: nothing is stored.
#pragma once

#include <string>

#include "api/route.h"

namespace ocular::api {

// True when the normalised (lower-case) path is under /customvision/.
bool IsCustomVisionPath(const std::string& normalized_path);

// The handler of every /customvision/ path (unknown ones answer the Custom Vision 404).
Response HandleCustomVision(const RouteContext& context);

// A Custom Vision error body {"code", "message"} with the given HTTP status.
Response CustomVisionError(int http_status, const std::string& code, const std::string& message);

}  // namespace ocular::api
