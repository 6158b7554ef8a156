#include "runtime/model_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_util.h"

namespace ocular::runtime {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

json ValidConfig() {
  return json::parse(R"({
    "name": "m", "version": "1", "task": "object-detection",
    "inputs": [{"name": "input", "dtype": "float32", "shape": [1, 3, 16, 16],
                "layout": "NCHW", "color": "RGB"}],
    "outputs": [{"name": "out", "dtype": "float32", "shape": [1, -1, 6]}],
    "provenance": {"package": "@scope/pkg@1.0.0",
                   "files": [{"path": "models/m.json",
                              "sha256": "0000000000000000000000000000000000000000000000000000000000000000"}],
                   "upstream": "somebody"},
    "license": "MIT",
    "model_sha256": "1111111111111111111111111111111111111111111111111111111111111111"
  })");
}

StatusOr<ModelConfig> Parse(const json& j) { return ParseModelConfig(j.dump(), "dir/config.json"); }

// Expects a FailedPrecondition naming the file and containing `what`.
void ExpectError(const json& j, const std::string& what) {
  auto config = Parse(j);
  ASSERT_FALSE(config.ok()) << "expected an error containing: " << what;
  EXPECT_EQ(config.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(config.status().message(), HasSubstr("dir/config.json: "));
  EXPECT_THAT(config.status().message(), HasSubstr(what));
}

TEST(ModelConfigTest, ParsesValidConfigWithDefaults) {
  auto config = Parse(ValidConfig());
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->name, "m");
  EXPECT_EQ(config->version, "1");
  EXPECT_EQ(config->task, Task::kObjectDetection);
  ASSERT_EQ(config->inputs.size(), 1u);
  const InputConfig& in = config->inputs[0];
  EXPECT_EQ(in.dtype, DataType::kFloat32);
  EXPECT_EQ(in.shape, (std::vector<std::int64_t>{1, 3, 16, 16}));
  EXPECT_EQ(in.layout, Layout::kNCHW);
  EXPECT_EQ(in.color, ColorOrder::kRGB);
  EXPECT_EQ(in.mean, (std::vector<float>{0, 0, 0}));
  EXPECT_EQ(in.std, (std::vector<float>{1, 1, 1}));
  EXPECT_EQ(config->outputs[0].shape, (std::vector<std::int64_t>{1, -1, 6}));
  EXPECT_EQ(config->labels, "");
  EXPECT_EQ(config->converter, "");
  EXPECT_TRUE(config->params.is_object());
  EXPECT_TRUE(config->params.empty());
  EXPECT_EQ(config->provenance.package, "@scope/pkg@1.0.0");
  ASSERT_EQ(config->provenance.files.size(), 1u);
  EXPECT_EQ(config->provenance.files[0].path, "models/m.json");
  EXPECT_NE(config->FindInput("input"), nullptr);
  EXPECT_EQ(config->FindInput("nope"), nullptr);
  EXPECT_NE(config->FindOutput("out"), nullptr);
}

TEST(ModelConfigTest, ParsesOptionalFields) {
  json j = ValidConfig();
  j["inputs"][0]["mean"] = {127.5};
  j["inputs"][0]["std"] = {127.5, 64, 32};
  j["labels"] = "labels.txt";
  j["converter"] = "ocular convert 0.1.0";
  j["params"] = {{"strides", {8, 16}}};
  auto config = Parse(j);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->inputs[0].mean, (std::vector<float>{127.5f, 127.5f, 127.5f}));
  EXPECT_EQ(config->inputs[0].std, (std::vector<float>{127.5f, 64, 32}));
  EXPECT_EQ(config->labels, "labels.txt");
  EXPECT_EQ(config->converter, "ocular convert 0.1.0");
  EXPECT_EQ(config->params["strides"][1], 16);
}

TEST(ModelConfigTest, ParsesTheFixtureConfig) {
  auto config = LoadModelConfig(testing::TinyDir() / "config.json");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->name, "tiny");
  EXPECT_EQ(config->task, Task::kTest);
}

TEST(ModelConfigTest, EveryRequiredFieldIsRequired) {
  for (const char* key :
       {"name", "version", "task", "inputs", "outputs", "provenance", "license", "model_sha256"}) {
    json j = ValidConfig();
    j.erase(key);
    ExpectError(j, std::string(key) + ": missing");
  }
  for (const char* key : {"name", "dtype", "shape", "layout", "color"}) {
    json j = ValidConfig();
    j["inputs"][0].erase(key);
    ExpectError(j, std::string("inputs[0].") + key + ": missing");
  }
  for (const char* key : {"name", "dtype", "shape"}) {
    json j = ValidConfig();
    j["outputs"][0].erase(key);
    ExpectError(j, std::string("outputs[0].") + key + ": missing");
  }
  for (const char* key : {"package", "files", "upstream"}) {
    json j = ValidConfig();
    j["provenance"].erase(key);
    ExpectError(j, std::string("provenance.") + key + ": missing");
  }
}

