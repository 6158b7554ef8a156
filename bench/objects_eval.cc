// Object detection accuracy on a YOLO-format labelled set (shared/testdata/coco-dev).
//
//   objects_eval [--data DIR] [--models DIR] [--detector TIER] [--min-precision P] [--min-ap A]
//                [--calibration]
//   ensemble tier only: [--no-ensemble] [--weights WC WN] [--fusion-iou X] [--flip]
//   any tier: [--tta-flip] [--fuse-with TIER2]: experiments (docs/accuracy.md) that run the tier
//   on the mirrored image too, and/or a second tier, and fuse the box lists by weighted box
//   fusion (FuseBoxes, equal weights, IoU 0.55) then class-wise NMS 0.5, at the summed cost.
//
// --min-precision / --min-ap (the CTest accuracy.objects_* gates): exit 3 when the boxes
// returned at the tier's object threshold are less than P correct, or their AP50 is below A;
// 77 (skipped) when DIR has no images or the tier's model is not installed.
// --calibration: also print the tier's calibration table as JSON, for its pack spec
// (tools/convert/pack/<tier>.json): for each score band [t_i, t_i+1) of the thresholds below,
// the precision of the boxes scoring in that band (matched at the floor, greedily by score),
// made non-decreasing (a higher band never gets a lower value: pool-adjacent-violators), as the
// point (t_i, precision); the last point is (1, 1).
//
// Runs the objects pipeline exactly as `analyze` does (decode at the tier's size, the tier's
// decoding and NMS; the ensemble flags change EnsembleDetectorOptions to compare) on
// DIR/images/*.jpg against DIR/labels/<id>.txt ("class cx cy w h", normalised), and
// prints, per score threshold: AP50 over the boxes returned at that threshold (VOC-style
// all-point interpolation, mean over the classes present in the labels), the precision of the
// returned boxes (a box is correct when it matches an unmatched label box of its class with
// IoU >= 0.5, greedily by score) and their recall. The row "default" is the tier's threshold.
// The last lines give the mean detector time per image (decode excluded).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "analyzers/detection/nms.h"
#include "analyzers/vision/objects_analyzer.h"
#include "analyzers/detection/ensemble_detector.h"
#include "analyzers/vision/vision.h"
#include "core/image.h"

#include <opencv2/core.hpp>
#include "runtime/model_repository.h"

namespace fs = std::filesystem;
using namespace ocular;

namespace {

struct Box {
  int cls;
  double x1, y1, x2, y2;
};

struct ImageResult {
  std::vector<Box> truth;
  std::vector<Detection> dets;
};

std::vector<char> ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<char>(std::istreambuf_iterator<char>(in), {});
}

double IoU(const Box& a, const Detection& d) {
  ScoredBox x{a.x1, a.y1, a.x2, a.y2, 0, 0}, y{d.x1, d.y1, d.x2, d.y2, 0, 0};
  return BoxIoU(x, y);
}

struct Scored {
  double score;
  bool tp;
};

// Matches detections >= thr to truth per image and class; returns per-class lists.
void Match(const std::vector<ImageResult>& images, double thr, std::map<int, std::vector<Scored>>& by_cls,
           std::map<int, int>& npos) {
  for (const ImageResult& im : images) {
    for (const Box& b : im.truth) ++npos[b.cls];
    std::vector<bool> used(im.truth.size(), false);
    std::vector<const Detection*> ds;
    for (const Detection& d : im.dets) {
      if (d.score >= thr) ds.push_back(&d);
    }
    std::stable_sort(ds.begin(), ds.end(),
                     [](const Detection* a, const Detection* b) { return a->score > b->score; });
    for (const Detection* d : ds) {
      double best = 0.5;
      int bi = -1;
      for (std::size_t i = 0; i < im.truth.size(); ++i) {
        if (used[i] || im.truth[i].cls != d->cls) continue;
        double iou = IoU(im.truth[i], *d);
        if (iou >= best) best = iou, bi = int(i);
      }
      if (bi >= 0) used[std::size_t(bi)] = true;
      by_cls[d->cls].push_back({d->score, bi >= 0});
    }
  }
}

