// The cohort test of the landmark global descriptor (landmark_global.h) and the merge of the
// two recognition paths (landmark_recognizer.h), on synthetic descriptors.
#include "analyzers/galleries/landmark_global.h"

#include <gtest/gtest.h>

#include <cmath>

#include "analyzers/galleries/landmark_recognizer.h"

namespace ocular::gallery {
namespace {

std::vector<float> Unit(std::vector<float> v) {
  double n = 0;
  for (float x : v) n += double(x) * x;
  for (float& x : v) x = static_cast<float>(x / std::sqrt(n));
  return v;
}

GalleryIndex TwoLandmarks() {
  GalleryIndex index;
  index.embedding_id = "test descriptor";
  GalleryEntry a{GalleryKind::kLandmarks, "Alpha", {}, {}, {}, {}};
  a.templates.push_back(GalleryTemplate{0, {}, Unit({1, 0, 0, 0})});
  GalleryEntry b{GalleryKind::kLandmarks, "Beta", {}, {}, {}, {}};
  b.templates.push_back(GalleryTemplate{0, {}, Unit({0, 1, 0, 0})});
  GalleryEntry brand{GalleryKind::kBrands, "Ignored", {}, {}, {}, {}};
  brand.templates.push_back(GalleryTemplate{0, {}, Unit({1, 0, 0, 0})});
  index.entries = {a, b, brand};
  return index;
}

TEST(LandmarkGlobalTest, TakesOnlyLandmarkTemplatesWithEmbeddings) {
  StatusOr<GlobalMatcher> m = GlobalMatcher::Create(TwoLandmarks());
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->templates(), 2u);
  EXPECT_EQ(m->embedding_id(), "test descriptor");
  GalleryIndex bad = TwoLandmarks();
  bad.entries[1].templates[0].embedding = {1, 0};
  EXPECT_EQ(GlobalMatcher::Create(bad).status().code(), StatusCode::kInvalidArgument);
}

TEST(LandmarkGlobalTest, AcceptsOnlyAMutualNearestNeighbourByTheMargin) {
  StatusOr<GlobalMatcher> m = GlobalMatcher::Create(TwoLandmarks());
  ASSERT_TRUE(m.ok());
  const std::vector<std::vector<float>> background = {Unit({0, 0, 1, 0}), Unit({0, 0, 0, 1})};
  bool accepted = false;
  // Close to Alpha, far from Beta and the background: accepted.
  auto r = m->Best(Unit({1, 0.1f, 0.1f, 0}), background, &accepted);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->name, "Alpha");
  EXPECT_TRUE(accepted);
  EXPECT_GT(r->margin, 0.8);
  // Closer to a background photo than to Alpha: the top name is still Alpha, not accepted.
  r = m->Best(Unit({1, 0, 1.2f, 0}), background, &accepted);
  EXPECT_EQ(r->name, "Alpha");
  EXPECT_LT(r->margin, 0);
  EXPECT_FALSE(accepted);
  // Half way between Alpha and Beta: margin 0, not accepted.
  r = m->Best(Unit({1, 1, 0, 0}), background, &accepted);
  EXPECT_NEAR(r->margin, 0, 1e-6);
  EXPECT_FALSE(accepted);
  // A template that resembles a background photo more than the query: t_margin limits.
  GalleryIndex index = TwoLandmarks();
  index.entries[0].templates[0].embedding = Unit({1, 0, 0.9f, 0});
  StatusOr<GlobalMatcher> m2 = GlobalMatcher::Create(index);
  // s(q, Alpha) = 0.664 > s(q, Beta) = 0.447, but s(Alpha, background) = 0.669.
  r = m2->Best(Unit({1, 0.5f, 0, 0}), background, &accepted);
  EXPECT_EQ(r->name, "Alpha");
  EXPECT_LT(r->margin, 0);
  EXPECT_FALSE(accepted);
  // Without a background nothing is accepted.
  r = m->Best(Unit({1, 0, 0, 0}), {}, &accepted);
  EXPECT_FALSE(accepted);
}

// Regional descriptors of 2 parts of 2 dims (GalleryIndex::embedding_regions = 2).
GalleryIndex RegionalLandmarks(int names) {
  GalleryIndex index;
  index.embedding_id = "test regional descriptor";
  index.embedding_regions = 2;
  for (int i = 0; i < names; ++i) {
    GalleryEntry e{GalleryKind::kLandmarks, "Name" + std::to_string(i), {}, {}, {}, {}};
    // Part 1 is the same for every name; part 2 turns by i degrees x 10.
    const float t = float(i) * 10.f * 3.14159265f / 180.f;
    e.templates.push_back(GalleryTemplate{0, {}, {1, 0, std::cos(t), std::sin(t)}});
    index.entries.push_back(e);
  }
  return index;
}

