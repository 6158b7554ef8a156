// The gallery index file format: round trip and rejection of damaged or foreign files.
#include "analyzers/galleries/gallery_index.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "gallery_test_util.h"
#include "runtime/sha256.h"

namespace ocular::gallery {
namespace {

GalleryIndex SampleIndex() {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  GalleryIndex index;
  GalleryEntry brand{GalleryKind::kBrands, "Nikon", {}, {}, {}, {}};
  brand.sources.push_back({"brands/Nikon/nikon.svg", std::string(64, 'a'), true, ""});
  brand.sources.push_back({"brands/Nikon/blurry.jpg", std::string(64, 'b'), false,
                           "too few keypoints (3 < 15)"});
  GalleryTemplate t;
  t.source = 0;
  t.features.width = 400;
  t.features.height = 300;
  t.features.outline = cv::Rect2f(10, 20, 300, 200);
  t.features.descriptors = cv::Mat(37, 128, CV_32F);
  for (int i = 0; i < 37; ++i) {
    t.features.points.emplace_back(u(rng) * 400, u(rng) * 300);
    for (int j = 0; j < 128; ++j) t.features.descriptors.at<float>(i, j) = u(rng);
  }
  brand.templates.push_back(t);
  brand.colour = "FFE100";
  ShapeModel shape;
  shape.canon = cv::Mat(kShapeCanon, kShapeCanon, CV_8U);
  cv::randu(shape.canon, 0, 256);
  shape.solidity = 0.625;
  shape.elongation = 1.5;
  shape.lab = cv::Vec3f(86.f, -5.5f, 84.25f);
  brand.shapes.push_back(shape);
  index.entries.push_back(brand);
  GalleryEntry person{GalleryKind::kCelebrities, "Ada Lovelace", {}, {}, {}, {}};
  person.sources.push_back({"celebrities/Ada Lovelace/1.jpg", std::string(64, 'c'), true, ""});
  GalleryTemplate face;
  face.source = 0;
  face.features.descriptors = cv::Mat(0, 128, CV_32F);
  face.embedding = {0.6f, 0.8f, 0.f};
  person.templates.push_back(face);
  index.entries.push_back(person);
  index.entries.push_back(GalleryEntry{GalleryKind::kLandmarks, "Empty", {}, {}, {}, {}});
  index.embedding_id = "model 'landmark-descriptor' 2026-11-26 block_13_expand_relu rmac whole";
  index.embedding_regions = 15;
  return index;
}

void ExpectSameShape(const ShapeModel& a, const ShapeModel& b) {
  EXPECT_EQ(a.solidity, b.solidity);
  EXPECT_EQ(a.elongation, b.elongation);
  EXPECT_EQ(a.lab, b.lab);
  ASSERT_EQ(a.canon.size(), b.canon.size());
  EXPECT_EQ(cv::norm(a.canon, b.canon, cv::NORM_INF), 0.0);
}

TEST(GalleryIndexTest, RoundTripKeepsEverything) {
  const GalleryIndex in = SampleIndex();
  StatusOr<GalleryIndex> out = ParseIndex(SerializeIndex(in));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->embedding_id, in.embedding_id);
  EXPECT_EQ(out->embedding_regions, 15u);
  ASSERT_EQ(out->entries.size(), in.entries.size());
  for (size_t i = 0; i < in.entries.size(); ++i) {
    const GalleryEntry& a = in.entries[i];
    const GalleryEntry& b = out->entries[i];
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.name, b.name);
    ASSERT_EQ(a.sources.size(), b.sources.size());
    for (size_t s = 0; s < a.sources.size(); ++s) {
      EXPECT_EQ(a.sources[s].path, b.sources[s].path);
      EXPECT_EQ(a.sources[s].sha256, b.sources[s].sha256);
      EXPECT_EQ(a.sources[s].enrolled, b.sources[s].enrolled);
      EXPECT_EQ(a.sources[s].note, b.sources[s].note);
    }
    ASSERT_EQ(a.templates.size(), b.templates.size());
    for (size_t t = 0; t < a.templates.size(); ++t) {
      const GalleryTemplate& x = a.templates[t];
      const GalleryTemplate& y = b.templates[t];
      EXPECT_EQ(x.source, y.source);
      EXPECT_EQ(x.features.width, y.features.width);
      EXPECT_EQ(x.features.height, y.features.height);
      EXPECT_EQ(x.features.outline, y.features.outline);
      EXPECT_EQ(x.features.points, y.features.points);
      ASSERT_EQ(x.features.descriptors.rows, y.features.descriptors.rows);
      if (x.features.descriptors.rows > 0) {
        EXPECT_EQ(cv::norm(x.features.descriptors, y.features.descriptors, cv::NORM_INF), 0.0);
      }
      EXPECT_EQ(x.embedding, y.embedding);
    }
    EXPECT_EQ(a.colour, b.colour);
    ASSERT_EQ(a.shapes.size(), b.shapes.size());
    for (size_t k = 0; k < a.shapes.size(); ++k) ExpectSameShape(a.shapes[k], b.shapes[k]);
  }
  EXPECT_EQ(out->entries[0].shapes.size(), 1u);  // the sample has one: not a vacuous loop
  // Serialisation is deterministic: the same index gives the same bytes.
  EXPECT_EQ(SerializeIndex(in), SerializeIndex(*out));
}

