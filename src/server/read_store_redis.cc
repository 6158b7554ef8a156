#include "server/read_store_redis.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <charconv>

#include <nlohmann/json.hpp>

namespace ocular::server {
namespace {

struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyFree>;

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

long long EpochMs(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::chrono::system_clock::time_point FromEpochMs(long long ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

Status Down() { return Unavailable("The Read result store (Redis) cannot be reached."); }

// A stored timestamp in epoch milliseconds, refused unless it fits the clock: [0, the latest
// system_clock time point] (beyond it the conversion to the clock's nanoseconds overflows).
bool StoredEpochMs(const nlohmann::json& v, long long& out) {
  using std::chrono::milliseconds;
  constexpr long long kMax = std::chrono::duration_cast<milliseconds>(
                                 std::chrono::system_clock::time_point::max().time_since_epoch())
                                 .count();
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(kMax)) return false;
    out = static_cast<long long>(u);
    return true;
  }
  if (!v.is_number_integer()) return false;
  out = v.get<long long>();
  return out >= 0 && out <= kMax;
}

bool ParseInt(std::string_view s, long long lo, long long hi, long long& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && out >= lo && out <= hi;
}

}  // namespace

StatusOr<RedisAddress> ParseRedisUrl(const std::string& url) {
  const Status bad = InvalidArgument(
      "--read-store must be 'memory' or redis://HOST:PORT[/DB], "
      "got '" +
      url + "'");
  constexpr std::string_view kScheme = "redis://";
  if (!url.starts_with(kScheme)) return bad;
  std::string rest = url.substr(kScheme.size());
  RedisAddress a;
  if (std::size_t slash = rest.find('/'); slash != std::string::npos) {
    long long db = 0;
    if (!ParseInt(std::string_view(rest).substr(slash + 1), 0, 1 << 20, db)) return bad;
    a.db = static_cast<int>(db);
    rest.resize(slash);
  }
  if (rest.find('@') != std::string::npos) return bad;  // no credentials in URLs
  std::string port;
  if (!rest.empty() && rest.front() == '[') {
    std::size_t close = rest.find(']');
    if (close == std::string::npos) return bad;
    a.host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return bad;
      port = rest.substr(close + 2);
    }
  } else if (std::size_t colon = rest.rfind(':'); colon != std::string::npos) {
    a.host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  } else {
    a.host = rest;
  }
  if (a.host.empty()) return bad;
  if (!port.empty() || rest.back() == ':') {
    long long p = 0;
    if (!ParseInt(port, 1, 65535, p)) return bad;
    a.port = static_cast<std::uint16_t>(p);
  }
  return a;
}

std::string EncodeSnapshot(const api::ReadOperationSnapshot& s) {
  nlohmann::json j = {{"s", api::ReadStatusName(s.status)},
                      {"c", EpochMs(s.created)},
                      {"u", EpochMs(s.last_updated)}};
  if (s.status == api::ReadStatus::kSucceeded) j["r"] = s.analyze_result;
  return j.dump();
}

StatusOr<api::ReadOperationSnapshot> DecodeSnapshot(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("s") || !j["s"].is_string() || !j.contains("c") ||
      !j["c"].is_number_integer() || !j.contains("u") || !j["u"].is_number_integer()) {
    return Internal("the shared Read result is malformed");
  }
  api::ReadOperationSnapshot s;
  const std::string status = j["s"].get<std::string>();
  bool known = false;
  for (api::ReadStatus st : {api::ReadStatus::kNotStarted, api::ReadStatus::kRunning,
                             api::ReadStatus::kSucceeded, api::ReadStatus::kFailed}) {
    if (status == api::ReadStatusName(st)) {
      s.status = st;
      known = true;
    }
  }
  if (!known) return Internal("the shared Read result is malformed");
  long long created = 0, updated = 0;
  if (!StoredEpochMs(j["c"], created) || !StoredEpochMs(j["u"], updated)) {
    return Internal("the shared Read result is malformed");
  }
  s.created = FromEpochMs(created);
  s.last_updated = FromEpochMs(updated);
  if (s.status == api::ReadStatus::kSucceeded) {
    if (!j.contains("r") || !j["r"].is_string())
      return Internal("the shared Read result is malformed");
    s.analyze_result = j["r"].get<std::string>();
  }
  return s;
}

