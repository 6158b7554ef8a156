// False-positive rate of the adult/racy flags on safe photos (all of shared/testdata/images and
// shared/testdata/coco-dev/images are safe).
//
//   adult_eval [--models DIR] [--verbose] [--gate] DIR...
//
// For each image: the NSFW class probabilities, the person evidence and the AdultResult of the
// v3.2 mapping (adult_analyzer.h). Prints the counts flagged by the shipped mapping, and for
// comparison by naive 0.5 thresholds (Porn+Hentai, Sexy, Drawing). --verbose lists the images
// that any rule flags (file names only). --gate (the CTest accuracy.adult_safe_images): exit 3
// when the shipped mapping flags any of these safe images, 77 (skipped) when a DIR is missing.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "analyzers/vision/adult_analyzer.h"
#include "analyzers/vision/vision.h"
#include "bench_files.h"
#include "core/image.h"
#include "runtime/model_repository.h"

namespace fs = std::filesystem;
using namespace ocular;

int main(int argc, char** argv) {
  std::string models = "models";
  bool verbose = false, gate = false;
  std::vector<std::string> dirs;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--models" && i + 1 < argc) {
      models = argv[++i];
    } else if (a == "--verbose") {
      verbose = true;
    } else if (a == "--gate") {
      gate = true;
    } else {
      dirs.push_back(a);
    }
  }
  if (dirs.empty()) {
    dirs = {"/work/shared/testdata/images", "/work/shared/testdata/coco-dev/images"};
  }
  for (const std::string& dir : dirs) {
    if (!fs::is_directory(dir)) return std::printf("skipped: no %s\n", dir.c_str()), 77;
  }
  auto repo = runtime::ModelRepository::Open(models);
  if (!repo.ok()) return std::fprintf(stderr, "%s\n", repo.status().message().c_str()), 1;
  VisionModels m = LoadVisionModels(repo->get(), kDetectorAuto);
  if (!m.nsfw) return std::fprintf(stderr, "%s\n", m.nsfw_status.message().c_str()), 1;
  int n = 0, adult = 0, racy = 0, naive_adult = 0, naive_sexy = 0, naive_drawing = 0;
  double max_adult = 0, max_racy = 0, max_adult_person = 0, max_racy_person = 0;
  for (const std::string& dir : dirs) {
    for (const fs::path& f : bench::ImageFiles(dir)) {
      const std::vector<std::uint8_t> bytes = bench::ReadFileBytes(f);
      std::span<const std::uint8_t> span(bytes);
      DecodeOptions opt;
      opt.min_long_side = 512;
      auto img = IngestImage(span, ApiVersion::kV40, opt);
      if (!img.ok()) continue;
      auto s = m.nsfw->Classify(img->bgr);
      if (!s.ok()) return std::fprintf(stderr, "%s\n", s.status().message().c_str()), 1;
      std::optional<bool> person;
      if (m.objects) {
        auto dets = m.objects->Detect(img->bgr, img->info.width, img->info.height);
        if (!dets.ok()) return 1;
        bool any = false;
        for (const Detection& d : *dets) any |= d.label == "person" && d.confident;
        person = any;
      }
      AdultResult r = MapAdult(*s, person);
      ++n;
      adult += r.is_adult;
      racy += r.is_racy;
      bool na = s->porn + s->hentai >= 0.5, ns = s->sexy >= 0.5, nd = s->drawing >= 0.5;
      naive_adult += na, naive_sexy += ns, naive_drawing += nd;
      max_adult = std::max(max_adult, r.adult_score);
      max_racy = std::max(max_racy, r.racy_score);
      if (person.value_or(true)) {
        max_adult_person = std::max(max_adult_person, r.adult_score);
        max_racy_person = std::max(max_racy_person, r.racy_score);
      }
      if (verbose && (na || ns || nd || r.is_adult || r.is_racy || dirs.size() == 1)) {
        std::printf("%s\tadult %.3f\tracy %.3f\tdrawing %.3f\tperson %d\tflags %d%d\n",
                    f.filename().c_str(), r.adult_score, r.racy_score, s->drawing,
                    int(person.value_or(true)), int(r.is_adult), int(r.is_racy));
      }
    }
  }
  std::printf("images\t%d\n", n);
  std::printf("isAdultContent\t%d\t%.1f%%\n", adult, 100.0 * adult / std::max(1, n));
  std::printf("isRacyContent\t%d\t%.1f%%\n", racy, 100.0 * racy / std::max(1, n));
  std::printf("naive Porn+Hentai>=0.5\t%d\t%.1f%%\n", naive_adult, 100.0 * naive_adult / std::max(1, n));
  std::printf("naive Sexy>=0.5\t%d\t%.1f%%\n", naive_sexy, 100.0 * naive_sexy / std::max(1, n));
  std::printf("naive Drawing>=0.5\t%d\t%.1f%%\n", naive_drawing, 100.0 * naive_drawing / std::max(1, n));
  std::printf("max adultScore\t%.3f\t(with a person %.3f)\n", max_adult, max_adult_person);
  std::printf("max racyScore\t%.3f\t(with a person %.3f)\n", max_racy, max_racy_person);
  if (gate && (adult > 0 || racy > 0 || n == 0)) return 3;
  return 0;
}
