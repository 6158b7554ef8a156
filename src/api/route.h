// What a route handler gets. api::Service matches the path, builds a RouteContext and calls the
// route's handler inside its error boundary (a handler may return an error Response directly or
// let a Status flow into ErrorFromStatus through the helpers here).
#pragma once

#include <string>

#include "analyzers/engine.h"
#include "api/http_types.h"
#include "api/query.h"
#include "api/service.h"
#include "core/image.h"

namespace ocular::api {

class ReadOperationStore;  // api/read_operation_store.h: v3.2 async Read results (memory, TTL)

struct RouteContext {
  const Request& request;
  const QueryParams& query;
  const Engine& engine;
  const ServiceOptions& options;
  ReadOperationStore* read_store;  // never null in a running Service
  ApiVersion api;
  std::string path_param;  // e.g. the {model} or {operationId} segment; empty when none

  // The image bytes of the request: the raw body for application/octet-stream (and
  // multipart/form-data's "imageData" part, else its first part), or the image fetched from
  // {"url": ...} for application/json. Errors (Azure-shaped): bad Content-Type (4.0: 400 InvalidRequest; v3.2:
  // 415 UnsupportedMediaType), malformed JSON, empty/oversize body, unreachable URL.
  StatusOr<std::string> ImageBytes() const;
};

using RouteHandler = Response (*)(const RouteContext& context);

}  // namespace ocular::api