TEST(GalleryIndexTest, FileRoundTrip) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteIndexFile(SampleIndex(), dir.path()).ok());
  StatusOr<GalleryIndex> read = ReadIndexFile(dir.path());
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->entries.size(), 3u);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / ".index.tmp"));
}

TEST(GalleryIndexTest, MissingFileIsNotFound) {
  testing::TempDir dir;
  EXPECT_EQ(ReadIndexFile(dir.path()).status().code(), StatusCode::kNotFound);
}

TEST(GalleryIndexTest, RejectsForeignDamagedAndOtherVersionFiles) {
  const std::string good = SerializeIndex(SampleIndex());
  EXPECT_FALSE(ParseIndex("").ok());
  EXPECT_FALSE(ParseIndex("GIF89a not an index at all, but long enough to have a header......"
                          "..........................")
                   .ok());
  std::string truncated = good.substr(0, good.size() - 5);
  EXPECT_NE(ParseIndex(truncated).status().message().find("size"), std::string::npos);
  std::string flipped = good;
  flipped[flipped.size() - 3] ^= 0x55;
  EXPECT_NE(ParseIndex(flipped).status().message().find("checksum"), std::string::npos);
  std::string version = good;
  version[8] = 99;
  EXPECT_NE(ParseIndex(version).status().message().find("version 99"), std::string::npos);
}

TEST(GalleryIndexTest, RejectsOlderVersionsWithRebuildHint) {
  // Version 1 has no embedding id and no landmark descriptors, version 2 no brand shapes: read
  // as version 3 their fields would be misread, so they are refused by version.
  EXPECT_EQ(kIndexFormatVersion, 3u);
  for (char old : {1, 2}) {
    std::string bytes = SerializeIndex(SampleIndex());
    bytes[8] = old;
    StatusOr<GalleryIndex> r = ParseIndex(bytes);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("version " + std::to_string(int(old))), std::string::npos);
    EXPECT_NE(r.status().message().find("rebuild"), std::string::npos);
  }
}

TEST(GalleryIndexTest, RejectsAShapeThatRunsPastThePayload) {
  GalleryIndex index;
  GalleryEntry e{GalleryKind::kBrands, "X", {}, {}, {}, {}};
  ShapeModel m;
  m.canon = cv::Mat(4, 4, CV_8U, cv::Scalar(255));
  e.shapes.push_back(m);
  index.entries.push_back(e);
  std::string bytes = SerializeIndex(index);
  // The silhouette side is the u32 before its 16 bytes at the end of the payload: make it 1000.
  const size_t side_at = bytes.size() - 16 - 4;
  const std::uint32_t side = 1000;
  std::memcpy(&bytes[side_at], &side, 4);
  // Re-seal the checksum so that the reader gets past it and meets the bad count.
  const std::string payload = bytes.substr(8 + 4 + 8 + 64);
  bytes.replace(20, 64, runtime::Sha256Hex(payload));
  StatusOr<GalleryIndex> r = ParseIndex(bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("shape"), std::string::npos) << r.status().message();
}

TEST(GalleryIndexTest, KindFolders) {
  EXPECT_EQ(KindFolder(GalleryKind::kBrands), "brands");
  EXPECT_EQ(KindFolder(GalleryKind::kCelebrities), "celebrities");
  EXPECT_EQ(KindFolder(GalleryKind::kLandmarks), "landmarks");
}

}  // namespace
}  // namespace ocular::gallery
