#include "api/errors.h"

#include <nlohmann/json.hpp>

namespace ocular::api {

Response MakeErrorResponse(int http_status, const std::string& code, const std::string& message,
                           const std::string& inner_code) {
  nlohmann::json err = {{"code", code}, {"message", message}};
  if (!inner_code.empty()) err["innererror"] = {{"code", inner_code}, {"message", message}};
  Response r;
  r.status = http_status;
  r.body = nlohmann::json{{"error", err}}.dump();
  return r;
}

Response ErrorFromStatus(const Status& status, ApiVersion /*api*/) {
  switch (status.code()) {
    case StatusCode::kOk:
      return MakeErrorResponse(500, "InternalServerError", "An error without a cause was reported.",
                               "InternalServerError");
    case StatusCode::kInvalidArgument:
    case StatusCode::kUnsupported:
      return MakeErrorResponse(status.inner_code() == "UnsupportedMediaType" ? 415 : 400,
                               "InvalidRequest", status.message(), status.inner_code());
    case StatusCode::kNotFound:
      if (!status.inner_code().empty()) {
        return MakeErrorResponse(404, "NotFound", status.message(), status.inner_code());
      }
      return NotFoundResponse();
    case StatusCode::kUnauthenticated:
      return MakeErrorResponse(401, "401", status.message());
    case StatusCode::kResourceExhausted: {
      Response r = MakeErrorResponse(429, "429", status.message());
      r.headers.emplace_back("Retry-After", "1");
      return r;
    }
    case StatusCode::kUnavailable: {
      Response r = MakeErrorResponse(503, "ServiceUnavailable", status.message());
      r.headers.emplace_back("Retry-After", "1");
      return r;
    }
    case StatusCode::kDeadlineExceeded:
      return MakeErrorResponse(500, "InternalServerError", "The operation timed out.", "Timeout");
    case StatusCode::kFailedPrecondition:
    case StatusCode::kInternal:
      break;
  }
  return MakeErrorResponse(500, "InternalServerError",
                           "An internal error occurred while processing the request.",
                           "InternalServerError");
}

Response NotFoundResponse() {
  Response r;
  r.status = 404;
  r.body = R"({"error":{"code":"404","message":"Resource not found"}})";
  return r;
}

Response UnauthorizedResponse(bool missing, const std::string& origin) {
  Response r = MakeErrorResponse(
      401, "401",
      missing ? "Access denied due to missing subscription key. Make sure to include subscription "
                "key when making requests to an API."
              : "Access denied due to invalid subscription key or wrong API endpoint. Make sure to "
                "provide a valid key for an active subscription and use a correct regional API "
                "endpoint for your resource.");
  r.headers.emplace_back("WWW-Authenticate", "AzureApiManagementKey realm=\"" + origin +
                                                 "/computervision\",name=\"Ocp-Apim-Subscription-"
                                                 "Key\",type=\"header\"");
  return r;
}

}  // namespace ocular::api
