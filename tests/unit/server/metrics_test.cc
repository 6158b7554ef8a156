#include "server/metrics.h"

#include <gtest/gtest.h>

namespace ocular::server {
namespace {

TEST(MetricsTest, AnalyzerAndInferenceHistograms) {
  Metrics m;
  m.RecordAnalyzer("objects", 0.03);
  m.RecordAnalyzer("objects", 0.2);
  m.RecordAnalyzer("color", 0.001);
  m.RecordInference("centernet", 0.04);
  std::string text = m.Render(Gauges{});
  EXPECT_NE(text.find("# TYPE ocular_analyzer_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(text.find("ocular_analyzer_duration_seconds_count{analyzer=\"objects\"} 2"),
            std::string::npos);
  // Buckets are cumulative: 0.03 falls in le=0.05, 0.2 in le=0.25.
  EXPECT_NE(text.find("ocular_analyzer_duration_seconds_bucket{analyzer=\"objects\",le=\"0.05\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("ocular_analyzer_duration_seconds_bucket{analyzer=\"objects\",le=\"0.25\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("ocular_analyzer_duration_seconds_bucket{analyzer=\"color\",le=\"0.005\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("ocular_model_inference_seconds_count{model=\"centernet\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("ocular_model_inference_seconds_sum{model=\"centernet\"} 0.04"),
            std::string::npos);
}

TEST(MetricsTest, RouteLatencyStillRendered) {
  Metrics m;
  m.RecordRequest("/vision/v3.2/analyze", 200, 0.3, 1000);
  std::string text = m.Render(Gauges{});
  EXPECT_NE(text.find("ocular_http_request_duration_seconds_bucket{route=\"/vision/v3.2/analyze\","
                      "le=\"0.5\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("ocular_http_requests_total{route=\"/vision/v3.2/analyze\",status=\"200\"} 1"),
            std::string::npos);
}

}  // namespace
}  // namespace ocular::server
