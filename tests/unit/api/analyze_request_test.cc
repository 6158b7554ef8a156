#include "api/analyze_request.h"

#include <gtest/gtest.h>

#include "core/version.h"

namespace ocular::api {
namespace {

StatusOr<AnalysisRequest> V40(const std::string& q) { return ParseAnalyzeV40(QueryParams::Parse(q)); }

TEST(ParseAnalyzeV40Test, FeaturesAreCaseInsensitive) {
  StatusOr<AnalysisRequest> r = V40("features=Caption%2CDenseCaptions,tags,READ,smartcrops,People,objects");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->features.size(), 7u);
  EXPECT_EQ(r->api, ApiVersion::kV40);
}

TEST(ParseAnalyzeV40Test, MissingFeaturesIsInvalidRequestWithoutInnerCode) {
  StatusOr<AnalysisRequest> r = V40("language=en");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().inner_code(), "");
}

TEST(ParseAnalyzeV40Test, UnknownFeatureIsNotSupportedVisualFeature) {
  StatusOr<AnalysisRequest> r = V40("features=tags,faces");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().inner_code(), "NotSupportedVisualFeature");
}

TEST(ParseAnalyzeV40Test, LanguageRules) {
  EXPECT_EQ(V40("features=caption&language=fr").status().inner_code(), "NotSupportedLanguage");
  EXPECT_EQ(V40("features=tags&language=xx").status().inner_code(), "NotSupportedLanguage");
  EXPECT_TRUE(V40("features=read,people,smartCrops&language=fr").ok());
  EXPECT_TRUE(V40("features=tags&language=EN").ok());
}

TEST(ParseAnalyzeV40Test, AspectRatiosInRange) {
  StatusOr<AnalysisRequest> r = V40("features=smartCrops&smartcrops-aspect-ratios=0.9%2C1.33");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->smart_crop_ratios, (std::vector<double>{0.9, 1.33}));
  EXPECT_EQ(V40("features=smartCrops&smartCrops-Aspect-Ratios=0.5").status().inner_code(),
            "BadArgument");
  EXPECT_EQ(V40("features=smartCrops&smartcrops-aspect-ratios=1.81").status().inner_code(),
            "BadArgument");
  EXPECT_EQ(V40("features=smartCrops&smartcrops-aspect-ratios=abc").status().inner_code(),
            "BadArgument");
  EXPECT_TRUE(V40("features=smartCrops&smartcrops-aspect-ratios=0.75,1.8").ok());
}

TEST(ParseAnalyzeV40Test, GenderNeutralCaption) {
  StatusOr<AnalysisRequest> r = V40("features=caption&gender-neutral-caption=TRUE");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->gender_neutral_caption);
  EXPECT_EQ(V40("features=caption&gender-neutral-caption=yes").status().inner_code(), "BadArgument");
}

TEST(ModelVersionTest, LatestAndPackVersionOnly) {
  EXPECT_TRUE(V40("features=tags&model-version=latest").ok());
  EXPECT_TRUE(V40(std::string("features=tags&model-version=") + kModelPackVersion).ok());
  EXPECT_EQ(V40("features=tags&model-version=2021-05-01").status().inner_code(), "BadArgument");
  EXPECT_EQ(V40("features=tags&model-version=banana").status().inner_code(), "BadArgument");
}

TEST(ParseV32Test, AnalyzeDefaultsToCategories) {
  StatusOr<AnalysisRequest> r = ParseV32(V32Operation::kAnalyze, QueryParams::Parse(""));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->features, std::set<Feature>{Feature::kCategories});
  EXPECT_EQ(r->api, ApiVersion::kV32);
}

TEST(ParseV32Test, VisualFeaturesAndDetails) {
  StatusOr<AnalysisRequest> r = ParseV32(
      V32Operation::kAnalyze,
      QueryParams::Parse("visualFeatures=Color,imagetype,ADULT&details=Landmarks&language=en"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->features.count(Feature::kColor));
  EXPECT_TRUE(r->features.count(Feature::kImageType));
  EXPECT_TRUE(r->features.count(Feature::kAdult));
  EXPECT_TRUE(r->features.count(Feature::kLandmarks));
  EXPECT_TRUE(r->features.count(Feature::kCategories));
  EXPECT_EQ(ParseV32(V32Operation::kAnalyze, QueryParams::Parse("visualFeatures=Colour"))
                .status().inner_code(), "NotSupportedVisualFeature");
  EXPECT_EQ(ParseV32(V32Operation::kAnalyze, QueryParams::Parse("details=Brands"))
                .status().inner_code(), "InvalidDetails");
  EXPECT_EQ(ParseV32(V32Operation::kAnalyze, QueryParams::Parse("visualFeatures=Color&language=ja"))
                .status().inner_code(), "NotSupportedLanguage");
  EXPECT_TRUE(ParseV32(V32Operation::kAnalyze, QueryParams::Parse("visualFeatures=Categories&language=ja")).ok());
}

TEST(ParseV32Test, MaxCandidates) {
  StatusOr<AnalysisRequest> r = ParseV32(V32Operation::kDescribe, QueryParams::Parse("maxCandidates=3"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->max_candidates, 3);
  EXPECT_EQ(ParseV32(V32Operation::kDescribe, QueryParams::Parse("maxCandidates=0")).status().inner_code(),
            "BadArgument");
}

}  // namespace
}  // namespace ocular::api
