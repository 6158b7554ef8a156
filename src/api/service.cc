// api::Service: route matching and the error boundary of every analysis route.
//
// Routes (paths are matched case-insensitively after percent-decoding; a trailing '/' is ignored):
//   POST /computervision/imageanalysis:analyze?api-version=2023-10-01|2024-02-01
//   POST /computervision/imageanalysis:analyze?model-name=...,  GET /computervision/models
//        (custom models, also with api-version 2023-02-01-preview|2023-04-01-preview;
//        api/custom_model_routes.h)
//   POST /vision/v3.2/{analyze,describe,detect,tag,areaOfInterest,generateThumbnail,ocr}
//   POST /vision/v3.2/read/analyze,  GET /vision/v3.2/read/analyzeResults/{operationId}
//   GET  /vision/v3.2/models,        POST /vision/v3.2/models/{celebrities|landmarks}/analyze
//   POST /customvision/v3.{0,1}/prediction/... (api/customvision_routes.h)
// Anything else under these prefixes, or a wrong method: the spec's 404 body.
#include "api/service.h"

#include <exception>

#include "analyzers/engine.h"
#include "analyzers/custom/custom_registry.h"
#include "api/custom_model_routes.h"
#include "api/customvision_routes.h"
#include "api/errors.h"
#include "api/read_routes.h"
#include "api/routes.h"

