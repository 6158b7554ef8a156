// The gallery index: the templates compiled from an operator's gallery folders
// (`<DIR>/<kind>/<Name>/*.{jpg,jpeg,png,svg}`, kind = brands, celebrities, landmarks) and its
// versioned binary file format. The index holds templates only (keypoint positions, RootSIFT
// descriptors, face embeddings) and each source file's name and sha256, never image pixels.
//
// File format (little-endian), `<DIR>/.index`:
//   header : magic "OCGALIDX" (8 bytes) | u32 format version (kIndexFormatVersion)
//            | u64 payload size | 64 ASCII hex chars: sha256 of the payload
//   payload: str embedding id (GalleryIndex::embedding_id) | u32 embedding regions
//            | u32 entry count, then per entry:
//            u8 kind | str name | u32 source count | per source: str path, str sha256, u8 enrolled,
//            str note | u32 template count | per template: i32 source | i32 width | i32 height
//            | f32 outline x,y,w,h | u32 n | u32 dim | n x (f32 x, f32 y) | n*dim f32
//            | u32 embedding size | f32 embedding
//            then (after the templates) | str brand colour | u32 shape count | per shape:
//            f32 solidity, f32 elongation, 3 x f32 Lab | u32 side | side*side u8 silhouette
//   str = u32 byte length + bytes. A reader rejects another magic, another version, a size or
//   checksum mismatch, and any count that runs past the payload.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/galleries/brand_shape.h"
#include "analyzers/galleries/gallery_features.h"
#include "core/status.h"

namespace ocular::gallery {

enum class GalleryKind : std::uint8_t { kBrands = 0, kCelebrities = 1, kLandmarks = 2 };
inline constexpr GalleryKind kAllKinds[] = {GalleryKind::kBrands, GalleryKind::kCelebrities,
                                            GalleryKind::kLandmarks};
// The folder name of a kind: "brands", "celebrities", "landmarks".
std::string_view KindFolder(GalleryKind kind);

inline constexpr char kIndexFileName[] = ".index";
// Version 2 (landmark global descriptors): the payload starts with the embedding id, and
// landmark templates carry a global descriptor in GalleryTemplate::embedding. Version 3: each
// entry ends with its brand colour and colour + silhouette shape models (brand_shape.h), which
// were read from the folder at load time before, and the embedding id is followed by the
// number of regions of a landmark embedding (regional descriptors, landmark_descriptor.h). Older files are rejected ("rebuild the index").
inline constexpr std::uint32_t kIndexFormatVersion = 3;

// One reference file of a name, as found at build time.
struct GallerySource {
  std::string path;    // relative to the gallery folder, '/'-separated ("landmarks/Taj/1.jpg")
  std::string sha256;  // of the file's bytes, 64 hex digits
  bool enrolled = false;  // false: skipped at build (see note)
  std::string note;       // why it was skipped; empty when enrolled
};

struct GalleryTemplate {
  int source = -1;           // index into GalleryEntry::sources
  LocalFeatures features;    // brands and landmarks
  // L2-normalised. Celebrities: the face embedding. Landmarks: the global image descriptor
  // (landmark_descriptor.h) when the index was built with the descriptor model, else empty.
  std::vector<float> embedding;
};

struct GalleryEntry {
  GalleryKind kind = GalleryKind::kLandmarks;
  std::string name;  // the folder name, returned as the recognised name
  std::vector<GallerySource> sources;
  std::vector<GalleryTemplate> templates;
  // Brands: the first word of <Name>/colour.txt (kBrandColourFile) at build time, empty without
  // the file; and the shape models of the name's suitable SVG marks in that colour (empty when
  // none is suitable: the mark keeps its SIFT templates).
  std::string colour;
  std::vector<ShapeModel> shapes;
};

struct GalleryIndex {
  // Identifies the function that computed the landmark embeddings (model name, version, output,
  // pooling, views; LandmarkDescriber::id()), so that a matcher never compares descriptors of
  // different models. Empty when the index has no landmark embeddings.
  std::string embedding_id;
  // Parts of each landmark embedding (LandmarkDescriber::regions(): 15 for the regional
  // descriptor, 1 for one pooled vector).
  std::uint32_t embedding_regions = 1;
  std::vector<GalleryEntry> entries;  // sorted by (kind, name) by the builder
};

// The format above. Serialize never fails; Parse returns InvalidArgument for a corrupt, truncated
// or other-version file (the message says which).
std::string SerializeIndex(const GalleryIndex& index);
StatusOr<GalleryIndex> ParseIndex(std::string_view bytes);

// Writes atomically (temporary file + rename) / reads `<dir>/.index`.
// Errors: FailedPrecondition on I/O errors, NotFound when there is no index file.
Status WriteIndexFile(const GalleryIndex& index, const std::filesystem::path& dir);
StatusOr<GalleryIndex> ReadIndexFile(const std::filesystem::path& dir);

}  // namespace ocular::gallery
