// Azure-style error bodies (spec §0, §1.5, §2.5), the one error shape of every route:
//   {"error":{"code":"InvalidRequest","message":"...","innererror":{"code":"...","message":"..."}}}
// Messages never contain image bytes, URLs, keys or results.
#pragma once

#include <string>

#include "api/http_types.h"
#include "core/image.h"
#include "core/status.h"

namespace ocular::api {

// A response with the given HTTP status and error body. `inner_code` empty: no innererror.
Response MakeErrorResponse(int http_status, const std::string& code, const std::string& message,
                           const std::string& inner_code = {});

// Maps a non-OK Status to the HTTP status and Azure codes of the given API version:
//   kInvalidArgument -> 400 InvalidRequest (4.0) / InvalidRequest (v3.2), inner = status.inner_code()
//   kUnsupported     -> 400 InvalidRequest with its inner code (e.g. NotSupportedVisualFeature)
//   kNotFound        -> 404 "404" "Resource not found" style
//   kUnauthenticated -> 401 "401"
//   kResourceExhausted -> 429 "429" (+ Retry-After: 1)
//   kUnavailable     -> 503 ServiceUnavailable
//   kDeadlineExceeded -> 500 InternalServerError/Timeout
//   others           -> 500 InternalServerError/InternalServerError (message is generic: the
//                       detailed status goes to the log by request id, not to the client)
Response ErrorFromStatus(const Status& status, ApiVersion api);

// The 404 of unknown routes and api-versions (spec §1.1, observed):
// {"error":{"code":"404","message":"Resource not found"}}
Response NotFoundResponse();

// The 401 for a missing or wrong key (spec §3), with WWW-Authenticate.
// `missing` selects the "missing subscription key" wording.
Response UnauthorizedResponse(bool missing, const std::string& origin);

}  // namespace ocular::api
