// Celebrity gallery growth (issue 6): time per face match as the celebrity gallery grows.
// Builds synthetic indexes of 10, 100 and 1000 names x 3 templates of random L2-normalised
// 1024-d embeddings (the faceres descriptor size), one of which is a noisy copy of the query,
// and times CelebrityMatcher::Match (a scan of every template: one dot product each). Prints a
// TSV row per size: names, templates, median and p90 match us, whether the true name was found.
// The per-face cost that does not depend on the gallery (alignment + one faceres run, ~34 ms)
// is measured by bench/celebrity_eval's timings; this bench isolates the part that grows.
//
//   build/bench/celebrity_bench [RUNS]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "analyzers/galleries/celebrity_matcher.h"

namespace {

using namespace ocular::gallery;
using Clock = std::chrono::steady_clock;

std::vector<float> Unit(std::mt19937& rng, int dim) {
  std::normal_distribution<float> n(0, 1);
  std::vector<float> v(static_cast<std::size_t>(dim));
  double s = 0;
  for (float& x : v) x = n(rng), s += double(x) * x;
  for (float& x : v) x = static_cast<float>(x / std::sqrt(s));
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 200;
  const int dim = 1024, per_name = 3;
  std::mt19937 rng(7);
  const std::vector<float> query = Unit(rng, dim);
  std::printf("names\ttemplates\tmatch_us_median\tmatch_us_p90\tfound\n");
  for (int names : {10, 100, 1000}) {
    GalleryIndex index;
    for (int i = 0; i < names; ++i) {
      GalleryEntry e;
      e.kind = GalleryKind::kCelebrities;
      e.name = "name-" + std::to_string(i);
      for (int t = 0; t < per_name; ++t) {
        GalleryTemplate tpl;
        tpl.source = 0;
        if (i == names / 2 && t == 0) {  // the true name: the query plus a little noise
          std::vector<float> noise = Unit(rng, dim);
          tpl.embedding = query;
          double s = 0;
          for (int k = 0; k < dim; ++k) {
            tpl.embedding[std::size_t(k)] += 0.3f * noise[std::size_t(k)];
            s += double(tpl.embedding[std::size_t(k)]) * tpl.embedding[std::size_t(k)];
          }
          for (float& x : tpl.embedding) x = static_cast<float>(x / std::sqrt(s));
        } else {
          tpl.embedding = Unit(rng, dim);
        }
        e.templates.push_back(std::move(tpl));
      }
      index.entries.push_back(std::move(e));
    }
    auto matcher = CelebrityMatcher::Create(index);
    if (!matcher.ok()) return std::fprintf(stderr, "%s\n", matcher.status().message().c_str()), 1;
    std::vector<double> us;
    bool found = false;
    for (int r = 0; r < runs; ++r) {
      auto t0 = Clock::now();
      auto m = (*matcher)->Match(query);
      auto t1 = Clock::now();
      us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      found = m.has_value() && m->name == "name-" + std::to_string(names / 2);
    }
    std::sort(us.begin(), us.end());
    std::printf("%d\t%zu\t%.1f\t%.1f\t%s\n", names, (*matcher)->templates(), us[us.size() / 2],
                us[us.size() * 9 / 10], found ? "yes" : "no");
  }
  return 0;
}
