// The shared Read store against a real redis-server (started here on a free loopback port):
// round trip across two "instances", nothing readable in Redis, TTL through Redis expiry, 503
// while Redis is down and recovery when it returns. Also the URL parser and snapshot codec.
#include "server/read_store_redis.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

extern char** environ;

namespace ocular::server {
namespace {

using api::ReadOperationSnapshot;
using api::ReadOperationStore;
using api::ReadStatus;

const std::string kSecret = "a-cluster-secret-of-at-least-32-bytes!";

std::uint16_t FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

std::string RedisServerPath() {
  for (const char* p : {"/usr/bin/redis-server", "/usr/sbin/redis-server"}) {
    if (std::filesystem::exists(p)) return p;
  }
  return {};
}

// A redis-server child process on 127.0.0.1:port, with persistence off.
class RedisProcess {
 public:
  explicit RedisProcess(std::uint16_t port) : port_(port) {}
  ~RedisProcess() { Stop(); }
  bool Start() {
    const std::string bin = RedisServerPath(), port = std::to_string(port_);
    std::vector<std::string> args = {
        bin,  "--port",      port, "--bind",     "127.0.0.1", "--save", "", "--appendonly",
        "no", "--daemonize", "no", "--loglevel", "warning"};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, bin.c_str(), nullptr, nullptr, argv.data(), environ) != 0) return false;
    for (int i = 0; i < 250; ++i) {  // up to 5 s
      redisContext* c = redisConnect("127.0.0.1", port_);
      const bool up = c != nullptr && c->err == 0;
      if (c) redisFree(c);
      if (up) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }

 private:
  std::uint16_t port_;
  pid_t pid_ = 0;
};

// Every key and value in Redis, concatenated (what an attacker with Redis access would see).
std::string DumpRedis(std::uint16_t port, std::vector<std::string>* keys) {
  redisContext* c = redisConnect("127.0.0.1", port);
  std::string all;
  auto* r = static_cast<redisReply*>(redisCommand(c, "KEYS *"));
  for (std::size_t i = 0; r && i < r->elements; ++i) {
    std::string key(r->element[i]->str, r->element[i]->len);
    keys->push_back(key);
    auto* v = static_cast<redisReply*>(redisCommand(c, "GET %b", key.data(), key.size()));
    all += key + "=" + std::string(v->str, v->len) + "\n";
    freeReplyObject(v);
  }
  if (r) freeReplyObject(r);
  redisFree(c);
  return all;
}

long long RedisTtl(std::uint16_t port, const std::string& key) {
  redisContext* c = redisConnect("127.0.0.1", port);
  auto* r = static_cast<redisReply*>(redisCommand(c, "TTL %b", key.data(), key.size()));
  long long ttl = r ? r->integer : -99;
  if (r) freeReplyObject(r);
  redisFree(c);
  return ttl;
}

class RedisStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (RedisServerPath().empty()) GTEST_SKIP() << "redis-server is not installed";
    port_ = FreePort();
    redis_ = std::make_unique<RedisProcess>(port_);
    ASSERT_TRUE(redis_->Start()) << "redis-server did not start on port " << port_;
  }
  std::shared_ptr<RedisReadBackend> Backend(const std::string& secret = kSecret) {
    return std::make_shared<RedisReadBackend>(RedisAddress{"127.0.0.1", port_, 0}, secret,
                                              std::chrono::milliseconds(500));
  }
  api::ReadOperationStoreOptions Options(std::shared_ptr<RedisReadBackend> backend) {
    api::ReadOperationStoreOptions o;
    o.workers = 0;
    o.ttl = std::chrono::seconds(120);
    o.backend = std::move(backend);
    return o;
  }
  std::uint16_t port_ = 0;
  std::unique_ptr<RedisProcess> redis_;
};

TEST_F(RedisStoreTest, AnotherInstanceReadsTheResultAndRedisHoldsNothingReadable) {
  ReadOperationStore a(Options(Backend())), b(Options(Backend()));
  const std::string text = R"({"readResults":[{"lines":[{"text":"CONFIDENTIAL INVOICE"}]}]})";
  StatusOr<std::string> id = a.Create([text]() -> StatusOr<std::string> { return text; }, 1000);
  ASSERT_TRUE(id.ok());
  StatusOr<std::optional<ReadOperationSnapshot>> pending = b.Find(*id);
  ASSERT_TRUE(pending.ok());
  ASSERT_TRUE(pending->has_value());
  EXPECT_EQ((*pending)->status, ReadStatus::kNotStarted);
  EXPECT_EQ(a.RunQueued(), 1);
  StatusOr<std::optional<ReadOperationSnapshot>> done = b.Find(*id);
  ASSERT_TRUE(done.ok() && done->has_value());
  EXPECT_EQ((*done)->status, ReadStatus::kSucceeded);
  EXPECT_EQ((*done)->analyze_result, text);
  // The id is case-insensitive on every instance.
  std::string upper = *id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_TRUE(b.Find(upper).ok() && b.Find(upper)->has_value());
  // The accepting instance keeps only accounting, not the result.
  EXPECT_TRUE(a.Find(*id).ok());

  std::vector<std::string> keys;
  const std::string dump = DumpRedis(port_, &keys);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(dump.find("CONFIDENTIAL"), std::string::npos);
  EXPECT_EQ(dump.find("readResults"), std::string::npos);
  EXPECT_EQ(dump.find("succeeded"), std::string::npos);
  EXPECT_EQ(dump.find(*id), std::string::npos);
  EXPECT_EQ(dump.find(id->substr(0, 8)), std::string::npos);
  // Expiry is Redis's: the key carries the store's TTL.
  const long long ttl = RedisTtl(port_, keys[0]);
  EXPECT_GT(ttl, 100);
  EXPECT_LE(ttl, 120);
  // Another cluster secret reads nothing.
  ReadOperationStore stranger(Options(Backend("another-cluster-secret-of-32-bytes!!")));
  StatusOr<std::optional<ReadOperationSnapshot>> none = stranger.Find(*id);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_FALSE(b.Get("00000000-0000-4000-8000-000000000000").has_value());
}

