#include "server/worker_pool.h"

#include <algorithm>

namespace ocular::server {

WorkerPool::WorkerPool(std::size_t threads, std::size_t queue_capacity)
    : capacity_(queue_capacity) {
  if (threads == 0) threads = 1;
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

WorkerPool::~WorkerPool() { Shutdown(); }

bool WorkerPool::TrySubmit(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    // A job may wait only when every thread is busy and the queue has room: count idle threads
    // as capacity so a pool with queue 0 still accepts work for its free threads.
    std::size_t idle = threads_.size() - std::min(threads_.size(), busy_.load() + queue_.size());
    if (idle == 0 && queue_.size() >= capacity_) return false;
    queue_.push_back(std::move(job));
    queued_.store(queue_.size());
  }
  cv_.notify_one();
  return true;
}

void WorkerPool::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void WorkerPool::Loop() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      job = std::move(queue_.front());
      queue_.pop_front();
      queued_.store(queue_.size());
      ++busy_;
    }
    job();
    --busy_;
  }
}

}  // namespace ocular::server
