#include "core/malloc_tuning.h"

#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace ocular {
namespace {

TEST(MallocTuningTest, NegativeArenaCountIsRefused) {
  Status s = ConfigureMallocArenas(-1);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("-1"), std::string::npos);
}

TEST(MallocTuningTest, ZeroKeepsTheDefaultAndPositiveCountsAreAccepted) {
  EXPECT_TRUE(ConfigureMallocArenas(0).ok());
#if defined(__SANITIZE_ADDRESS__)
  // ASan replaces glibc's malloc and refuses mallopt: the cap is reported as not applied.
  Status s = ConfigureMallocArenas(2);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("not capped"), std::string::npos);
#else
  EXPECT_TRUE(ConfigureMallocArenas(2).ok());
#endif
}

TEST(MallocTuningTest, TrimAfterFreeingLeavesTheHeapUsable) {
  std::vector<void*> blocks;
  for (int i = 0; i < 64; ++i) blocks.push_back(std::malloc(64 * 1024));
  for (void* p : blocks) std::free(p);
  TrimMalloc();
  void* again = std::malloc(1 << 20);
  ASSERT_NE(again, nullptr);
  static_cast<char*>(again)[0] = 1;
  std::free(again);
}

// The paths that do not re-execute the test binary: an operator's GLIBC_TUNABLES wins, and
// `enable == false` leaves the process as it is. (The re-exec itself is checked end to end by
// tests/integration/server.test.mjs "malloc huge pages".)
TEST(MallocTuningTest, HugePagesFollowTheOperatorsTunableAndTheSwitch) {
  const char* saved = std::getenv("GLIBC_TUNABLES");
  const std::string restore = saved ? saved : "";
  setenv("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=1:glibc.malloc.hugetlb=0", 1);
  MallocHugePages off = ApplyMallocHugePages(/*enable=*/true);
  EXPECT_FALSE(off.active);
  EXPECT_NE(off.detail.find("hugetlb=0"), std::string::npos) << off.detail;
  setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1);
  MallocHugePages on = ApplyMallocHugePages(/*enable=*/false);
  EXPECT_NE(on.detail.find("hugetlb=1"), std::string::npos) << on.detail;
#if defined(__GLIBC__)
  if (on.detail.find("mode never") == std::string::npos &&
      on.detail.find("mode unknown") == std::string::npos) {
    EXPECT_TRUE(on.active) << on.detail;
  }
#endif
  unsetenv("GLIBC_TUNABLES");
  MallocHugePages disabled = ApplyMallocHugePages(/*enable=*/false);
  EXPECT_FALSE(disabled.active);
  if (saved) setenv("GLIBC_TUNABLES", restore.c_str(), 1);
}

}  // namespace
}  // namespace ocular
