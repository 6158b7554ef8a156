// Compiling gallery folders into a GalleryIndex, and checking an index against its folders.
//
//   <dir>/brands/<Name>/*.{jpg,jpeg,png,svg}      logos (photos of the mark, or SVG marks)
//   <dir>/landmarks/<Name>/*.{jpg,jpeg,png}       photos of the place
//   <dir>/celebrities/<Name>/*.{jpg,jpeg,png}     portraits (needs the face models; see below)
//
// An image that yields too few keypoints (or, for celebrities, no usable face) is skipped with a
// warning naming the file; it is recorded in the index as skipped so that `verify` can tell
// "skipped" from "new". Celebrities are enrolled through BuildOptions::enroll_face (the caller
// wires the face models: celebrity_faces.h EnrollPortraitFile); without it every celebrity
// image is skipped with that reason (never enrolled with a made-up template).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "analyzers/galleries/gallery_index.h"
#include "analyzers/galleries/landmark_descriptor.h"
#include "core/status.h"

namespace ocular::gallery {

// Per-kind feature settings shared by the builder and the matchers.
// Landmarks: photos at <= 1024 px, the strongest 4000 SIFT points; >= 50 needed to enroll.
FeatureOptions LandmarkTemplateOptions();
inline constexpr int kMinLandmarkKeypoints = 50;
// Brands: photos at <= 800 px (2000 points); SVG marks rendered at 400 px, all points, enrolled
// twice (dark-on-light and light-on-dark, since a printed mark may have either contrast);
// >= 15 points needed to enroll.
FeatureOptions BrandTemplateOptions();
inline constexpr int kMinBrandKeypoints = 15;

struct BuildReport {
  std::vector<std::string> warnings;  // one per skipped file or ignored folder entry
  int names = 0;
  int images = 0;     // image files seen
  int enrolled = 0;   // image files that gave templates
  int templates = 0;
  int shapes = 0;     // brand colour + silhouette models (brand_shape.h)
};

// Celebrity enrollment of one portrait file: its L2-normalised face embedding, or an empty
// vector with the reason in *skip (no usable face). A returned error skips the file too.
using FaceEnrollFn = std::function<StatusOr<std::vector<float>>(const std::filesystem::path& file,
                                                                std::string* skip)>;

struct BuildOptions {
  // Null (default): celebrity images are skipped, with a reason saying the face models are not
  // loaded.
  FaceEnrollFn enroll_face;
  // Null (default): landmark photos get local features only (see BuildIndex).
  const LandmarkDescriber* describer = nullptr;
};

// Builds the index of every kind folder present in `dir` (a missing kind folder is fine).
// Landmarks: with options.describer, every enrolled landmark photo also gets its global
// descriptor (GalleryTemplate::embedding of its SIFT template) plus one global-only template (no
// local features) per enrollment variant (LandmarkDescriber::DescribeEnrollment), and the index
// records describer->id(); without one (the descriptor model is not installed) landmarks are
// matched by local features only.
// Errors: NotFound when `dir` does not exist; a describer failure on an image skips that image.
StatusOr<GalleryIndex> BuildIndex(const std::filesystem::path& dir, const BuildOptions& options,
                                  BuildReport* report);
// The same with default BuildOptions (no celebrity enrollment, no landmark descriptor).
StatusOr<GalleryIndex> BuildIndex(const std::filesystem::path& dir, BuildReport* report);

// Compares `index` with the folders: files added, removed or changed since the build, and brand
// colours (kBrandColourFile) that differ from the ones the index was built with.
// Returns the list of differences (empty = up to date).
std::vector<std::string> VerifyIndex(const GalleryIndex& index, const std::filesystem::path& dir);

// Local-feature templates of one image file for `kind` (brands, landmarks; exposed for tests
// and benchmarks). Empty with a reason in *skip when the image is not usable; celebrities are
// always skipped here (they are enrolled through BuildOptions::enroll_face).
StatusOr<std::vector<LocalFeatures>> TemplatesForImage(GalleryKind kind,
                                                       const std::filesystem::path& file,
                                                       std::string* skip);

}  // namespace ocular::gallery
