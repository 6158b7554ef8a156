// Landmark recognition: evaluation of the shipped pipeline and threshold calibration (issue 6).
//
// Protocol: the shared test set has two photos of each of five landmarks. Enroll photo 1 of each
// (BuildIndex with the landmark descriptor, as `ocular gallery build`) and query photo 2, then
// the reverse (10 queries). Every other shared image, and with --coco the odd-numbered coco-dev
// images (the even-numbered ones are the shipped background), is a negative: it must match
// neither gallery. Each query runs RecognizeLandmarks (landmark_recognizer.h), as the analyzer.
//
//   landmarks_eval [--models DIR] [--images DIR] [--coco DIR] [--background-rank K]
//                  [--min-margin M]     (defaults: the shipped GlobalMatchOptions)
//   landmarks_eval --write-background FILE --coco DIR [--models DIR]
//
// Prints per query: the top-1 name of each path, the global margin and the merged result; per
// negative with any positive global margin: its best margin; then the calibration (lowest
// margin of a correct global top-1, highest margin of any non-matching image, the threshold in
// use), the totals and the time per request (median).
// --write-background: the background file of the descriptor model (descriptors of the
// even-numbered images of DIR, one per line; the repository keeps it gzipped), see
// scripts/setup.d/40-models.sh.
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "analyzers/galleries/gallery_build.h"
#include "analyzers/galleries/landmark_recognizer.h"
#include "landmarks_data.h"
#include "runtime/model_repository.h"

using namespace ocular;
using namespace ocular::gallery;
using namespace landmarks_bench;

