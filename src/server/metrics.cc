#include "server/metrics.h"

#include <cstdio>
#include <sstream>

namespace ocular::server {

void Metrics::RecordRequest(std::string_view route, int status, double seconds,
                            std::size_t body_bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = routes_.find(route);
  if (it == routes_.end()) it = routes_.emplace(std::string(route), RouteStats{}).first;
  RouteStats& s = it->second;
  ++s.by_status[status];
  s.latency.Observe(seconds);
  s.body_bytes += body_bytes;
}

void Metrics::Histogram::Observe(double seconds) {
  ++count;
  sum += seconds;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++buckets[i];
      break;
    }
  }
}

void Metrics::RecordAnalyzer(std::string_view analyzer, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = analyzers_.find(analyzer);
  if (it == analyzers_.end()) it = analyzers_.emplace(std::string(analyzer), Histogram{}).first;
  it->second.Observe(seconds);
}

void Metrics::RecordInference(std::string_view model, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = inference_.find(model);
  if (it == inference_.end()) it = inference_.emplace(std::string(model), Histogram{}).first;
  it->second.Observe(seconds);
}

namespace {
std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}
}  // namespace

void Metrics::RenderHistograms(std::ostream& out, const std::string& name, const char* help,
                               const char* label, const HistogramFamily& family) {
  out << "# HELP " << name << " " << help << "\n# TYPE " << name << " histogram\n";
  for (const auto& [value, h] : family) {
    const std::string labels = std::string(label) + "=\"" + value + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out << name << "_bucket{" << labels << ",le=\"" << Num(kBuckets[i]) << "\"} " << cumulative
          << "\n";
    }
    out << name << "_bucket{" << labels << ",le=\"+Inf\"} " << h.count << "\n";
    out << name << "_sum{" << labels << "} " << Num(h.sum) << "\n";
    out << name << "_count{" << labels << "} " << h.count << "\n";
  }
}

void Metrics::RecordWorkerRejected() {
  std::lock_guard<std::mutex> lock(mu_);
  ++worker_rejected_;
}

void Metrics::RecordCancelled(bool queued) {
  std::lock_guard<std::mutex> lock(mu_);
  ++(queued ? cancelled_queued_ : cancelled_running_);
}

std::string Metrics::Render(const Gauges& g) const {
  std::ostringstream out;
  std::lock_guard<std::mutex> lock(mu_);
  out << "# HELP ocular_http_requests_total HTTP requests by route template and status.\n"
         "# TYPE ocular_http_requests_total counter\n";
  for (const auto& [route, s] : routes_) {
    for (const auto& [status, n] : s.by_status) {
      out << "ocular_http_requests_total{route=\"" << route << "\",status=\"" << status << "\"} "
          << n << "\n";
    }
  }
  HistogramFamily latency;
  for (const auto& [route, stats] : routes_) latency.emplace(route, stats.latency);
  RenderHistograms(out, "ocular_http_request_duration_seconds",
                   "Request latency (queue wait included).", "route", latency);
  out << "# HELP ocular_http_request_bytes_total Request body bytes received.\n"
         "# TYPE ocular_http_request_bytes_total counter\n";
  for (const auto& [route, s] : routes_) {
    out << "ocular_http_request_bytes_total{route=\"" << route << "\"} " << s.body_bytes << "\n";
  }
  // One-sample gauges and counters: HELP, TYPE and the value.
  auto scalar = [&out](const char* name, const char* type, const char* help, auto value) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n"
        << name << " " << value << "\n";
  };
  scalar("ocular_worker_queue_depth", "gauge", "Analysis jobs waiting for a worker.",
         g.queue_depth);
  scalar("ocular_worker_queue_capacity", "gauge", "Maximum waiting jobs before 429.",
         g.queue_capacity);
  scalar("ocular_worker_busy", "gauge", "Analysis workers running a job.", g.workers_busy);
  scalar("ocular_worker_threads", "gauge", "Analysis worker threads.", g.worker_threads);
  scalar("ocular_worker_rejected_total", "counter",
         "Jobs refused because the queue was full (429).", worker_rejected_);
  out << "# HELP ocular_requests_cancelled_total Analyses whose client closed the connection: "
         "skipped before they started (queued) or abandoned while running (running).\n"
         "# TYPE ocular_requests_cancelled_total counter\n"
      << "ocular_requests_cancelled_total{stage=\"queued\"} " << cancelled_queued_ << "\n"
      << "ocular_requests_cancelled_total{stage=\"running\"} " << cancelled_running_ << "\n";
  scalar("ocular_http_connections_active", "gauge", "Open client connections.",
         g.connections_active);
  scalar("ocular_http_connections_total", "counter", "Accepted client connections.",
         g.connections_total);
  out << "# HELP ocular_http_connection_errors_total Connections dropped by the transport.\n"
         "# TYPE ocular_http_connection_errors_total counter\n";
  for (const auto& [reason, n] : g.connection_errors) {
    out << "ocular_http_connection_errors_total{reason=\"" << reason << "\"} " << n << "\n";
  }
  RenderHistograms(out, "ocular_analyzer_duration_seconds",
                   "Time each analyzer (feature) took on a request.", "analyzer", analyzers_);
  RenderHistograms(out, "ocular_model_inference_seconds",
                   "ONNX Runtime session run time per model.", "model", inference_);
  scalar("ocular_ready", "gauge", "1 when the analysis service is loaded and serving.",
         g.ready ? 1 : 0);
  return out.str();
}

}  // namespace ocular::server
