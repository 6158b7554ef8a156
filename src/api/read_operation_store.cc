#include "api/read_operation_store.h"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <random>

namespace ocular::api {
namespace {

// Per-id bookkeeping counted toward max_bytes besides the task's input/result.
constexpr std::size_t kOverheadBytes = 256;

std::uint64_t SplitMix(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

const char* ReadStatusName(ReadStatus status) {
  switch (status) {
    case ReadStatus::kNotStarted:
      return "notStarted";
    case ReadStatus::kRunning:
      return "running";
    case ReadStatus::kSucceeded:
      return "succeeded";
    case ReadStatus::kFailed:
      return "failed";
  }
  return "failed";
}

std::string IsoTime(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

ReadOperationStore::ReadOperationStore(ReadOperationStoreOptions options, Clock clock)
    : options_(options),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::system_clock::now(); })) {
  std::random_device rd;
  rng_state_[0] = (std::uint64_t(rd()) << 32) ^ rd();
  rng_state_[1] = (std::uint64_t(rd()) << 32) ^ rd();
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

ReadOperationStore::~ReadOperationStore() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : workers_) t.join();
}

std::string ReadOperationStore::NewIdLocked() {
  if (options_.new_id) {
    for (;;) {
      std::string id = Lower(options_.new_id());
      if (!ops_.count(id)) return id;
    }
  }
  for (;;) {
    std::uint64_t a = SplitMix(rng_state_[0]), b = SplitMix(rng_state_[1]);
    a = (a & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;  // version 4
    b = (b & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // variant 10
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", unsigned(a >> 32),
                  unsigned((a >> 16) & 0xFFFF), unsigned(a & 0xFFFF), unsigned(b >> 48),
                  static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFull));
    if (!ops_.count(buf)) return buf;
  }
}

void ReadOperationStore::ExpireLocked(std::chrono::system_clock::time_point now) {
  for (auto it = ops_.begin(); it != ops_.end();) {
    const ReadOperationSnapshot& s = it->second.snap;
    const bool done = s.status == ReadStatus::kSucceeded || s.status == ReadStatus::kFailed;
    if (done && now - s.last_updated >= options_.ttl) {
      bytes_ -= it->second.bytes;
      it = ops_.erase(it);
    } else {
      ++it;
    }
  }
}

StatusOr<std::string> ReadOperationStore::Create(Task task, std::size_t input_bytes) {
  std::string id;
  ReadOperationSnapshot first;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return Unavailable("The service is shutting down.");
    const auto now = clock_();
    ExpireLocked(now);
    const std::size_t need = input_bytes + kOverheadBytes;
    if (ops_.size() >= options_.max_operations || queue_.size() >= options_.max_queued ||
        bytes_ + need > options_.max_bytes) {
      return ResourceExhausted(
          "Too many Read operations are pending or stored on this server. Please retry after 1 "
          "second(s).");
    }
    id = NewIdLocked();
    Operation op;
    op.snap.status = ReadStatus::kNotStarted;
    op.snap.created = op.snap.last_updated = now;
    op.task = std::move(task);
    op.bytes = need;
    bytes_ += need;
    first = op.snap;
    ops_.emplace(id, std::move(op));
    if (!options_.backend) queue_.push_back(id);
  }
  if (options_.backend) {
    // Shared: the operation exists for every instance before its id is handed out.
    Status put = options_.backend->Put(id, first, options_.ttl);
    std::lock_guard<std::mutex> lock(mu_);
    if (!put.ok()) {
      auto it = ops_.find(id);
      if (it != ops_.end()) {
        bytes_ -= it->second.bytes;
        ops_.erase(it);
      }
      return Unavailable("The Read result store is unavailable; the operation was not "
                         "started. Please retry later.");
    }
    queue_.push_back(id);
  }
  cv_.notify_one();
  return id;
}

StatusOr<std::optional<ReadOperationSnapshot>> ReadOperationStore::Find(const std::string& id) {
  if (options_.backend) {
    StatusOr<std::optional<ReadOperationSnapshot>> shared = options_.backend->Get(Lower(id));
    if (!shared.ok()) {
      return Unavailable("The Read result store is unavailable. Please retry later.");
    }
    return shared;
  }
  std::lock_guard<std::mutex> lock(mu_);
  ExpireLocked(clock_());
  auto it = ops_.find(Lower(id));
  if (it == ops_.end()) return std::optional<ReadOperationSnapshot>();
  return std::optional<ReadOperationSnapshot>(it->second.snap);
}

std::optional<ReadOperationSnapshot> ReadOperationStore::Get(const std::string& id) {
  StatusOr<std::optional<ReadOperationSnapshot>> found = Find(id);
  if (!found.ok()) return std::nullopt;
  return *found;
}

bool ReadOperationStore::Drain(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  return idle_cv_.wait_until(lock, deadline, [this] { return queue_.empty() && running_ == 0; });
}

bool ReadOperationStore::RunOneLocked(std::unique_lock<std::mutex>& lock) {
  while (!queue_.empty()) {
    std::string id = std::move(queue_.front());
    queue_.pop_front();
    auto it = ops_.find(id);
    if (it == ops_.end()) continue;
    Task task = std::move(it->second.task);
    it->second.task = nullptr;
    it->second.snap.status = ReadStatus::kRunning;
    it->second.snap.last_updated = clock_();
    const ReadOperationSnapshot running = it->second.snap;
    ++running_;
    lock.unlock();
    // A lost "running" write only delays what GET shows; the final write matters.
    if (options_.backend) (void)options_.backend->Put(id, running, options_.ttl);
    StatusOr<std::string> result = Internal("Read task threw");
    try {
      result = task();
    } catch (...) {
      result = Internal("Read task threw");
    }
    task = nullptr;  // drop the image now
    lock.lock();
    it = ops_.find(id);
    if (it == ops_.end()) {
      --running_;
      idle_cv_.notify_all();
      return true;
    }
    Operation& op = it->second;
    bytes_ -= op.bytes;
    op.snap.last_updated = clock_();
    if (result.ok()) {
      op.snap.status = ReadStatus::kSucceeded;
      op.snap.analyze_result = std::move(result).value();
      op.bytes = op.snap.analyze_result.size() + kOverheadBytes;
    } else {
      op.snap.status = ReadStatus::kFailed;
      op.bytes = kOverheadBytes;
    }
    // A result may push the total over max_bytes; new operations are refused until it expires.
    bytes_ += op.bytes;
    if (options_.backend) {
      // The result leaves this process (encrypted by the backend); only its size stays here.
      ReadOperationSnapshot done = std::move(op.snap);
      op.snap = ReadOperationSnapshot{done.status, done.created, done.last_updated, {}};
      lock.unlock();
      if (!options_.backend->Put(id, done, options_.ttl).ok()) {
        (void)options_.backend->Put(id, done, options_.ttl);  // one retry (reconnects)
      }
      done.analyze_result.clear();
      lock.lock();
    }
    --running_;
    idle_cv_.notify_all();
    return true;
  }
  return false;
}

int ReadOperationStore::RunQueued() {
  std::unique_lock<std::mutex> lock(mu_);
  int n = 0;
  while (RunOneLocked(lock)) ++n;
  return n;
}

void ReadOperationStore::WorkerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    RunOneLocked(lock);
  }
}

std::size_t ReadOperationStore::size() {
  std::lock_guard<std::mutex> lock(mu_);
  ExpireLocked(clock_());
  return ops_.size();
}

std::size_t ReadOperationStore::bytes() {
  std::lock_guard<std::mutex> lock(mu_);
  ExpireLocked(clock_());
  return bytes_;
}

}  // namespace ocular::api