namespace {

int WriteBackground(const LandmarkDescriber& d, const std::vector<Image>& background,
                    const std::string& file) {
  std::ofstream out(file);
  out << "# landmark background: " << d.id() << "; " << background.size()
      << " images (even-numbered coco-dev images, sorted by name)\n";
  for (const Image& b : background) {
    StatusOr<std::vector<float>> v = d.Describe(b.bgr);
    if (!v.ok()) return std::fprintf(stderr, "%s: %s\n", b.name.c_str(), v.status().message().c_str()), 1;
    for (size_t k = 0; k < v->size(); ++k) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s%.5g", k ? " " : "", (*v)[k]);
      out << buf;
    }
    out << "\n";
  }
  std::printf("wrote %zu descriptors to %s\n", background.size(), file.c_str());
  return out ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string models = "models", images = "/work/shared/testdata/images", coco, write;
  int rank = GlobalMatchOptions().background_rank;
  double min_margin = GlobalMatchOptions().min_margin;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--models" && i + 1 < argc) models = argv[++i];
    else if (a == "--images" && i + 1 < argc) images = argv[++i];
    else if (a == "--coco" && i + 1 < argc) coco = argv[++i];
    else if (a == "--write-background" && i + 1 < argc) write = argv[++i];
    else if (a == "--background-rank" && i + 1 < argc) rank = std::atoi(argv[++i]);
    else if (a == "--min-margin" && i + 1 < argc) min_margin = std::atof(argv[++i]);
    else return std::fprintf(stderr, "unknown argument %s\n", a.c_str()), 2;
  }
  auto repo = runtime::ModelRepository::Open(models);
  if (!repo.ok()) return std::fprintf(stderr, "%s\n", repo.status().message().c_str()), 1;
  // Writing the background needs the model only (its background file may not exist yet).
  auto describer =
      write.empty() ? LandmarkDescriber::Load(**repo) : DescriberWithoutBackground(**repo);
  if (!describer.ok()) return std::fprintf(stderr, "%s\n", describer.status().message().c_str()), 1;
  const LandmarkDescriber& d = **describer;
  TestSet t = LoadTestSet(images, coco);
  if (t.pairs.empty()) return std::fprintf(stderr, "landmark pairs missing in %s\n", images.c_str()), 1;
  if (!write.empty()) return WriteBackground(d, t.background, write);
  std::printf("# descriptor: %s; background: %zu descriptors; negatives: %zu images\n",
              d.id().c_str(), d.background().size(), t.negatives.size());
  GlobalMatchOptions gopt;
  gopt.background_rank = rank;
  gopt.min_margin = min_margin;
  int correct = 0, wrong = 0, missed = 0, false_matches = 0;
  double min_correct_margin = 1, max_other_margin = -1;
  std::string max_other_name;
  std::vector<double> times, correct_margins;
  std::printf("gallery\tquery\tlocal_top1\tlocal_inliers\tglobal_top1\tglobal_margin\tresult\tconfidence\n");
  for (int e : {1, 2}) {
    TempGallery dir;
    for (const std::string& l : kLandmarks) {
      fs::create_directories(dir.path / "landmarks" / l);
      fs::copy_file(fs::path(images) / PhotoName(l, e), dir.path / "landmarks" / l / PhotoName(l, e));
    }
    BuildReport report;
    auto index = BuildIndex(dir.path, BuildOptions{.enroll_face = nullptr, .describer = &d}, &report);
    if (!index.ok()) return std::fprintf(stderr, "%s\n", index.status().message().c_str()), 1;
    auto local = GalleryMatcher::Create(*index, GalleryKind::kLandmarks, LandmarkMatcherOptions());
    auto global = GlobalMatcher::Create(*index, gopt);
    if (!local.ok() || !global.ok()) return std::fprintf(stderr, "matcher creation failed\n"), 1;
    auto run = [&](const cv::Mat& img) {
      auto t0 = Clock::now();
      StatusOr<LandmarkResult> r = RecognizeLandmarks(img, **local, &*global, &d);
      times.push_back(Ms(t0, Clock::now()));
      if (!r.ok()) std::fprintf(stderr, "%s\n", r.status().message().c_str());
      return r.ok() ? *r : LandmarkResult{};
    };
    for (const std::string& l : kLandmarks) {
      const std::string q = PhotoName(l, 3 - e);
      LandmarkResult r = run(t.pairs[q]);
      const std::string top = r.matches.empty() ? "-" : r.matches.front().name;
      if (top == "-") ++missed;
      else if (top == l) ++correct;
      else ++wrong;
      if (r.global && r.global->name == l) {
        min_correct_margin = std::min(min_correct_margin, r.global->margin);
        correct_margins.push_back(r.global->margin);
      }
      if (r.global && r.global->name != l && r.global->margin > max_other_margin) {
        max_other_margin = r.global->margin, max_other_name = q + "~" + r.global->name;
      }
      std::printf("photo %d\t%s\t%s\t%d\t%s\t%+.4f\t%s\t%.3f\n", e, q.c_str(),
                  r.local.empty() ? "-" : r.local.front().name.c_str(),
                  r.local.empty() ? 0 : r.local.front().inliers,
                  r.global ? r.global->name.c_str() : "-", r.global ? r.global->margin : 0.0,
                  top.c_str(), r.matches.empty() ? 0.0 : r.matches.front().confidence);
    }
    for (const Image& n : t.negatives) {
      LandmarkResult r = run(n.bgr);
      if (r.global && r.global->margin > max_other_margin) {
        max_other_margin = r.global->margin, max_other_name = n.name + "~" + r.global->name;
      }
      if (!r.matches.empty()) {
        ++false_matches;
        std::printf("photo %d\t%s\tFALSE MATCH %s (%.3f)\n", e, n.name.c_str(),
                    r.matches.front().name.c_str(), r.matches.front().confidence);
      } else if (r.global && r.global->margin > 0) {
        std::printf("photo %d\t%s\tnegative, global margin %+.4f (%s)\n", e, n.name.c_str(),
                    r.global->margin, r.global->name.c_str());
      }
    }
  }
  // The descriptor alone (one network run + R-MAC), on the 10 pair photos.
  std::vector<double> describe;
  for (const auto& [name, img] : t.pairs) {
    auto t0 = Clock::now();
    (void)d.Describe(img);
    describe.push_back(Ms(t0, Clock::now()));
  }
  std::sort(describe.begin(), describe.end());
  std::sort(times.begin(), times.end());
  std::printf("# calibration: highest margin of any non-matching image (negatives, wrong top-1s) "
              "%.4f (%s); lowest margin of a correct global top-1 %.4f (correct top-1s above the "
              "highest non-matching margin: %d); threshold min_margin %.4f\n",
              max_other_margin, max_other_name.c_str(), min_correct_margin,
              static_cast<int>(std::count_if(correct_margins.begin(), correct_margins.end(),
                                             [&](double m) { return m > max_other_margin; })),
              gopt.min_margin);
  std::printf("# top-1 correct %d/10, wrong %d, missed %d; false matches on %zu negatives x 2 "
              "galleries: %d\n", correct, wrong, missed, t.negatives.size(), false_matches);
  std::printf("# time per request (SIFT + descriptor + matching): median %.1f ms, p90 %.1f ms over %zu\n",
              times[times.size() / 2], times[times.size() * 9 / 10], times.size());
  std::printf("# of which the global descriptor: median %.1f ms\n", describe[describe.size() / 2]);
  return 0;
}
