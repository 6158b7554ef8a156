// The shared v3.2 Read result store on Redis (--read-store redis://HOST:PORT[/DB]), through
// Debian's hiredis (0.14 API). Every value is sealed by ReadResultCipher (cluster_secret.h)
// before it leaves the process and its key is derived from the operation id and the cluster
// secret: Redis holds neither results, nor operation ids, nor anything readable.
//
// One connection, serialised by a mutex (commands are sub-millisecond next to a Read analysis).
// Connect and command timeouts bound every call; after any error the connection is dropped and
// the next call reconnects, so the store recovers by itself when Redis returns. Expiry is
// Redis's own (SET ... EX ttl): nothing is held after the TTL even if every instance dies.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "api/read_operation_store.h"
#include "core/status.h"
#include "server/cluster_secret.h"

struct redisContext;

namespace ocular::server {

struct RedisAddress {
  std::string host;
  std::uint16_t port = 6379;
  int db = 0;
};

// Parses "redis://HOST:PORT[/DB]" (HOST may be [v6]; PORT defaults to 6379; DB to 0).
// Errors: InvalidArgument naming the expected form.
StatusOr<RedisAddress> ParseRedisUrl(const std::string& url);

class RedisReadBackend final : public api::ReadResultBackend {
 public:
  // Does not connect: the first call does (so an instance starts even while Redis is down).
  RedisReadBackend(RedisAddress address, std::string cluster_secret,
                   std::chrono::milliseconds timeout);
  ~RedisReadBackend() override;

  Status Put(const std::string& id, const api::ReadOperationSnapshot& snapshot,
             std::chrono::seconds ttl) override;
  StatusOr<std::optional<api::ReadOperationSnapshot>> Get(const std::string& id) override;

  // PING; Unavailable when Redis cannot be reached (startup check, tests).
  Status Ping();

 private:
  Status ConnectLocked();
  void DropLocked();

  const RedisAddress address_;
  const ReadResultCipher cipher_;
  const std::chrono::milliseconds timeout_;
  std::mutex mu_;
  redisContext* ctx_ = nullptr;
};

// The snapshot as the plaintext that gets sealed (JSON), and back. Parse errors: Internal.
std::string EncodeSnapshot(const api::ReadOperationSnapshot& snapshot);
StatusOr<api::ReadOperationSnapshot> DecodeSnapshot(const std::string& text);

}  // namespace ocular::server
