// Read writers: the 4.0 readResult, v3.2 OcrResult and v3.2 Read page shapes.
#include "api/read_json.h"

#include <gtest/gtest.h>

namespace ocular::api {
namespace {

using nlohmann::json;

Quad Box(double x, double y, double w, double h) {
  return Quad{PointF{x, y}, PointF{x + w, y}, PointF{x + w, y + h}, PointF{x, y + h}};
}

ReadResult Sample() {
  ReadResult r;
  r.language = "en";
  r.orientation = "Up";
  r.text_angle_radians = 0.05;
  TextBlock b;
  TextLine l;
  l.text = "NO LITTER";
  l.polygon = Box(10.4, 20.6, 100, 30);
  l.words.push_back({"NO", Box(10.4, 20.6, 30, 30), 0.98765});
  l.words.push_back({"LITTER", Box(50, 20.6, 60.2, 30), 0.5});
  b.lines.push_back(l);
  TextLine l2 = l;
  l2.text = "MINATO";
  l2.words.resize(1);
  l2.words[0].text = "MINATO";
  TextBlock b2;
  b2.lines.push_back(l2);
  r.blocks = {b, b2};
  return r;
}

TEST(ReadJsonTest, V40HasOneBlockWithAllLines) {
  json j = ReadResultToJsonV40(Sample());
  ASSERT_EQ(j["blocks"].size(), 1u);
  const json& lines = j["blocks"][0]["lines"];
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["text"], "NO LITTER");
  ASSERT_EQ(lines[0]["boundingPolygon"].size(), 4u);
  EXPECT_EQ(lines[0]["boundingPolygon"][0], json({{"x", 10}, {"y", 21}}));
  EXPECT_EQ(lines[0]["boundingPolygon"][2], json({{"x", 110}, {"y", 51}}));
  EXPECT_TRUE(lines[0]["boundingPolygon"][0]["x"].is_number_integer());
  ASSERT_EQ(lines[0]["words"].size(), 2u);
  EXPECT_EQ(lines[0]["words"][0]["text"], "NO");
  EXPECT_DOUBLE_EQ(lines[0]["words"][0]["confidence"].get<double>(), 0.988);
  EXPECT_EQ(lines[0]["words"][1]["boundingPolygon"].size(), 4u);
  EXPECT_EQ(lines[1]["text"], "MINATO");
}

TEST(ReadJsonTest, V40WithoutTextHasEmptyBlocks) {
  EXPECT_EQ(ReadResultToJsonV40(ReadResult{}).dump(), R"({"blocks":[]})");
}

TEST(ReadJsonTest, V32OcrResult) {
  json j = OcrResultToJsonV32(Sample(), "2026-11-26");
  EXPECT_EQ(j["language"], "en");
  EXPECT_EQ(j["orientation"], "Up");
  EXPECT_DOUBLE_EQ(j["textAngle"].get<double>(), 0.05);
  EXPECT_EQ(j["modelVersion"], "2026-11-26");
  ASSERT_EQ(j["regions"].size(), 2u);
  const json& region = j["regions"][0];
  EXPECT_EQ(region["boundingBox"], "10,20,101,31");
  ASSERT_EQ(region["lines"].size(), 1u);
  EXPECT_EQ(region["lines"][0]["boundingBox"], "10,20,101,31");
  EXPECT_FALSE(region["lines"][0].contains("text"));
  ASSERT_EQ(region["lines"][0]["words"].size(), 2u);
  EXPECT_EQ(region["lines"][0]["words"][0], json({{"boundingBox", "10,20,31,31"}, {"text", "NO"}}));
  // Key order as in the spec examples.
  EXPECT_EQ(j.begin().key(), "language");
}

TEST(ReadJsonTest, V32OcrResultWithoutAngleOrText) {
  ReadResult r;
  json j = OcrResultToJsonV32(r, "2026-11-26");
  EXPECT_FALSE(j.contains("textAngle"));
  EXPECT_EQ(j["orientation"], "NotDetected");
  EXPECT_EQ(j["language"], "unk");
  EXPECT_TRUE(j["regions"].is_array());
  EXPECT_TRUE(j["regions"].empty());
}

TEST(ReadJsonTest, V32ReadPage) {
  json p = ReadPageToJsonV32(Sample(), 1, 640, 480);
  EXPECT_EQ(p["page"], 1);
  EXPECT_EQ(p["width"], 640);
  EXPECT_EQ(p["height"], 480);
  EXPECT_EQ(p["unit"], "pixel");
  EXPECT_EQ(p["language"], "en");
  ASSERT_EQ(p["lines"].size(), 2u);
  const json& line = p["lines"][0];
  EXPECT_EQ(line["boundingBox"], json({10, 21, 110, 21, 110, 51, 10, 51}));
  EXPECT_EQ(line["text"], "NO LITTER");
  EXPECT_EQ(line["words"][1]["text"], "LITTER");
  EXPECT_EQ(line["words"][1]["boundingBox"].size(), 8u);
  EXPECT_DOUBLE_EQ(line["words"][1]["confidence"].get<double>(), 0.5);
  EXPECT_FALSE(line.contains("appearance"));  // no handwriting model: not fabricated
}

TEST(ReadJsonTest, PageAngleCombinesOrientationAndSkew) {
  ReadResult r;
  r.orientation = "Up";
  EXPECT_DOUBLE_EQ(ReadPageAngleDegrees(r), 0.0);
  r.orientation = "Right";
  EXPECT_DOUBLE_EQ(ReadPageAngleDegrees(r), 90.0);
  r.orientation = "Left";
  EXPECT_DOUBLE_EQ(ReadPageAngleDegrees(r), -90.0);
  r.orientation = "Down";
  EXPECT_DOUBLE_EQ(ReadPageAngleDegrees(r), -180.0);  // [-180, 180)
  r.orientation = "Up";
  r.text_angle_radians = -0.1;  // lines slope clockwise by 0.1 rad
  EXPECT_NEAR(ReadPageAngleDegrees(r), 5.73, 0.01);
}

}  // namespace
}  // namespace ocular::api