TEST_F(RedisStoreTest, FailedTasksAreSharedToo) {
  ReadOperationStore a(Options(Backend())), b(Options(Backend()));
  StatusOr<std::string> id =
      a.Create([]() -> StatusOr<std::string> { return InvalidArgument("bad"); }, 10);
  ASSERT_TRUE(id.ok());
  a.RunQueued();
  std::optional<ReadOperationSnapshot> s = b.Get(*id);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->status, ReadStatus::kFailed);
}

TEST_F(RedisStoreTest, RedisDownGivesUnavailableAndTheStoreRecovers) {
  auto backend = Backend();
  ReadOperationStore store(Options(backend));
  ASSERT_TRUE(backend->Ping().ok());
  StatusOr<std::string> before =
      store.Create([]() -> StatusOr<std::string> { return std::string("{}"); }, 10);
  ASSERT_TRUE(before.ok());
  store.RunQueued();

  redis_->Stop();
  StatusOr<std::string> down =
      store.Create([]() -> StatusOr<std::string> { return std::string("{}"); }, 10);
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(down.status().message().find("unavailable"), std::string::npos);
  StatusOr<std::optional<ReadOperationSnapshot>> lookup = store.Find(*before);
  ASSERT_FALSE(lookup.ok());
  EXPECT_EQ(lookup.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store.size(), 1u);  // the refused operation released its reservation
  EXPECT_EQ(store.RunQueued(), 0);

  // Redis returns (empty: persistence is off): the same store reconnects by itself.
  redis_ = std::make_unique<RedisProcess>(port_);
  ASSERT_TRUE(redis_->Start());
  StatusOr<std::string> after =
      store.Create([]() -> StatusOr<std::string> { return std::string("{}"); }, 10);
  ASSERT_TRUE(after.ok()) << after.status().message();
  store.RunQueued();
  std::optional<ReadOperationSnapshot> s = store.Get(*after);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->status, ReadStatus::kSucceeded);
}

TEST(RedisUrl, ParsesHostPortAndDatabase) {
  StatusOr<RedisAddress> a = ParseRedisUrl("redis://127.0.0.1:6380/2");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 6380);
  EXPECT_EQ(a->db, 2);
  StatusOr<RedisAddress> b = ParseRedisUrl("redis://redis.ocular.svc");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->port, 6379);
  EXPECT_EQ(b->db, 0);
  StatusOr<RedisAddress> c = ParseRedisUrl("redis://[::1]:7000");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->port, 7000);
  for (const char* bad : {"memory2", "http://h:1", "redis://", "redis://h:0", "redis://h:70000",
                          "redis://h:1/x", "redis://user:pw@h:1", "redis://[::1", "redis://h:"}) {
    EXPECT_FALSE(ParseRedisUrl(bad).ok()) << bad;
  }
}

TEST(SnapshotCodec, RoundTripsAndRejectsGarbage) {
  ReadOperationSnapshot s;
  s.status = ReadStatus::kSucceeded;
  s.created = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000123));
  s.last_updated = s.created + std::chrono::seconds(2);
  s.analyze_result = R"({"x":"\"quoted\""})";
  StatusOr<ReadOperationSnapshot> back = DecodeSnapshot(EncodeSnapshot(s));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->status, s.status);
  EXPECT_EQ(back->created, s.created);
  EXPECT_EQ(back->last_updated, s.last_updated);
  EXPECT_EQ(back->analyze_result, s.analyze_result);
  EXPECT_FALSE(DecodeSnapshot("{}").ok());
  EXPECT_FALSE(DecodeSnapshot("not json").ok());
  EXPECT_FALSE(DecodeSnapshot(R"({"s":"bogus","c":1,"u":1})").ok());
  EXPECT_FALSE(DecodeSnapshot(R"({"s":"succeeded","c":1,"u":1})").ok());
  // Timestamps the clock cannot hold (found by fuzz/read_store.cc: the conversion to
  // nanoseconds overflowed) or before the epoch are malformed, not undefined behaviour.
  EXPECT_FALSE(DecodeSnapshot(R"({"s":"running","c":17649791999998,"u":1})").ok());
  EXPECT_FALSE(DecodeSnapshot(R"({"s":"running","c":1,"u":18446744073709551615})").ok());
  EXPECT_FALSE(DecodeSnapshot(R"({"s":"running","c":-1,"u":1})").ok());
  EXPECT_TRUE(DecodeSnapshot(R"({"s":"running","c":9223372036854,"u":0})").ok());
}

}  // namespace
}  // namespace ocular::server
