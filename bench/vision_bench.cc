// Pipeline overhead of `analyze` with the vision 4.0 features against the raw ONNX Runtime time
// of the models it runs.
//
//   vision_bench [--images DIR] [--models DIR] [--runs N] [--with-read] [--detector TIER]
//                [--intra-op-threads N]
//
// For each of 10 shared photos: the median wall time of Engine::Analyze with tags, caption,
// denseCaptions, objects, people and smartCrops (decode, preprocessing, models, NMS, rules,
// saliency), and the median time of the bare Session::Run calls of the same passes on
// already-preprocessed tensors (the detector tier's models once each, the face detector once
// plus 4 tiles when the decoded image is >= 384 px, NSFW once), in the same process with the same
// sessions and threads. overhead = analyze / ORT - 1. --with-read adds read to the request (its
// OCR models' ORT time is then not in the ORT column; see ocr_bench). --intra-op-threads: ONNX
// Runtime threads per session (EngineOptions; 0 = one per core). --concurrency N: afterwards, N
// threads analyze the 10 photos --runs times each at once, and the throughput (requests/s) is
// printed: what a loaded server gets from the same settings.
#include <algorithm>
#include <atomic>
#include <thread>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "analyzers/detection/detector.h"
#include "analyzers/engine.h"
#include "bench_files.h"
#include "core/image.h"
#include "runtime/model_repository.h"
#include "runtime/preprocess.h"

namespace fs = std::filesystem;
using namespace ocular;
using Clock = std::chrono::steady_clock;

