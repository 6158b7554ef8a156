// Shared test data of the landmark benches (landmarks_eval, landmarks_explore): the five
// landmark pairs of shared/testdata/images, the negatives (every other shared image, and the
// odd-numbered coco-dev images with --coco) and the background (even-numbered coco-dev images).
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include <opencv2/imgcodecs.hpp>

#include "analyzers/galleries/landmark_descriptor.h"
#include "runtime/model_repository.h"

namespace landmarks_bench {

namespace fs = std::filesystem;

// The landmark describer without the model's background file: for writing that file, and for
// measuring poolings whose descriptors differ in size from the shipped (regional) background.
inline ocular::StatusOr<std::unique_ptr<ocular::gallery::LandmarkDescriber>> DescriberWithoutBackground(
    ocular::runtime::ModelRepository& repo, const ocular::gallery::DescriptorOptions& options = {}) {
  auto model = repo.Load(ocular::gallery::kLandmarkDescriptorModel);
  if (!model.ok()) return model.status();
  return ocular::gallery::LandmarkDescriber::Create(*model, options);
}
using Clock = std::chrono::steady_clock;

inline const std::vector<std::string> kLandmarks = {"eiffel", "golden_gate", "sacre_coeur",
                                             "statue_of_liberty", "taj_mahal"};

inline std::string PhotoName(const std::string& l, int n) {
  return "landmark_" + l + "_" + std::to_string(n) + ".jpg";
}

inline double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

struct Image {
  std::string name;
  cv::Mat bgr;
};

inline std::vector<Image> LoadDir(const fs::path& dir, const std::vector<std::string>& except) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string ext = e.path().extension().string();
    if (ext == ".tsv" || ext == ".md" || ext == ".txt") continue;
    if (std::find(except.begin(), except.end(), e.path().filename().string()) != except.end()) continue;
    files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Image> out;
  for (const fs::path& f : files) {
    cv::Mat m = cv::imread(f.string(), cv::IMREAD_COLOR);
    if (!m.empty()) out.push_back({f.filename().string(), m});
  }
  return out;
}

inline std::vector<float> GalleryMean(const std::vector<std::vector<float>>& g) {
  std::vector<float> m(g.front().size(), 0.f);
  for (const auto& v : g)
    for (size_t k = 0; k < m.size(); ++k) m[k] += v[k] / g.size();
  return m;
}

inline std::vector<float> Centered(std::vector<float> v, const std::vector<float>& mean) {
  if (mean.empty()) return v;
  double n = 0;
  for (size_t k = 0; k < v.size(); ++k) v[k] -= mean[k], n += double(v[k]) * v[k];
  n = std::sqrt(n);
  for (float& x : v) x = static_cast<float>(x / n);
  return v;
}


// A fresh temporary folder (removed by the destructor).
struct TempGallery {
  fs::path path;
  TempGallery() {
    static int n = 0;
    path = fs::temp_directory_path() / ("ocular_landmarks_eval_" + std::to_string(::getpid()) +
                                        "_" + std::to_string(n++));
    fs::create_directories(path);
  }
  ~TempGallery() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

struct TestSet {
  std::map<std::string, cv::Mat> pairs;  // landmark_<l>_<n>.jpg -> image
  std::vector<Image> negatives;
  std::vector<Image> background;
};

// Loads the pairs and negatives from `images` and splits `coco` (when not empty) into
// background (even positions in sorted order) and negatives (odd). Empty pairs on error.
inline TestSet LoadTestSet(const std::string& images, const std::string& coco) {
  TestSet t;
  std::vector<std::string> pair_files;
  for (const std::string& l : kLandmarks) {
    for (int n : {1, 2}) {
      pair_files.push_back(PhotoName(l, n));
      cv::Mat m = cv::imread((fs::path(images) / PhotoName(l, n)).string());
      if (m.empty()) return TestSet{};
      t.pairs[PhotoName(l, n)] = m;
    }
  }
  t.negatives = LoadDir(images, pair_files);
  if (!coco.empty()) {
    std::vector<Image> c = LoadDir(coco, {});
    for (size_t i = 0; i < c.size(); ++i) (i % 2 ? t.negatives : t.background).push_back(c[i]);
  }
  return t;
}

}  // namespace landmarks_bench
