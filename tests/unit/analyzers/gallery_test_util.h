// Helpers of the gallery tests: the shared test images (../shared/testdata/images, read by
// tests only) and temporary gallery folders.
#pragma once

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "analyzers/galleries/gallery_features.h"

namespace ocular::gallery::testing {

namespace fs = std::filesystem;

inline fs::path SharedImages() {
  const char* src = std::getenv("OCULAR_SOURCE_DIR");
  fs::path root = src ? fs::path(src) : fs::path(OCULAR_SOURCE_DIR);
  return root / ".." / "shared" / "testdata" / "images";
}

inline fs::path SimpleIcons() {
  return fs::path(OCULAR_SOURCE_DIR) / ".deps" / "npm" / "simple-icons@16.37.0" / "package" /
         "icons";
}

// A fresh empty folder under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("ocular_gallery_test_" + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Copies `file` to <dir>/<kind>/<name>/<file name>.
inline void Enroll(const fs::path& dir, const std::string& kind, const std::string& name,
                   const fs::path& file) {
  fs::path target = dir / kind / name;
  fs::create_directories(target);
  fs::copy_file(file, target / file.filename(), fs::copy_options::overwrite_existing);
}

// The shared images other than the given ones (file names), sorted.
inline std::vector<fs::path> OtherSharedImages(const std::vector<std::string>& except) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(SharedImages())) {
    const std::string n = e.path().filename().string();
    const std::string ext = e.path().extension().string();
    if (ext == ".tsv" || ext == ".md") continue;
    if (std::find(except.begin(), except.end(), n) != except.end()) continue;
    out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The image of `path` decoded by OpenCV as BGR (the shared set includes GIF/WEBP/TIFF; OpenCV
// reads most; unreadable ones come back empty and are skipped by the callers).
inline cv::Mat ReadBgr(const fs::path& path) { return cv::imread(path.string(), cv::IMREAD_COLOR); }

}  // namespace ocular::gallery::testing
