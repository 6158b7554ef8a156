// Landmarks against the shared test photos (two of each of five landmarks): enroll photo 1 and
// query photo 2, then the reverse; and no match at all on every other shared image. Runs the
// shipped pipeline (RecognizeLandmarks: SIFT + RANSAC, and the global descriptor with the cohort
// test when the landmark-descriptor model is installed in <source>/models).
// The measured numbers are in docs/accuracy.md ("Galleries"); bench/landmarks_eval prints the
// same evaluation with the calibration.
#include <gtest/gtest.h>

#include <iostream>
#include <map>

#include "analyzers/galleries/gallery_analyzers.h"
#include "analyzers/galleries/gallery_build.h"
#include "analyzers/galleries/gallery_matcher.h"
#include "analyzers/galleries/landmark_recognizer.h"
#include "gallery_test_util.h"

namespace ocular::gallery {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kLandmarks = {"eiffel", "golden_gate", "sacre_coeur",
                                             "statue_of_liberty", "taj_mahal"};

std::string PhotoName(const std::string& landmark, int n) {
  return "landmark_" + landmark + "_" + std::to_string(n) + ".jpg";
}

// The descriptor from <source>/models; null when it is not installed.
std::unique_ptr<LandmarkDescriber> Describer() {
  auto repo = runtime::ModelRepository::Open(fs::path(OCULAR_SOURCE_DIR) / "models");
  if (!repo.ok()) return nullptr;
  auto d = LandmarkDescriber::Load(**repo);
  return d.ok() ? std::move(d).value() : nullptr;
}

struct Totals {
  int correct = 0, wrong = 0, missed = 0, false_on_others = 0;
};

// The 10-query protocol with or without the describer.
Totals Evaluate(const LandmarkDescriber* describer, const std::vector<fs::path>& others) {
  Totals t;
  for (int enrolled : {1, 2}) {
    testing::TempDir dir;
    for (const std::string& l : kLandmarks) {
      testing::Enroll(dir.path(), "landmarks", l, testing::SharedImages() / PhotoName(l, enrolled));
    }
    BuildReport report;
    StatusOr<GalleryIndex> index = BuildIndex(dir.path(), BuildOptions{.enroll_face = nullptr, .describer = describer}, &report);
    EXPECT_TRUE(index.ok());
    if (!index.ok()) return t;
    EXPECT_EQ(report.enrolled, 5) << "every shared landmark photo has enough keypoints";
    StatusOr<std::unique_ptr<GalleryMatcher>> local =
        GalleryMatcher::Create(*index, GalleryKind::kLandmarks, LandmarkMatcherOptions());
    StatusOr<GlobalMatcher> global = GlobalMatcher::Create(*index);
    EXPECT_TRUE(local.ok() && global.ok());
    if (!local.ok() || !global.ok()) return t;
    auto query = [&](const fs::path& file) {
      cv::Mat img = testing::ReadBgr(file);
      if (img.empty()) return std::vector<GalleryMatch>{};
      StatusOr<LandmarkResult> r = RecognizeLandmarks(img, **local, &*global, describer);
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      return r.ok() ? r->matches : std::vector<GalleryMatch>{};
    };
    for (const std::string& l : kLandmarks) {
      std::vector<GalleryMatch> r = query(testing::SharedImages() / PhotoName(l, 3 - enrolled));
      if (r.empty()) {
        ++t.missed;
      } else if (r.front().name == l) {
        ++t.correct;
      } else {
        ++t.wrong;
        ADD_FAILURE() << PhotoName(l, 3 - enrolled) << " recognised as " << r.front().name;
      }
    }
    for (const fs::path& other : others) {
      std::vector<GalleryMatch> r = query(other);
      if (!r.empty()) {
        ++t.false_on_others;
        ADD_FAILURE() << other.filename() << " falsely recognised as " << r.front().name;
      }
    }
  }
  return t;
}

class GalleryLandmarksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(testing::SharedImages() / PhotoName("eiffel", 1))) {
      GTEST_SKIP() << "shared test images not found at " << testing::SharedImages();
    }
    std::vector<std::string> pair_files;
    for (const std::string& l : kLandmarks) {
      pair_files.push_back(PhotoName(l, 1));
      pair_files.push_back(PhotoName(l, 2));
    }
    others_ = testing::OtherSharedImages(pair_files);
  }
  std::vector<fs::path> others_;
};

