// GalleryHolder: atomic swap on reload while readers keep going; a failed reload keeps the
// previous gallery.
#include "analyzers/galleries/gallery_holder.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analyzers/galleries/gallery_build.h"
#include "gallery_test_util.h"

namespace ocular::gallery {
namespace {

namespace fs = std::filesystem;

void WritePattern(const fs::path& file, unsigned seed) {
  cv::RNG rng(seed);
  cv::Mat img(300, 400, CV_8UC3, cv::Scalar(255, 255, 255));
  for (int i = 0; i < 100; ++i) {
    cv::circle(img, cv::Point(rng.uniform(0, 400), rng.uniform(0, 300)), rng.uniform(3, 20),
               cv::Scalar(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)),
               cv::FILLED);
  }
  fs::create_directories(file.parent_path());
  cv::imwrite(file.string(), img);
}

Status Build(const fs::path& dir) {
  BuildReport report;
  OCULAR_ASSIGN_OR_RETURN(GalleryIndex index, BuildIndex(dir, &report));
  return WriteIndexFile(index, dir);
}

TEST(GalleryReloadTest, ReloadSwapsWhileReadersRun) {
  testing::TempDir dir;
  WritePattern(dir.path() / "landmarks" / "First" / "a.png", 1);
  ASSERT_TRUE(Build(dir.path()).ok());

  GalleryHolder holder(dir.path());
  EXPECT_EQ(holder.Get(), nullptr);
  ASSERT_TRUE(holder.Reload().ok());
  std::shared_ptr<const LoadedGallery> first = holder.Get();
  ASSERT_TRUE(first && first->landmarks);
  EXPECT_EQ(first->landmarks->names(), 1u);
  EXPECT_EQ(first->brands, nullptr);

  std::atomic<bool> stop{false};
  std::atomic<int> reads{0}, bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop) {
        std::shared_ptr<const LoadedGallery> g = holder.Get();
        if (!g || !g->landmarks || g->landmarks->names() < 1) ++bad;
        ++reads;
      }
    });
  }
  WritePattern(dir.path() / "landmarks" / "Second" / "b.png", 2);
  ASSERT_TRUE(Build(dir.path()).ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(holder.Reload().ok());
  stop = true;
  for (std::thread& t : readers) t.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(holder.Get()->landmarks->names(), 2u);
  // The old gallery stays valid for whoever still holds it.
  EXPECT_EQ(first->landmarks->names(), 1u);

  // A damaged index: the reload fails and the current gallery stays.
  std::ofstream(dir.path() / kIndexFileName, std::ios::trunc) << "garbage";
  EXPECT_FALSE(holder.Reload().ok());
  ASSERT_NE(holder.Get(), nullptr);
  EXPECT_EQ(holder.Get()->landmarks->names(), 2u);
}

TEST(GalleryReloadTest, ProcessWideHoldersReloadTogether) {
  testing::TempDir dir;
  WritePattern(dir.path() / "landmarks" / "One" / "a.png", 3);
  ASSERT_TRUE(Build(dir.path()).ok());
  Status status;
  std::shared_ptr<GalleryHolder> h = HolderFor(dir.path(), &status);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(HolderFor(dir.path(), nullptr), h);
  EXPECT_EQ(h->Get()->landmarks->names(), 1u);
  WritePattern(dir.path() / "brands" / "Mark" / "m.png", 4);
  ASSERT_TRUE(Build(dir.path()).ok());
  EXPECT_TRUE(ReloadAllGalleries().ok());
  ASSERT_NE(h->Get()->brands, nullptr);
  EXPECT_EQ(h->Get()->brands->names(), 1u);
}

}  // namespace
}  // namespace ocular::gallery
