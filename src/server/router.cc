#include "server/router.h"

#include <algorithm>
#include <array>
#include <exception>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "analyzers/engine.h"
#include "api/customvision_routes.h"
#include "api/errors.h"
#include "api/server_timing.h"
#include "core/image.h"
#include "server/studio_routes.h"

namespace ocular::server {
namespace {

// The status logged and counted for an analysis whose client closed the connection (nginx's
// "client closed request"); it never reaches the client.
constexpr int kClientClosedStatus = 499;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Lower-cased, "%3A"/"%2F" decoded, trailing '/' removed: enough to label and to spot prefixes.
std::string NormalizeForLabel(std::string_view path) {
  std::string p = Lower(path);
  std::string out;
  out.reserve(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '%' && i + 2 < p.size()) {
      std::string_view hex(p.data() + i + 1, 2);
      if (hex == "3a") { out += ':'; i += 2; continue; }
      if (hex == "2f") { out += '/'; i += 2; continue; }
    }
    out += p[i];
  }
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

ApiVersion ApiOf(std::string_view label) {
  return label.starts_with("/vision/") ? ApiVersion::kV32 : ApiVersion::kV40;
}

bool UnderAnalysisPrefix(const std::string& normalized) {
  return normalized.starts_with("/computervision/") || normalized.starts_with("/vision/v3.2/");
}

api::Response Json(int status, std::string body) {
  api::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace

void ServiceSlot::Set(std::shared_ptr<const api::Service> service) {
  std::lock_guard<std::mutex> lock(mu_);
  service_ = std::move(service);
}

std::shared_ptr<const api::Service> ServiceSlot::Get() const {
  std::lock_guard<std::mutex> lock(mu_);
  return service_;
}

Router::Router(RouterOptions options, RouterDeps deps, std::shared_ptr<ServiceSlot> slot)
    : options_(std::move(options)), deps_(std::move(deps)), slot_(std::move(slot)) {}

std::string Router::RouteLabel(std::string_view path) {
  const std::string p = NormalizeForLabel(path);
  static const std::array<std::string_view, 5> kFixed = {
      "/health", "/ready", "/metrics", "/computervision/imageanalysis:analyze",
      "/computervision/models"};
  for (std::string_view f : kFixed) {
    if (p == f) return std::string(f);
  }
  if (p == "/sts/v1.0/issuetoken") return "/sts/v1.0/issueToken";
  if (p.starts_with("/customvision/")) return "/customvision/prediction";
  constexpr std::string_view kV32 = "/vision/v3.2/";
  if (p.starts_with(kV32)) {
    std::string_view op = std::string_view(p).substr(kV32.size());
    static const std::array<std::string_view, 9> kOps = {
        "analyze", "describe", "detect", "tag", "models", "areaOfInterest", "generateThumbnail",
        "ocr", "read/analyze"};
    for (std::string_view o : kOps) {
      if (op == Lower(o)) return std::string(kV32) + std::string(o);
    }
    if (op.starts_with("read/analyzeresults/") && op.find('/', 20) == std::string_view::npos) {
      return std::string(kV32) + "read/analyzeResults/{id}";
    }
    if (op == "models/celebrities/analyze" || op == "models/landmarks/analyze") {
      return std::string(kV32) + std::string(op);
    }
    if (op.starts_with("models/") && op.ends_with("/analyze")) {
      return std::string(kV32) + "models/{model}/analyze";
    }
  }
  return "other";
}

std::optional<int> Router::Authenticate(const api::Request& request,
                                        api::Response* denied) const {
  auto key = request.headers.find("ocp-apim-subscription-key");
  // Custom Vision clients send their key as Prediction-Key (api/customvision_routes.h).
  if (key == request.headers.end()) key = request.headers.find("prediction-key");
  if (key != request.headers.end()) {
    if (std::optional<int> index = deps_.keys->Match(key->second)) return index;
    *denied = api::UnauthorizedResponse(/*missing=*/false, request.origin);
    return std::nullopt;
  }
  auto auth = request.headers.find("authorization");
  if (auth != request.headers.end() && deps_.tokens != nullptr && options_.sts) {
    std::string_view value = auth->second;
    if (value.size() > 7 && Lower(value.substr(0, 7)) == "bearer ") {
      if (std::optional<int> index = deps_.tokens->Verify(value.substr(7))) return index;
    }
    *denied = api::UnauthorizedResponse(/*missing=*/false, request.origin);
    return std::nullopt;
  }
  *denied = api::UnauthorizedResponse(/*missing=*/true, request.origin);
  return std::nullopt;
}

api::Response Router::Admin(const api::Request& request, std::string_view label, bool* handled) {
  *handled = false;
  if (!options_.admin_routes || request.method != "GET") return {};
  if (label == "/health") {
    *handled = true;
    return Json(200, R"({"status":"ok"})");
  }
  if (label == "/ready") {
    *handled = true;
    if (std::shared_ptr<const api::Service> service = slot_->Get()) {
      // Feature availability helps operators (details: `ocular models`); no request data.
      int available = 0, unavailable = 0;
      for (const auto& entry : service->FeatureStatus()) {
        (entry.second == "ok" ? available : unavailable) += 1;
      }
      return Json(200, nlohmann::json{{"status", "ready"},
                                      {"modelVersion", service->model_version()},
                                      {"featuresAvailable", available},
                                      {"featuresUnavailable", unavailable}}
                           .dump());
    }
    return api::ErrorFromStatus(Unavailable("The service is loading its models."),
                                ApiVersion::kV40);
  }
  if (label == "/metrics") {
    *handled = true;
    Gauges g;
    if (deps_.pool) {
      g.queue_depth = deps_.pool->queued();
      g.workers_busy = deps_.pool->busy();
      g.worker_threads = deps_.pool->threads();
      g.queue_capacity = deps_.pool->queue_capacity();
    }
    if (deps_.transport_stats) {
      TransportStats t = deps_.transport_stats();
      g.connections_active = t.connections_active;
      g.connections_total = t.connections_total;
      g.connection_errors = std::move(t.errors);
    }
    g.ready = slot_->Get() != nullptr;
    api::Response r = Json(200, deps_.metrics->Render(g));
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return r;
  }
  return {};
}

void Router::Handle(api::Request request, Respond respond) {
  const Clock::time_point start = Clock::now();
  if (!options_.public_origin.empty()) request.origin = options_.public_origin;
  const std::string label = RouteLabel(request.path);

  bool handled = false;
  api::Response admin = Admin(request, label, &handled);
  if (handled) return Finish(request, label, start, 0, std::move(admin), respond);
  if (!options_.api_routes) {
    return Finish(request, label, start, 0, api::NotFoundResponse(), respond);
  }
  if (options_.studio && IsStudioPath(request.path)) {
    return Finish(request, "/studio", start, 0, StudioResponse(request, slot_->Get().get()),
                  respond);
  }

  if (label == "/sts/v1.0/issueToken" && options_.sts && deps_.tokens != nullptr) {
    if (request.method != "POST") {
      return Finish(request, label, start, 0, api::NotFoundResponse(), respond);
    }
    api::Response denied;
    auto key = request.headers.find("ocp-apim-subscription-key");
    std::optional<int> index;
    if (key != request.headers.end()) index = deps_.keys->Match(key->second);
    if (!index) {
      denied = api::UnauthorizedResponse(key == request.headers.end(), request.origin);
      return Finish(request, label, start, 0, std::move(denied), respond);
    }
    api::Response token;
    token.content_type = "application/jwt; charset=us-ascii";
    token.body = deps_.tokens->Issue(*index);
    return Finish(request, label, start, 0, std::move(token), respond);
  }

  std::shared_ptr<const api::Service> service = slot_->Get();
  const std::string normalized = NormalizeForLabel(request.path);
  const bool analysis = service ? service->Handles(request.path) : UnderAnalysisPrefix(normalized);
  if (!analysis) return Finish(request, label, start, 0, api::NotFoundResponse(), respond);

  api::Response denied;
  std::optional<int> key_index = Authenticate(request, &denied);
  if (!key_index && api::IsCustomVisionPath(normalized)) {
    denied = api::CustomVisionError(401, "Unauthorized",
                                    "Access denied due to invalid subscription key or wrong API "
                                    "endpoint. Make sure to provide a valid key.");
  }
  if (!key_index) return Finish(request, label, start, 0, std::move(denied), respond);

  const ApiVersion api = ApiOf(label == "other" ? normalized : label);
  int retry_after = 1;
  if (deps_.limiter && !deps_.limiter->Allow(*key_index, &retry_after)) {
    api::Response r = api::ErrorFromStatus(
        ResourceExhausted("Requests under this key have exceeded the configured rate limit. "
                          "Please retry after " + std::to_string(retry_after) + " second(s)."),
        api);
    for (auto& [name, value] : r.headers) {
      if (Lower(name) == "retry-after") value = std::to_string(retry_after);
    }
    return Finish(request, label, start, 0, std::move(r), respond);
  }
  if (!service) {
    return Finish(request, label, start, 0,
                  api::ErrorFromStatus(Unavailable("The service is loading its models."), api),
                  respond);
  }

  // The job owns the request (and its body) until it is answered; nothing else keeps it.
  auto shared = std::make_shared<api::Request>(std::move(request));
  auto job = [this, shared, label, start, respond, service, api]() {
    const double queue_ms =
        std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    const auto client_gone = [&shared] {
      return shared->client_closed != nullptr && shared->client_closed->load();
    };
    api::Response response;
    if (client_gone()) {
      // Nobody waits for this answer: skip the analysis. Logged as 499 (nginx's "client closed
      // request"); the transport does not write it.
      deps_.metrics->RecordCancelled(/*queued=*/true);
      shared->body.clear();
      shared->body.shrink_to_fit();
      response = api::ErrorFromStatus(
          Unavailable("The client closed the connection.", kCancelledInnerCode), api);
      response.status = kClientClosedStatus;
      return Finish(*shared, label, start, queue_ms, std::move(response), respond);
    }
    try {
      response = service->Handle(*shared);
    } catch (const std::exception&) {
      spdlog::error("request {}: unhandled exception in the analysis service", shared->request_id);
      response = api::ErrorFromStatus(Internal("unhandled exception"), api);
    } catch (...) {
      response = api::ErrorFromStatus(Internal("unhandled exception"), api);
    }
    shared->body.clear();
    shared->body.shrink_to_fit();
    if (client_gone()) {
      deps_.metrics->RecordCancelled(/*queued=*/false);
      response.status = kClientClosedStatus;
    }
    Finish(*shared, label, start, queue_ms, std::move(response), respond);
  };
  if (!deps_.pool->TrySubmit(job)) {
    deps_.metrics->RecordWorkerRejected();
    api::Response busy = api::ErrorFromStatus(
        ResourceExhausted("The service is busy: too many requests are waiting for analysis. "
                          "Please retry after 1 second(s)."),
        api);
    Finish(*shared, label, start, 0, std::move(busy), respond);
  }
}

api::Response Router::Reject(const api::Request& request, Rejection why,
                             std::uint64_t declared_body_bytes) {
  const Clock::time_point start = Clock::now();
  const std::string label = RouteLabel(request.path);
  api::Response r;
  switch (why) {
    case Rejection::kBodyTooLarge: {
      const ApiVersion api = ApiOf(label == "other" ? NormalizeForLabel(request.path) : label);
      Status s = CheckByteSize(static_cast<std::size_t>(declared_body_bytes), api);
      if (s.ok()) s = InvalidArgument("The request body is too large.");
      r = api::ErrorFromStatus(s, api);
      break;
    }
    case Rejection::kHeaderTooLarge:
      r = api::MakeErrorResponse(431, "InvalidRequest", "The request headers are too large.");
      break;
    case Rejection::kMalformed:
      r = api::MakeErrorResponse(400, "InvalidRequest", "The request is not valid HTTP/1.1.");
      break;
  }
  Record(request, label, start, 0, r);
  return r;
}

void Router::Finish(const api::Request& request, const std::string& label,
                    Clock::time_point start, double queue_ms, api::Response response,
                    const Respond& respond) {
  if (label != "/studio") {
    // Standard Server-Timing (after the analyzers' own entries): waiting for a worker, and
    // everything from routing to the answer.
    if (queue_ms > 0) api::AddServerTiming(&response, "queue", queue_ms);
    api::AddServerTiming(&response, "total",
                         std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  Record(request, label, start, queue_ms, response);
  respond(std::move(response));
}

void Router::Record(const api::Request& request, const std::string& label,
                    Clock::time_point start, double queue_ms, const api::Response& response) {
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  // request.body may already be released (worker jobs clear it): sizes come from the header.
  std::size_t declared = request.body.size();
  if (auto cl = request.headers.find("content-length"); cl != request.headers.end()) {
    declared = std::strtoull(cl->second.c_str(), nullptr, 10);
  }
  deps_.metrics->RecordRequest(label, response.status, ms / 1000.0, declared);
  spdlog::info("request id={} method={} route={} status={} in_bytes={} out_bytes={} queue_ms={:.1f} total_ms={:.1f}",
               request.request_id, request.method.empty() ? "-" : request.method, label,
               response.status, declared, response.body.size(), queue_ms, ms);
}

}  // namespace ocular::server
