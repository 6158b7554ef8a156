// Per-key request rate limits: one token bucket per subscription key (by KeyStore index).
// A bucket holds at most `burst` tokens and refills at `rate` tokens per second; a request takes
// one token or is refused (HTTP 429 with Retry-After). rate <= 0 disables limiting.
#pragma once

#include <chrono>
#include <mutex>
#include <unordered_map>

namespace ocular::server {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;
  TokenBucket(double rate, double burst, Clock::time_point now);
  // Takes one token if available.
  bool TryTake(Clock::time_point now);
  // Seconds until one token is available (0 when one is).
  double SecondsUntilToken(Clock::time_point now);

 private:
  void Refill(Clock::time_point now);
  double rate_, burst_, tokens_;
  Clock::time_point last_;
};

class RateLimiter {
 public:
  // rate: requests per second per key (<= 0: unlimited); burst: bucket size (<= 0: max(1, rate)).
  RateLimiter(double rate, double burst);
  bool enabled() const { return rate_ > 0; }
  // True when the request may proceed; otherwise *retry_after_s is set (whole seconds, >= 1).
  bool Allow(int key_index, int* retry_after_s,
             TokenBucket::Clock::time_point now = TokenBucket::Clock::now());

 private:
  double rate_, burst_;
  std::mutex mu_;
  std::unordered_map<int, TokenBucket> buckets_;
};

}  // namespace ocular::server
