// Weighted box fusion (pure), and the CenterNet + NanoDet ensemble on shared photos (needs the
// default model pack in models/ and ../shared/testdata; skipped with the reason otherwise).
#include "analyzers/detection/ensemble_detector.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "core/image.h"
#include "runtime/model_repository.h"

namespace ocular {
namespace {

namespace fs = std::filesystem;

ScoredBox B(double x1, double y1, double x2, double y2, double score, int cls = 0) {
  ScoredBox b;
  b.x1 = x1, b.y1 = y1, b.x2 = x2, b.y2 = y2, b.score = score, b.cls = cls;
  return b;
}

TEST(FuseBoxesTest, AgreementKeepsTheWeightedMeanScoreAndCorners) {
  auto out = FuseBoxes({{B(0, 0, 100, 100, 0.8)}, {B(10, 0, 110, 100, 0.4)}}, {0.6, 0.4}, 0.55);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NEAR(out[0].score, 0.6 * 0.8 + 0.4 * 0.4, 1e-9);
  // Corners weighted by weight * score: 0.48 and 0.16.
  EXPECT_NEAR(out[0].x1, (0.48 * 0 + 0.16 * 10) / 0.64, 1e-9);
  EXPECT_NEAR(out[0].x2, (0.48 * 100 + 0.16 * 110) / 0.64, 1e-9);
}

TEST(FuseBoxesTest, ABoxOneDetectorMissedIsDampedByItsWeightShare) {
  auto out = FuseBoxes({{B(0, 0, 100, 100, 0.8)}, {}}, {0.6, 0.4}, 0.55);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NEAR(out[0].score, 0.6 * 0.8, 1e-9);
  out = FuseBoxes({{}, {B(0, 0, 100, 100, 0.8)}}, {0.6, 0.4}, 0.55);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NEAR(out[0].score, 0.4 * 0.8, 1e-9);
}

TEST(FuseBoxesTest, OtherClassesAndDistantBoxesStaySeparate) {
  auto out = FuseBoxes({{B(0, 0, 100, 100, 0.8, 1)}, {B(0, 0, 100, 100, 0.7, 2)}}, {0.5, 0.5},
                       0.55);
  EXPECT_EQ(out.size(), 2u);
  // IoU 1/3 < 0.55: two clusters.
  out = FuseBoxes({{B(0, 0, 100, 100, 0.8)}, {B(50, 0, 150, 100, 0.7)}}, {0.5, 0.5}, 0.55);
  EXPECT_EQ(out.size(), 2u);
}

TEST(FuseBoxesTest, ADetectorCountsOnlyItsBestBoxInACluster) {
  // Two overlapping boxes of the same detector (NMS kept both) do not add up.
  auto out = FuseBoxes({{B(0, 0, 100, 100, 0.9), B(0, 0, 100, 90, 0.5)}, {}}, {0.5, 0.5}, 0.55);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NEAR(out[0].score, 0.5 * 0.9, 1e-9);
}

fs::path RepoRoot() {
  return fs::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
}

class EnsembleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    models_ = RepoRoot() / "models";
    image_ = RepoRoot().parent_path() / "shared" / "testdata" / "images" / "street_bus.jpg";
    if (!fs::exists(models_ / "centernet") || !fs::exists(models_ / "nanodet")) {
      GTEST_SKIP() << "models/ lacks centernet or nanodet (run scripts/setup.sh)";
    }
    if (!fs::exists(image_)) GTEST_SKIP() << "no shared test image " << image_;
    auto repo = runtime::ModelRepository::Open(models_);
    ASSERT_TRUE(repo.ok()) << repo.status().message();
    repo_ = std::move(repo).value();
  }
  std::vector<Detection> Detect(bool ensemble) {
    EnsembleDetectorOptions o;
    o.ensemble = ensemble;
    auto d = EnsembleDetector::Create(repo_.get(), o);
    EXPECT_TRUE(d.ok()) << d.status().message();
    if (!d.ok()) return {};
    std::ifstream in(image_, std::ios::binary);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    DecodeOptions dopt;
    dopt.min_long_side = 512;
    auto img = IngestImage(bytes, ApiVersion::kV40, dopt);
    EXPECT_TRUE(img.ok());
    if (!img.ok()) return {};
    auto dets = (*d)->Detect(img->bgr, img->info.width, img->info.height);
    EXPECT_TRUE(dets.ok()) << dets.status().message();
    return dets.ok() ? *dets : std::vector<Detection>{};
  }
  static const Detection* Best(const std::vector<Detection>& d, const std::string& label) {
    const Detection* best = nullptr;
    for (const Detection& x : d) {
      if (x.label == label && (best == nullptr || x.score > best->score)) best = &x;
    }
    return best;
  }
  fs::path models_, image_;
  std::unique_ptr<runtime::ModelRepository> repo_;
};

TEST_F(EnsembleTest, NanoDetAgreesWithCenterNetOnTheBus) {
  auto alone = Detect(false), fused = Detect(true);
  const Detection* a = Best(alone, "bus");
  const Detection* f = Best(fused, "bus");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(f, nullptr);
  // A bus NanoDet did not see (a broken decoder) would be damped to 0.6 x CenterNet's score.
  EXPECT_GT(f->score, 0.6 * a->score + 0.1);
  ScoredBox x{a->x1, a->y1, a->x2, a->y2, 0, 0}, y{f->x1, f->y1, f->x2, f->y2, 0, 0};
  EXPECT_GT(BoxIoU(x, y), 0.8);
  int people = 0;
  for (const Detection& d : fused) {
    people += d.label == "person" && d.score >= 0.3;
    EXPECT_GE(d.x1, 0);
    EXPECT_LE(d.x2, 810);  // street_bus.jpg is 810x1080
    EXPECT_LE(d.y2, 1080);
  }
  EXPECT_GE(people, 3);
}

}  // namespace
}  // namespace ocular
