// Prometheus metrics of the service (text exposition format 0.0.4 on GET /metrics):
//   ocular_http_requests_total{route,status}        counter
//   ocular_http_request_duration_seconds{route}     histogram (whole request, queue wait included)
//   ocular_http_request_bytes_total{route}          counter of request body bytes
//   ocular_worker_queue_depth, ocular_worker_busy, ocular_worker_threads, ocular_worker_queue_capacity
//   ocular_worker_rejected_total                     counter (queue full -> 429)
//   ocular_requests_cancelled_total{stage}          counter: analyses whose client closed the
//                                                    connection, skipped before they started
//                                                    (stage="queued") or abandoned/finished for
//                                                    nobody while running (stage="running")
//   ocular_http_connections_active, ocular_http_connections_total, ocular_http_connection_errors_total{reason}
//   ocular_ready                                     1 once the analysis service is loaded
//   ocular_analyzer_duration_seconds{analyzer}      histogram per analyzer (feature) run
//   ocular_model_inference_seconds{model}           histogram per ONNX Runtime session run
// Labels carry route templates only (never raw paths, ids or query strings): bounded cardinality
// and nothing from the request leaks into the metrics.
#pragma once

#include <array>
#include <ostream>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace ocular::server {

struct Gauges {
  std::size_t queue_depth = 0, workers_busy = 0, worker_threads = 0, queue_capacity = 0;
  std::uint64_t connections_active = 0, connections_total = 0;
  std::map<std::string, std::uint64_t> connection_errors;  // reason -> count
  bool ready = false;
};

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                      0.5,   1,    2.5,   5,    10,  30};
  void RecordRequest(std::string_view route, int status, double seconds, std::size_t body_bytes);
  void RecordWorkerRejected();
  // An analysis whose client had gone: skipped from the queue (`queued`) or dropped while running.
  void RecordCancelled(bool queued);
  // `analyzer` and `model` are names from the server's own configuration (bounded sets).
  void RecordAnalyzer(std::string_view analyzer, double seconds);
  void RecordInference(std::string_view model, double seconds);
  std::string Render(const Gauges& gauges) const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // non-cumulative
    std::uint64_t count = 0;
    double sum = 0;
    void Observe(double seconds);
  };
  using HistogramFamily = std::map<std::string, Histogram, std::less<>>;
  struct RouteStats {
    std::map<int, std::uint64_t> by_status;
    Histogram latency;
    std::uint64_t body_bytes = 0;
  };
  static void RenderHistograms(std::ostream& out, const std::string& name, const char* help,
                               const char* label, const HistogramFamily& family);

  mutable std::mutex mu_;
  std::map<std::string, RouteStats, std::less<>> routes_;
  HistogramFamily analyzers_;
  HistogramFamily inference_;
  std::uint64_t worker_rejected_ = 0;
  std::uint64_t cancelled_queued_ = 0, cancelled_running_ = 0;
};

}  // namespace ocular::server
