// ReadOperationStore: the results of v3.2 asynchronous Read operations (POST /read/analyze,
// GET /read/analyzeResults/{id}).
//
// This is the one place Ocular holds a result after the request that produced it has been
// answered: the asynchronous Read protocol requires it (the client polls for the result with a
// later request). To keep that exposure small:
//   - results live in process memory only and are never written to disk or logs;
//   - a finished operation expires `ttl` after it finished (default 10 minutes; Azure keeps them
//     48 h) and is then unreadable (404); expiry is lazy, on every Create/Get/size call;
//   - the number of operations and their bytes (queued image bytes + result JSON) are capped;
//     past a cap, Create fails with ResourceExhausted (HTTP 429 with Retry-After);
//   - queued images are dropped as soon as their analysis ends.
// Analyses run on a small fixed pool of worker threads owned by the store (status notStarted ->
// running -> succeeded | failed). The destructor stops the workers (a running task finishes
// first) and drops everything.
// Thread-safety: every method may be called from any thread.
// Lifetime: tasks may reference objects (the Engine) that must outlive the store.
//
// Shared results (several instances behind a balancer): with options.backend set, every state
// change (notStarted, running, succeeded/failed) is written to the backend with the TTL, and Get
// reads from it, so any instance answers for any operation. The local map then keeps only the
// queue and the accounting for the caps (no result text): the caps stay per instance. A backend
// that cannot be reached fails Create with Unavailable (HTTP 503) and Find with Unavailable.
#pragma once

#include "core/uuid.h"  // IsUuid, for the operation ids

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"

namespace ocular::api {

enum class ReadStatus { kNotStarted, kRunning, kSucceeded, kFailed };
// "notStarted", "running", "succeeded", "failed" (the wire spelling).
const char* ReadStatusName(ReadStatus status);

// What GET returns for one operation.
struct ReadOperationSnapshot {
  ReadStatus status = ReadStatus::kNotStarted;
  std::chrono::system_clock::time_point created;
  std::chrono::system_clock::time_point last_updated;
  std::string analyze_result;  // JSON text of analyzeResult, only when succeeded
};

// Where operation states are kept when they must be shared between instances (e.g. Redis,
// server/read_store_redis.h). Implementations must be thread-safe and must not throw.
class ReadResultBackend {
 public:
  virtual ~ReadResultBackend() = default;
  // Stores `snapshot` for operation `id` (a lower-case UUID), readable for `ttl`.
  // Errors: Unavailable when the backend cannot be reached.
  virtual Status Put(const std::string& id, const ReadOperationSnapshot& snapshot,
                     std::chrono::seconds ttl) = 0;
  // The operation, or nullopt when unknown or expired. Errors: Unavailable.
  virtual StatusOr<std::optional<ReadOperationSnapshot>> Get(const std::string& id) = 0;
};

struct ReadOperationStoreOptions {
  // How long a finished result stays readable. Default 10 minutes.
  std::chrono::seconds ttl{600};
  // Operations held at once (queued, running and finished, not yet expired). Default 1000.
  std::size_t max_operations = 1000;
  // Operations waiting for a worker. Default 32: more would only wait long past the client's
  // patience; the caller gets 429 and retries.
  std::size_t max_queued = 32;
  // Bytes held at once: queued image bytes plus finished result JSON. Default 256 MiB.
  std::size_t max_bytes = 256u << 20;
  // Worker threads running analyses. Default 1 (Read is CPU-heavy; synchronous requests keep the
  // other core). 0 = no threads: tests drive the queue with RunQueued().
  int workers = 1;
  // Shared state for several instances (see above). Default null: results in this process only.
  std::shared_ptr<ReadResultBackend> backend;
  // Makes operation ids (version-4 UUIDs, lower case). Default null: a fast internal generator;
  // `ocular serve` passes a CSPRNG one (with a shared backend the id is half of the secret).
  std::function<std::string()> new_id;
};

class ReadOperationStore {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  // The analysis: returns the analyzeResult JSON text, or an error (the operation then fails).
  using Task = std::function<StatusOr<std::string>()>;

  explicit ReadOperationStore(ReadOperationStoreOptions options = {}, Clock clock = nullptr);
  ~ReadOperationStore();
  ReadOperationStore(const ReadOperationStore&) = delete;
  ReadOperationStore& operator=(const ReadOperationStore&) = delete;

  // Queues `task` and returns the new operation id (a random version-4 UUID, lower case).
  // `input_bytes` (the image held by the task) count toward max_bytes until the task ends.
  // Errors: ResourceExhausted when a cap would be exceeded; Unavailable when shutting down.
  StatusOr<std::string> Create(Task task, std::size_t input_bytes);

  // The operation `id` (case-insensitive), or nullopt when unknown or expired.
  // Errors: Unavailable when the shared backend cannot be reached.
  StatusOr<std::optional<ReadOperationSnapshot>> Find(const std::string& id);
  // Find, with backend errors read as "not found".
  std::optional<ReadOperationSnapshot> Get(const std::string& id);

  // Waits until no task is queued or running, or until `deadline`; true when drained. New
  // operations are still accepted meanwhile (call at shutdown, after the listener closed).
  bool Drain(std::chrono::steady_clock::time_point deadline);

  // Runs queued tasks on the calling thread until the queue is empty; returns how many ran.
  // For workers == 0 (tests, CLI).
  int RunQueued();

  std::size_t size();   // operations held (after expiring)
  std::size_t bytes();  // bytes held (after expiring)
  const ReadOperationStoreOptions& options() const { return options_; }

 private:
  struct Operation {
    ReadOperationSnapshot snap;
    Task task;              // empty once started
    std::size_t bytes = 0;  // accounted bytes (input while pending, result when done)
  };

  void ExpireLocked(std::chrono::system_clock::time_point now);
  // Pops one queued task and runs it; false when none was queued. `lock` is held on entry/exit.
  bool RunOneLocked(std::unique_lock<std::mutex>& lock);
  void WorkerLoop();
  std::string NewIdLocked();

  const ReadOperationStoreOptions options_;
  const Clock clock_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Operation> ops_;
  std::deque<std::string> queue_;
  std::size_t bytes_ = 0;
  int running_ = 0;
  std::condition_variable idle_cv_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
  std::uint64_t rng_state_[2] = {0, 0};
};


// ISO-8601 UTC with seconds, e.g. "2026-11-26T10:15:00Z".
std::string IsoTime(std::chrono::system_clock::time_point t);

}  // namespace ocular::api
