#include "server/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace ocular::server {

TokenBucket::TokenBucket(double rate, double burst, Clock::time_point now)
    : rate_(rate), burst_(burst), tokens_(burst), last_(now) {}

void TokenBucket::Refill(Clock::time_point now) {
  if (now > last_) {
    double dt = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + dt * rate_);
    last_ = now;
  }
}

bool TokenBucket::TryTake(Clock::time_point now) {
  Refill(now);
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return true;
  }
  return false;
}

double TokenBucket::SecondsUntilToken(Clock::time_point now) {
  Refill(now);
  return tokens_ >= 1.0 ? 0.0 : (1.0 - tokens_) / rate_;
}

RateLimiter::RateLimiter(double rate, double burst)
    : rate_(rate), burst_(burst > 0 ? burst : std::max(1.0, rate)) {}

bool RateLimiter::Allow(int key_index, int* retry_after_s, TokenBucket::Clock::time_point now) {
  if (!enabled()) return true;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.try_emplace(key_index, rate_, burst_, now).first;
  if (it->second.TryTake(now)) return true;
  if (retry_after_s) {
    *retry_after_s = std::max(1, static_cast<int>(std::ceil(it->second.SecondsUntilToken(now))));
  }
  return false;
}

}  // namespace ocular::server
