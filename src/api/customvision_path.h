// The Custom Vision Prediction route of a request path, parsed without I/O (a pure function, so a
// libFuzzer target can call it directly; api/customvision_routes.h serves the route):
//
//   /customvision/v3.{0,1}/prediction/{projectId}/{classify|detect}/iterations/{publishedName}/
//   {image|url}[/nostore]
//
// Keywords (customvision, v3.x, prediction, classify/detect, iterations, image/url, nostore)
// match case-insensitively; the project id and published name keep their case after
// percent-decoding; empty segments ("//") are skipped.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace ocular::api {

struct CustomVisionRoute {
  std::string project_id;      // lower-cased UUID
  bool detect = false;         // detect (true) or classify (false)
  bool url = false;            // url (true) or image (false)
  std::string published_name;  // the model's name, as sent
  bool nostore = false;
};

// NotFound (no inner code) when `raw_path` is not a prediction route; InvalidArgument with inner
// code BadRequestInvalidIds when the project id is not a UUID.
StatusOr<CustomVisionRoute> ParseCustomVisionPath(std::string_view raw_path);

}  // namespace ocular::api
