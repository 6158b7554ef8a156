// Graceful shutdown support (docs/deploy.md, "Rolling restarts"): a decorator around a listener's
// HttpHandler that
//   - counts requests in flight (from Handle until their response is handed to the transport),
//   - answers GET /ready with 503 ServiceUnavailable as soon as draining starts, so that load
//     balancers and Kubernetes readiness probes take the instance out before it stops.
// Everything else passes through unchanged. Thread-safe.
#pragma once

#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "server/http_server.h"

namespace ocular::server {

class DrainState {
 public:
  void StartDraining() { draining_ = true; }
  bool draining() const { return draining_.load(); }
  void Enter();
  void Leave();
  std::uint64_t in_flight() const;
  // Waits until no request is in flight, or until `deadline`; true when none is.
  bool WaitIdle(std::chrono::steady_clock::time_point deadline);

 private:
  std::atomic<bool> draining_{false};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::uint64_t in_flight_ = 0;
};

class DrainingHandler final : public HttpHandler {
 public:
  // `inner` is not owned and must outlive this handler; `state` is shared by all listeners.
  DrainingHandler(HttpHandler* inner, std::shared_ptr<DrainState> state)
      : inner_(inner), state_(std::move(state)) {}
  void Handle(api::Request request, Respond respond) override;
  api::Response Reject(const api::Request& request, Rejection why,
                       std::uint64_t declared_body_bytes) override {
    return inner_->Reject(request, why, declared_body_bytes);
  }

 private:
  HttpHandler* inner_;
  std::shared_ptr<DrainState> state_;
};

// The end of a graceful shutdown: a thread that waits for a second SIGINT/SIGTERM in `signals`
// (blocked in every thread) or for `deadline`, and then exits the process at once with code 1.
// Stop() ends the watch when the shutdown finished in time.
class ShutdownWatchdog {
 public:
  ShutdownWatchdog(sigset_t signals, std::chrono::steady_clock::time_point deadline);
  ~ShutdownWatchdog() { Stop(); }
  void Stop();

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace ocular::server
