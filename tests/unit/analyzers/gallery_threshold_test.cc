// Verification thresholds and the builder's skip rules, on synthetic images.
#include <gtest/gtest.h>

#include <fstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analyzers/galleries/gallery_build.h"
#include "analyzers/galleries/gallery_features.h"
#include "analyzers/galleries/gallery_matcher.h"
#include "gallery_test_util.h"

namespace ocular::gallery {
namespace {

// A random pattern of filled shapes: plenty of SIFT corners and blobs.
cv::Mat Pattern(unsigned seed, int w = 480, int h = 360) {
  cv::RNG rng(seed);
  cv::Mat img(h, w, CV_8UC3, cv::Scalar(255, 255, 255));
  for (int i = 0; i < 120; ++i) {
    cv::Scalar c(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255));
    cv::Point p(rng.uniform(0, w), rng.uniform(0, h));
    if (i % 2) {
      cv::circle(img, p, rng.uniform(3, 25), c, cv::FILLED);
    } else {
      cv::rectangle(img, p, p + cv::Point(rng.uniform(4, 40), rng.uniform(4, 40)), c, cv::FILLED);
    }
  }
  return img;
}

cv::Mat Warp(const cv::Mat& img) {
  cv::Mat h = (cv::Mat_<double>(3, 3) << 0.8, 0.1, 60, -0.05, 0.85, 40, 0.0001, 0.0002, 1);
  cv::Mat out;
  cv::warpPerspective(img, out, h, cv::Size(img.cols + 120, img.rows + 100), cv::INTER_LINEAR,
                      cv::BORDER_CONSTANT, cv::Scalar(128, 128, 128));
  return out;
}

TEST(GalleryThresholdTest, WarpedCopyMatchesAndOtherPatternDoesNot) {
  StatusOr<LocalFeatures> tmpl = ExtractFeatures(Pattern(1), FeatureOptions{1024, 2000});
  ASSERT_TRUE(tmpl.ok());
  StatusOr<LocalFeatures> same = ExtractFeatures(Warp(Pattern(1)), FeatureOptions{1024, 4000});
  StatusOr<LocalFeatures> other = ExtractFeatures(Warp(Pattern(2)), FeatureOptions{1024, 4000});
  ASSERT_TRUE(same.ok() && other.ok());
  StatusOr<QueryIndex> qs = QueryIndex::Build(*same);
  StatusOr<QueryIndex> qo = QueryIndex::Build(*other);
  ASSERT_TRUE(qs.ok() && qo.ok());

  VerifyOptions options = LandmarkMatcherOptions().verify;
  StatusOr<Verification> yes = VerifyTemplate(*tmpl, *qs, options);
  ASSERT_TRUE(yes.ok());
  EXPECT_TRUE(yes->matched);
  EXPECT_GE(yes->inliers, options.min_inliers);
  // The outline lands where the warp put the template's top-left corner (60, 40).
  ASSERT_EQ(yes->quad.size(), 4u);
  EXPECT_NEAR(yes->quad[0].x, 60, 6);
  EXPECT_NEAR(yes->quad[0].y, 40, 6);

  StatusOr<Verification> no = VerifyTemplate(*tmpl, *qo, options);
  ASSERT_TRUE(no.ok());
  EXPECT_FALSE(no->matched);

  // The inlier threshold decides: the same evidence fails once more inliers are required.
  options.min_inliers = yes->inliers + 1;
  StatusOr<Verification> strict = VerifyTemplate(*tmpl, *qs, options);
  ASSERT_TRUE(strict.ok());
  EXPECT_FALSE(strict->matched);
}

TEST(GalleryThresholdTest, MatcherReturnsNameWithConfidenceAndNothingForBlankImages) {
  GalleryIndex index;
  for (unsigned seed : {1u, 2u, 3u}) {
    GalleryEntry e{GalleryKind::kLandmarks, "Place " + std::to_string(seed), {}, {}, {}, {}};
    StatusOr<LocalFeatures> f = ExtractFeatures(Pattern(seed), LandmarkTemplateOptions());
    ASSERT_TRUE(f.ok());
    e.templates.push_back({0, *f, {}});
    index.entries.push_back(e);
  }
  StatusOr<std::unique_ptr<GalleryMatcher>> m =
      GalleryMatcher::Create(index, GalleryKind::kLandmarks, LandmarkMatcherOptions());
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->names(), 3u);

  StatusOr<LocalFeatures> q = ExtractFeatures(Warp(Pattern(2)), FeatureOptions{1024, 4000});
  ASSERT_TRUE(q.ok());
  StatusOr<QueryIndex> qi = QueryIndex::Build(*q);
  ASSERT_TRUE(qi.ok());
  StatusOr<std::vector<GalleryMatch>> found = (*m)->Match(*qi);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().name, "Place 2");
  EXPECT_GT(found->front().confidence, 0.5);
  EXPECT_LE(found->front().confidence, 1.0);

  cv::Mat blank(300, 300, CV_8UC3, cv::Scalar(200, 200, 200));
  StatusOr<LocalFeatures> b = ExtractFeatures(blank, FeatureOptions{1024, 4000});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->points.size(), 0u);
  StatusOr<QueryIndex> bi = QueryIndex::Build(*b);
  ASSERT_TRUE(bi.ok());
  StatusOr<std::vector<GalleryMatch>> none = (*m)->Match(*bi);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(GalleryThresholdTest, BuilderSkipsUnusableImagesWithAWarning) {
  testing::TempDir dir;
  namespace fs = std::filesystem;
  fs::create_directories(dir.path() / "landmarks" / "Flat");
  fs::create_directories(dir.path() / "landmarks" / "Busy");
  fs::create_directories(dir.path() / "celebrities" / "Someone");
  cv::imwrite((dir.path() / "landmarks" / "Flat" / "flat.png").string(),
              cv::Mat(200, 200, CV_8UC3, cv::Scalar(90, 90, 90)));
  cv::imwrite((dir.path() / "landmarks" / "Busy" / "busy.png").string(), Pattern(5));
  cv::imwrite((dir.path() / "celebrities" / "Someone" / "face.png").string(), Pattern(6));
  std::ofstream(dir.path() / "landmarks" / "Busy" / "notes.txt") << "not an image";

  BuildReport report;
  StatusOr<GalleryIndex> index = BuildIndex(dir.path(), &report);
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(report.images, 3);
  EXPECT_EQ(report.enrolled, 1);
  auto has = [&](const std::string& needle) {
    for (const std::string& w : report.warnings) {
      if (w.find(needle) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("flat.png: too few keypoints"));
  EXPECT_TRUE(has("face.png: celebrity enrollment needs"));
  EXPECT_TRUE(has("notes.txt"));

  // verify: up to date, then stale after a change.
  EXPECT_TRUE(VerifyIndex(*index, dir.path()).empty());
  cv::imwrite((dir.path() / "landmarks" / "Busy" / "busy2.png").string(), Pattern(7));
  fs::remove(dir.path() / "landmarks" / "Flat" / "flat.png");
  std::vector<std::string> problems = VerifyIndex(*index, dir.path());
  ASSERT_EQ(problems.size(), 2u);
}

}  // namespace
}  // namespace ocular::gallery
