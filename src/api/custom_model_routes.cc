#include "api/custom_model_routes.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <span>

#include "analyzers/custom/custom_registry.h"
#include "api/analyze_request.h"
#include "api/errors.h"
#include "api/server_timing.h"

namespace ocular::api {

namespace {

std::shared_ptr<const CustomModelSet> Models(const RouteContext& ctx) {
  return CustomModelsFor(ctx.options.model_repo, nullptr)->Get();
}

Response Error(const Status& s) { return ErrorFromStatus(s, ApiVersion::kV40); }

// A pixel box from a 0..1 box, edges rounded and clamped to the image.
nlohmann::ordered_json PixelBox(const CustomPrediction& p, int width, int height) {
  const auto edge = [](double f, int size) {
    return std::clamp(static_cast<int>(std::lround(f * size)), 0, size);
  };
  const int x0 = edge(p.left, width), y0 = edge(p.top, height);
  const int x1 = edge(p.left + p.width, width), y1 = edge(p.top + p.height, height);
  return {{"x", x0}, {"y", y0}, {"w", x1 - x0}, {"h", y1 - y0}};
}

// A non-negative integer query parameter, `fallback` when absent.
StatusOr<long> Count(const QueryParams& q, const char* name, long fallback) {
  std::optional<std::string> v = q.Get(name);
  if (!v) return fallback;
  char* end = nullptr;
  const long n = std::strtol(v->c_str(), &end, 10);
  if (v->empty() || *end != '\0' || n < 0) {
    return InvalidArgument(
        std::string("The parameter '") + name + "' must be a non-negative integer.", "BadArgument");
  }
  return n;
}

}  // namespace

StatusOr<CustomModelRun> RunCustomModel(const RouteContext& ctx, const CustomModel& model) {
  OCULAR_ASSIGN_OR_RETURN(std::string bytes, ctx.ImageBytes());
  const auto start = std::chrono::steady_clock::now();
  DecodeOptions decode;
  decode.min_long_side = model.min_long_side();
  decode.max_pixels = ctx.options.max_decode_pixels;
  OCULAR_ASSIGN_OR_RETURN(
      DecodedImage image,
      IngestImage({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()},
                  ApiVersion::kV40, decode));
  CustomModelRun run;
  run.width = image.info.width;
  run.height = image.info.height;
  OCULAR_ASSIGN_OR_RETURN(run.predictions, model.Predict(image.bgr, run.width, run.height));
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (ctx.options.analyzer_observer) {
    ctx.options.analyzer_observer("custom:" + model.name(), run.seconds);
  }
  return run;
}

bool IsCustomModelApiVersion(const std::string& v) {
  return v == "2023-02-01-preview" || v == "2023-04-01-preview" || IsSupportedV40ApiVersion(v);
}

bool IsCustomModelName(const RouteContext& ctx, const std::string& name) {
  return Models(ctx)->Find(name) != nullptr;
}

Response HandleAnalyzeCustomModelV40(const RouteContext& ctx) {
  const std::string name = ctx.query.Get("model-name").value_or("");
  if (name.empty()) {
    return Error(InvalidArgument("The parameter 'model-name' is empty.", "BadArgument"));
  }
  if (ctx.query.Has("features")) {
    return Error(InvalidArgument(
        "The parameters 'model-name' and 'features' cannot be combined: a custom model request "
        "returns customModelResult only; call analyze twice for both.",
        "BadArgument"));
  }
  std::shared_ptr<const CustomModel> model = Models(ctx)->Find(name);
  if (!model) {
    return Error(NotFound("The custom model '" + name + "' does not exist.", "InvalidModel"));
  }
  StatusOr<CustomModelRun> run = RunCustomModel(ctx, *model);
  if (!run.ok()) return Error(run.status());
  const int w = run->width, h = run->height;
  nlohmann::ordered_json values = nlohmann::ordered_json::array();
  for (const CustomPrediction& p : run->predictions) {  // by descending probability
    nlohmann::ordered_json tag = {{"name", p.tag}, {"confidence", p.probability}};
    if (p.has_box) {
      values.push_back({{"boundingBox", PixelBox(p, w, h)},
                        {"tags", nlohmann::ordered_json::array({std::move(tag)})}});
    } else {
      values.push_back(std::move(tag));
    }
  }
  nlohmann::ordered_json result = nlohmann::ordered_json::object();
  result[model->kind() == CustomKind::kDetector ? "objectsResult" : "tagsResult"] = {
      {"values", std::move(values)}};
  const nlohmann::ordered_json out = {{"customModelResult", std::move(result)},
                                      {"modelVersion", model->version()},
                                      {"metadata", {{"width", w}, {"height", h}}}};
  Response r;
  r.body = out.dump();
  AddServerTiming(&r, "custom", run->seconds * 1000.0);
  return r;
}

Response HandleListModelsV40(const RouteContext& ctx) {
  StatusOr<long> skip = Count(ctx.query, "skip", 0);
  if (!skip.ok()) return Error(skip.status());
  StatusOr<long> top = Count(ctx.query, "top", -1);
  if (!top.ok()) return Error(top.status());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  long index = 0;
  for (const auto& [name, model] : Models(ctx)->models) {
    if (index++ < *skip) continue;
    if (*top >= 0 && static_cast<long>(list.size()) >= *top) break;
    list.push_back(
        {{"name", name},
         {"status", "succeeded"},
         {"trainingParameters",
          {{"modelKind",
            model->kind() == CustomKind::kDetector ? "Generic-Detector" : "Generic-Classifier"}}}});
  }
  Response r;
  r.body = list.dump();
  return r;
}

nlohmann::json CustomModelsV32(const RouteContext& ctx) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [name, model] : Models(ctx)->models) {
    out.push_back({{"name", name}, {"categories", nlohmann::json::array()}});
  }
  return out;
}

}  // namespace ocular::api