TEST_F(GalleryLandmarksTest, WithGlobalDescriptorBothWaysAndNoFalseMatches) {
  std::unique_ptr<LandmarkDescriber> describer = Describer();
  if (!describer) GTEST_SKIP() << "landmark-descriptor not installed in models/ (setup step 40)";
  ASSERT_FALSE(describer->background().empty()) << "the model has no background file";
  const Totals t = Evaluate(describer.get(), others_);
  std::cout << "[landmarks, global + local] top-1 correct " << t.correct << "/10, wrong "
            << t.wrong << ", missed " << t.missed << "; false matches on " << others_.size()
            << " other images x 2 galleries: " << t.false_on_others << "\n";
  EXPECT_EQ(t.wrong, 0);
  EXPECT_EQ(t.false_on_others, 0);
  // Measured operating point (docs/accuracy.md): 7/10 (Golden Gate, Statue of Liberty and Taj
  // Mahal both ways, Sacre-Coeur night queried against the day photo). The target is
  // 8/10: NOT met; the Eiffel dusk/sunset pair (both ways) and Sacre-Coeur day against the night
  // photo fail the cohort test (a background photo is about as close to the query as the enrolled
  // photo is). This guards the measured level against regressions.
  EXPECT_GE(t.correct, 7);
}

TEST_F(GalleryLandmarksTest, EnrollmentStoresThePhotoAndItsVariants) {
  std::unique_ptr<LandmarkDescriber> describer = Describer();
  if (!describer) GTEST_SKIP() << "landmark-descriptor not installed in models/ (setup step 40)";
  testing::TempDir dir;
  testing::Enroll(dir.path(), "landmarks", "eiffel", testing::SharedImages() / PhotoName("eiffel", 1));
  BuildReport report;
  StatusOr<GalleryIndex> index = BuildIndex(dir.path(), BuildOptions{.enroll_face = nullptr, .describer = describer.get()}, &report);
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->embedding_id, describer->id());
  ASSERT_EQ(index->entries.size(), 1u);
  const std::vector<GalleryTemplate>& t = index->entries[0].templates;
  // The SIFT template carries the photo's descriptor; the darkened and brightened copies are
  // global-only templates of the same source.
  ASSERT_EQ(t.size(), 3u);
  EXPECT_GE(t[0].features.points.size(), size_t(kMinLandmarkKeypoints));
  EXPECT_EQ(index->embedding_regions, 15u);  // regional descriptor of the 20 x 20 map
  for (const GalleryTemplate& x : t) {
    EXPECT_EQ(x.source, 0);
    EXPECT_EQ(x.embedding.size(), 15u * 576u);
  }
  EXPECT_TRUE(t[1].features.points.empty());
  EXPECT_TRUE(t[2].features.points.empty());
  EXPECT_LT(RegionalSimilarity(t[0].embedding, t[1].embedding, 15), 0.9999f);
  // The index round-trips and the local matcher ignores the global-only templates.
  StatusOr<GalleryIndex> back = ParseIndex(SerializeIndex(*index));
  ASSERT_TRUE(back.ok());
  StatusOr<std::unique_ptr<GalleryMatcher>> local =
      GalleryMatcher::Create(*back, GalleryKind::kLandmarks, LandmarkMatcherOptions());
  ASSERT_TRUE(local.ok());
  EXPECT_EQ((*local)->templates(), 1u);
  EXPECT_EQ(GlobalMatcher::Create(*back)->templates(), 3u);
}

TEST_F(GalleryLandmarksTest, LocalFeaturesOnlyBothWaysAndNoFalseMatches) {
  const Totals t = Evaluate(nullptr, others_);
  std::cout << "[landmarks, local only] top-1 correct " << t.correct << "/10, wrong " << t.wrong
            << ", missed " << t.missed << "; false matches: " << t.false_on_others << "\n";
  EXPECT_EQ(t.wrong, 0);
  EXPECT_EQ(t.false_on_others, 0);
  // SIFT + RANSAC recovers only the pairs taken from similar viewpoints and lighting (Taj Mahal).
  EXPECT_GE(t.correct, 2);
}

}  // namespace
}  // namespace ocular::gallery
