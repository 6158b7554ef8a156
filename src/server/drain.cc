#include "server/drain.h"

#include <unistd.h>

#include <spdlog/spdlog.h>

#include "api/errors.h"

namespace ocular::server {

void DrainState::Enter() {
  std::lock_guard<std::mutex> lock(mu_);
  ++in_flight_;
}

void DrainState::Leave() {
  std::lock_guard<std::mutex> lock(mu_);
  if (in_flight_ > 0) --in_flight_;
  if (in_flight_ == 0) cv_.notify_all();
}

std::uint64_t DrainState::in_flight() const {
  std::lock_guard<std::mutex> lock(mu_);
  return in_flight_;
}

bool DrainState::WaitIdle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_until(lock, deadline, [this] { return in_flight_ == 0; });
}

void DrainingHandler::Handle(api::Request request, Respond respond) {
  if (state_->draining() && request.method == "GET" &&
      (request.path == "/ready" || request.path == "/ready/")) {
    respond(api::ErrorFromStatus(Unavailable("The instance is shutting down."), ApiVersion::kV40));
    return;
  }
  state_->Enter();
  // The transport calls `respond` exactly once; Leave runs after the response is handed over.
  auto state = state_;
  inner_->Handle(std::move(request), [state, respond = std::move(respond)](api::Response r) {
    respond(std::move(r));
    state->Leave();
  });
}

ShutdownWatchdog::ShutdownWatchdog(sigset_t signals,
                                   std::chrono::steady_clock::time_point deadline) {
  thread_ = std::thread([this, signals, deadline] {
    while (!done_.load()) {
      if (std::chrono::steady_clock::now() >= deadline) {
        spdlog::warn("shutdown grace period over: exiting now");
        spdlog::default_logger()->flush();
        _exit(1);
      }
      timespec slice{0, 100 * 1000 * 1000};
      const int sig = sigtimedwait(&signals, nullptr, &slice);
      if (sig == SIGTERM || sig == SIGINT) {
        spdlog::warn("second {} during shutdown: exiting now",
                     sig == SIGINT ? "SIGINT" : "SIGTERM");
        spdlog::default_logger()->flush();
        _exit(1);
      }
    }
  });
}

void ShutdownWatchdog::Stop() {
  done_ = true;
  if (thread_.joinable()) thread_.join();
}

}  // namespace ocular::server
