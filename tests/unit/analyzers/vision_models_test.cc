// End-to-end checks of the model-backed vision features on shared test images. They need the
// default model pack (models/, built by scripts/setup.sh) and ../shared/testdata: without them
// each test is skipped with the reason.
#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "analyzers/engine.h"
#include "analyzers/vision/scene.h"

namespace ocular {
namespace {

namespace fs = std::filesystem;

fs::path RepoRoot() { return fs::path(__FILE__).parent_path().parent_path().parent_path().parent_path(); }
fs::path Images() { return RepoRoot().parent_path() / "shared" / "testdata" / "images"; }

class VisionModelsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fs::path models = RepoRoot() / "models";
    if (!fs::exists(models / "centernet") || !fs::exists(models / "facemesh-detection-full")) {
      return;
    }
    EngineOptions o;
    o.model_repo = models.string();
    auto e = Engine::Create(o);
    if (e.ok()) engine_ = std::move(e).value().release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  void SetUp() override {
    if (engine_ == nullptr) GTEST_SKIP() << "models/ has no centernet/facemesh-detection-full (run scripts/setup.sh)";
    if (!fs::exists(Images())) GTEST_SKIP() << "no shared test images at " << Images();
  }
  StatusOr<AnalysisResult> Run(const std::string& file, std::set<Feature> features,
                               ApiVersion api = ApiVersion::kV40,
                               std::vector<double> ratios = {}) {
    std::ifstream in(Images() / file, std::ios::binary);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    AnalysisRequest req;
    req.api = api;
    req.features = std::move(features);
    req.smart_crop_ratios = std::move(ratios);
    return engine_->Analyze(bytes, req);
  }
  static Engine* engine_;
};
Engine* VisionModelsTest::engine_ = nullptr;

int Count(const AnalysisResult& r, const std::string& name) {
  int n = 0;
  for (const DetectedObject& o : *r.objects) n += o.name == name;
  return n;
}

TEST_F(VisionModelsTest, ObjectsInOriginalPixelsWithParents) {
  auto r = Run("food_donuts.jpg", {Feature::kObjects});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_GE(Count(*r, "donut"), 10);
  for (const DetectedObject& o : *r->objects) {
    EXPECT_GE(o.box.x, 0);
    EXPECT_LE(o.box.x + o.box.w, r->image.width);
    EXPECT_LE(o.box.y + o.box.h, r->image.height);
    if (o.name == "donut") {
      ASSERT_FALSE(o.parents.empty());
      EXPECT_EQ(o.parents.back().name, "food");
    }
  }
  // A large image decoded at a reduced scale still gets boxes in original pixels.
  auto big = Run("logo_mcdonalds_fries.jpg", {Feature::kObjects, Feature::kPeople});
  ASSERT_TRUE(big.ok());
  for (const DetectedObject& o : *big->objects) EXPECT_LE(o.box.x + o.box.w, 4258);
}

TEST_F(VisionModelsTest, PeopleIncludeLowScores) {
  auto r = Run("street_bus.jpg", {Feature::kPeople});
  ASSERT_TRUE(r.ok());
  ASSERT_GE(r->people->size(), 3u);
  double lowest = 1;
  for (const DetectedPerson& p : *r->people) lowest = std::min(lowest, p.confidence);
  EXPECT_LT(lowest, 0.35);  // below the objects threshold
  EXPECT_FALSE(r->objects.has_value());
}

TEST_F(VisionModelsTest, FacesCountAndStayInside) {
  auto r = Run("portrait_obama.jpg", {Feature::kFaces}, ApiVersion::kV32);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->faces->size(), 1u);
  r = Run("animal_cat.png", {Feature::kFaces}, ApiVersion::kV32);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->faces->empty());
  r = Run("faces_collage_bald_guys.jpg", {Feature::kFaces}, ApiVersion::kV32);
  ASSERT_TRUE(r.ok());
  EXPECT_GE(r->faces->size(), 20u);
}

TEST_F(VisionModelsTest, SafePhotosAreNotFlaggedAndGoreIsUnsupported) {
  for (const char* f : {"portrait_astronaut.png", "food_donuts.jpg", "sports_tennis.jpg"}) {
    auto r = Run(f, {Feature::kAdult}, ApiVersion::kV32);
    if (!r.ok() && r.status().message().find("nsfw") != std::string::npos) {
      GTEST_SKIP() << r.status().message();
    }
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_FALSE(r->adult->is_adult) << f;
    EXPECT_FALSE(r->adult->is_racy) << f;
    EXPECT_FALSE(r->adult->gore_score.has_value());
  }
}

TEST_F(VisionModelsTest, TagsCaptionAndCrops) {
  auto r = Run("animal_giraffe_zebra.jpg",
               {Feature::kTags, Feature::kCaption, Feature::kDenseCaptions, Feature::kSmartCrops},
               ApiVersion::kV40, {1.0, 0.75});
  ASSERT_TRUE(r.ok()) << r.status().message();
  std::set<std::string> tags;
  for (const Tag& t : *r->tags) tags.insert(t.name);
  EXPECT_TRUE(tags.count("zebra"));
  EXPECT_TRUE(tags.count("animal"));
  EXPECT_NE(r->caption->text.find("zebra"), std::string::npos) << r->caption->text;
  EXPECT_EQ(r->dense_captions->front().box, (Rect{0, 0, r->image.width, r->image.height}));
  ASSERT_EQ(r->smart_crops->size(), 2u);
  EXPECT_NEAR(double((*r->smart_crops)[0].box.w) / (*r->smart_crops)[0].box.h, 1.0, 0.02);
}

TEST_F(VisionModelsTest, SmartCropKeepsTheFace) {
  auto faces = Run("portrait_obama.jpg", {Feature::kFaces}, ApiVersion::kV32);
  ASSERT_TRUE(faces.ok());
  ASSERT_EQ(faces->faces->size(), 1u);
  Rect f = faces->faces->front().box;
  auto r = Run("portrait_obama.jpg", {Feature::kSmartCrops}, ApiVersion::kV40, {1.8});
  ASSERT_TRUE(r.ok());
  Rect c = r->smart_crops->front().box;
  EXPECT_LE(c.y, f.y);
  EXPECT_GE(c.y + c.h, f.y + f.h);
}

}  // namespace
}  // namespace ocular