RedisReadBackend::RedisReadBackend(RedisAddress address, std::string cluster_secret,
                                   std::chrono::milliseconds timeout)
    : address_(std::move(address)), cipher_(std::move(cluster_secret)), timeout_(timeout) {}

RedisReadBackend::~RedisReadBackend() {
  std::lock_guard<std::mutex> lock(mu_);
  DropLocked();
}

void RedisReadBackend::DropLocked() {
  if (ctx_ != nullptr) redisFree(ctx_);
  ctx_ = nullptr;
}

Status RedisReadBackend::ConnectLocked() {
  if (ctx_ != nullptr) return Status::Ok();
  redisContext* c =
      redisConnectWithTimeout(address_.host.c_str(), address_.port, ToTimeval(timeout_));
  if (c == nullptr) return Down();
  if (c->err != 0 || redisSetTimeout(c, ToTimeval(timeout_)) != REDIS_OK) {
    redisFree(c);
    return Down();
  }
  redisEnableKeepAlive(c);
  ctx_ = c;
  if (address_.db != 0) {
    Reply r(static_cast<redisReply*>(redisCommand(ctx_, "SELECT %d", address_.db)));
    if (!r || r->type == REDIS_REPLY_ERROR) {
      DropLocked();
      return Down();
    }
  }
  return Status::Ok();
}

Status RedisReadBackend::Ping() {
  std::lock_guard<std::mutex> lock(mu_);
  OCULAR_RETURN_IF_ERROR(ConnectLocked());
  Reply r(static_cast<redisReply*>(redisCommand(ctx_, "PING")));
  if (!r || r->type == REDIS_REPLY_ERROR) {
    DropLocked();
    return Down();
  }
  return Status::Ok();
}

Status RedisReadBackend::Put(const std::string& id, const api::ReadOperationSnapshot& snapshot,
                             std::chrono::seconds ttl) {
  OCULAR_ASSIGN_OR_RETURN(std::string name, cipher_.KeyName(id));
  OCULAR_ASSIGN_OR_RETURN(std::string value, cipher_.Seal(id, EncodeSnapshot(snapshot)));
  const long long seconds = std::max<long long>(1, ttl.count());
  std::lock_guard<std::mutex> lock(mu_);
  OCULAR_RETURN_IF_ERROR(ConnectLocked());
  Reply r(static_cast<redisReply*>(redisCommand(ctx_, "SET %b %b EX %lld", name.data(), name.size(),
                                                value.data(), value.size(), seconds)));
  if (!r || r->type != REDIS_REPLY_STATUS) {
    DropLocked();
    return Down();
  }
  return Status::Ok();
}

StatusOr<std::optional<api::ReadOperationSnapshot>> RedisReadBackend::Get(const std::string& id) {
  OCULAR_ASSIGN_OR_RETURN(std::string name, cipher_.KeyName(id));
  std::string value;
  {
    std::lock_guard<std::mutex> lock(mu_);
    OCULAR_RETURN_IF_ERROR(ConnectLocked());
    Reply r(static_cast<redisReply*>(redisCommand(ctx_, "GET %b", name.data(), name.size())));
    if (!r || (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_NIL)) {
      DropLocked();
      return Down();
    }
    if (r->type == REDIS_REPLY_NIL) return std::optional<api::ReadOperationSnapshot>();
    value.assign(r->str, r->len);
  }
  // A value that does not open (another secret, tampering) is treated as absent.
  StatusOr<std::string> plain = cipher_.Open(id, value);
  if (!plain.ok()) return std::optional<api::ReadOperationSnapshot>();
  OCULAR_ASSIGN_OR_RETURN(api::ReadOperationSnapshot snap, DecodeSnapshot(*plain));
  return std::optional<api::ReadOperationSnapshot>(std::move(snap));
}

}  // namespace ocular::server
