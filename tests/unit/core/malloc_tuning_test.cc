#include "core/malloc_tuning.h"

#include <cstdlib>
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

}  // namespace
}  // namespace ocular
