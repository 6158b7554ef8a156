// Request routing, authentication, rate limiting, admission to the worker pool, metrics and the
// access log: everything between the transport (http_server.h) and api::Service.
//
//   GET  /health                 200 {"status":"ok"} while the process serves (liveness)
//   GET  /ready                  200 once the Service is loaded, else 503 ServiceUnavailable
//   GET  /metrics                Prometheus text (metrics.h)
//   POST /sts/v1.0/issueToken    key in, a 10-minute bearer token out (text), when enabled
//   GET  /studio/...             the studio page and its files, when enabled (no key needed)
//   analysis routes              api::Service::Handles(path): credentials (key or bearer token)
//                                -> per-key rate limit (429) -> worker pool (429 when full)
//                                -> api::Service::Handle on a worker thread; a job whose
//                                client closed the connection (Request::client_closed) is
//                                skipped before it starts, or abandoned by the engine at its
//                                next checkpoint, and logged as 499
//                                (ocular_requests_cancelled_total)
//   anything else                the spec's 404 body
// With a separate admin listener, the main router serves no admin routes and the admin router
// serves only them.
//
// Privacy: the access log line carries the request id, method, route template (never the raw
// path or query), status, body sizes and timings; never bodies, URLs, keys, tokens or results.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "api/service.h"
#include "server/auth.h"
#include "server/http_server.h"
#include "server/metrics.h"
#include "server/rate_limiter.h"
#include "server/worker_pool.h"

namespace ocular::server {

struct RouterOptions {
  bool api_routes = true;     // analysis routes and STS
  bool admin_routes = true;   // /health, /ready, /metrics
  bool sts = true;            // POST /sts/v1.0/issueToken
  bool studio = false;        // GET /studio/... (server/studio_routes.h), with api_routes
  std::string public_origin;  // e.g. "https://vision.example.com"; empty: from the Host header
};

struct RouterDeps {
  const KeyStore* keys = nullptr;       // required for api_routes
  const TokenSigner* tokens = nullptr;  // required when sts
  RateLimiter* limiter = nullptr;       // optional
  WorkerPool* pool = nullptr;           // required for api_routes
  Metrics* metrics = nullptr;           // required
  std::function<TransportStats()> transport_stats;  // optional, for /metrics
};

// Shared readiness: the Service, once loaded (both routers of a process share one).
class ServiceSlot {
 public:
  void Set(std::shared_ptr<const api::Service> service);
  std::shared_ptr<const api::Service> Get() const;

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const api::Service> service_;
};

class Router : public HttpHandler {
 public:
  Router(RouterOptions options, RouterDeps deps, std::shared_ptr<ServiceSlot> slot);

  void Handle(api::Request request, Respond respond) override;
  api::Response Reject(const api::Request& request, Rejection why,
                       std::uint64_t declared_body_bytes) override;

  // The bounded-cardinality route label of a path (metrics and logs): e.g.
  // "/computervision/imageanalysis:analyze", "/vision/v3.2/read/analyzeResults/{id}", "other".
  static std::string RouteLabel(std::string_view path);

 private:
  using Clock = std::chrono::steady_clock;
  api::Response Admin(const api::Request& request, std::string_view label, bool* handled);
  // The key index the request is authorised for, or the 401 response.
  std::optional<int> Authenticate(const api::Request& request, api::Response* denied) const;
  void Finish(const api::Request& request, const std::string& label, Clock::time_point start,
              double queue_ms, api::Response response, const Respond& respond);
  void Record(const api::Request& request, const std::string& label, Clock::time_point start,
              double queue_ms, const api::Response& response);

  RouterOptions options_;
  RouterDeps deps_;
  std::shared_ptr<ServiceSlot> slot_;
};

}  // namespace ocular::server
