#include "analyzers/detection/nms.h"

#include <gtest/gtest.h>

namespace ocular {
namespace {

TEST(NmsTest, IoUOfIdenticalAndDisjointBoxes) {
  ScoredBox a{0, 0, 10, 10, 1, 0};
  ScoredBox b{20, 20, 30, 30, 1, 0};
  EXPECT_DOUBLE_EQ(BoxIoU(a, a), 1.0);
  EXPECT_DOUBLE_EQ(BoxIoU(a, b), 0.0);
  ScoredBox half{5, 0, 15, 10, 1, 0};  // overlap 50, union 150
  EXPECT_NEAR(BoxIoU(a, half), 50.0 / 150.0, 1e-12);
}

TEST(NmsTest, SuppressesOverlapsOfSameClassOnly) {
  std::vector<ScoredBox> boxes = {
      {0, 0, 10, 10, 0.9, 1},   // kept
      {1, 1, 11, 11, 0.8, 1},   // IoU ~0.68 with 0: suppressed
      {1, 1, 11, 11, 0.7, 2},   // other class: kept
      {50, 50, 60, 60, 0.6, 1}  // disjoint: kept
  };
  NmsOptions opt;
  opt.iou_threshold = 0.5;
  std::vector<std::size_t> kept = NonMaxSuppression(boxes, opt);
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0], 0u);
  EXPECT_EQ(kept[1], 2u);
  EXPECT_EQ(kept[2], 3u);

  opt.class_wise = false;
  kept = NonMaxSuppression(boxes, opt);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[1], 3u);
}

TEST(NmsTest, OrdersByScoreAndAppliesMinScoreAndMaxKeep) {
  std::vector<ScoredBox> boxes = {
      {0, 0, 1, 1, 0.1, 0}, {10, 10, 11, 11, 0.9, 0}, {20, 20, 21, 21, 0.5, 0}};
  NmsOptions opt;
  opt.min_score = 0.2;
  std::vector<std::size_t> kept = NonMaxSuppression(boxes, opt);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0], 1u);
  EXPECT_EQ(kept[1], 2u);
  opt.min_score = 0;
  opt.max_keep = 1;
  kept = NonMaxSuppression(boxes, opt);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0], 1u);
}

TEST(NmsTest, EqualScoresKeepInputOrderAndThresholdIsStrict) {
  std::vector<ScoredBox> boxes = {{0, 0, 10, 10, 0.5, 0}, {5, 0, 15, 10, 0.5, 0}};
  NmsOptions opt;
  opt.iou_threshold = 50.0 / 150.0;  // IoU equal to the threshold is not suppressed
  std::vector<std::size_t> kept = NonMaxSuppression(boxes, opt);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0], 0u);
  opt.iou_threshold = 0.3;
  kept = NonMaxSuppression(boxes, opt);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0], 0u);
}

}  // namespace
}  // namespace ocular
