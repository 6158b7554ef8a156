// The face side of celebrity recognition: which faces are embedded, how a gallery portrait is
// enrolled, and how the faces of a request are named (docs/galleries.md, "Celebrities").
//
// Pipeline: BlazeFace boxes and keypoints (vision.h; the request's shared "faces" result) ->
// similarity alignment to the canonical template (face_align.h) -> embedding (face_embedder.h)
// -> cosine match against the gallery (celebrity_matcher.h).
//
// Privacy: request faces and their embeddings live only in the call; nothing is stored, logged
// or added to the gallery. Only the operator's enrolled portraits become templates.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/galleries/celebrity_matcher.h"
#include "analyzers/galleries/face_embedder.h"
#include "analyzers/vision/vision.h"
#include "core/image.h"
#include "core/result.h"
#include "core/status.h"

namespace ocular {

// Faces whose box is smaller than this (shorter side, original pixels) are neither enrolled
// nor named: their embeddings are too unreliable (measured: the closest impostor pairs of the
// shared set involve the smallest faces; docs/accuracy.md).
inline constexpr int kMinRecognizedFace = 40;

// The longer image side the celebrities analyzer asks the decoder for (faces are embedded from
// the decoded image; 1600 px keeps a face of 40 original px at >= 12 px in a 5000 px photo
// while bounding decode cost).
inline constexpr int kCelebrityDecodeSide = 1600;

// Enrollment: a portrait with several faces is enrolled only when its largest face dominates,
// i.e. its box side is at least this many times the second largest; otherwise it is skipped
// (which person is meant would be a guess).
inline constexpr double kDominantFaceRatio = 2.0;

// The embedding of `face` (detected on `image`, coordinates in original pixels).
StatusOr<std::vector<float>> EmbedFace(const FaceEmbedder& embedder, const DecodedImage& image,
                                       const FaceBox& face);

// The enrollment rule above: the index of the face to enroll, or nullopt with the reason in
// *skip (no face; the face too small; several faces, none dominant).
std::optional<std::size_t> PickEnrollmentFace(const std::vector<FaceBox>& faces, std::string* skip);

// Detects, picks (PickEnrollmentFace) and embeds the face of a gallery portrait. An image
// without a usable face returns an empty vector and the reason in *skip.
StatusOr<std::vector<float>> EnrollPortrait(const FaceDetector& detector,
                                            const FaceEmbedder& embedder, const DecodedImage& image,
                                            std::string* skip);

// EnrollPortrait on an image file (decoded as a request image is: EXIF orientation applied,
// longer side reduced towards kCelebrityDecodeSide). An undecodable file is a skip with the
// decoder's reason, not an error. Fits gallery::BuildOptions::enroll_face.
StatusOr<std::vector<float>> EnrollPortraitFile(const FaceDetector& detector,
                                                const FaceEmbedder& embedder,
                                                const std::filesystem::path& file,
                                                std::string* skip);

// Names the faces of a request: every face >= kMinRecognizedFace is embedded and matched; a
// name found on several faces is reported once, on its most similar face. Sorted by descending
// confidence; rectangles in original pixels.
StatusOr<std::vector<Category::Celebrity>> RecognizeCelebrities(
    const std::vector<FaceBox>& faces, const DecodedImage& image, const FaceEmbedder& embedder,
    const gallery::CelebrityMatcher& matcher);

}  // namespace ocular
