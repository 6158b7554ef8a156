// Celebrity recognition end to end on the shared test photos, with the pack's face models:
// enrollment (with its skip warnings), the index round trip with embeddings, the Obama pair
// found with the right rectangle and Biden not matched, no false match on any other shared
// image, and the feature staying off unless enabled. Skipped with the reason when models/ or
// ../shared/testdata are missing.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "analyzers/galleries/celebrity_faces.h"
#include "analyzers/engine.h"
#include "analyzers/galleries/gallery_build.h"
#include "analyzers/galleries/gallery_index.h"
#include "gallery_test_util.h"
#include "runtime/model_repository.h"

namespace ocular {
namespace {

namespace fs = std::filesystem;
using gallery::testing::SharedImages;
using gallery::testing::TempDir;

fs::path Models() { return fs::path(OCULAR_SOURCE_DIR) / "models"; }

std::vector<std::uint8_t> Bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)), {});
}

// One gallery for the suite: Barack Obama (portrait_obama.jpg), Grace Hopper (the EXIF-rotated
// JPEG of her portrait), a two-person photo and a cat that must be skipped.
class CelebrityModelsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(Models() / "facemesh-detection-full") ||
        !fs::exists(Models() / kFaceEmbedderModel) || !fs::exists(SharedImages())) {
      return;
    }
    auto repo = runtime::ModelRepository::Open(Models());
    ASSERT_TRUE(repo.ok()) << repo.status().ToString();
    models_ = new std::shared_ptr<runtime::ModelRepository>(std::move(repo).value());
    auto d = FaceDetector::Create(models_->get());
    auto e = FaceEmbedder::Create(models_->get());
    ASSERT_TRUE(d.ok() && e.ok());
    detector_ = new std::shared_ptr<const FaceDetector>(*d);
    embedder_ = new std::shared_ptr<const FaceEmbedder>(*e);

    // Engines register the folder in the process-wide gallery holders (gallery_holder.h), which
    // every later ReloadAllGalleries() reloads: the folder lives until the process exits.
    static TempDir suite_dir;
    dir_ = &suite_dir;
    const fs::path& g = dir_->path();
    gallery::testing::Enroll(g, "celebrities", "Barack Obama",
                             SharedImages() / "portrait_obama.jpg");
    gallery::testing::Enroll(g, "celebrities", "Grace Hopper",
                             SharedImages() / "format_exif_orientation6.jpg");
    gallery::testing::Enroll(g, "celebrities", "Two People",
                             SharedImages() / "faces_two_people.jpg");
    gallery::testing::Enroll(g, "celebrities", "Nobody", SharedImages() / "animal_cat.png");
    gallery::BuildOptions options;
    options.enroll_face = [](const fs::path& file, std::string* skip) {
      return EnrollPortraitFile(**detector_, **embedder_, file, skip);
    };
    report_ = new gallery::BuildReport();
    auto index = gallery::BuildIndex(g, options, report_);
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    index_ = new gallery::GalleryIndex(std::move(*index));
    ASSERT_TRUE(gallery::WriteIndexFile(*index_, g).ok());
  }
  static void TearDownTestSuite() {
    delete index_;
    delete report_;
    delete embedder_;
    delete detector_;
    delete models_;
    index_ = nullptr;
  }
  void SetUp() override {
    if (index_ == nullptr) {
      GTEST_SKIP() << "needs models/ (facemesh-detection-full, " << kFaceEmbedderModel << ") and "
                   << SharedImages();
    }
  }
  static StatusOr<std::unique_ptr<Engine>> MakeEngine(bool enabled) {
    EngineOptions o;
    o.model_repo = Models().string();
    o.galleries_dir = dir_->path().string();
    o.enable_celebrities = enabled;
    return Engine::Create(o);
  }
  static StatusOr<AnalysisResult> Analyze(const Engine& engine, const std::string& file,
                                          std::set<Feature> features) {
    AnalysisRequest req;
    req.api = ApiVersion::kV32;
    req.features = std::move(features);
    return engine.Analyze(Bytes(SharedImages() / file), req);
  }
  static std::vector<Category::Celebrity> Celebrities(const AnalysisResult& r) {
    std::vector<Category::Celebrity> out;
    if (!r.categories) return out;
    for (const Category& c : *r.categories) {
      out.insert(out.end(), c.celebrities.begin(), c.celebrities.end());
    }
    return out;
  }

  static std::shared_ptr<runtime::ModelRepository>* models_;
  static std::shared_ptr<const FaceDetector>* detector_;
  static std::shared_ptr<const FaceEmbedder>* embedder_;
  static TempDir* dir_;
  static gallery::BuildReport* report_;
  static gallery::GalleryIndex* index_;
};
std::shared_ptr<runtime::ModelRepository>* CelebrityModelsTest::models_ = nullptr;
std::shared_ptr<const FaceDetector>* CelebrityModelsTest::detector_ = nullptr;
std::shared_ptr<const FaceEmbedder>* CelebrityModelsTest::embedder_ = nullptr;
TempDir* CelebrityModelsTest::dir_ = nullptr;
gallery::BuildReport* CelebrityModelsTest::report_ = nullptr;
gallery::GalleryIndex* CelebrityModelsTest::index_ = nullptr;

