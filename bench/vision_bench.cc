// Pipeline overhead of `analyze` with the vision 4.0 features against the raw ONNX Runtime time
// of the models it runs.
//
//   vision_bench [--images DIR] [--models DIR] [--runs N] [--with-read]
//
// For each of 10 shared photos: the median wall time of Engine::Analyze with tags, caption,
// denseCaptions, objects, people and smartCrops (decode, preprocessing, models, NMS, rules,
// saliency), and the median time of the bare Session::Run calls of the same passes on
// already-preprocessed tensors (CenterNet once, the face detector once plus 4 tiles when the
// decoded image is >= 384 px, NSFW once). overhead = analyze / ORT - 1. --with-read adds read
// to the request (its OCR models' ORT time is then not in the ORT column; see ocr_bench).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

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
double TimeRun(const runtime::Model& m, const cv::Mat& img, bool letterbox) {
  runtime::PreprocessOptions po;
  if (letterbox) {
    po.resize = runtime::ResizeMode::kLetterbox;
    po.letterbox_center = false;
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
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--with-read") with_read = true;
    if (i + 1 >= argc) continue;
    if (a == "--images") images = argv[i + 1];
    if (a == "--models") models = argv[i + 1];
    if (a == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
  }
  const std::vector<std::string> files = {
      "street_bus.jpg",        "faces_zidane.jpg",     "animal_dog_bicycle.jpg",
      "animal_giraffe_zebra.jpg", "indoor_kitchen.jpg", "food_pizza.jpg",
      "sports_tennis.jpg",     "portrait_obama.jpg",   "landmark_colosseum.jpg",
      "people_dog_horse.jpg"};
  EngineOptions eo;
  eo.model_repo = models;
  auto engine = Engine::Create(eo);
  auto repo = runtime::ModelRepository::Open(models);
  if (!engine.ok() || !repo.ok()) return std::fprintf(stderr, "cannot open %s\n", models.c_str()), 1;
  auto centernet = (*repo)->Load("centernet");
  auto face = (*repo)->Load("facemesh-detection-full");
  // The objects pipeline fuses NanoDet with CenterNet when it is installed (the detector tier, detection/detector.h).
  std::shared_ptr<const runtime::Model> nanodet;
  if (!(*repo)->Versions("nanodet").empty()) {
    auto n = (*repo)->Load("nanodet");
    if (n.ok()) nanodet = *n;
  }
  std::string nsfw_name;
  for (const std::string& n : (*repo)->ModelNames()) {
    if (n.rfind("nsfw", 0) == 0) nsfw_name = n;
  }
  auto nsfw = (*repo)->Load(nsfw_name);
  if (!centernet.ok() || !face.ok() || !nsfw.ok()) return std::fprintf(stderr, "models missing\n"), 1;
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
      // The same decode the engine did (the largest min_long_side of these analyzers: 512).
      DecodeOptions d;
      d.min_long_side = 512;
      auto img = IngestImage(bytes, ApiVersion::kV40, d);
      if (!img.ok()) return 1;
      double ort = TimeRun(**centernet, img->bgr, false) + TimeRun(**nsfw, img->bgr, false) +
                   TimeRun(**face, img->bgr, true);
      if (nanodet) ort += TimeRun(*nanodet, img->bgr, false);
      if (std::max(img->bgr.cols, img->bgr.rows) >= 2 * 192) {
        const int tw = int(img->bgr.cols * 0.6), th = int(img->bgr.rows * 0.6);
        for (int ty = 0; ty < 2; ++ty) {
          for (int tx = 0; tx < 2; ++tx) {
            cv::Rect roi(tx ? img->bgr.cols - tw : 0, ty ? img->bgr.rows - th : 0, tw, th);
            ort += TimeRun(**face, img->bgr(roi), true);
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
  return 0;
}