TEST(LandmarkGlobalTest, RegionalDescriptorsAreComparedPartByPart) {
  StatusOr<GlobalMatcher> m = GlobalMatcher::Create(RegionalLandmarks(3));
  ASSERT_TRUE(m.ok());
  // The query's parts in the other order: Name1's parts, swapped. A plain cosine would give
  // every name about the same score; region by region it is Name1 (similarity 1).
  const float t = 10.f * 3.14159265f / 180.f;
  const std::vector<float> query = {std::cos(t), std::sin(t), 1, 0};
  const std::vector<std::vector<float>> background = {{0, 1, 0, 1}};
  bool accepted = false;
  auto r = m->Best(query, background, &accepted);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->name, "Name1");
  EXPECT_NEAR(r->similarity, 1.0, 1e-5);
  // A background of another layout cannot be compared: nothing is accepted.
  r = m->Best(query, {{0, 1}}, &accepted);
  EXPECT_FALSE(accepted);
  // An embedding whose size is not a multiple of the regions is refused.
  GalleryIndex bad = RegionalLandmarks(2);
  bad.embedding_regions = 3;
  EXPECT_EQ(GlobalMatcher::Create(bad).status().code(), StatusCode::kInvalidArgument);
}

TEST(LandmarkGlobalTest, RegionalScoringOnlyForTheShortlistedNames) {
  // Query parts {x, y}. Stage 1 compares summed vectors: A = {u, u} (u = (x + y) / sqrt 2) sums
  // to the query's direction (cosine 1), B = {x, x} to x (0.71). Region by region B is nearer:
  // RegionalSimilarity(q, A) = 0.71, (q, B) = (0.5 + 1) / 2 = 0.75.
  const float h = std::sqrt(0.5f);
  GalleryIndex index;
  index.embedding_regions = 2;
  GalleryEntry a{GalleryKind::kLandmarks, "A", {}, {}, {}, {}};
  a.templates.push_back(GalleryTemplate{0, {}, {h, h, h, h}});
  GalleryEntry b{GalleryKind::kLandmarks, "B", {}, {}, {}, {}};
  b.templates.push_back(GalleryTemplate{0, {}, {1, 0, 1, 0}});
  index.entries = {a, b};
  const std::vector<float> query = {1, 0, 0, 1};
  bool accepted = false;
  GlobalMatchOptions o;
  o.shortlist = 1;  // only the stage-1 winner is scored
  EXPECT_EQ(GlobalMatcher::Create(index, o)->Best(query, {}, &accepted)->name, "A");
  o.shortlist = 0;  // counts as 1
  EXPECT_EQ(GlobalMatcher::Create(index, o)->Best(query, {}, &accepted)->name, "A");
  o.shortlist = 2;  // both are scored region by region
  auto r = GlobalMatcher::Create(index, o)->Best(query, {}, &accepted);
  EXPECT_EQ(r->name, "B");
  EXPECT_NEAR(r->similarity, 0.75, 1e-6);
}

TEST(LandmarkGlobalTest, ThresholdIsTheCalibratedMargin) {
  GlobalMatchOptions o;
  StatusOr<GlobalMatcher> m = GlobalMatcher::Create(TwoLandmarks(), o);
  // Alpha vs background: s(q, Alpha) - s(q, bg) just above / below min_margin.
  const std::vector<std::vector<float>> background = {Unit({0.8f, 0, 0.6f, 0})};
  bool accepted = false;
  auto r = m->Best(Unit({1, 0, 0, 0}), background, &accepted);
  // s = 1, rival = 0.8 (query and template both see background at 0.8): margin 0.2.
  EXPECT_NEAR(r->margin, 0.2, 1e-6);
  EXPECT_TRUE(accepted);
  o.min_margin = 0.21;
  StatusOr<GlobalMatcher> strict = GlobalMatcher::Create(TwoLandmarks(), o);
  strict->Best(Unit({1, 0, 0, 0}), background, &accepted);
  EXPECT_FALSE(accepted);
}

TEST(LandmarkGlobalTest, ConfidenceIsMonotoneInTheMargin) {
  const GlobalMatchOptions o;
  EXPECT_EQ(GlobalConfidence(0, o), 0);
  EXPECT_EQ(GlobalConfidence(-0.01, o), 0);
  double last = 0;
  for (double margin = 0.001; margin < 0.1; margin += 0.001) {
    const double c = GlobalConfidence(margin, o);
    EXPECT_GT(c, last);
    EXPECT_LT(c, 1.0);
    last = c;
  }
  EXPECT_NEAR(GlobalConfidence(o.confidence_scale, o), 1 - std::exp(-1.0), 1e-12);
}

TEST(LandmarkRecognizerTest, MergeCombinesBothPathsMonotonically) {
  GlobalMatch g{"Beta", 0.97, 0.008, 0.8};
  // Only the global path: Beta with the global confidence.
  std::vector<GalleryMatch> r = MergeLandmarkMatches({}, g, true);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].name, "Beta");
  EXPECT_DOUBLE_EQ(r[0].confidence, 0.8);
  // Not accepted: ignored.
  EXPECT_TRUE(MergeLandmarkMatches({}, g, false).empty());
  // Both paths agree: 1 - (1 - 0.5)(1 - 0.8) = 0.9, above either alone.
  r = MergeLandmarkMatches({GalleryMatch{"Beta", 0.5, 7, {}}}, g, true);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NEAR(r[0].confidence, 0.9, 1e-12);
  // They disagree: both are reported, by confidence.
  r = MergeLandmarkMatches({GalleryMatch{"Alpha", 0.95, 30, {}}}, g, true);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].name, "Alpha");
  EXPECT_EQ(r[1].name, "Beta");
}

}  // namespace
}  // namespace ocular::gallery