namespace {

double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Bare Run of one model on `img` (preprocessed outside the timing). Returns ms.
double TimeRun(const runtime::Model& m, const cv::Mat& img, bool letterbox, bool centre = false) {
  runtime::PreprocessOptions po;
  if (letterbox) {
    po.resize = runtime::ResizeMode::kLetterbox;
    po.letterbox_center = centre;
  }
  auto p = runtime::PreprocessImage(img, m.config.inputs[0], po);
  if (!p.ok()) return 0;
  std::vector<runtime::Tensor> in = {std::move(p->tensor)};
  auto t0 = Clock::now();
  auto out = m.session->Run(in);
  auto t1 = Clock::now();
  return out.ok() ? Ms(t0, t1) : 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string images = "/work/shared/testdata/images", models = "models";
  int runs = 3;
  bool with_read = false;
  std::string tier = kDetectorAuto;
  int intra = EngineOptions().intra_op_threads;
  int concurrency = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--with-read") with_read = true;
    if (i + 1 >= argc) continue;
    if (a == "--images") images = argv[i + 1];
    if (a == "--models") models = argv[i + 1];
    if (a == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
    if (a == "--detector") tier = argv[i + 1];
    if (a == "--intra-op-threads") intra = std::atoi(argv[i + 1]);
    if (a == "--concurrency") concurrency = std::atoi(argv[i + 1]);
  }
  const std::vector<std::string> files = {
      "street_bus.jpg",        "faces_zidane.jpg",     "animal_dog_bicycle.jpg",
      "animal_giraffe_zebra.jpg", "indoor_kitchen.jpg", "food_pizza.jpg",
      "sports_tennis.jpg",     "portrait_obama.jpg",   "landmark_colosseum.jpg",
      "people_dog_horse.jpg"};
  EngineOptions eo;
  eo.model_repo = models;
  eo.detector = tier;
  eo.intra_op_threads = intra;
  auto engine = Engine::Create(eo);
  runtime::RepositoryOptions ro;
  ro.session.intra_op_threads = intra;
  auto repo = runtime::ModelRepository::Open(models, ro);
  if (!engine.ok() || !repo.ok()) return std::fprintf(stderr, "cannot open %s\n", models.c_str()), 1;
  auto detector = CreateDetector(repo->get(), tier);
  if (!detector.ok()) return std::fprintf(stderr, "%s\n", detector.status().message().c_str()), 1;
  // The detector tier's models (detection/detector.h): YOLO letterboxes (centred), the ensemble
  // stretches.
  std::vector<std::shared_ptr<const runtime::Model>> object_models;
  for (const std::string& name : (*detector)->model_names()) {
    auto m = (*repo)->Load(name);
    if (!m.ok()) return std::fprintf(stderr, "%s\n", m.status().message().c_str()), 1;
    object_models.push_back(*m);
  }
  const bool yolo = (*detector)->tier() != kEnsembleTier;
  const int decode_side = std::max(512, (*detector)->min_long_side());
  std::printf("detector\t%s\tintra-op threads\t%d\n", (*detector)->tier().c_str(), intra);
  auto face = (*repo)->Load("facemesh-detection-full");
  std::string nsfw_name;
  for (const std::string& n : (*repo)->ModelNames()) {
    if (n.rfind("nsfw", 0) == 0) nsfw_name = n;
  }
  auto nsfw = (*repo)->Load(nsfw_name);
  if (!face.ok() || !nsfw.ok()) return std::fprintf(stderr, "models missing\n"), 1;
  std::printf("image\tanalyze_ms\tort_ms\toverhead\n");
  double sum_a = 0, sum_o = 0;
  for (const std::string& f : files) {
    const std::vector<std::uint8_t> bytes = bench::ReadFileBytes(fs::path(images) / f);
    AnalysisRequest req;
    req.features = {Feature::kTags,    Feature::kCaption, Feature::kDenseCaptions,
                    Feature::kObjects, Feature::kPeople,  Feature::kSmartCrops};
    if (with_read) req.features.insert(Feature::kRead);
    std::vector<double> ta, to;
    for (int k = 0; k < runs + 1; ++k) {  // the first run warms up
      auto t0 = Clock::now();
      auto r = (*engine)->Analyze(bytes, req);
      auto t1 = Clock::now();
      if (!r.ok()) return std::fprintf(stderr, "%s: %s\n", f.c_str(), r.status().message().c_str()), 1;
      // The same decode the engine did (the largest min_long_side of these analyzers).
      DecodeOptions d;
      d.min_long_side = decode_side;
      auto img = IngestImage(bytes, ApiVersion::kV40, d);
      if (!img.ok()) return 1;
      double ort = TimeRun(**nsfw, img->bgr, false) + TimeRun(**face, img->bgr, true, false);
      for (const auto& m : object_models) ort += TimeRun(*m, img->bgr, yolo, true);
      if (std::max(img->bgr.cols, img->bgr.rows) >= 2 * 192) {
        const int tw = int(img->bgr.cols * 0.6), th = int(img->bgr.rows * 0.6);
        for (int ty = 0; ty < 2; ++ty) {
          for (int tx = 0; tx < 2; ++tx) {
            cv::Rect roi(tx ? img->bgr.cols - tw : 0, ty ? img->bgr.rows - th : 0, tw, th);
            ort += TimeRun(**face, img->bgr(roi), true, false);
          }
        }
      }
      if (k == 0) continue;
      ta.push_back(Ms(t0, t1));
      to.push_back(ort);
    }
    double a = Median(ta), o = Median(to);
    sum_a += a, sum_o += o;
    std::printf("%s\t%.1f\t%.1f\t%+.0f%%\n", f.c_str(), a, o, 100.0 * (a / o - 1));
  }
  std::printf("mean\t%.1f\t%.1f\t%+.0f%%\n", sum_a / files.size(), sum_o / files.size(),
              100.0 * (sum_a / sum_o - 1));
  if (concurrency > 0) {
    std::vector<std::vector<std::uint8_t>> all;
    for (const std::string& f : files) all.push_back(bench::ReadFileBytes(fs::path(images) / f));
    AnalysisRequest req;
    req.features = {Feature::kTags,    Feature::kCaption, Feature::kDenseCaptions,
                    Feature::kObjects, Feature::kPeople,  Feature::kSmartCrops};
    std::atomic<int> done{0}, failed{0};
    auto t0 = Clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < concurrency; ++t) {
      threads.emplace_back([&, t] {
        for (int k = 0; k < runs; ++k) {
          for (std::size_t i = 0; i < all.size(); ++i) {
            auto r = (*engine)->Analyze(all[(i + std::size_t(t)) % all.size()], req);
            (r.ok() ? done : failed)++;
          }
        }
      });
    }
    for (std::thread& th : threads) th.join();
    const double s = Ms(t0, Clock::now()) / 1000;
    std::printf("concurrency\t%d\trequests\t%d\tfailed\t%d\tseconds\t%.1f\trequests/s\t%.2f\n",
                concurrency, done.load(), failed.load(), s, done / s);
  }
  return 0;
}
