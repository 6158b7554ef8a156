#include "runtime/session.h"

#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_util.h"

namespace ocular::runtime {
namespace {

using ::testing::HasSubstr;

// x[c][h][w] = c + (h * 8 + w) / 64, the input used by the numeric tests below.
std::vector<float> RampInput(float offset = 0.0f) {
  std::vector<float> x(3 * 8 * 8);
  for (int c = 0; c < 3; ++c) {
    for (int i = 0; i < 64; ++i) x[c * 64 + i] = static_cast<float>(c) + i / 64.0f + offset;
  }
  return x;
}

// By hand from the fixture's weights (make_tiny_model.py): y[c] = W[c] * mean(x[c]) + B[c] with
// W = [1, 2, 3], B = [0.5, -1, 2]; mean over h, w of (h * 8 + w) / 64 is 31.5 / 64 = 0.4921875.
std::vector<float> ExpectedRampOutput(float offset = 0.0f) {
  const float m = 0.4921875f + offset;
  return {1 * (0 + m) + 0.5f, 2 * (1 + m) - 1.0f, 3 * (2 + m) + 2.0f};
}

std::unique_ptr<Session> LoadTiny() {
  auto session = Session::Create(testing::TinyDir() / "model.onnx", "model 'tiny' 2026-01-01");
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  return session.ok() ? std::move(session).value() : nullptr;
}

TEST(SessionTest, ReportsInputsAndOutputs) {
  auto session = LoadTiny();
  ASSERT_NE(session, nullptr);
  ASSERT_EQ(session->inputs().size(), 1u);
  EXPECT_EQ(session->inputs()[0].name, "x");
  EXPECT_EQ(session->inputs()[0].dtype, DataType::kFloat32);
  EXPECT_EQ(session->inputs()[0].shape, (std::vector<std::int64_t>{1, 3, 8, 8}));
  ASSERT_EQ(session->outputs().size(), 1u);
  EXPECT_EQ(session->outputs()[0].name, "y");
  EXPECT_EQ(session->outputs()[0].shape, (std::vector<std::int64_t>{1, 3}));
  EXPECT_NE(session->FindInput("x"), nullptr);
  EXPECT_EQ(session->FindOutput("x"), nullptr);
}

TEST(SessionTest, RunsTinyModelWithHandComputedOutput) {
  auto session = LoadTiny();
  ASSERT_NE(session, nullptr);
  auto out = session->Run({Tensor::Float("x", {1, 3, 8, 8}, RampInput())});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 1u);
  const Tensor& y = (*out)[0];
  EXPECT_EQ(y.name, "y");
  EXPECT_EQ(y.dtype, DataType::kFloat32);
  EXPECT_EQ(y.shape, (std::vector<std::int64_t>{1, 3}));
  const std::vector<float> want = ExpectedRampOutput();  // 0.9921875, 1.984375, 9.4765625
  ASSERT_EQ(y.floats.size(), 3u);
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(y.floats[c], want[c], 1e-5) << "channel " << c;
}

// Without ORT's CPU arena (the server's default, --ort-arena=false) the results are the same,
// run after run.
TEST(SessionTest, RunsWithoutTheCpuArena) {
  SessionOptions options;
  options.cpu_arena = false;
  auto session = Session::Create(testing::TinyDir() / "model.onnx", "model 'tiny' 1", options);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  const std::vector<float> want = ExpectedRampOutput();
  for (int run = 0; run < 3; ++run) {
    auto out = (*session)->Run({Tensor::Float("x", {1, 3, 8, 8}, RampInput())});
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    ASSERT_EQ(out->size(), 1u);
    ASSERT_EQ((*out)[0].floats.size(), 3u);
    for (int c = 0; c < 3; ++c) EXPECT_NEAR((*out)[0].floats[c], want[c], 1e-5) << "channel " << c;
  }
}

TEST(SessionTest, RunsMixedDtypesAndDynamicDims) {
  auto session = Session::Create(testing::PairDir() / "model.onnx");
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_EQ((*session)->label(), "model.onnx");
  EXPECT_EQ((*session)->inputs()[0].shape, (std::vector<std::int64_t>{-1, 3}));
  EXPECT_EQ((*session)->inputs()[1].dtype, DataType::kInt64);
  // Inputs in any order, matched by name.
  auto out = (*session)->Run({Tensor::Of<std::int64_t>("b", DataType::kInt64, {1}, {10}),
                              Tensor::Float("a", {2, 3}, {1, 2, 3, 4, 5, 6})});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].shape, (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ((*out)[0].floats, (std::vector<float>{11, 12, 13, 14, 15, 16}));
}

TEST(SessionTest, RejectsBadInputsWithInternal) {
  auto session = LoadTiny();
  ASSERT_NE(session, nullptr);
  struct Case {
    std::vector<Tensor> inputs;
    std::string message;
  };
  std::vector<Case> cases;
  cases.push_back(
      {{Tensor::Float("input", {1, 3, 8, 8}, RampInput())}, "model has no input 'input'"});
  cases.push_back({{Tensor::Float("x", {1, 3, 4, 4}, std::vector<float>(48))},
                   "input 'x' has shape [1,3,4,4] but the model expects [1,3,8,8]"});
  cases.push_back({{Tensor::Zeros("x", DataType::kUint8, {1, 3, 8, 8})},
                   "input 'x' is uint8 but the model expects float32"});
  cases.push_back({{Tensor::Float("x", {1, 3, 8, 8}, std::vector<float>(10))},
                   "input 'x' holds 10 elements but its shape [1,3,8,8] needs 192"});
  cases.push_back({{}, "input 'x' missing"});
  cases.push_back({{Tensor::Float("x", {1, 3, 8, 8}, RampInput()),
                    Tensor::Float("x", {1, 3, 8, 8}, RampInput())},
                   "input 'x' given twice"});
  for (const Case& c : cases) {
    auto out = session->Run(c.inputs);
    ASSERT_FALSE(out.ok()) << c.message;
    EXPECT_EQ(out.status().code(), StatusCode::kInternal);
    EXPECT_THAT(out.status().message(), HasSubstr("model 'tiny' 2026-01-01: " + c.message));
  }
  auto out = session->Run({Tensor::Float("x", {1, 3, 8, 8}, RampInput())}, {"z"});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("no output 'z'"));
}

