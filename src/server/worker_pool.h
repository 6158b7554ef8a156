// A fixed pool of analysis threads with a bounded queue. Submitting to a full queue fails at
// once (the caller answers 429): no request ever waits unboundedly for a worker.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ocular::server {

class WorkerPool {
 public:
  // threads >= 1; queue_capacity: jobs that may wait for a free thread (0: none may wait).
  WorkerPool(std::size_t threads, std::size_t queue_capacity);
  ~WorkerPool();  // Shutdown()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `job`; false when the queue is full or the pool is shut down. Jobs must not throw.
  bool TrySubmit(std::function<void()> job);
  // Runs the jobs already queued, then joins the threads. Idempotent.
  void Shutdown();

  std::size_t threads() const { return threads_.size(); }
  std::size_t queue_capacity() const { return capacity_; }
  std::size_t queued() const { return queued_.load(); }
  std::size_t busy() const { return busy_.load(); }

 private:
  void Loop();
  const std::size_t capacity_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::atomic<std::size_t> queued_{0}, busy_{0};
  std::vector<std::thread> threads_;
};

}  // namespace ocular::server
