// Celebrity decision rules without models: the cosine threshold, the confidence mapping, the
// best-name choice, mixed-embedder indexes, and the enrollment rule for portraits.
#include "analyzers/galleries/celebrity_matcher.h"

#include <cmath>

#include <gtest/gtest.h>

#include "analyzers/galleries/celebrity_faces.h"

namespace ocular::gallery {
namespace {

// A unit vector in 3-D at `deg` degrees from the x axis in the x-y plane: its cosine with
// (1, 0, 0) is cos(deg).
std::vector<float> At(double deg) {
  const double r = deg * M_PI / 180;
  return {float(std::cos(r)), float(std::sin(r)), 0.f};
}

GalleryIndex IndexOf(std::vector<std::pair<std::string, std::vector<float>>> people) {
  GalleryIndex index;
  for (auto& [name, e] : people) {
    GalleryEntry entry{GalleryKind::kCelebrities, name, {}, {}, {}, {}};
    entry.sources.push_back({"celebrities/" + name + "/1.jpg", std::string(64, '0'), true, ""});
    entry.templates.push_back(GalleryTemplate{0, {}, e});
    index.entries.push_back(std::move(entry));
  }
  return index;
}

TEST(CelebrityMatcherTest, NamesOnlyAtOrAboveTheThreshold) {
  const double threshold = 0.6;
  auto m = CelebrityMatcher::Create(IndexOf({{"Ada", {1.f, 0.f, 0.f}}}), threshold);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->names(), 1u);
  EXPECT_EQ((*m)->dim(), 3);
  const double at = std::acos(threshold) * 180 / M_PI;  // the angle whose cosine is 0.6
  std::optional<FaceMatch> in = (*m)->Match(At(at - 0.5));
  ASSERT_TRUE(in.has_value());
  EXPECT_EQ(in->name, "Ada");
  EXPECT_NEAR(in->similarity, std::cos((at - 0.5) * M_PI / 180), 1e-6);
  EXPECT_FALSE((*m)->Match(At(at + 0.5)).has_value());
  EXPECT_FALSE((*m)->Match(At(90)).has_value());
  // Another embedding size never matches.
  EXPECT_FALSE((*m)->Match({1.f, 0.f}).has_value());
}

TEST(CelebrityMatcherTest, TheMostSimilarNameWins) {
  auto m = CelebrityMatcher::Create(IndexOf({{"Ada", At(0)}, {"Grace", At(40)}, {"Hedy", At(-60)}}),
                                    0.5);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->names(), 3u);
  EXPECT_EQ((*m)->Match(At(5))->name, "Ada");
  EXPECT_EQ((*m)->Match(At(30))->name, "Grace");
  EXPECT_EQ((*m)->Match(At(-45))->name, "Hedy");
}

TEST(CelebrityMatcherTest, ConfidenceIsMonotoneFromHalfAtTheThresholdToOne) {
  EXPECT_DOUBLE_EQ(CelebrityConfidence(0.62, 0.62), 0.5);
  EXPECT_DOUBLE_EQ(CelebrityConfidence(1.0, 0.62), 1.0);
  EXPECT_DOUBLE_EQ(CelebrityConfidence(0.1, 0.62), 0.5);  // clamped
  double last = 0;
  for (double s = 0.62; s <= 1.0; s += 0.02) {
    const double c = CelebrityConfidence(s, 0.62);
    EXPECT_GE(c, last);
    last = c;
  }
}

TEST(CelebrityMatcherTest, MixedEmbeddingSizesAskForARebuild) {
  auto m = CelebrityMatcher::Create(IndexOf({{"Ada", {1.f, 0.f, 0.f}}, {"Grace", {0.f, 1.f}}}));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(m.status().message().find("rebuild"), std::string::npos);
}

TEST(CelebrityMatcherTest, OtherKindsAndEmptyTemplatesAreIgnored) {
  GalleryIndex index = IndexOf({{"Ada", At(0)}});
  index.entries.push_back(
      GalleryEntry{GalleryKind::kBrands, "Acme", {}, {GalleryTemplate{}}, {}, {}});
  GalleryEntry skipped{GalleryKind::kCelebrities, "Nobody", {}, {}, {}, {}};
  skipped.sources.push_back({"celebrities/Nobody/cat.png", std::string(64, '1'), false, "no face"});
  index.entries.push_back(skipped);
  auto m = CelebrityMatcher::Create(index);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->names(), 1u);
  EXPECT_EQ((*m)->templates(), 1u);
  EXPECT_DOUBLE_EQ((*m)->threshold(), kCelebrityThreshold);
}

FaceBox Face(int x, int y, int side) { return FaceBox{Rect{x, y, side, side}, 0.9, {}}; }

TEST(CelebrityEnrollmentTest, PortraitRuleSkipsWithAReason) {
  std::string skip;
  EXPECT_FALSE(PickEnrollmentFace({}, &skip).has_value());
  EXPECT_NE(skip.find("no face"), std::string::npos) << skip;

  skip.clear();
  EXPECT_FALSE(PickEnrollmentFace({Face(0, 0, kMinRecognizedFace - 1)}, &skip).has_value());
  EXPECT_NE(skip.find("too small"), std::string::npos) << skip;

  skip.clear();
  EXPECT_FALSE(PickEnrollmentFace({Face(0, 0, 100), Face(200, 0, 60)}, &skip).has_value());
  EXPECT_NE(skip.find("2 faces of similar size"), std::string::npos) << skip;

  // A dominant face (side >= kDominantFaceRatio x the next) is enrolled, wherever it is listed.
  skip.clear();
  std::optional<std::size_t> pick =
      PickEnrollmentFace({Face(0, 0, 50), Face(100, 0, 200), Face(400, 0, 30)}, &skip);
  ASSERT_TRUE(pick.has_value()) << skip;
  EXPECT_EQ(*pick, 1u);
  EXPECT_TRUE(skip.empty());

  pick = PickEnrollmentFace({Face(10, 10, 120)}, &skip);
  ASSERT_TRUE(pick.has_value());
  EXPECT_EQ(*pick, 0u);
}

}  // namespace
}  // namespace ocular::gallery
