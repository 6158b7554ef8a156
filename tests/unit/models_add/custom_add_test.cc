// `ocular models add` (tools/models_add/custom_add.h) on the pack's real models: yolov8n as a
// custom detector with the COCO labels, nsfw-mobilenet-v2 as a custom classifier with its labels,
// and models whose outputs do not match their labels, which must be refused with nothing written.
#include "tools/models_add/custom_add.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include "analyzers/custom/custom_registry.h"
#include "runtime/model_repository.h"

namespace ocular::models_add {
namespace {

namespace fs = std::filesystem;

// The newest version folder of a pack model, or "" when models/ lacks it.
fs::path PackModel(const std::string& name) {
  auto repo = runtime::ModelRepository::Open("models");
  if (!repo.ok()) return {};
  auto v = (*repo)->ResolveVersion(name);
  if (!v.ok()) return {};
  return fs::path("models") / name / *v;
}

// Options with every field set (no designated initializers: -Wmissing-field-initializers).
AddOptions Opts(const std::string& name, const std::string& task, const fs::path& model,
                const fs::path& labels, const fs::path& repo) {
  AddOptions o;
  o.name = name;
  o.task = task;
  o.model = model;
  o.labels = labels;
  o.repo = repo;
  return o;
}

AddOptions WithProject(AddOptions o, const std::string& project_id) {
  o.project_id = project_id;
  return o;
}

class ModelsAddTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = fs::temp_directory_path() / ("ocular-models-add-test-" + RandomUuid());
    fs::create_directories(tmp_);
  }
  void TearDown() override { fs::remove_all(tmp_); }
  fs::path Write(const std::string& file, const std::string& text) {
    std::ofstream(tmp_ / file) << text;
    return tmp_ / file;
  }
  fs::path tmp_;
};

TEST_F(ModelsAddTest, AddsYoloDetectorAndClassifierThatLoadAsCustomModels) {
  const fs::path yolo = PackModel("yolov8n"), nsfw = PackModel("nsfw-mobilenet-v2");
  if (yolo.empty() || nsfw.empty()) GTEST_SKIP() << "needs models/yolov8n and nsfw-mobilenet-v2";
  const fs::path repo = tmp_ / "repo";
  AddOptions det =
      Opts("site-objects", "object-detection", yolo / "model.onnx", yolo / "labels.txt", repo);
  det.version = "1";
  auto d = AddCustomModel(det);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->labels, 80u);
  EXPECT_TRUE(IsUuid(d->project_id));
  EXPECT_TRUE(fs::exists(repo / "site-objects" / "1" / "config.json"));

  AddOptions cls =
      Opts("content", "image-classification", nsfw / "model.onnx", nsfw / "labels.txt", repo);
  cls.project_id = "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0";
  cls.version = "1";
  // Its last layer is a Softmax node: an explicit softmax would apply a second one, refused.
  AddOptions twice = cls;
  twice.activation = "softmax";
  auto t = AddCustomModel(twice);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("already a Softmax"), std::string::npos)
      << t.status().message();
  EXPECT_FALSE(fs::exists(repo / "content"));
  auto c = AddCustomModel(cls);  // default activation: none, detected from the graph
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->project_id, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
  EXPECT_EQ(c->activation, "none");

  auto set = LoadCustomModels(repo);
  ASSERT_TRUE(set.ok()) << set.status().message();
  ASSERT_EQ((*set)->models.size(), 2u);
  auto m = (*set)->Find("content");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->project_id(), c->project_id);
  EXPECT_EQ(m->kind(), CustomKind::kClassifier);
  // The model's own softmax over 5 classes on a grey image: sums to 1, sorted descending.
  cv::Mat grey(300, 400, CV_8UC3, cv::Scalar(128, 128, 128));
  auto preds = m->Predict(grey, grey.cols, grey.rows);
  ASSERT_TRUE(preds.ok());
  ASSERT_EQ(preds->size(), 5u);
  double sum = 0;
  for (const auto& p : *preds) sum += p.probability;
  EXPECT_NEAR(sum, 1.0, 1e-4);
  EXPECT_GE((*preds)[0].probability, (*preds)[4].probability);
  EXPECT_EQ((*set)->Find("site-objects")->kind(), CustomKind::kDetector);
}

TEST_F(ModelsAddTest, RefusesOutputsThatDoNotMatchTheLabelsAndWritesNothing) {
  const fs::path yolo = PackModel("yolov8n"), nsfw = PackModel("nsfw-mobilenet-v2");
  if (yolo.empty() || nsfw.empty()) GTEST_SKIP() << "needs models/yolov8n and nsfw-mobilenet-v2";
  const fs::path repo = tmp_ / "repo";
  const fs::path three = Write("three.txt", "hardhat\nvest\nperson\n");
  auto d = AddCustomModel(Opts("hardhats", "object-detection", yolo / "model.onnx", three, repo));
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("4 + 3 rows"), std::string::npos) << d.status().message();
  auto c =
      AddCustomModel(Opts("content", "image-classification", nsfw / "model.onnx", three, repo));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("one score per label"), std::string::npos);
  // A classifier is not a YOLOv8 detector (NHWC input, [1,5] output).
  auto wrong_task =
      AddCustomModel(Opts("x", "object-detection", nsfw / "model.onnx", nsfw / "labels.txt", repo));
  EXPECT_FALSE(wrong_task.ok());
  EXPECT_FALSE(fs::exists(repo));
}

TEST_F(ModelsAddTest, RefusesBadArgumentsBeforeReadingTheModel) {
  const fs::path labels = Write("l.txt", "a\nb\n");
  const fs::path repo = tmp_ / "repo";
  EXPECT_FALSE(AddCustomModel(Opts("Bad Name", "object-detection", "m.onnx", labels, repo)).ok());
  EXPECT_FALSE(AddCustomModel(Opts("ok", "segmentation", "m.onnx", labels, repo)).ok());
  EXPECT_FALSE(AddCustomModel(WithProject(Opts("ok", "object-detection", "m.onnx", labels, repo),
                                          "not-a-uuid"))
                   .ok());
  auto missing =
      AddCustomModel(Opts("ok", "object-detection", tmp_ / "missing.onnx", labels, repo));
  EXPECT_FALSE(missing.ok());
  EXPECT_FALSE(fs::exists(repo));
}

TEST(ReadLabelsTest, OneLabelALineWithoutBlanksOrRepeats) {
  const fs::path dir = fs::temp_directory_path() / ("ocular-labels-" + RandomUuid());
  fs::create_directories(dir);
  std::ofstream(dir / "ok.txt") << "cat\r\ndog\n\n";
  std::ofstream(dir / "blank.txt") << "cat\n\ndog\n";
  std::ofstream(dir / "twice.txt") << "cat\ncat\n";
  auto ok = ReadLabels(dir / "ok.txt");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, (std::vector<std::string>{"cat", "dog"}));
  EXPECT_FALSE(ReadLabels(dir / "blank.txt").ok());
  EXPECT_FALSE(ReadLabels(dir / "twice.txt").ok());
  EXPECT_FALSE(ReadLabels(dir / "none.txt").ok());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ocular::models_add
