// Gallery benchmark (issue 6): time added per request by gallery matching as the gallery grows.
// Builds synthetic galleries of 10, 100 and 1000 names (each name: one template of 500 RootSIFT
// descriptors drawn from real SIFT descriptors of random shape patterns plus noise, at random
// positions; one name is the real pattern the query shows), then times GalleryMatcher::Match on
// one query (a perspective-warped copy of that pattern, 1024 px, up to 4000 points).
// Prints a TSV row per size: names, templates, descriptors, index build ms, median match ms,
// p90 match ms, whether the true name was found. Query feature extraction (independent of the
// gallery size) is printed once.
// A second table times the landmark global path (GlobalMatcher::Best, regional descriptors of
// 15 x 576 floats, 3 templates per name, 64 background descriptors) at the same sizes, with the
// R-MAC shortlist (shipped) and with every name scored region by region (a scan).
//
//   build-*/bench/gallery_bench [RUNS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analyzers/galleries/gallery_analyzers.h"
#include "analyzers/galleries/gallery_matcher.h"
#include "analyzers/galleries/landmark_global.h"

namespace {

using namespace ocular::gallery;
using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

cv::Mat Pattern(unsigned seed) {
  cv::RNG rng(seed);
  cv::Mat img(600, 800, CV_8UC3, cv::Scalar(255, 255, 255));
  for (int i = 0; i < 250; ++i) {
    cv::Scalar c(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255));
    cv::Point p(rng.uniform(0, 800), rng.uniform(0, 600));
    if (i % 2) {
      cv::circle(img, p, rng.uniform(3, 30), c, cv::FILLED);
    } else {
      cv::rectangle(img, p, p + cv::Point(rng.uniform(4, 50), rng.uniform(4, 50)), c, cv::FILLED);
    }
  }
  return img;
}

}  // namespace

// A random regional descriptor: `regions` L2-normalised parts of `dim` non-negative floats;
// `base` (same size) is mixed in with weight 0.8 when given.
std::vector<float> Regional(std::mt19937& rng, int regions, int dim, const std::vector<float>* base) {
  std::uniform_real_distribution<float> u(0.f, 1.f);
  std::vector<float> v(size_t(regions) * dim);
  for (size_t i = 0; i < v.size(); ++i) v[i] = u(rng) * u(rng) + (base ? 4.f * (*base)[i] : 0.f);
  for (int r = 0; r < regions; ++r) {
    double n = 0;
    for (int k = 0; k < dim; ++k) n += double(v[r * dim + k]) * v[r * dim + k];
    for (int k = 0; k < dim; ++k) v[r * dim + k] = float(v[r * dim + k] / std::sqrt(n));
  }
  return v;
}

