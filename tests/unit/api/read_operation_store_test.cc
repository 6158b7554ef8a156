// ReadOperationStore: ids, states, TTL expiry (injected clock), caps, and background workers.
#include "api/read_operation_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace ocular::api {
namespace {

using namespace std::chrono_literals;
using Time = std::chrono::system_clock::time_point;

struct FakeClock {
  Time now = Time(std::chrono::hours(24 * 365 * 56));  // ~2026
  ReadOperationStore::Clock fn() {
    return [this] { return now; };
  }
};

ReadOperationStoreOptions Manual() {
  ReadOperationStoreOptions o;
  o.workers = 0;
  return o;
}

ReadOperationStore::Task Returns(std::string s) {
  return [s]() -> StatusOr<std::string> { return s; };
}

TEST(ReadOperationStoreTest, IdsAreUniqueUuids) {
  FakeClock clock;
  ReadOperationStore store(Manual(), clock.fn());
  auto a = store.Create(Returns("{}"), 10);
  auto b = store.Create(Returns("{}"), 10);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(IsUuid(*a));
  EXPECT_NE(*a, *b);
  EXPECT_EQ((*a)[14], '4');  // version 4
  EXPECT_FALSE(IsUuid("not-a-uuid"));
  EXPECT_FALSE(IsUuid("123e4567-e89b-12d3-a456-42661417400"));
  EXPECT_TRUE(IsUuid("123E4567-E89B-12D3-A456-426614174000"));
}

TEST(ReadOperationStoreTest, StatesGoNotStartedRunningSucceeded) {
  FakeClock clock;
  ReadOperationStore store(Manual(), clock.fn());
  std::string id;
  std::optional<ReadStatus> seen_while_running;
  auto created = store.Create(
      [&]() -> StatusOr<std::string> {
        seen_while_running = store.Get(id)->status;
        clock.now += 3s;
        return std::string(R"({"readResults":[]})");
      },
      100);
  ASSERT_TRUE(created.ok());
  id = *created;
  auto before = store.Get(id);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status, ReadStatus::kNotStarted);
  EXPECT_EQ(store.RunQueued(), 1);
  EXPECT_EQ(seen_while_running, ReadStatus::kRunning);
  auto after = store.Get(id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, ReadStatus::kSucceeded);
  EXPECT_EQ(after->analyze_result, R"({"readResults":[]})");
  EXPECT_EQ(after->last_updated - after->created, 3s);
  // Ids are matched case-insensitively.
  std::string upper = id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(store.Get(upper));
  EXPECT_STREQ(ReadStatusName(ReadStatus::kNotStarted), "notStarted");
  EXPECT_STREQ(ReadStatusName(ReadStatus::kSucceeded), "succeeded");
}

TEST(ReadOperationStoreTest, FailedTaskFails) {
  FakeClock clock;
  ReadOperationStore store(Manual(), clock.fn());
  auto id = store.Create([]() -> StatusOr<std::string> { return Internal("boom"); }, 1);
  ASSERT_TRUE(id.ok());
  store.RunQueued();
  auto op = store.Get(*id);
  ASSERT_TRUE(op);
  EXPECT_EQ(op->status, ReadStatus::kFailed);
  EXPECT_TRUE(op->analyze_result.empty());
}

TEST(ReadOperationStoreTest, FinishedResultsExpireAfterTtl) {
  FakeClock clock;
  ReadOperationStoreOptions o = Manual();
  o.ttl = 600s;
  ReadOperationStore store(o, clock.fn());
  auto id = store.Create(Returns("{}"), 1);
  ASSERT_TRUE(id.ok());
  clock.now += 1h;  // queued operations do not expire
  EXPECT_TRUE(store.Get(*id));
  store.RunQueued();
  clock.now += 599s;
  EXPECT_TRUE(store.Get(*id));
  clock.now += 1s;
  EXPECT_FALSE(store.Get(*id));
  EXPECT_EQ(store.size(), 0u);
  EXPECT_EQ(store.bytes(), 0u);
}

TEST(ReadOperationStoreTest, CountCapIsResourceExhausted) {
  FakeClock clock;
  ReadOperationStoreOptions o = Manual();
  o.max_operations = 2;
  ReadOperationStore store(o, clock.fn());
  ASSERT_TRUE(store.Create(Returns("{}"), 1).ok());
  ASSERT_TRUE(store.Create(Returns("{}"), 1).ok());
  auto third = store.Create(Returns("{}"), 1);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.status().code(), StatusCode::kResourceExhausted);
  // Finished results still count until they expire.
  store.RunQueued();
  EXPECT_FALSE(store.Create(Returns("{}"), 1).ok());
  clock.now += o.ttl;
  EXPECT_TRUE(store.Create(Returns("{}"), 1).ok());
}

TEST(ReadOperationStoreTest, QueueCapIsResourceExhausted) {
  FakeClock clock;
  ReadOperationStoreOptions o = Manual();
  o.max_queued = 1;
  ReadOperationStore store(o, clock.fn());
  ASSERT_TRUE(store.Create(Returns("{}"), 1).ok());
  EXPECT_EQ(store.Create(Returns("{}"), 1).status().code(), StatusCode::kResourceExhausted);
  store.RunQueued();
  EXPECT_TRUE(store.Create(Returns("{}"), 1).ok());
}

TEST(ReadOperationStoreTest, ByteCapCountsInputsThenResults) {
  FakeClock clock;
  ReadOperationStoreOptions o = Manual();
  o.max_bytes = 10000;
  ReadOperationStore store(o, clock.fn());
  EXPECT_EQ(store.Create(Returns("{}"), 20000).status().code(), StatusCode::kResourceExhausted);
  auto id = store.Create(Returns(std::string(100, 'x')), 9000);
  ASSERT_TRUE(id.ok());
  EXPECT_GE(store.bytes(), 9000u);
  EXPECT_FALSE(store.Create(Returns("{}"), 2000).ok());
  store.RunQueued();  // the 9000-byte input is released; the 100-byte result is kept
  EXPECT_LT(store.bytes(), 1000u);
  EXPECT_TRUE(store.Create(Returns("{}"), 2000).ok());
}

TEST(ReadOperationStoreTest, BackgroundWorkerRunsTasks) {
  ReadOperationStoreOptions o;
  o.workers = 1;
  ReadOperationStore store(o);
  std::atomic<int> ran{0};
  auto id = store.Create(
      [&]() -> StatusOr<std::string> {
        ++ran;
        return std::string("{}");
      },
      1);
  ASSERT_TRUE(id.ok());
  for (int i = 0; i < 500 && store.Get(*id)->status != ReadStatus::kSucceeded; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(store.Get(*id)->status, ReadStatus::kSucceeded);
  EXPECT_EQ(ran.load(), 1);
}

TEST(ReadOperationStoreTest, IsoTime) {
  EXPECT_EQ(IsoTime(Time(std::chrono::seconds(1764152100))), "2025-11-26T10:15:00Z");
}

}  // namespace
}  // namespace ocular::api
