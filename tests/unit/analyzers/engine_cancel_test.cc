// Engine::Analyze stops at its checkpoints once AnalysisRequest::cancelled turns true (the
// server sets it when the client closed its connection). Uses the model-free features only.
#include <atomic>
#include <memory>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "analyzers/engine.h"

namespace ocular {
namespace {

std::vector<std::uint8_t> SmallPng() {
  cv::Mat m(96, 128, CV_8UC3, cv::Scalar(30, 120, 200));
  std::vector<std::uint8_t> out;
  cv::imencode(".png", m, out);
  return out;
}

TEST(EngineCancelTest, CancelledRequestIsAbandonedBeforeAnalysis) {
  EngineOptions o;
  o.model_repo = "/nonexistent-ocular-models";  // no models: only model-free analyzers load
  o.galleries_dir = "/nonexistent-ocular-galleries";
  auto engine = Engine::Create(o);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  AnalysisRequest req;
  req.api = ApiVersion::kV32;
  req.features = {Feature::kColor, Feature::kImageType};
  ASSERT_TRUE((*engine)->CheckFeatures(req.features).ok());
  const std::vector<std::uint8_t> png = SmallPng();

  auto flag = std::make_shared<std::atomic<bool>>(false);
  req.cancelled = flag;
  StatusOr<AnalysisResult> live = (*engine)->Analyze(png, req);
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  EXPECT_TRUE(live->color.has_value());

  flag->store(true);
  StatusOr<AnalysisResult> gone = (*engine)->Analyze(png, req);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(gone.status().inner_code(), kCancelledInnerCode);
}

}  // namespace
}  // namespace ocular
