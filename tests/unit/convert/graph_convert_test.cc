// Unit tests of the graph-model front end on tiny hand-written TF.js graphs: op mapping, layout
// permutation (Transposes only where needed), fused ops, constant folding, unsupported ops.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <onnx/onnx_pb.h>
#include <unistd.h>

#include "tools/convert/converter.h"

namespace ocular::convert {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Writes model.json + weights.bin (float32 weights, in order) into a fresh temp folder.
class TinyModel {
 public:
  TinyModel() {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("ocular_convert_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(dir_);
  }
  ~TinyModel() { fs::remove_all(dir_); }

  void Input(const std::string& name, std::vector<int> shape) {
    json dims = json::array();
    for (int d : shape) dims.push_back({{"size", std::to_string(d)}});
    nodes_.push_back({{"name", name}, {"op", "Placeholder"},
                      {"attr", {{"dtype", {{"type", "DT_FLOAT"}}}, {"shape", {{"shape", {{"dim", dims}}}}}}}});
  }
  void Const(const std::string& name, std::vector<int64_t> shape, std::vector<float> values,
             const std::string& dtype = "float32") {
    nodes_.push_back({{"name", name}, {"op", "Const"}});
    weights_.push_back({{"name", name}, {"shape", shape}, {"dtype", dtype}});
    for (float v : values) {
      if (dtype == "int32") {
        int32_t i = static_cast<int32_t>(v);
        blob_.append(reinterpret_cast<const char*>(&i), 4);
      } else {
        blob_.append(reinterpret_cast<const char*>(&v), 4);
      }
    }
  }
  void Node(const std::string& name, const std::string& op, std::vector<std::string> inputs,
            json attr = json::object()) {
    nodes_.push_back({{"name", name}, {"op", op}, {"input", inputs}, {"attr", attr}});
  }
  StatusOr<ConvertResult> Convert(std::vector<std::string> outputs) {
    json j = {{"format", "graph-model"},
              {"modelTopology", {{"node", nodes_}}},
              {"weightsManifest", {{{"paths", {"weights.bin"}}, {"weights", weights_}}}}};
    std::ofstream(dir_ / "model.json") << j.dump();
    std::ofstream(dir_ / "weights.bin", std::ios::binary) << blob_;
    ConvertOptions o;
    o.outputs = std::move(outputs);
    return ConvertTfjs(dir_ / "model.json", o);
  }

 private:
  fs::path dir_;
  json nodes_ = json::array(), weights_ = json::array();
  std::string blob_;
};

json S(const std::string& base64) { return {{"s", base64}}; }
json Ints(std::vector<int> v) {
  json l = json::array();
  for (int x : v) l.push_back(std::to_string(x));
  return {{"list", {{"i", l}}}};
}
const char* kSame = "U0FNRQ==";   // "SAME"
const char* kValid = "VkFMSUQ=";  // "VALID"

onnx::ModelProto Parse(const ConvertResult& r) {
  onnx::ModelProto m;
  EXPECT_TRUE(m.ParseFromString(r.onnx));
  return m;
}
const onnx::NodeProto* FindNode(const onnx::ModelProto& m, const std::string& op, int k = 0) {
  for (const auto& n : m.graph().node())
    if (n.op_type() == op && k-- == 0) return &n;
  return nullptr;
}
const onnx::AttributeProto* Attr(const onnx::NodeProto& n, const std::string& name) {
  for (const auto& a : n.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}
const onnx::TensorProto* Init(const onnx::ModelProto& m, const std::string& name) {
  for (const auto& t : m.graph().initializer())
    if (t.name() == name) return &t;
  return nullptr;
}

TEST(GraphConvertTest, ConvChainRunsInNchwWithOneTransposeEachWay) {
  TinyModel t;
  t.Input("x", {1, 8, 8, 3});
  t.Const("w1", {3, 3, 3, 4}, std::vector<float>(108, 0.1f));
  t.Const("b1", {4}, {1, 2, 3, 4});
  t.Node("c1", "_FusedConv2D", {"x", "w1", "b1"},
         {{"strides", Ints({1, 1, 1, 1})}, {"padding", S(kSame)},
          {"fused_ops", {{"list", {{"s", {"Qmlhc0FkZA==", "UmVsdQ=="}}}}}}});  // BiasAdd, Relu
  t.Const("w2", {1, 1, 4, 2}, std::vector<float>(8, 0.5f));
  t.Node("c2", "Conv2D", {"c1", "w2"}, {{"strides", Ints({1, 2, 2, 1})}, {"padding", S(kValid)}});
  auto r = t.Convert({"c2"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const onnx::ModelProto m = Parse(*r);
  EXPECT_EQ(r->onnx_ops.at("Conv"), 2);
  EXPECT_EQ(r->onnx_ops.at("Relu"), 1);
  EXPECT_EQ(r->onnx_ops.at("Transpose"), 2);  // NHWC input -> NCHW, and back at the output
  const onnx::NodeProto* c1 = FindNode(m, "Conv", 0);
  ASSERT_NE(c1, nullptr);
  EXPECT_EQ(Attr(*c1, "auto_pad")->s(), "SAME_UPPER");
  EXPECT_EQ(c1->input_size(), 3);  // bias fused
  const onnx::TensorProto* w = Init(m, c1->input(1));
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(std::vector<int64_t>(w->dims().begin(), w->dims().end()),
            (std::vector<int64_t>{4, 3, 3, 3}));  // HWIO -> OIHW
  const onnx::NodeProto* c2 = FindNode(m, "Conv", 1);
  EXPECT_EQ(Attr(*c2, "strides")->ints(1), 2);
  ASSERT_EQ(r->outputs.size(), 1u);
  EXPECT_EQ(r->outputs[0].shape, (Shape{1, 4, 4, 2}));  // static, in TF (NHWC) layout
}

TEST(GraphConvertTest, DepthwiseFilterBecomesGroupedConv) {
  TinyModel t;
  t.Input("x", {1, 6, 6, 3});
  t.Const("w", {3, 3, 3, 2}, std::vector<float>(54, 1.0f));  // [H, W, C, M]
  t.Node("dw", "DepthwiseConv2dNative", {"x", "w"},
         {{"strides", Ints({1, 1, 1, 1})}, {"padding", S(kSame)}});
  auto r = t.Convert({"dw"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const onnx::ModelProto m = Parse(*r);
  const onnx::NodeProto* c = FindNode(m, "Conv");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(Attr(*c, "group")->i(), 3);
  const onnx::TensorProto* w = Init(m, c->input(1));
  EXPECT_EQ(std::vector<int64_t>(w->dims().begin(), w->dims().end()),
            (std::vector<int64_t>{6, 1, 3, 3}));  // [C*M, 1, H, W]
  EXPECT_EQ(r->outputs[0].shape, (Shape{1, 6, 6, 6}));
}

TEST(GraphConvertTest, DepthToSpaceIsDcrAndResizeMapsHalfPixelCenters) {
  TinyModel t;
  t.Input("x", {1, 4, 4, 8});
  t.Node("d2s", "DepthToSpace", {"x"}, {{"block_size", {{"i", "2"}}}});
  t.Const("size", {2}, {16, 16}, "int32");
  t.Node("rs", "ResizeBilinear", {"d2s", "size"}, {{"half_pixel_centers", {{"b", true}}}});
  t.Node("rs2", "ResizeBilinear", {"d2s", "size"}, {});
  auto r = t.Convert({"rs", "rs2"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const onnx::ModelProto m = Parse(*r);
  EXPECT_EQ(Attr(*FindNode(m, "DepthToSpace"), "mode")->s(), "DCR");
  EXPECT_EQ(Attr(*FindNode(m, "Resize", 0), "coordinate_transformation_mode")->s(), "half_pixel");
  EXPECT_EQ(Attr(*FindNode(m, "Resize", 1), "coordinate_transformation_mode")->s(), "asymmetric");
  EXPECT_EQ(r->outputs[0].shape, (Shape{1, 16, 16, 2}));
}

// An inconsistent graph (as an input_shape override makes of a graph whose resize sizes are
// constants) is a clear shape-inference error, never a crash inside libonnx.
TEST(GraphConvertTest, InconsistentShapesAreAnErrorNotACrash) {
  TinyModel t;
  t.Input("x", {1, 4, 4, 8});
  t.Input("y", {1, 6, 6, 8});
  t.Const("size", {2}, {8, 8}, "int32");
  t.Node("rs", "ResizeBilinear", {"x", "size"}, {});
  t.Const("axis", {}, {3}, "int32");
  t.Node("cat", "ConcatV2", {"rs", "y", "axis"}, {{"N", {{"i", "2"}}}});
  auto r = t.Convert({"cat"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("shape inference"), std::string::npos) << r.status().ToString();
}

// The real case: CenterNet hard-codes its upsampling sizes for a 512 input; overriding the input
// to 640 makes its Concat inconsistent. libonnx's data-propagating shape inference crashed on
// that graph; the converter now reports it.
TEST(GraphConvertTest, InputShapeOverrideOnFixedResizeGraphIsAnError) {
  const fs::path model = fs::path(OCULAR_SOURCE_DIR) / ".deps" / "npm" /
                         "@vladmandic+human-models@3.0.4" / "package" / "models" / "centernet.json";
  if (!fs::exists(model)) GTEST_SKIP() << "no " << model << " (run scripts/setup.sh)";
  ConvertOptions o;
  o.input_shape = {1, 640, 640, 3};
  auto r = ConvertTfjs(model, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("Concat"), std::string::npos) << r.status().ToString();
}

TEST(GraphConvertTest, ShapeStridedSlicePackReshapeChainFoldsToStaticReshape) {
  TinyModel t;
  t.Input("x", {1, 4, 4, 2});
  t.Node("shape", "Shape", {"x"}, {{"out_type", {{"type", "DT_INT32"}}}});
  t.Const("b", {1}, {0}, "int32");
  t.Const("e", {1}, {1}, "int32");
  t.Const("s", {1}, {1}, "int32");
  t.Node("batch", "StridedSlice", {"shape", "b", "e", "s"}, {{"shrink_axis_mask", {{"i", "1"}}}});
  t.Const("m1", {}, {-1}, "int32");
  t.Node("pack", "Pack", {"batch", "m1"}, {{"axis", {{"i", "0"}}}});
  t.Node("flat", "Reshape", {"x", "pack"});
  auto r = t.Convert({"flat"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->onnx_ops.count("Shape"), 0u);  // folded to a constant
  EXPECT_EQ(r->onnx_ops.at("Reshape"), 1);
  EXPECT_EQ(r->outputs[0].shape, (Shape{1, 32}));
  EXPECT_EQ(r->tf_ops.count("Pack"), 0u);
}

TEST(GraphConvertTest, TransposeAfterConvCancelsAgainstLayout) {
  TinyModel t;  // an onnx-tf style NCHW graph: Transpose to NHWC, conv, Transpose back
  t.Input("x", {1, 3, 5, 5});
  t.Const("p", {4}, {0, 2, 3, 1}, "int32");
  t.Node("nhwc", "Transpose", {"x", "p"});
  t.Const("w", {1, 1, 3, 2}, std::vector<float>(6, 1.0f));
  t.Node("c", "Conv2D", {"nhwc", "w"}, {{"strides", Ints({1, 1, 1, 1})}, {"padding", S(kValid)}});
  t.Const("q", {4}, {0, 3, 1, 2}, "int32");
  t.Node("nchw", "Transpose", {"c", "q"});
  auto r = t.Convert({"nchw"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->onnx_ops.count("Transpose"), 0u);
  EXPECT_EQ(r->outputs[0].shape, (Shape{1, 2, 5, 5}));
}

TEST(GraphConvertTest, UnsupportedOpNamesOpAndNode) {
  TinyModel t;
  t.Input("x", {1, 4});
  t.Node("my/strange_node", "Atan2", {"x", "x"});
  auto r = t.Convert({"my/strange_node"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(r.status().message().find("'Atan2'"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("'my/strange_node'"), std::string::npos);
}

TEST(GraphConvertTest, DynamicFilterIsAnErrorNotAWrongGraph) {
  TinyModel t;
  t.Input("x", {1, 4, 4, 1});
  t.Node("c", "Conv2D", {"x", "x"}, {{"strides", Ints({1, 1, 1, 1})}, {"padding", S(kValid)}});
  auto r = t.Convert({"c"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("node 'c' (Conv2D)"), std::string::npos) << r.status().message();
}

TEST(GraphConvertTest, MissingFileIsNotFound) {
  auto r = ConvertTfjs("/nonexistent/model.json", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace ocular::convert
