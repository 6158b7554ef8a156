#include "api/customvision_routes.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzers/custom/custom_registry.h"
#include "api/custom_model_routes.h"
#include "api/customvision_path.h"
#include "api/query.h"
#include "api/request_body.h"

namespace ocular::api {

namespace {

std::string NowIso() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof(out), "%s.%03dZ", buf, static_cast<int>(ms.count()));
  return out;
}

// A Status from image intake or the fetcher as a Custom Vision error.
Response FromStatus(const Status& s) {
  const std::string& inner = s.inner_code();
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kUnsupported:
      if (inner == "InvalidImageUrl")
        return CustomVisionError(400, "BadRequestImageUrl", s.message());
      if (inner == "InvalidImageSize") {
        return CustomVisionError(400, "BadRequestImageDimensions", s.message());
      }
      if (inner == "InvalidImageFormat")
        return CustomVisionError(400, "BadRequestImageFormat", s.message());
      if (s.message().find("size") != std::string::npos) {
        return CustomVisionError(400, "BadRequestImageSizeBytes", s.message());
      }
      return CustomVisionError(400, "BadRequestImageStream", s.message());
    case StatusCode::kNotFound:
      return CustomVisionError(404, "NotFound", s.message());
    case StatusCode::kResourceExhausted:
      return CustomVisionError(429, "TooManyRequests", s.message());
    case StatusCode::kUnavailable:
      return CustomVisionError(503, "ErrorUnknown", s.message());
    default:
      return CustomVisionError(500, "ErrorUnknown", "An internal error occurred.");
  }
}

}  // namespace

bool IsCustomVisionPath(const std::string& p) {
  return p.starts_with("/customvision/") || p == "/customvision";
}

Response CustomVisionError(int http_status, const std::string& code, const std::string& message) {
  Response r;
  r.status = http_status;
  r.body = nlohmann::json{{"code", code}, {"message", message}}.dump();
  return r;
}

Response HandleCustomVision(const RouteContext& ctx) {
  const auto not_found_response = [] {
    return CustomVisionError(404, "NotFound", "Resource not found");
  };
  if (ctx.request.method != "POST") return not_found_response();
  StatusOr<CustomVisionRoute> route = ParseCustomVisionPath(ctx.request.path);
  if (!route.ok()) {
    if (route.status().code() == StatusCode::kNotFound) return not_found_response();
    return CustomVisionError(400, route.status().inner_code(), route.status().message());
  }
  const std::string& project = route->project_id;
  const std::string& name = route->published_name;
  Status load_status;
  auto holder = CustomModelsFor(ctx.options.model_repo, &load_status);
  std::shared_ptr<const CustomModelSet> set = holder->Get();
  std::shared_ptr<const CustomModel> model = set->Find(name);
  bool project_known = false;
  for (const auto& [n, m] : set->models)
    project_known = project_known || m->project_id() == project;
  if (!project_known) return CustomVisionError(404, "NotFoundProject", "Invalid project.");
  if (!model || model->project_id() != project) {
    return CustomVisionError(404, "NotFoundIteration", "Invalid iteration.");
  }
  if (route->detect != (model->kind() == CustomKind::kDetector)) {
    return CustomVisionError(400, "BadRequestNotSupported",
                             route->detect ? "The iteration is not an object detection iteration."
                                           : "The iteration is not a classification iteration.");
  }
  // The image route takes the body; the url route a JSON {"url": ...} (ImageBytes handles both).
  const auto ct = ctx.request.headers.find("content-type");
  const bool json_body =
      ct != ctx.request.headers.end() && MediaType(ct->second) == "application/json";
  if (route->url != json_body) {
    return CustomVisionError(400, route->url ? "BadRequestImageUrl" : "BadRequestImageStream",
                             route->url ? "The url route takes {\"url\": ...} as JSON."
                                        : "The image route takes multipart/form-data "
                                          "imageData or application/octet-stream.");
  }
  // Same image limits, pixel budget and metrics as 4.0 analyze (api/custom_model_routes.h).
  StatusOr<CustomModelRun> run = RunCustomModel(ctx, *model);
  if (!run.ok()) return FromStatus(run.status());
  nlohmann::ordered_json out = {
      {"id", ctx.request.request_id.empty() ? RandomUuid() : ctx.request.request_id},
      {"project", model->project_id()},
      {"iteration", model->iteration_id()},
      {"created", NowIso()},
      {"predictions", nlohmann::ordered_json::array()}};
  for (const CustomPrediction& p : run->predictions) {
    nlohmann::ordered_json j = {
        {"probability", p.probability}, {"tagId", model->tag_id(p.tag_index)}, {"tagName", p.tag}};
    if (p.has_box) {
      j["boundingBox"] = {
          {"left", p.left}, {"top", p.top}, {"width", p.width}, {"height", p.height}};
    }
    j["tagType"] = "Regular";
    out["predictions"].push_back(std::move(j));
  }
  Response r;
  r.body = out.dump();
  return r;
}

}  // namespace ocular::api