namespace ocular::api {

namespace {

constexpr std::string_view kV40Prefix = "/computervision/";
constexpr std::string_view kV32Prefix = "/vision/v3.2/";

std::string NormalizePath(const std::string& raw) {
  std::string p = ToLower(PercentDecode(raw));
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

class ServiceImpl final : public Service {
 public:
  ServiceImpl(ServiceOptions options, std::unique_ptr<Engine> engine)
      : options_(std::move(options)), engine_(std::move(engine)),
        read_store_(std::make_unique<ReadOperationStore>(options_.read_store)) {}

  bool Handles(const std::string& path) const override {
    std::string p = NormalizePath(path);
    return p.starts_with(kV40Prefix) || p.starts_with(kV32Prefix) || IsCustomVisionPath(p) ||
           p + "/" == kV40Prefix || p + "/" == kV32Prefix;
  }

  Response Handle(const Request& request) const override {
    // The error boundary: nothing below may take the process down or leak internals.
    try {
      return Route(request);
    } catch (const std::exception&) {
      return ErrorFromStatus(Internal("unhandled exception"), ApiVersion::kV40);
    } catch (...) {
      return ErrorFromStatus(Internal("unhandled exception"), ApiVersion::kV40);
    }
  }

  std::map<Feature, std::string> FeatureStatus() const override {
    return engine_->FeatureStatus();
  }
  const std::string& model_version() const override { return engine_->model_version(); }
  std::string detector_tier() const override { return engine_->detector_tier(); }
  bool DrainBackground(std::chrono::steady_clock::time_point deadline) const override {
    return read_store_->Drain(deadline);
  }

 private:
  Response Route(const Request& request) const {
    const std::string path = NormalizePath(request.path);
    const QueryParams query = QueryParams::Parse(request.query);
    const bool post = request.method == "POST";
    const bool get = request.method == "GET";
    auto ctx = [&](ApiVersion api, std::string param = {}) {
      return RouteContext{request, query, *engine_, options_, read_store_.get(), api,
                          std::move(param)};
    };

    if (IsCustomVisionPath(path)) return HandleCustomVision(ctx(ApiVersion::kV40));
    if (path.starts_with(kV40Prefix)) {
      const std::string version = query.Get("api-version").value_or("");
      // Custom models (api/custom_model_routes.h): model-name on analyze and the models list
      // accept the previews that had them as well as the GA versions.
      const bool models_list = path == "/computervision/models" && get;
      const bool custom = models_list || (path == "/computervision/imageanalysis:analyze" &&
                                          post && query.Has("model-name"));
      if (!custom && (path != "/computervision/imageanalysis:analyze" || !post)) {
        return NotFoundResponse();
      }
      if (custom && IsCustomModelApiVersion(version)) {
        return models_list ? HandleListModelsV40(ctx(ApiVersion::kV40))
                           : HandleAnalyzeCustomModelV40(ctx(ApiVersion::kV40));
      }
      if (version.ends_with("-preview")) {
        return MakeErrorResponse(410, "Gone", "The api-version '" + version +
                                                  "' has been retired.");
      }
      if (!IsSupportedV40ApiVersion(version)) return NotFoundResponse();
      return HandleAnalyzeV40(ctx(ApiVersion::kV40));
    }
    if (!path.starts_with(kV32Prefix)) return NotFoundResponse();
    const std::string op = path.substr(kV32Prefix.size());
    const RouteContext c = ctx(ApiVersion::kV32);
    if (post) {
      if (op == "analyze") return HandleV32(c, V32Operation::kAnalyze);
      if (op == "describe") return HandleV32(c, V32Operation::kDescribe);
      if (op == "detect") return HandleV32(c, V32Operation::kDetect);
      if (op == "tag") return HandleV32(c, V32Operation::kTag);
      if (op == "areaofinterest") return HandleV32(c, V32Operation::kAreaOfInterest);
      if (op == "generatethumbnail") return HandleThumbnailV32(c);
      if (op == "ocr") return HandleOcrV32(c);
      if (op == "read/analyze") return HandleReadAnalyzeV32(c);
      if (op.starts_with("models/") && op.ends_with("/analyze")) {
        std::string model = op.substr(7, op.size() - 7 - 8);
        if (model == "celebrities") return HandleV32(c, V32Operation::kCelebrities);
        if (model == "landmarks") return HandleV32(c, V32Operation::kLandmarks);
        if (IsCustomModelName(c, model)) {
          return ErrorFromStatus(
              InvalidArgument("The model '" + model + "' is a custom model: call it with 4.0 "
                              "imageanalysis:analyze?model-name=" + model + " or the Custom "
                              "Vision Prediction API.", "NotSupportedModel"),
              ApiVersion::kV32);
        }
        return ErrorFromStatus(NotFound("The model '" + model + "' does not exist.",
                                        "InvalidModel"), ApiVersion::kV32);
      }
    }
    if (get) {
      if (op == "models") return HandleListModelsV32(c);
      if (op.starts_with("read/analyzeresults/")) {
        // The id keeps its original case (UUIDs are case-insensitive, but be exact).
        std::string raw = PercentDecode(request.path);
        while (!raw.empty() && raw.back() == '/') raw.pop_back();
        return HandleReadResultV32(ctx(ApiVersion::kV32, raw.substr(raw.rfind('/') + 1)));
      }
    }
    return NotFoundResponse();
  }

  ServiceOptions options_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<ReadOperationStore> read_store_;
};

}  // namespace

StatusOr<std::unique_ptr<Service>> Service::Create(const ServiceOptions& options) {
  EngineOptions engine_options;
  engine_options.model_repo = options.model_repo;
  engine_options.galleries_dir = options.galleries_dir;
  engine_options.enable_celebrities = options.enable_celebrities;
  engine_options.detector = options.detector;
  engine_options.intra_op_threads = options.intra_op_threads;
  engine_options.max_decode_pixels = options.max_decode_pixels;
  engine_options.ort_arena = options.ort_arena;
  engine_options.trim_malloc = options.trim_malloc;
  engine_options.ocr_instances = options.ocr_instances;
  engine_options.analyzer_observer = options.analyzer_observer;
  OCULAR_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine, Engine::Create(engine_options));
  // Custom models load at start. A broken one fails the start (a reload would refuse it too):
  // clients call a custom model by name, so serving without it would silently answer its clients
  // 404; the operator fixes or removes the model folder and starts again (docs/custom-models.md).
  Status custom;
  CustomModelsFor(options.model_repo, &custom);
  if (!custom.ok()) {
    return FailedPrecondition(custom.message() + " (fix or remove that model's folder in '" +
                              options.model_repo + "'; see docs/custom-models.md)");
  }
  return std::unique_ptr<Service>(std::make_unique<ServiceImpl>(options, std::move(engine)));
}

}  // namespace ocular::api