TEST_F(CelebrityModelsTest, EnrollmentSkipsUnusablePortraitsWithAWarning) {
  EXPECT_EQ(report_->images, 4);
  EXPECT_EQ(report_->enrolled, 2);
  EXPECT_EQ(report_->templates, 2);
  auto has = [&](const std::string& needle) {
    return std::any_of(report_->warnings.begin(), report_->warnings.end(),
                       [&](const std::string& w) { return w.find(needle) != std::string::npos; });
  };
  EXPECT_TRUE(has("faces_two_people.jpg: 2 faces of similar size"));
  EXPECT_TRUE(has("animal_cat.png: no face found"));
  EXPECT_TRUE(has("celebrities/Nobody: no usable image"));
}

TEST_F(CelebrityModelsTest, IndexRoundTripKeepsTheEmbeddings) {
  auto read = gallery::ReadIndexFile(dir_->path());
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->entries.size(), index_->entries.size());
  int embeddings = 0;
  for (std::size_t i = 0; i < read->entries.size(); ++i) {
    const auto& a = index_->entries[i];
    const auto& b = read->entries[i];
    ASSERT_EQ(a.templates.size(), b.templates.size());
    for (std::size_t t = 0; t < a.templates.size(); ++t) {
      EXPECT_EQ(a.templates[t].embedding, b.templates[t].embedding);
      ASSERT_EQ(b.templates[t].embedding.size(), static_cast<std::size_t>((*embedder_)->dim()));
      double norm = 0;
      for (float x : b.templates[t].embedding) norm += double(x) * x;
      EXPECT_NEAR(norm, 1.0, 1e-4);  // stored L2-normalised
      ++embeddings;
    }
  }
  EXPECT_EQ(embeddings, 2);
}

TEST_F(CelebrityModelsTest, ObamaIsFoundWithHisFaceAndBidenIsNot) {
  auto engine = MakeEngine(true);
  ASSERT_TRUE(engine.ok());
  ASSERT_TRUE((*engine)->CheckFeatures({Feature::kCelebrities}).ok())
      << (*engine)->CheckFeatures({Feature::kCelebrities}).message();
  auto r = Analyze(**engine, "faces_two_people.jpg",
                   {Feature::kCategories, Feature::kCelebrities, Feature::kFaces});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->faces.has_value());
  ASSERT_EQ(r->faces->size(), 2u);
  // Obama stands left, Biden right.
  const auto& faces = *r->faces;
  const Rect obama = faces[0].box.x < faces[1].box.x ? faces[0].box : faces[1].box;
  std::vector<Category::Celebrity> celebs = Celebrities(*r);
  ASSERT_EQ(celebs.size(), 1u);
  EXPECT_EQ(celebs[0].name, "Barack Obama");
  EXPECT_EQ(celebs[0].face.x, obama.x);
  EXPECT_EQ(celebs[0].face.y, obama.y);
  EXPECT_EQ(celebs[0].face.w, obama.w);
  EXPECT_EQ(celebs[0].face.h, obama.h);
  EXPECT_LT(obama.x + obama.w, r->image.width / 2);  // the left man, not Biden
  EXPECT_GE(celebs[0].confidence, 0.5);
  EXPECT_LE(celebs[0].confidence, 1.0);
  // The detail sits on a people_ category.
  bool on_people = false;
  for (const Category& c : *r->categories) {
    if (!c.celebrities.empty()) on_people = c.name.starts_with("people_");
  }
  EXPECT_TRUE(on_people);
}

TEST_F(CelebrityModelsTest, HopperIsFoundInHerOtherEncodings) {
  auto engine = MakeEngine(true);
  ASSERT_TRUE(engine.ok());
  for (const char* file : {"format_hopper.bmp", "format_hopper.gif", "format_hopper.tif"}) {
    auto r = Analyze(**engine, file, {Feature::kCelebrities});
    ASSERT_TRUE(r.ok()) << file << ": " << r.status().ToString();
    std::vector<Category::Celebrity> celebs = Celebrities(*r);
    ASSERT_EQ(celebs.size(), 1u) << file;
    EXPECT_EQ(celebs[0].name, "Grace Hopper") << file;
  }
}

TEST_F(CelebrityModelsTest, NoFalseMatchOnAnyOtherSharedImage) {
  auto engine = MakeEngine(true);
  ASSERT_TRUE(engine.ok());
  int checked = 0;
  for (const fs::path& f : gallery::testing::OtherSharedImages(
           {"portrait_obama.jpg", "faces_two_people.jpg", "format_exif_orientation6.jpg",
            "format_hopper.bmp", "format_hopper.gif", "format_hopper.tif"})) {
    auto r = Analyze(**engine, f.filename().string(), {Feature::kCelebrities});
    if (!r.ok()) continue;  // formats or sizes the v3.2 API refuses
    ++checked;
    for (const Category::Celebrity& c : Celebrities(*r)) {
      ADD_FAILURE() << f.filename() << ": false match " << c.name << " " << c.confidence;
    }
  }
  EXPECT_GE(checked, 40);
}

TEST_F(CelebrityModelsTest, OffUnlessEnabled) {
  auto engine = MakeEngine(false);
  ASSERT_TRUE(engine.ok());
  Status s = (*engine)->CheckFeatures({Feature::kCelebrities});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.inner_code(), "NotSupportedFeature");
  EXPECT_NE(s.message().find("disabled"), std::string::npos) << s.message();
  EXPECT_NE((*engine)->FeatureStatus()[Feature::kCelebrities], "ok");
  // Enabled with an enrolled gallery: "ok", which makes /vision/v3.2/models list celebrities.
  auto on = MakeEngine(true);
  ASSERT_TRUE(on.ok());
  EXPECT_EQ((*on)->FeatureStatus()[Feature::kCelebrities], "ok");
}

}  // namespace
}  // namespace ocular
