// Unit tests of the converter's host tensors: layout permutations, constant folding, float16.
#include <cmath>

#include <gtest/gtest.h>

#include "tools/convert/tensor.h"

namespace ocular::convert {
namespace {

TEST(PermTest, ComposeFollowsNumpyTransposeChaining) {
  // transpose(transpose(a, p), q) == transpose(a, Compose(p, q))
  Tensor a{DType::kFloat, {2, 3, 4}, {}};
  for (int i = 0; i < 24; ++i) a.v.push_back(i);
  const Perm p = {2, 0, 1}, q = {1, 2, 0};
  const Tensor twice = Transpose(Transpose(a, p), q);
  const Tensor once = Transpose(a, Compose(p, q));
  EXPECT_EQ(twice.shape, once.shape);
  EXPECT_EQ(twice.v, once.v);
}

TEST(PermTest, InverseUndoesAndChannelsFirstMapsNchwToNhwc) {
  EXPECT_TRUE(IsIdentity(Compose(kChannelsFirst, Inverse(kChannelsFirst))));
  Tensor nchw{DType::kFloat, {1, 2, 1, 3}, {0, 1, 2, 10, 11, 12}};
  // logical NHWC == transpose(physical NCHW, kChannelsFirst)
  const Tensor nhwc = Transpose(nchw, kChannelsFirst);
  EXPECT_EQ(nhwc.shape, (Shape{1, 1, 3, 2}));
  EXPECT_EQ(nhwc.v, (std::vector<double>{0, 10, 1, 11, 2, 12}));
}

TEST(TensorTest, TransposeOfMatrix) {
  Tensor m{DType::kFloat, {2, 3}, {1, 2, 3, 4, 5, 6}};
  const Tensor t = Transpose(m, {1, 0});
  EXPECT_EQ(t.shape, (Shape{3, 2}));
  EXPECT_EQ(t.v, (std::vector<double>{1, 4, 2, 5, 3, 6}));
}

TEST(TensorTest, FoldBinaryBroadcastsLikeNumpy) {
  Tensor a{DType::kFloat, {2, 1}, {1, 2}};
  Tensor b{DType::kFloat, {3}, {10, 20, 30}};
  auto r = FoldBinary("add", a, b);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->shape, (Shape{2, 3}));
  EXPECT_EQ(r->v, (std::vector<double>{11, 21, 31, 12, 22, 32}));
  EXPECT_FALSE(FoldBinary("add", Tensor{DType::kFloat, {2}, {1, 2}},
                          Tensor{DType::kFloat, {3}, {1, 2, 3}}).ok());
}

TEST(TensorTest, FoldFloorDivAndFloorModFollowTfForNegatives) {
  Tensor a{DType::kInt32, {2}, {-7, 7}}, b = Tensor::Scalar(2, DType::kInt32);
  EXPECT_EQ(FoldBinary("floordiv", a, b)->v, (std::vector<double>{-4, 3}));
  EXPECT_EQ(FoldBinary("floormod", a, b)->v, (std::vector<double>{1, 1}));
  EXPECT_EQ(FoldBinary("div", a, b)->v, (std::vector<double>{-3, 3}));  // integer Div truncates
}

TEST(TensorTest, CastToIntTruncatesAndFloatRoundsToFloat32) {
  Tensor f{DType::kFloat, {2}, {-1.7, 2.9}};
  EXPECT_EQ(Cast(f, DType::kInt32).v, (std::vector<double>{-1, 2}));
  Tensor d{DType::kInt32, {1}, {16777217}};  // 2^24 + 1 is not a float32
  EXPECT_EQ(Cast(d, DType::kFloat).v[0], 16777216.0);
}

TEST(TensorTest, HalfToFloat) {
  EXPECT_EQ(HalfToFloat(0x3c00), 1.0f);
  EXPECT_EQ(HalfToFloat(0xc000), -2.0f);
  EXPECT_EQ(HalfToFloat(0x3555), 0.333251953125f);
  EXPECT_EQ(HalfToFloat(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
  EXPECT_TRUE(std::isinf(HalfToFloat(0x7c00)));
}

}  // namespace
}  // namespace ocular::convert
