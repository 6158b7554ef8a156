// Golden tests (CTest label `golden`): every TF.js model of the default pack is converted in
// process with ocular_convert, run in ONNX Runtime on a fixed input, and compared with the
// TF.js (CPU backend) reference outputs committed in tests/golden/data/<name>.json.
//
// Pass criterion per output: max |ORT - TF.js| over the stored values <= the output's tolerance
// (1e-3 x the reference range, written in the reference file), and the full-tensor min, max and
// mean agree within the same tolerance. Regenerate references: tools/reference/golden.js.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <onnxruntime_cxx_api.h>

#include "tools/convert/converter.h"

namespace {

using nlohmann::json;
namespace cv = ocular::convert;

std::string Root() { return OCULAR_SOURCE_DIR; }

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json Spec() { return json::parse(Slurp(Root() + "/tests/golden/models.json")); }

// Same construction as tools/reference/tfjs_models.js makeInput().
std::vector<float> MakeInput(const json& in) {
  const std::string raw = Slurp(Root() + "/" + in["image"].get<std::string>());
  const int bh = in["size"][0], bw = in["size"][1];
  const bool nchw = in["layout"] == "NCHW";
  const std::vector<int64_t> shape = in["shape"];
  const int64_t H = nchw ? shape[2] : shape[1], W = nchw ? shape[3] : shape[2];
  const std::vector<double> mean = in["mean"], stdv = in["std"];
  std::vector<float> data(H * W * 3);
  EXPECT_EQ(raw.size(), static_cast<size_t>(bh * bw * 3)) << in["image"];
  if (raw.size() != static_cast<size_t>(bh * bw * 3)) return data;
  for (int64_t y = 0; y < H; ++y) {
    const int64_t sy = y * bh / H;
    for (int64_t x = 0; x < W; ++x) {
      const int64_t sx = x * bw / W;
      for (int c = 0; c < 3; ++c) {
        const int src = in["color"] == "BGR" ? 2 - c : c;
        const double p = static_cast<unsigned char>(raw[(sy * bw + sx) * 3 + src]);
        data[nchw ? (c * H + y) * W + x : (y * W + x) * 3 + c] =
            static_cast<float>((p - mean[c]) / stdv[c]);
      }
    }
  }
  return data;
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, MatchesTfjsReference) {
  json model;
  const json spec = Spec();
  for (const json& m : spec["models"])
    if (m["name"] == GetParam()) model = m;
  ASSERT_FALSE(model.is_null());
  const std::string src = Root() + "/" + model["source"].get<std::string>();
  ASSERT_TRUE(std::ifstream(src).good()) << src << " missing: run scripts/setup.sh";
  const json ref = json::parse(Slurp(Root() + "/tests/golden/data/" + GetParam() + ".json"));

  auto r = cv::ConvertTfjs(src, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();

  static Ort::Env env(ORT_LOGGING_LEVEL_WARNING, "golden");
  Ort::SessionOptions so;
  so.SetIntraOpNumThreads(1);
  Ort::Session session(env, r->onnx.data(), r->onnx.size(), so);

  std::vector<float> input = MakeInput(model["input"]);
  const std::vector<int64_t> shape = model["input"]["shape"];
  ASSERT_EQ(r->inputs.size(), 1u);
  ASSERT_EQ(r->inputs[0].shape, shape);
  Ort::MemoryInfo mem = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
  Ort::Value x = Ort::Value::CreateTensor<float>(mem, input.data(), input.size(), shape.data(), shape.size());
  const char* in_name = r->inputs[0].name.c_str();
  std::vector<std::string> names;
  for (const json& o : ref["outputs"]) names.push_back(o["name"]);
  std::vector<const char*> out_names;
  for (const auto& n : names) out_names.push_back(n.c_str());
  std::vector<Ort::Value> outs = session.Run(Ort::RunOptions{nullptr}, &in_name, &x, 1,
                                             out_names.data(), out_names.size());
  for (size_t k = 0; k < names.size(); ++k) {
    const json& o = ref["outputs"][k];
    SCOPED_TRACE(GetParam() + " output " + names[k]);
    auto info = outs[k].GetTensorTypeAndShapeInfo();
    ASSERT_EQ(info.GetShape(), o["shape"].get<std::vector<int64_t>>());
    const size_t n = info.GetElementCount();
    std::vector<double> got(n);
    if (info.GetElementType() == ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) {
      const float* p = outs[k].GetTensorData<float>();
      for (size_t i = 0; i < n; ++i) got[i] = p[i];
    } else if (info.GetElementType() == ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32) {
      const int32_t* p = outs[k].GetTensorData<int32_t>();
      for (size_t i = 0; i < n; ++i) got[i] = p[i];
    } else {
      FAIL() << "unexpected output element type";
    }
    const double tol = o["tolerance"];
    const int64_t stride = o["stride"];
    const std::vector<double> want = o["values"];
    double max_diff = 0;
    size_t worst = 0;
    for (size_t kk = 0; kk < want.size(); ++kk) {
      const size_t i = kk * stride + kk % stride;
      ASSERT_LT(i, n);
      const double d = std::fabs(got[i] - want[kk]);
      if (d > max_diff) max_diff = d, worst = i;
    }
    double mn = got[0], mx = got[0], sum = 0;
    for (double v : got) mn = std::min(mn, v), mx = std::max(mx, v), sum += v;
    std::printf("[golden] %-24s %-24s n=%-8zu checked=%-5zu max_abs_diff=%.3g tol=%.3g (range %.4g)\n",
                GetParam().c_str(), names[k].c_str(), n, want.size(), max_diff, tol,
                o["max"].get<double>() - o["min"].get<double>());
    EXPECT_LE(max_diff, tol) << "worst element " << worst << ": ort " << got[worst];
    EXPECT_NEAR(mn, o["min"].get<double>(), tol);
    EXPECT_NEAR(mx, o["max"].get<double>(), tol);
    EXPECT_NEAR(sum / n, o["mean"].get<double>(), tol);
  }
}

std::vector<std::string> ModelNames() {
  std::vector<std::string> names;
  const json spec = Spec();
  for (const json& m : spec["models"]) names.push_back(m["name"]);
  return names;
}

INSTANTIATE_TEST_SUITE_P(Pack, GoldenTest, ::testing::ValuesIn(ModelNames()),
                         [](const auto& info) {
                           std::string s = info.param;
                           for (char& c : s)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return s;
                         });

}  // namespace
