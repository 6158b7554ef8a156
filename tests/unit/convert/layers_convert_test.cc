// Unit tests of the Keras layers-model front end on a tiny hand-written model: explicit outputs
// (intermediate layers) stop the conversion there, so a head that fixes the input size is
// dropped and the input shape can change (how the landmark-descriptor pack entry is made).
#include <atomic>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <onnx/onnx_pb.h>
#include <unistd.h>

#include "tools/convert/converter.h"

namespace ocular::convert {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// input_1 [null,4,4,1] -> ReLU "r1" -> Flatten "f" -> Dense "d" (16 -> 2).
class TinyLayersModel {
 public:
  TinyLayersModel() {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("ocular_layers_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(dir_);
    auto inbound = [](const std::string& from) { return json::array({json::array({json::array({from, 0, 0, json::object()})})}); };
    json layers = json::array();
    layers.push_back({{"class_name", "InputLayer"}, {"name", "input_1"}, {"inbound_nodes", json::array()},
                      {"config", {{"name", "input_1"}, {"batch_input_shape", {nullptr, 4, 4, 1}}}}});
    layers.push_back({{"class_name", "ReLU"}, {"name", "r1"}, {"inbound_nodes", inbound("input_1")},
                      {"config", {{"name", "r1"}}}});
    layers.push_back({{"class_name", "Flatten"}, {"name", "f"}, {"inbound_nodes", inbound("r1")},
                      {"config", {{"name", "f"}}}});
    layers.push_back({{"class_name", "Dense"}, {"name", "d"}, {"inbound_nodes", inbound("f")},
                      {"config", {{"name", "d"}, {"units", 2}, {"use_bias", true}, {"activation", "linear"}}}});
    json j = {{"format", "layers-model"},
              {"modelTopology",
               {{"model_config",
                 {{"class_name", "Model"},
                  {"config", {{"layers", layers}, {"output_layers", {{"d", 0, 0}}}}}}}}},
              {"weightsManifest", json::array()}};
    json weights = json::array();
    weights.push_back({{"name", "d/kernel"}, {"shape", json::array({16, 2})}, {"dtype", "float32"}});
    weights.push_back({{"name", "d/bias"}, {"shape", json::array({2})}, {"dtype", "float32"}});
    j["weightsManifest"].push_back({{"paths", json::array({"weights.bin"})}, {"weights", weights}});
    std::ofstream(dir_ / "model.json") << j.dump();
    std::string blob((16 * 2 + 2) * 4, '\0');  // kernel + bias, float32 zeros
    std::ofstream(dir_ / "weights.bin", std::ios::binary) << blob;
  }
  ~TinyLayersModel() { fs::remove_all(dir_); }
  fs::path file() const { return dir_ / "model.json"; }

 private:
  fs::path dir_;
};

TEST(LayersConvertTest, DefaultOutputsAreTheModelOutputLayers) {
  TinyLayersModel m;
  StatusOr<ConvertResult> r = ConvertTfjs(m.file(), {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->outputs.size(), 1u);
  EXPECT_EQ(r->outputs[0].name, "d");
  EXPECT_EQ(r->outputs[0].shape, (Shape{1, 2}));
}

TEST(LayersConvertTest, ExplicitOutputStopsBeforeTheHeadAndFreesTheInputSize) {
  TinyLayersModel m;
  ConvertOptions o;
  o.outputs = {"r1"};
  o.input_shape = {1, 6, 6, 1};  // the Dense head (16 inputs) could not take 36: it is dropped
  StatusOr<ConvertResult> r = ConvertTfjs(m.file(), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->outputs.size(), 1u);
  EXPECT_EQ(r->outputs[0].name, "r1");
  EXPECT_EQ(r->outputs[0].shape, (Shape{1, 6, 6, 1}));
  onnx::ModelProto model;
  ASSERT_TRUE(model.ParseFromString(r->onnx));
  for (const auto& n : model.graph().node()) {
    EXPECT_NE(n.op_type(), "Gemm");
    EXPECT_NE(n.op_type(), "Flatten");
  }
  EXPECT_EQ(model.graph().initializer_size(), 0);  // the head's weights are not kept
}

TEST(LayersConvertTest, UnknownOutputLayerIsAnError) {
  TinyLayersModel m;
  ConvertOptions o;
  o.outputs = {"no_such_layer"};
  StatusOr<ConvertResult> r = ConvertTfjs(m.file(), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no_such_layer"), std::string::npos);
}

}  // namespace
}  // namespace ocular::convert