double AveragePrecision(std::vector<Scored> s, int npos) {
  if (npos == 0) return 0;
  std::stable_sort(s.begin(), s.end(), [](const Scored& a, const Scored& b) { return a.score > b.score; });
  std::vector<double> prec, rec;
  int tp = 0, fp = 0;
  for (const Scored& x : s) {
    x.tp ? ++tp : ++fp;
    prec.push_back(double(tp) / (tp + fp));
    rec.push_back(double(tp) / npos);
  }
  for (int i = int(prec.size()) - 2; i >= 0; --i) prec[i] = std::max(prec[i], prec[i + 1]);
  double ap = 0, last_r = 0;
  for (std::size_t i = 0; i < prec.size(); ++i) {
    ap += (rec[i] - last_r) * prec[i];
    last_r = rec[i];
  }
  return ap;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = "/work/shared/testdata/coco-dev", models = "models";
  std::string tier = kDetectorAuto;
  double min_precision = -1, min_ap = -1;
  bool calibration = false, ensemble_flags = false, tta_flip = false;
  std::string fuse_with;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--calibration") calibration = true;
    if (a == "--tta-flip") tta_flip = true;
    if (i + 1 >= argc) continue;
    if (a == "--data") data = argv[i + 1];
    if (a == "--models") models = argv[i + 1];
    if (a == "--detector") tier = argv[i + 1];
    if (a == "--fuse-with") fuse_with = argv[i + 1];
    if (a == "--min-precision") min_precision = std::atof(argv[i + 1]);
    if (a == "--min-ap") min_ap = std::atof(argv[i + 1]);
  }
  if (!fs::is_directory(fs::path(data) / "images")) {
    return std::printf("skipped: no %s\n", (fs::path(data) / "images").c_str()), 77;
  }
  auto repo = runtime::ModelRepository::Open(models);
  if (!repo.ok()) {
    std::fprintf(stderr, "%s\n", repo.status().message().c_str());
    return 1;
  }
  EnsembleDetectorOptions dopt;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--no-ensemble") dopt.ensemble = false, ensemble_flags = true;
    if (a == "--flip") dopt.flip = true, ensemble_flags = true;
    if (a == "--weights" && i + 2 < argc) {
      dopt.centernet_weight = std::atof(argv[i + 1]);
      dopt.nanodet_weight = std::atof(argv[i + 2]);
      ensemble_flags = true;
    }
    if (a == "--fusion-iou" && i + 1 < argc) dopt.fusion_iou = std::atof(argv[i + 1]), ensemble_flags = true;
  }
  tier = ResolveDetectorTier(repo->get(), tier);
  StatusOr<std::shared_ptr<const Detector>> detector = NotFound("no detector");
  if (ensemble_flags && tier == kEnsembleTier) {
    auto e = EnsembleDetector::Create(repo->get(), dopt);
    if (e.ok()) detector = std::shared_ptr<const Detector>(*e); else detector = e.status();
  } else {
    detector = CreateDetector(repo->get(), tier);
  }
  if (!detector.ok()) {
    std::fprintf(stderr, "%s\n", detector.status().message().c_str());
    return detector.status().code() == StatusCode::kNotFound ? 77 : 1;
  }
  std::shared_ptr<const Detector> second;
  if (!fuse_with.empty()) {
    auto d2 = CreateDetector(repo->get(), fuse_with);
    if (!d2.ok()) return std::fprintf(stderr, "%s\n", d2.status().message().c_str()), 1;
    second = *d2;
  }
  const double default_thr = (*detector)->object_threshold();
  std::printf("detector\t%s\n", tier.c_str());
  double detect_seconds = 0;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(data) / "images")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<ImageResult> images;
  for (const fs::path& f : files) {
    std::vector<char> bytes = ReadFile(f);
    std::span<const std::uint8_t> span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    DecodeOptions opt;
    opt.min_long_side = std::max(512, (*detector)->min_long_side());
    auto img = IngestImage(span, ApiVersion::kV40, opt);
    if (!img.ok()) {
      std::fprintf(stderr, "%s: %s\n", f.filename().c_str(), img.status().message().c_str());
      continue;
    }
    ImageResult r;
    const auto t0 = std::chrono::steady_clock::now();
    auto dets = (*detector)->Detect(img->bgr, img->info.width, img->info.height);
    detect_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!dets.ok()) {
      std::fprintf(stderr, "%s: %s\n", f.filename().c_str(), dets.status().message().c_str());
      return 1;
    }
    r.dets = *dets;
    if (tta_flip || second) {
      // Experiment: fuse the tier's boxes with its mirrored pass and/or a second tier's.
      auto to_boxes = [](const std::vector<Detection>& ds, int mirror_width) {
        std::vector<ScoredBox> out;
        for (const Detection& d : ds) {
          ScoredBox b{d.x1, d.y1, d.x2, d.y2, d.score, d.cls};
          if (mirror_width > 0) b.x1 = mirror_width - d.x2, b.x2 = mirror_width - d.x1;
          out.push_back(b);
        }
        return out;
      };
      std::vector<std::vector<ScoredBox>> lists = {to_boxes(*dets, 0)};
      const auto t1 = std::chrono::steady_clock::now();
      if (tta_flip) {
        cv::Mat mirrored;
        cv::flip(img->bgr, mirrored, 1);
        auto m = (*detector)->Detect(mirrored, img->info.width, img->info.height);
        if (m.ok()) lists.push_back(to_boxes(*m, img->info.width));
      }
      if (second) {
        auto m = second->Detect(img->bgr, img->info.width, img->info.height);
        if (m.ok()) lists.push_back(to_boxes(*m, 0));
      }
      detect_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
      std::vector<ScoredBox> fused =
          FuseBoxes(lists, std::vector<double>(lists.size(), 1.0), 0.55);
      NmsOptions nms;
      nms.iou_threshold = 0.5;
      r.dets.clear();
      for (std::size_t k : NonMaxSuppression(fused, nms)) {
        const ScoredBox& b = fused[k];
        Detection d;
        d.x1 = b.x1, d.y1 = b.y1, d.x2 = b.x2, d.y2 = b.y2, d.score = b.score, d.cls = b.cls;
        d.label = CocoLabels()[std::size_t(b.cls)];
        r.dets.push_back(d);
      }
    }
    std::ifstream lab(fs::path(data) / "labels" / (f.stem().string() + ".txt"));
    std::string line;
    while (std::getline(lab, line)) {
      std::istringstream ss(line);
      Box b;
      double cx, cy, w, h;
      if (!(ss >> b.cls >> cx >> cy >> w >> h)) continue;
      const double W = img->info.width, H = img->info.height;
      b.x1 = (cx - w / 2) * W, b.x2 = (cx + w / 2) * W, b.y1 = (cy - h / 2) * H, b.y2 = (cy + h / 2) * H;
      r.truth.push_back(b);
    }
    images.push_back(std::move(r));
  }
  std::printf("threshold\tAP50\tprecision\trecall\treturned\tlabels\n");
  std::vector<double> thresholds = {Detector::kDetectionFloor, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35,
                                    0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9};
  if (std::find(thresholds.begin(), thresholds.end(), default_thr) == thresholds.end()) {
    thresholds.push_back(default_thr);
    std::sort(thresholds.begin(), thresholds.end());
  }
  double default_precision = -1, default_ap = -1;
  std::string table = "[";
  for (double thr : thresholds) {
    std::map<int, std::vector<Scored>> by_cls;
    std::map<int, int> npos;
    Match(images, thr, by_cls, npos);
    double ap = 0;
    int tp = 0, total = 0, labels = 0;
    for (const auto& [c, n] : npos) {
      ap += AveragePrecision(by_cls[c], n);
      labels += n;
    }
    for (const auto& [c, s] : by_cls) {
      for (const Scored& x : s) tp += x.tp, ++total;
    }
    ap /= std::max<std::size_t>(1, npos.size());
    const bool is_default = std::abs(thr - default_thr) < 1e-9;
    if (is_default) default_precision = total ? double(tp) / total : 0.0, default_ap = ap;
    if (total > 0) {
      char point[64];
      std::snprintf(point, sizeof(point), "%s[%.2f, %.3f]", table.size() > 1 ? ", " : "", thr,
                    double(tp) / total);
      table += point;
    }
    std::printf("%s%.2f\t%.3f\t%.3f\t%.3f\t%d\t%d\n", is_default ? "default " : "", thr,
                ap, total ? double(tp) / total : 0.0, labels ? double(tp) / labels : 0.0, total,
                labels);
  }
  if (std::getenv("OBJECTS_EVAL_PER_CLASS")) {
    const double thr = std::atof(std::getenv("OBJECTS_EVAL_PER_CLASS"));
    std::map<int, std::vector<Scored>> by_cls;
    std::map<int, int> npos;
    Match(images, thr, by_cls, npos);
    for (const auto& [c, n] : npos) {
      int tp = 0, fp = 0;
      for (const Scored& x : by_cls[c]) x.tp ? ++tp : ++fp;
      std::printf("class\t%s\t%d\t%d\t%d\t%.3f\n", CocoLabels()[std::size_t(c)].c_str(), n, tp, fp,
                  AveragePrecision(by_cls[c], n));
    }
    for (const auto& [c, s] : by_cls) {
      if (!npos.count(c)) std::printf("class\t%s\t0\t0\t%zu\t-\n", CocoLabels()[std::size_t(c)].c_str(), s.size());
    }
  }
  std::printf("images\t%zu\n", images.size());
  std::printf("detector ms/image\t%.1f\n", images.empty() ? 0.0 : 1000 * detect_seconds / images.size());
  if (calibration) {
    // Band precision: matched at the floor, so a box's fate does not depend on the band.
    std::map<int, std::vector<Scored>> by_cls;
    std::map<int, int> npos;
    Match(images, thresholds.front(), by_cls, npos);
    std::vector<double> tp(thresholds.size(), 0), n(thresholds.size(), 0);
    for (const auto& [c, list] : by_cls) {
      for (const Scored& x : list) {
        std::size_t b = 0;
        while (b + 1 < thresholds.size() && x.score >= thresholds[b + 1]) ++b;
        tp[b] += x.tp, n[b] += 1;
      }
    }
    // Pool adjacent violators into a non-decreasing sequence of band precisions.
    std::vector<double> val, weight;
    std::vector<std::size_t> count;
    for (std::size_t b = 0; b < thresholds.size(); ++b) {
      if (n[b] == 0) continue;
      val.push_back(tp[b] / n[b]), weight.push_back(n[b]), count.push_back(1);
      while (val.size() >= 2 && val[val.size() - 2] > val.back()) {
        const double w = weight[weight.size() - 2] + weight.back();
        const double v = (val[val.size() - 2] * weight[weight.size() - 2] + val.back() * weight.back()) / w;
        const std::size_t k = count[count.size() - 2] + count.back();
        val.pop_back(), weight.pop_back(), count.pop_back();
        val.back() = v, weight.back() = w, count.back() = k;
      }
    }
    std::string bands = "[";
    std::size_t g = 0, left = count.empty() ? 0 : count[0];
    for (std::size_t b = 0; b < thresholds.size() && g < val.size(); ++b) {
      if (n[b] == 0) continue;
      char point[64];
      std::snprintf(point, sizeof(point), "%s[%.2f, %.3f]", bands.size() > 1 ? ", " : "",
                    thresholds[b], val[g]);
      bands += point;
      if (--left == 0 && ++g < count.size()) left = count[g];
    }
    std::printf("calibration\t%s, [1.0, 1.0]]\n", bands.c_str());
    std::printf("cumulative precision\t%s]\n", table.c_str());
  }
  if (min_precision >= 0 && default_precision < min_precision) {
    std::printf("FAIL: precision at the default threshold %.3f < %.3f\n", default_precision,
                min_precision);
    return 3;
  }
  if (min_ap >= 0 && default_ap < min_ap) {
    std::printf("FAIL: AP50 over the returned boxes %.3f < %.3f\n", default_ap, min_ap);
    return 3;
  }
  return 0;
}
