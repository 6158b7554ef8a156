#include "server/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "server/worker_pool.h"

namespace ocular::server {
namespace {

using namespace std::chrono_literals;

TEST(TokenBucket, BurstThenRefill) {
  const auto t0 = TokenBucket::Clock::now();
  TokenBucket b(2.0, 3.0, t0);  // 2/s, burst 3
  EXPECT_TRUE(b.TryTake(t0));
  EXPECT_TRUE(b.TryTake(t0));
  EXPECT_TRUE(b.TryTake(t0));
  EXPECT_FALSE(b.TryTake(t0));
  EXPECT_NEAR(b.SecondsUntilToken(t0), 0.5, 1e-9);
  EXPECT_FALSE(b.TryTake(t0 + 400ms));
  EXPECT_TRUE(b.TryTake(t0 + 500ms));
  // A long pause refills only up to the burst.
  const auto later = t0 + 100s;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(b.TryTake(later));
  EXPECT_FALSE(b.TryTake(later));
}

TEST(RateLimiter, PerKeyBucketsAndRetryAfter) {
  RateLimiter limiter(1.0, 2.0);
  ASSERT_TRUE(limiter.enabled());
  const auto t0 = TokenBucket::Clock::now();
  int retry = 0;
  EXPECT_TRUE(limiter.Allow(0, &retry, t0));
  EXPECT_TRUE(limiter.Allow(0, &retry, t0));
  EXPECT_FALSE(limiter.Allow(0, &retry, t0));
  EXPECT_EQ(retry, 1);
  EXPECT_TRUE(limiter.Allow(1, &retry, t0));  // another key has its own bucket
  EXPECT_TRUE(limiter.Allow(0, &retry, t0 + 1s));
}

TEST(RateLimiter, DisabledAllowsEverything) {
  RateLimiter limiter(0, 0);
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.Allow(0, nullptr));
}

TEST(WorkerPool, RefusesWhenQueueIsFull) {
  WorkerPool pool(1, 2);
  std::atomic<bool> release{false};
  std::atomic<int> done{0};
  auto blocker = [&] {
    while (!release) std::this_thread::sleep_for(1ms);
    ++done;
  };
  ASSERT_TRUE(pool.TrySubmit(blocker));  // runs
  // Wait until the worker took it, so the queue is empty again.
  for (int i = 0; i < 2000 && pool.busy() == 0; ++i) std::this_thread::sleep_for(1ms);
  ASSERT_EQ(pool.busy(), 1u);
  EXPECT_TRUE(pool.TrySubmit(blocker));   // waits
  EXPECT_TRUE(pool.TrySubmit(blocker));   // waits
  EXPECT_EQ(pool.queued(), 2u);
  EXPECT_FALSE(pool.TrySubmit(blocker));  // queue full: refused at once
  release = true;
  pool.Shutdown();
  EXPECT_EQ(done.load(), 3);
  EXPECT_FALSE(pool.TrySubmit([] {}));  // after shutdown
}

TEST(WorkerPool, RunsEveryAcceptedJob) {
  std::atomic<int> n{0};
  {
    WorkerPool pool(2, 64);
    int accepted = 0;
    for (int i = 0; i < 50; ++i) accepted += pool.TrySubmit([&] { ++n; });
    EXPECT_EQ(accepted, 50);
  }
  EXPECT_EQ(n.load(), 50);
}

}  // namespace
}  // namespace ocular::server
