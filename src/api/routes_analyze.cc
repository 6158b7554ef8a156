#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "api/custom_model_routes.h"
#include "api/errors.h"
#include "api/json_writers.h"
#include "api/route_params.h"
#include "api/routes.h"
#include "api/server_timing.h"

namespace ocular::api {

namespace {

std::span<const std::uint8_t> AsBytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Runs the engine on the request's image. Errors are returned as Statuses.
// The work stops early when the client closes its connection (Request::client_closed).
StatusOr<AnalysisResult> Run(const RouteContext& ctx, AnalysisRequest req) {
  OCULAR_RETURN_IF_ERROR(ctx.engine.CheckFeatures(req.features));
  OCULAR_ASSIGN_OR_RETURN(std::string bytes, ctx.ImageBytes());
  req.cancelled = ctx.request.client_closed;
  return ctx.engine.Analyze(AsBytes(bytes), req);
}

}  // namespace

Response JsonResponse(const nlohmann::json& body) {
  Response r;
  r.body = body.dump();
  return r;
}

namespace {

// A 200 JSON response with one Server-Timing entry per step the engine ran.
Response AnalysisResponse(const nlohmann::json& body, const AnalysisResult& result) {
  Response r = JsonResponse(body);
  for (const auto& [step, ms] : result.timings_ms) AddServerTiming(&r, step, ms);
  return r;
}

}  // namespace

Response HandleAnalyzeV40(const RouteContext& ctx) {
  StatusOr<AnalysisRequest> req = ParseAnalyzeV40(ctx.query);
  if (!req.ok()) return ErrorFromStatus(req.status(), ApiVersion::kV40);
  StatusOr<AnalysisResult> result = Run(ctx, *req);
  if (!result.ok()) return ErrorFromStatus(result.status(), ApiVersion::kV40);
  return AnalysisResponse(ToJsonV40(*result), *result);
}

Response HandleV32(const RouteContext& ctx, V32Operation op) {
  StatusOr<AnalysisRequest> req = ParseV32(op, ctx.query);
  if (!req.ok()) return ErrorFromStatus(req.status(), ApiVersion::kV32);
  StatusOr<AnalysisResult> result = Run(ctx, *req);
  if (!result.ok()) return ErrorFromStatus(result.status(), ApiVersion::kV32);
  const std::string& id = ctx.request.request_id;
  nlohmann::json body;
  switch (op) {
    case V32Operation::kAnalyze: body = ToJsonV32Analyze(*result, id); break;
    case V32Operation::kDescribe: body = ToJsonV32Describe(*result, id); break;
    case V32Operation::kDetect: body = ToJsonV32Detect(*result, id); break;
    case V32Operation::kTag: body = ToJsonV32Tag(*result, id); break;
    case V32Operation::kAreaOfInterest: body = ToJsonV32AreaOfInterest(*result, id); break;
    case V32Operation::kCelebrities: body = ToJsonV32Domain(*result, true, id); break;
    case V32Operation::kLandmarks: body = ToJsonV32Domain(*result, false, id); break;
    case V32Operation::kThumbnail: return NotFoundResponse();
  }
  return AnalysisResponse(body, *result);
}

Response HandleThumbnailV32(const RouteContext& ctx) {
  const ApiVersion api = ApiVersion::kV32;
  StatusOr<int> width = ParseThumbnailSide(ctx.query, "width");
  if (!width.ok()) return ErrorFromStatus(width.status(), api);
  StatusOr<int> height = ParseThumbnailSide(ctx.query, "height");
  if (!height.ok()) return ErrorFromStatus(height.status(), api);
  StatusOr<bool> smart = ParseBoolParam(ctx.query, "smartCropping", false);
  if (!smart.ok()) return ErrorFromStatus(smart.status(), api);
  Status version = CheckModelVersion(ctx.query);
  if (!version.ok()) return ErrorFromStatus(version, api);

  StatusOr<std::string> bytes = ctx.ImageBytes();
  if (!bytes.ok()) return ErrorFromStatus(bytes.status(), api);
  StatusOr<DecodedImage> image = IngestImage(AsBytes(*bytes), api);
  if (!image.ok()) return ErrorFromStatus(image.status(), api);
  const double ratio = double(*width) / *height;
  Rect crop = CenterCropForAspect(image->info.width, image->info.height, ratio);
  if (*smart) {
    AnalysisRequest req;
    req.api = api;
    req.features = {Feature::kSmartCrops};
    req.smart_crop_ratios = {std::clamp(ratio, 0.75, 1.8)};
    req.cancelled = ctx.request.client_closed;
    Status available = ctx.engine.CheckFeatures(req.features);
    if (!available.ok()) return ErrorFromStatus(available, api);
    StatusOr<AnalysisResult> result = ctx.engine.Analyze(AsBytes(*bytes), req);
    if (!result.ok()) return ErrorFromStatus(result.status(), api);
    if (result->smart_crops && !result->smart_crops->empty()) {
      crop = result->smart_crops->front().box;
    }
  }
  // The crop is in original pixels; the decoded image is full resolution here (scale 1).
  cv::Rect roi(crop.x, crop.y, std::max(1, crop.w), std::max(1, crop.h));
  roi &= cv::Rect(0, 0, image->bgr.cols, image->bgr.rows);
  cv::Mat thumb;
  cv::resize(image->bgr(roi), thumb, cv::Size(*width, *height), 0, 0, cv::INTER_AREA);
  std::vector<std::uint8_t> jpeg;
  if (!cv::imencode(".jpg", thumb, jpeg, {cv::IMWRITE_JPEG_QUALITY, 90})) {
    return ErrorFromStatus(Internal("thumbnail encoding failed"), api);
  }
  Response r;
  r.content_type = "image/jpeg";
  r.body.assign(jpeg.begin(), jpeg.end());
  return r;
}

Response HandleListModelsV32(const RouteContext& ctx) {
  nlohmann::json models = nlohmann::json::array();
  std::map<Feature, std::string> status = ctx.engine.FeatureStatus();
  if (status[Feature::kCelebrities] == "ok") {
    models.push_back({{"name", "celebrities"}, {"categories", {"people_"}}});
  }
  if (status[Feature::kLandmarks] == "ok") {
    models.push_back({{"name", "landmarks"}, {"categories", {"outdoor_", "building_"}}});
  }
  // Custom models (api/custom_model_routes.h) are listed too, with no categories.
  for (nlohmann::json& m : CustomModelsV32(ctx)) models.push_back(std::move(m));
  return JsonResponse({{"models", models}});
}

}  // namespace ocular::api