TEST(ModelConfigTest, RejectsInvalidValues) {
  json j = ValidConfig();
  j["task"] = "detection";
  ExpectError(j, "task: must be one of object-detection");

  j = ValidConfig();
  j["inputs"][0]["dtype"] = "float";
  ExpectError(j, "inputs[0].dtype: must be one of float32, uint8, int32, int64 (got \"float\")");

  j = ValidConfig();
  j["outputs"][0]["shape"] = {1, 0};
  ExpectError(j, "outputs[0].shape: dimensions must be > 0, or -1");

  j = ValidConfig();
  j["outputs"][0]["shape"] = "1x2";
  ExpectError(j, "outputs[0].shape: must be an array of integers");

  j = ValidConfig();
  j["inputs"][0]["layout"] = "CHW";
  ExpectError(j, "inputs[0].layout: must be one of NCHW, NHWC, none");

  j = ValidConfig();
  j["inputs"][0]["color"] = "none";
  ExpectError(j, "inputs[0].color: layout and color must both be \"none\"");

  j = ValidConfig();
  j["inputs"][0]["shape"] = {1, 1, 16, 16};
  ExpectError(j, "inputs[0].shape: channel dimension 1 does not match color RGB");

  j = ValidConfig();
  j["inputs"][0]["shape"] = {3, 16, 16};
  ExpectError(j, "inputs[0].shape: an image input (layout NCHW) needs 4 dimensions");

  j = ValidConfig();
  j["inputs"][0]["mean"] = {1, 2};
  ExpectError(j, "inputs[0].mean: must have 1 or 3 values (got 2)");

  j = ValidConfig();
  j["inputs"][0]["std"] = {1, 0, 1};
  ExpectError(j, "inputs[0].std: values must be non-zero");

  j = ValidConfig();
  j["inputs"][0]["dtype"] = "uint8";
  j["inputs"][0]["mean"] = {127};
  ExpectError(j, "inputs[0].mean: a uint8 input takes raw pixels");

  j = ValidConfig();
  j["inputs"][0] = {{"name", "n"},      {"dtype", "int64"}, {"shape", {1}},
                    {"layout", "none"}, {"color", "none"},  {"mean", {0}}};
  ExpectError(j, "inputs[0].mean: only allowed for image inputs");

  j = ValidConfig();
  j["inputs"] = json::array();
  ExpectError(j, "inputs: must be a non-empty array");

  j = ValidConfig();
  j["outputs"].push_back(j["outputs"][0]);
  ExpectError(j, "outputs[1].name: duplicate name 'out'");

  j = ValidConfig();
  j["model_sha256"] = "ABC";
  ExpectError(j, "model_sha256: must be 64 lowercase hex digits");

  j = ValidConfig();
  j["provenance"]["files"][0]["path"] = "../etc/passwd";
  ExpectError(j, "provenance.files[0].path: must be relative");

  j = ValidConfig();
  j["labels"] = "../labels.txt";
  ExpectError(j, "labels: must be a plain file name");

  j = ValidConfig();
  j["license"] = "";
  ExpectError(j, "license: must not be empty");

  j = ValidConfig();
  j["params"] = {1, 2};
  ExpectError(j, "params: must be an object");

  j = ValidConfig();
  j["lables"] = "labels.txt";
  ExpectError(j, "lables: unknown key");

  j = ValidConfig();
  j["inputs"][0]["scale"] = 1;
  ExpectError(j, "inputs[0].scale: unknown key");
}

TEST(ModelConfigTest, RejectsNonJsonAndNonObjects) {
  auto config = ParseModelConfig("{ not json", "dir/config.json");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(), "dir/config.json: not valid JSON");
  config = ParseModelConfig("[1, 2]", "dir/config.json");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(), "dir/config.json: must be a JSON object");
}

TEST(ModelConfigTest, MissingFileIsFailedPrecondition) {
  auto config = LoadModelConfig("/nonexistent/config.json");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(config.status().message(), HasSubstr("/nonexistent/config.json"));
}

TEST(ModelConfigTest, NamesRoundTrip) {
  for (Task t : {Task::kObjectDetection, Task::kFaceDetection, Task::kFaceEmbedding,
                 Task::kImageClassification, Task::kSegmentation, Task::kTextDetection,
                 Task::kTextRecognition, Task::kTest}) {
    EXPECT_EQ(ParseTask(TaskName(t)), t);
  }
  for (DataType d : {DataType::kFloat32, DataType::kUint8, DataType::kInt32, DataType::kInt64}) {
    EXPECT_EQ(ParseDataType(DataTypeName(d)), d);
  }
  EXPECT_FALSE(ParseDataType("float16").has_value());
  EXPECT_TRUE(IsSha256Hex(std::string(64, 'a')));
  EXPECT_FALSE(IsSha256Hex(std::string(64, 'A')));
  EXPECT_FALSE(IsSha256Hex(std::string(63, 'a')));
}

}  // namespace
}  // namespace ocular::runtime
