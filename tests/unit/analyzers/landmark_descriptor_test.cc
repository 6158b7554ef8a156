// Pooling, similarity and background file parsing of the landmark global descriptor
// (landmark_descriptor.h). The model itself is exercised by gallery_landmarks_test.
#include "analyzers/galleries/landmark_descriptor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "gallery_test_util.h"

namespace ocular::gallery {
namespace {

double Norm(const std::vector<float>& v) {
  double n = 0;
  for (float x : v) n += double(x) * x;
  return std::sqrt(n);
}

// A 2 x 2 map with 2 channels: channel 0 = {1, 1, 1, 1}, channel 1 = {0, 0, 0, 4}.
std::vector<float> SmallMap() { return {1, 0, 1, 0, 1, 0, 1, 4}; }

TEST(LandmarkDescriptorTest, AveragePoolingIsTheNormalisedMean) {
  std::vector<float> v = PoolFeatures(SmallMap().data(), 2, 2, 2, Pooling::kAverage, 3);
  // Mean (1, 1) -> normalised (0.707, 0.707).
  EXPECT_NEAR(v[0], std::sqrt(0.5), 1e-6);
  EXPECT_NEAR(v[1], std::sqrt(0.5), 1e-6);
}

TEST(LandmarkDescriptorTest, GemLiesBetweenAverageAndMax) {
  // GeM p=3 of channel 1: (64/4)^(1/3) = 2.52; of channel 0: 1. Ratio 2.52.
  std::vector<float> v = PoolFeatures(SmallMap().data(), 2, 2, 2, Pooling::kGem, 3);
  EXPECT_NEAR(v[1] / v[0], std::cbrt(16.0), 1e-4);
  std::vector<float> m = PoolFeatures(SmallMap().data(), 2, 2, 2, Pooling::kMax, 3);
  EXPECT_NEAR(m[1] / m[0], 4.0, 1e-5);
  EXPECT_NEAR(Norm(v), 1.0, 1e-6);
  EXPECT_NEAR(Norm(m), 1.0, 1e-6);
}

TEST(LandmarkDescriptorTest, RmacIsNormalisedAndSeesLocalPeaks) {
  // 4 x 4 map, 2 channels; channel 1 fires only in one corner cell. R-MAC sums per-region maxima,
  // so the corner peak counts in every region containing it, not in the others.
  std::vector<float> map(4 * 4 * 2, 0.f);
  for (int i = 0; i < 16; ++i) map[i * 2] = 1.f;
  map[(3 * 4 + 3) * 2 + 1] = 1.f;
  std::vector<float> r = PoolFeatures(map.data(), 4, 4, 2, Pooling::kRmac, 3);
  EXPECT_NEAR(Norm(r), 1.0, 1e-6);
  EXPECT_GT(r[0], r[1]);  // channel 0 is the max of every region, channel 1 of a few
  EXPECT_GT(r[1], 0.f);
  // Moving the peak does not change a global max descriptor but it does change R-MAC only by
  // which regions see it: a centred peak is inside more regions than a corner one.
  std::vector<float> centre = map;
  centre[(3 * 4 + 3) * 2 + 1] = 0.f;
  centre[(1 * 4 + 1) * 2 + 1] = 1.f;
  std::vector<float> rc = PoolFeatures(centre.data(), 4, 4, 2, Pooling::kRmac, 3);
  EXPECT_GT(rc[1], r[1]);
}

TEST(LandmarkDescriptorTest, SimilarityIsTheDotProductAndZeroOnMismatch) {
  EXPECT_FLOAT_EQ(DescriptorSimilarity({0.6f, 0.8f}, {0.6f, 0.8f}), 1.f);
  EXPECT_FLOAT_EQ(DescriptorSimilarity({1.f, 0.f}, {0.f, 1.f}), 0.f);
  EXPECT_FLOAT_EQ(DescriptorSimilarity({1.f, 0.f}, {1.f, 0.f, 0.f}), 0.f);
  EXPECT_FLOAT_EQ(DescriptorSimilarity({}, {}), 0.f);
}

TEST(LandmarkDescriptorTest, ReadsBackgroundAndRejectsMalformedFiles) {
  testing::TempDir dir;
  const auto good = dir.path() / "good.txt";
  std::ofstream(good) << "# comment line\n0.5 0.5 0.70710678\n1 0 0\n";
  StatusOr<std::vector<std::vector<float>>> b = ReadBackground(good);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_EQ(b->size(), 2u);
  EXPECT_EQ((*b)[1], (std::vector<float>{1, 0, 0}));
  const auto ragged = dir.path() / "ragged.txt";
  std::ofstream(ragged) << "1 2 3\n1 2\n";
  EXPECT_EQ(ReadBackground(ragged).status().code(), StatusCode::kFailedPrecondition);
  const auto text = dir.path() / "text.txt";
  std::ofstream(text) << "1 two 3\n";
  EXPECT_EQ(ReadBackground(text).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReadBackground(dir.path() / "missing.txt").status().code(),
            StatusCode::kFailedPrecondition);
}

TEST(LandmarkDescriptorTest, GammaGainDarkensAndBrightens) {
  cv::Mat grey(1, 3, CV_8UC3, cv::Scalar(64, 128, 255));
  cv::Mat dark = GammaGain(grey, 2.0, 0.6), bright = GammaGain(grey, 0.5, 1.0);
  // 255 * 0.6 * (128/255)^2 = 38.6; 255 * (128/255)^0.5 = 180.7; 255 stays 255 when brightened.
  EXPECT_EQ(dark.at<cv::Vec3b>(0, 0)[1], 39);
  EXPECT_EQ(bright.at<cv::Vec3b>(0, 0)[1], 181);
  EXPECT_EQ(bright.at<cv::Vec3b>(0, 0)[2], 255);
  EXPECT_LT(dark.at<cv::Vec3b>(0, 0)[0], 64);
  EXPECT_GT(bright.at<cv::Vec3b>(0, 0)[0], 64);
}

TEST(LandmarkDescriptorTest, PoolingNames) {
  EXPECT_EQ(PoolingName(Pooling::kGem, 3), "gem3");
  EXPECT_EQ(PoolingName(Pooling::kRmac, 3), "rmac");
  EXPECT_EQ(PoolingName(Pooling::kAverage, 3), "avg");
  EXPECT_EQ(PoolingName(Pooling::kMax, 3), "max");
  EXPECT_EQ(PoolingName(Pooling::kRegions, 3), "regions");
}

TEST(LandmarkDescriptorTest, RegionsAreTheRmacRegionsKeptApart) {
  // The shipped 20 x 20 map: whole + 1 + 4 + 9 regions.
  EXPECT_EQ(RegionCount(20, 20), 15);
  EXPECT_EQ(RegionCount(1, 1), 4);  // degenerate map: every scale is the single cell
  EXPECT_EQ(RegionCount(0, 5), 0);
  std::vector<float> map(4 * 4 * 2, 0.f);
  for (int i = 0; i < 16; ++i) map[i * 2] = 1.f;
  map[(3 * 4 + 3) * 2 + 1] = 1.f;
  const int n = RegionCount(4, 4);
  std::vector<float> regions = PoolRegions(map.data(), 4, 4, 2);
  ASSERT_EQ(regions.size(), size_t(n) * 2);
  for (int r = 0; r < n; ++r) {
    EXPECT_NEAR(std::hypot(regions[2 * r], regions[2 * r + 1]), 1.0, 1e-6) << "region " << r;
  }
  // Their normalised sum is the R-MAC vector, and kRegions pools to the regions themselves.
  std::vector<float> rmac = PoolFeatures(map.data(), 4, 4, 2, Pooling::kRmac, 3);
  std::vector<float> sum = SumOfRegions(regions, n);
  ASSERT_EQ(sum.size(), 2u);
  EXPECT_NEAR(sum[0], rmac[0], 1e-6);
  EXPECT_NEAR(sum[1], rmac[1], 1e-6);
  EXPECT_EQ(PoolFeatures(map.data(), 4, 4, 2, Pooling::kRegions, 3), regions);
  EXPECT_TRUE(SumOfRegions(regions, 7).empty());  // 2n floats are not 7 parts
}

TEST(LandmarkDescriptorTest, RegionalSimilarityMatchesPartsToTheirBestPartner) {
  // Two parts of 2 dims each. a = {x, y}, b = {y, x}: the same parts in another order.
  const std::vector<float> a = {1, 0, 0, 1}, b = {0, 1, 1, 0};
  EXPECT_NEAR(RegionalSimilarity(a, b, 2), 1.0, 1e-6);
  EXPECT_NEAR(DescriptorSimilarity(a, b), 0.0, 1e-6);  // the plain cosine sees no match
  // c = {x, x}: from c, both parts find x (1); from a, x finds 1 and y finds 0: (1 + 0.5) / 2.
  const std::vector<float> c = {1, 0, 1, 0};
  EXPECT_NEAR(RegionalSimilarity(a, c, 2), 0.75, 1e-6);
  EXPECT_NEAR(RegionalSimilarity(c, a, 2), 0.75, 1e-6);  // symmetric
  EXPECT_EQ(RegionalSimilarity(a, {1, 0}, 2), 0.f);       // sizes differ
  EXPECT_EQ(RegionalSimilarity(a, b, 3), 0.f);            // 4 floats are not 3 parts
}

}  // namespace
}  // namespace ocular::gallery
