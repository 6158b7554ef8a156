#include "api/read_routes.h"

#include <cstdlib>
#include <span>

#include "analyzers/read/read_analyzer.h"
#include "analyzers/read/read_languages.h"
#include "api/analyze_request.h"
#include "api/errors.h"
#include "api/route_params.h"

namespace ocular::api {
namespace {

constexpr ApiVersion kApi = ApiVersion::kV32;

std::span<const std::uint8_t> AsBytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

Response Json(const nlohmann::json& body) {
  Response r;
  r.body = body.dump();
  return r;
}

// The tessdata folder the Read analyzer uses (for validating `language` before queueing).
std::filesystem::path TessdataDir(const RouteContext& ctx) {
  return DefaultReadEngineOptions(ctx.options.model_repo).tesseract.tessdata_dir;
}

Status CheckLanguage(const RouteContext& ctx, const std::string& language) {
  if (IsAutoLanguage(language)) return Status::Ok();
  return ResolveOcrLanguage(language, TessdataDir(ctx)).status();
}

std::string Origin(const Request& request) {
  if (!request.origin.empty()) return request.origin;
  auto it = request.headers.find("host");
  std::string host = it != request.headers.end() ? it->second : "localhost";
  return "http://" + host;
}

}  // namespace

Response HandleOcrV32(const RouteContext& ctx) {
  StatusOr<bool> detect = ParseBoolParam(ctx.query, "detectOrientation", true);
  if (!detect.ok()) return ErrorFromStatus(detect.status(), kApi);
  const std::string language = ctx.query.Get("language").value_or("unk");
  if (Status s = CheckLanguage(ctx, language); !s.ok()) return ErrorFromStatus(s, kApi);
  if (Status s = CheckModelVersion(ctx.query); !s.ok()) return ErrorFromStatus(s, kApi);

  AnalysisRequest req;
  req.api = kApi;
  req.features = {Feature::kRead};
  req.language = language;
  req.detect_orientation = *detect;
  req.cancelled = ctx.request.client_closed;
  if (Status s = ctx.engine.CheckFeatures(req.features); !s.ok()) return ErrorFromStatus(s, kApi);
  StatusOr<std::string> bytes = ctx.ImageBytes();
  if (!bytes.ok()) return ErrorFromStatus(bytes.status(), kApi);
  StatusOr<AnalysisResult> result = ctx.engine.Analyze(AsBytes(*bytes), req);
  if (!result.ok()) return ErrorFromStatus(result.status(), kApi);
  if (!result->read) return ErrorFromStatus(Internal("read result missing"), kApi);
  return Json(OcrResultToJsonV32(*result->read, result->model_version));
}

Response HandleReadAnalyzeV32(const RouteContext& ctx) {
  const std::string language = ctx.query.Get("language").value_or("");
  if (Status s = CheckLanguage(ctx, language); !s.ok()) return ErrorFromStatus(s, kApi);
  bool page_one = true;
  if (std::optional<std::string> pages = ctx.query.Get("pages"); pages) {
    StatusOr<bool> p = ParseReadPages(*pages);
    if (!p.ok()) return ErrorFromStatus(p.status(), kApi);
    page_one = *p;
  }
  StatusOr<std::string> order = ParseReadingOrder(ctx.query);
  if (!order.ok()) return ErrorFromStatus(order.status(), kApi);
  if (Status s = CheckModelVersion(ctx.query); !s.ok()) return ErrorFromStatus(s, kApi);
  if (ctx.read_store == nullptr) {
    return ErrorFromStatus(Unavailable("Read operations are not available."), kApi);
  }

  AnalysisRequest req;
  req.api = kApi;
  req.features = {Feature::kRead};
  req.language = language.empty() ? "unk" : language;
  req.detect_orientation = true;  // the page angle is part of the result
  if (Status s = ctx.engine.CheckFeatures(req.features); !s.ok()) return ErrorFromStatus(s, kApi);
  StatusOr<std::string> bytes = ctx.ImageBytes();
  if (!bytes.ok()) return ErrorFromStatus(bytes.status(), kApi);
  // Fail bad images now, not in the background: size, format and dimensions from the header.
  if (Status s = CheckByteSize(bytes->size(), kApi); !s.ok()) return ErrorFromStatus(s, kApi);
  StatusOr<ImageInfo> info = ProbeImage(AsBytes(*bytes));
  if (!info.ok()) return ErrorFromStatus(info.status(), kApi);
  if (Status s = CheckDimensions(*info, ImageLimits::ForApi(kApi)); !s.ok()) {
    return ErrorFromStatus(s, kApi);
  }

  const Engine* engine = &ctx.engine;
  const std::size_t input_size = bytes->size();
  ReadOperationStore::Task task = [engine, req, page_one,
                                   image = std::move(bytes).value()]() -> StatusOr<std::string> {
    OCULAR_ASSIGN_OR_RETURN(AnalysisResult result, engine->Analyze(AsBytes(image), req));
    nlohmann::json pages = nlohmann::json::array();
    if (page_one && result.read) {
      pages.push_back(ReadPageToJsonV32(*result.read, 1, result.image.width, result.image.height));
    }
    nlohmann::json analyze = {{"version", kReadResultVersion},
                              {"modelVersion", result.model_version},
                              {"readResults", pages}};
    return analyze.dump();
  };
  StatusOr<std::string> id = ctx.read_store->Create(std::move(task), input_size);
  if (!id.ok()) return ErrorFromStatus(id.status(), kApi);

  Response r;
  r.status = 202;
  r.content_type.clear();  // no body: no Content-Type; the transport sends Content-Length: 0
  r.body.clear();
  r.headers.emplace_back("Operation-Location",
                         Origin(ctx.request) + "/vision/v3.2/read/analyzeResults/" + *id);
  return r;
}

Response HandleReadResultV32(const RouteContext& ctx) {
  const std::string& id = ctx.path_param;
  // Azure-shaped 404 naming the cause (the id is echoed only when it is a well-formed UUID).
  if (!IsUuid(id) || ctx.read_store == nullptr) {
    return MakeErrorResponse(404, "NotFound", "The operation id is not a valid operation id.");
  }
  StatusOr<std::optional<ReadOperationSnapshot>> found = ctx.read_store->Find(id);
  if (!found.ok()) return ErrorFromStatus(found.status(), kApi);  // shared store down: 503
  const std::optional<ReadOperationSnapshot>& op = *found;
  if (!op) {
    return MakeErrorResponse(404, "NotFound",
                             "The operation '" + id + "' was not found or its result has expired.");
  }
  nlohmann::json body = {{"status", ReadStatusName(op->status)},
                         {"createdDateTime", IsoTime(op->created)},
                         {"lastUpdatedDateTime", IsoTime(op->last_updated)}};
  if (op->status == ReadStatus::kSucceeded) {
    body["analyzeResult"] = nlohmann::json::parse(op->analyze_result, nullptr, false);
  }
  return Json(body);
}

}  // namespace ocular::api
