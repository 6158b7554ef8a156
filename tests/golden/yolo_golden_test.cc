// YOLOv8 decoder golden test (CTest label `golden`): the yolov8n tier of CreateDetector, run on
// small real photos (raw RGB from make_inputs.cc) with a declared original size 4x larger,
// against reference boxes made independently by tools/yolo-reference/yolo_golden.js (onnxruntime-web
// WASM and a JS decoder following the Ultralytics recipe, sharing no code with src/).
//
// Pass criterion per reference file tests/golden/data/yolov8n_<input>.json:
//   - every reference box scoring >= kRefScore has a detection of the same label with
//     IoU >= kMinIou and |score difference| <= kMaxScoreDiff;
//   - no detection scoring >= kExtraScore lacks a reference box of its label at IoU >= kMinIou.
// Skipped (with the reason) when models/yolov8n is not installed (OCULAR_MODEL_LICENSES=permissive).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "analyzers/detection/detector.h"
#include "runtime/model_repository.h"

namespace {

using nlohmann::json;

constexpr double kRefScore = 0.25;
constexpr double kExtraScore = 0.35;
constexpr double kMinIou = 0.85;  // thin boxes (the tie: 0.893) move with the resize rounding
constexpr double kMaxScoreDiff = 0.03;
constexpr const char* kModel = "yolov8n";

std::string Root() { return OCULAR_SOURCE_DIR; }

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Box {
  std::string label;
  double score, x1, y1, x2, y2;
};

double Iou(const Box& a, const Box& b) {
  const double iw = std::max(0.0, std::min(a.x2, b.x2) - std::max(a.x1, b.x1));
  const double ih = std::max(0.0, std::min(a.y2, b.y2) - std::max(a.y1, b.y1));
  const double inter = iw * ih;
  const double u = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return u > 0 ? inter / u : 0;
}

std::string Describe(const Box& b) {
  char buf[160];
  std::snprintf(buf, sizeof(buf), "%s %.4f [%.1f %.1f %.1f %.1f]", b.label.c_str(), b.score, b.x1,
                b.y1, b.x2, b.y2);
  return buf;
}

// The best same-label match of `b` in `pool` (index, IoU); index -1 when none overlaps.
std::pair<int, double> BestMatch(const Box& b, const std::vector<Box>& pool) {
  int best = -1;
  double best_iou = 0;
  for (std::size_t i = 0; i < pool.size(); ++i) {
    if (pool[i].label != b.label) continue;
    const double iou = Iou(b, pool[i]);
    if (iou > best_iou) best_iou = iou, best = static_cast<int>(i);
  }
  return {best, best_iou};
}

class YoloGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(YoloGoldenTest, MatchesIndependentReference) {
  auto repo = ocular::runtime::ModelRepository::Open(Root() + "/models");
  if (!repo.ok() || (*repo)->Versions(kModel).empty()) {
    GTEST_SKIP() << "models/" << kModel << " is not installed (a permissive-only install, "
                 << "OCULAR_MODEL_LICENSES=permissive, has no YOLO models): nothing to pin";
  }
  const json ref = json::parse(Slurp(Root() + "/tests/golden/data/" + GetParam() + ".json"));
  const std::string version = (*repo)->Versions(kModel).back();
  const json config = json::parse(
      Slurp(Root() + "/models/" + kModel + "/" + version + "/config.json"), nullptr, false);
  ASSERT_EQ(config.value("model_sha256", ""), ref["model_sha256"].get<std::string>())
      << "models/" << kModel << "/" << version
      << " is not the model the reference was made with: regenerate it "
         "(cd tools/yolo-reference && npm ci && node yolo_golden.js)";

  const int w = ref["image_size"][0], h = ref["image_size"][1];
  const int ow = ref["original_size"][0], oh = ref["original_size"][1];
  std::string raw = Slurp(Root() + "/" + ref["image"].get<std::string>());
  ASSERT_EQ(raw.size(), static_cast<std::size_t>(w) * h * 3) << ref["image"];
  cv::Mat rgb(h, w, CV_8UC3, raw.data()), bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);

  auto detector = ocular::CreateDetector(repo->get(), kModel);
  ASSERT_TRUE(detector.ok()) << detector.status().ToString();
  auto dets = (*detector)->Detect(bgr, ow, oh);
  ASSERT_TRUE(dets.ok()) << dets.status().ToString();

  std::vector<Box> got, want;
  for (const ocular::Detection& d : *dets) got.push_back({d.label, d.score, d.x1, d.y1, d.x2, d.y2});
  for (const json& b : ref["boxes"]) {
    want.push_back({b["label"], b["score"], b["x1"], b["y1"], b["x2"], b["y2"]});
  }
  int pinned = 0;
  for (const Box& r : want) {
    if (r.score < kRefScore) continue;
    ++pinned;
    const auto [k, iou] = BestMatch(r, got);
    if (k < 0) {
      ADD_FAILURE() << "reference " << Describe(r) << ": no detection of that label";
      continue;
    }
    const Box& g = got[static_cast<std::size_t>(k)];
    EXPECT_GE(iou, kMinIou) << "reference " << Describe(r) << " vs detection " << Describe(g);
    EXPECT_LE(std::abs(g.score - r.score), kMaxScoreDiff)
        << "reference " << Describe(r) << " vs detection " << Describe(g);
  }
  EXPECT_GE(pinned, 3) << "the reference pins too few boxes to test anything";
  for (const Box& g : got) {
    if (g.score < kExtraScore) continue;
    const auto [k, iou] = BestMatch(g, want);
    EXPECT_TRUE(k >= 0 && iou >= kMinIou)
        << "detection " << Describe(g) << " has no reference box (best IoU " << iou << ")";
  }
}

// The reference uses the installed model's NMS IoU (config.json params.nms_iou, 0.5 in the pack).
INSTANTIATE_TEST_SUITE_P(Photos, YoloGoldenTest,
                         ::testing::Values("yolov8n_street_bus_168x224", "yolov8n_zidane_224x126"));

}  // namespace