TEST(SessionTest, CreateFailuresAreFailedPrecondition) {
  auto missing = Session::Create("/nonexistent/model.onnx", "model 'm' 1");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(missing.status().message(), HasSubstr("model 'm' 1: model file"));

  testing::ScratchDir dir;
  testing::WriteFile(dir.path() / "model.onnx", "this is not an onnx model");
  auto garbage = Session::Create(dir.path() / "model.onnx", "model 'g' 1");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(garbage.status().message(), HasSubstr("model 'g' 1: cannot load"));
}

TEST(SessionTest, ConcurrentRunsOnOneSessionAreIndependent) {
  auto session = LoadTiny();
  ASSERT_NE(session, nullptr);
  constexpr int kThreads = 6;
  constexpr int kRuns = 40;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < kRuns; ++r) {
        const float offset = static_cast<float>(t * kRuns + r);  // distinct input per run
        auto out = session->Run({Tensor::Float("x", {1, 3, 8, 8}, RampInput(offset))});
        const std::vector<float> want = ExpectedRampOutput(offset);
        if (!out.ok() || (*out)[0].floats.size() != 3) {
          ++failures[t];
          continue;
        }
        for (int c = 0; c < 3; ++c) {
          if (std::abs((*out)[0].floats[c] - want[c]) > 1e-3f * (1 + std::abs(want[c]))) {
            ++failures[t];
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
}

TEST(TensorTest, HelpersDescribeShapesAndData) {
  EXPECT_EQ(ShapeToString({1, -1, 6}), "[1,-1,6]");
  EXPECT_EQ(ShapeToString({}), "[]");
  EXPECT_EQ(ElementCount({2, 3, 4}), 24u);
  EXPECT_EQ(ElementCount({}), 1u);
  EXPECT_FALSE(ElementCount({2, -1}).has_value());
  Tensor t = Tensor::Of<std::int32_t>("t", DataType::kInt32, {2}, {7, -8});
  EXPECT_EQ(t.size(), 2u);
  EXPECT_EQ(t.Values<std::int32_t>(), (std::vector<std::int32_t>{7, -8}));
  Tensor z = Tensor::Zeros("z", DataType::kInt64, {2, 2});
  EXPECT_EQ(z.bytes.size(), 32u);
  EXPECT_EQ(DataTypeSize(DataType::kUint8), 1u);
}

}  // namespace
}  // namespace ocular::runtime