bool GlobalPath(int runs) {
  const int kRegions = 15, kDim = 576;
  std::mt19937 rng(7);
  std::vector<std::vector<float>> background;
  for (int i = 0; i < 64; ++i) background.push_back(Regional(rng, kRegions, kDim, nullptr));
  const std::vector<float> truth = Regional(rng, kRegions, kDim, nullptr);
  const std::vector<float> query = Regional(rng, kRegions, kDim, &truth);
  std::printf("# landmark global path (regional descriptors %d x %d, 64 background)\n", kRegions, kDim);
  std::printf("names\ttemplates\tshortlist_ms_median\tshortlist_ms_p90\tscan_ms_median\tfound\n");
  for (int names : {10, 100, 1000}) {
    GalleryIndex index;
    index.embedding_regions = kRegions;
    for (int n = 0; n < names; ++n) {
      GalleryEntry e{GalleryKind::kLandmarks, n == names / 2 ? "truth" : "name" + std::to_string(n), {}, {}, {}, {}};
      for (int t = 0; t < 3; ++t) {
        GalleryTemplate tmpl;
        tmpl.embedding = n == names / 2 && t == 0 ? truth : Regional(rng, kRegions, kDim, nullptr);
        e.templates.push_back(std::move(tmpl));
      }
      index.entries.push_back(std::move(e));
    }
    GlobalMatchOptions scan_options;
    scan_options.shortlist = names;
    auto shortlist = GlobalMatcher::Create(index);
    auto scan = GlobalMatcher::Create(index, scan_options);
    if (!shortlist.ok() || !scan.ok()) return false;
    auto time = [&](const GlobalMatcher& m, bool* found) {
      std::vector<double> times;
      for (int r = 0; r < runs; ++r) {
        bool accepted = false;
        auto t0 = Clock::now();
        auto best = m.Best(query, background, &accepted);
        times.push_back(Ms(t0, Clock::now()));
        *found = best && best->name == "truth" && accepted;
      }
      std::sort(times.begin(), times.end());
      return std::make_pair(times[times.size() / 2], times[std::min(times.size() - 1, times.size() * 9 / 10)]);
    };
    bool found_short = false, found_scan = false;
    const auto [median, p90] = time(*shortlist, &found_short);
    const auto scan_times = time(*scan, &found_scan);
    std::printf("%d\t%zu\t%.2f\t%.2f\t%.2f\t%s\n", names, shortlist->templates(), median, p90,
                scan_times.first, found_short && found_scan ? "yes" : "no");
  }
  return true;
}

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 15;
  const int kDescriptors = 500;
  // A pool of real descriptors to draw synthetic templates from.
  cv::Mat pool;
  for (unsigned s = 100; s < 110; ++s) {
    auto f = ExtractFeatures(Pattern(s), FeatureOptions{800, 2000});
    if (!f.ok()) return 1;
    pool.push_back(f->descriptors);
  }
  auto truth = ExtractFeatures(Pattern(1), FeatureOptions{800, kDescriptors});
  cv::Mat warped;
  cv::Mat h = (cv::Mat_<double>(3, 3) << 0.9, 0.08, 80, -0.04, 0.9, 50, 0.0001, 0.0001, 1);
  cv::warpPerspective(Pattern(1), warped, h, cv::Size(1024, 768), cv::INTER_LINEAR,
                      cv::BORDER_CONSTANT, cv::Scalar(128, 128, 128));
  auto t0 = Clock::now();
  auto query = ExtractFeatures(warped, LandmarkQueryOptions());
  auto t1 = Clock::now();
  if (!truth.ok() || !query.ok()) return 1;
  std::printf("# query feature extraction: %.1f ms (%zu points)\n", Ms(t0, t1),
              query->points.size());
  auto qindex = QueryIndex::Build(*query);
  if (!qindex.ok()) return 1;
  std::printf("names\ttemplates\tdescriptors\tindex_build_ms\tmatch_ms_median\tmatch_ms_p90\tfound\n");
  std::mt19937 rng(42);
  std::normal_distribution<float> noise(0.f, 0.02f);
  std::uniform_int_distribution<int> pick(0, pool.rows - 1);
  std::uniform_real_distribution<float> pos(0.f, 800.f);
  for (int names : {10, 100, 1000}) {
    GalleryIndex index;
    for (int n = 0; n < names; ++n) {
      GalleryEntry e{GalleryKind::kBrands, "name" + std::to_string(n), {}, {}, {}, {}};
      GalleryTemplate t;
      t.source = -1;
      if (n == names / 2) {
        e.name = "truth";
        t.features = *truth;
      } else {
        LocalFeatures& f = t.features;
        f.width = 800;
        f.height = 600;
        f.descriptors = cv::Mat(kDescriptors, 128, CV_32F);
        for (int i = 0; i < kDescriptors; ++i) {
          pool.row(pick(rng)).copyTo(f.descriptors.row(i));
          for (int j = 0; j < 128; ++j) {
            f.descriptors.at<float>(i, j) = std::max(0.f, f.descriptors.at<float>(i, j) + noise(rng));
          }
          f.points.emplace_back(pos(rng), pos(rng) * 0.75f);
        }
      }
      e.templates.push_back(std::move(t));
      index.entries.push_back(std::move(e));
    }
    auto b0 = Clock::now();
    auto matcher = GalleryMatcher::Create(index, GalleryKind::kBrands, BrandMatcherOptions());
    auto b1 = Clock::now();
    if (!matcher.ok()) return 1;
    std::vector<double> times;
    bool found = false;
    for (int r = 0; r < runs; ++r) {
      auto m0 = Clock::now();
      auto result = (*matcher)->Match(*qindex);
      auto m1 = Clock::now();
      if (!result.ok()) return 1;
      found = !result->empty() && result->front().name == "truth";
      times.push_back(Ms(m0, m1));
    }
    std::sort(times.begin(), times.end());
    std::printf("%d\t%zu\t%d\t%.1f\t%.2f\t%.2f\t%s\n", names, (*matcher)->templates(),
                names * kDescriptors, Ms(b0, b1), times[times.size() / 2],
                times[std::min(times.size() - 1, times.size() * 9 / 10)], found ? "yes" : "no");
  }
  return GlobalPath(runs) ? 0 : 1;
}
