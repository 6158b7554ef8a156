// Unit tests of TF.js weight decoding (dequantization) and of the UMD/JS helpers.
#include <cstring>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tools/convert/tfjs_model.h"

namespace ocular::convert {
namespace {

using nlohmann::json;

TEST(DecodeWeightsTest, Uint8QuantizationIsScaleTimesQPlusMinInFloat32) {
  const json manifest = json::parse(R"([{"paths": ["x"], "weights": [
      {"name": "w", "shape": [3], "dtype": "float32",
       "quantization": {"dtype": "uint8", "scale": 0.1, "min": -1.0}}]}])");
  const std::string blob = std::string("\x00\x0a\xff", 3);
  auto w = DecodeWeights(manifest, blob);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  const Tensor& t = w->at("w");
  EXPECT_EQ(t.shape, (Shape{3}));
  EXPECT_EQ(t.v[0], static_cast<float>(-1.0));
  EXPECT_EQ(t.v[1], static_cast<float>(10 * 0.1 - 1.0));
  EXPECT_EQ(t.v[2], static_cast<float>(255 * 0.1 - 1.0));
}

TEST(DecodeWeightsTest, Uint16Float16Float32AndInt32InManifestOrder) {
  const json manifest = json::parse(R"([{"paths": ["a"], "weights": [
      {"name": "q16", "shape": [2], "dtype": "float32",
       "quantization": {"dtype": "uint16", "scale": 0.5, "min": 1.0}},
      {"name": "h", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16"}}]},
     {"paths": ["b"], "weights": [
      {"name": "f", "shape": [1, 1], "dtype": "float32"},
      {"name": "i", "shape": [], "dtype": "int32"}]}])");
  std::string blob;
  const uint16_t q[2] = {0, 1000}, h[2] = {0x3c00, 0xbc00};
  const float f = 3.25f;
  const int32_t i = -42;
  blob.append(reinterpret_cast<const char*>(q), 4);
  blob.append(reinterpret_cast<const char*>(h), 4);
  blob.append(reinterpret_cast<const char*>(&f), 4);
  blob.append(reinterpret_cast<const char*>(&i), 4);
  auto w = DecodeWeights(manifest, blob);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->at("q16").v, (std::vector<double>{1.0, 501.0}));
  EXPECT_EQ(w->at("h").v, (std::vector<double>{1.0, -1.0}));
  EXPECT_EQ(w->at("f").v, (std::vector<double>{3.25}));
  EXPECT_EQ(w->at("f").shape, (Shape{1, 1}));
  EXPECT_EQ(w->at("i").dtype, DType::kInt32);
  EXPECT_EQ(w->at("i").v, (std::vector<double>{-42}));
}

// Found by fuzz/tfjs_weights: a malformed manifest threw nlohmann exceptions out of the API, and
// a declared shape was allocated before the shards were checked to hold it.
TEST(DecodeWeightsTest, MalformedManifestsAreErrorsNotExceptionsOrAllocations) {
  const std::string blob(8, '\0');
  for (const char* manifest :
       {R"([{"paths": ["a"], "weights66": []}])", R"({"weights": []})",
        R"([{"weights": [{"name": 1, "shape": [2], "dtype": "float32"}]}])",
        R"([{"weights": [{"name": "q", "shape": [2], "dtype": "float32", "quantization": 3}]}])",
        R"([{"weights": [{"name": "big", "shape": [1000000000000, 1000000], "dtype": "float32"}]}])",
        R"([{"weights": [{"name": "neg", "shape": [-1, 4], "dtype": "float32"}]}])"}) {
    SCOPED_TRACE(manifest);
    StatusOr<std::map<std::string, Tensor>> w = Internal("not run");
    EXPECT_NO_THROW(w = DecodeWeights(json::parse(manifest), blob));
    EXPECT_FALSE(w.ok());
  }
}

TEST(DecodeWeightsTest, ShortShardsAndStringWeightsAreErrors) {
  const json manifest = json::parse(R"([{"paths": ["x"], "weights": [
      {"name": "w", "shape": [4], "dtype": "float32"}]}])");
  auto w = DecodeWeights(manifest, std::string(8, '\0'));
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.status().message().find("'w'"), std::string::npos);
  const json strings = json::parse(R"([{"paths": ["x"], "weights": [
      {"name": "s", "shape": [1], "dtype": "string"}]}])");
  EXPECT_EQ(DecodeWeights(strings, "").status().code(), StatusCode::kUnsupported);
}

TEST(JsLiteralTest, RewritesMinifiedJsObjectsAsJson) {
  auto j = JsLiteralToJson(R"({a:!0,b:!1,c:.5,d:-.25,e:1e-7,f:"x'y",g:'q',h:null,i:[1,{j:2}]})");
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  const json v = json::parse(*j);
  EXPECT_EQ(v["a"], true);
  EXPECT_EQ(v["b"], false);
  EXPECT_DOUBLE_EQ(v["c"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(v["d"].get<double>(), -0.25);
  EXPECT_DOUBLE_EQ(v["e"].get<double>(), 1e-7);
  EXPECT_EQ(v["f"], "x'y");
  EXPECT_EQ(v["g"], "q");
  EXPECT_TRUE(v["h"].is_null());
  EXPECT_EQ(v["i"][1]["j"], 2);
  EXPECT_FALSE(JsLiteralToJson("{a:foo()}").ok());  // code, not data
}

TEST(Base64Test, Decodes) {
  EXPECT_EQ(*Base64Decode("U0FNRQ=="), "SAME");
  EXPECT_EQ(*Base64Decode("TkhXQw=="), "NHWC");
  EXPECT_FALSE(Base64Decode("a*b").ok());
}

}  // namespace
}  // namespace ocular::convert
