// Face alignment for the face embedders: a least-squares similarity transform (rotation,
// uniform scale, translation; no shear, no reflection) maps the detector's keypoints onto a
// canonical template, and the face is warped into a square crop of the embedder's input size.
//
// Canonical template: the 112x112 ArcFace/InsightFace 5-point template (the alignment
// MobileFaceNet was trained with), reduced to the four points BlazeFace gives reliably: the
// subject's right eye (38.29, 51.70), left eye (73.53, 51.50), nose tip (56.03, 71.74) and mouth
// centre (56.14, 92.28, the midpoint of the template's two mouth corners). The ear tragions are
// not used: they are occluded or far off in any turned head. For other sizes the template is
// scaled by size/112 and zoomed about the crop centre (zoom < 1 shows more context).
//
// Contract: pure functions, thread-safe, no I/O; OpenCV errors are returned as Status.
#pragma once

#include <array>
#include <span>

#include <opencv2/core.hpp>

#include "analyzers/vision/vision.h"
#include "core/status.h"

namespace ocular {

// Number of keypoints used for alignment (eyes, nose tip, mouth).
inline constexpr int kAlignPoints = 4;

struct FaceTemplate {
  int size = 112;  // output crop side, pixels
  // Destination of FaceBox::keypoints[kRightEye], [kLeftEye], [kNoseTip], [kMouth].
  std::array<cv::Point2f, kAlignPoints> points{};
};

// The canonical template above for a `size` x `size` crop. zoom: 1 = the ArcFace framing;
// < 1 = the face smaller in the crop (more context); REQUIRES size > 0, zoom > 0.
FaceTemplate CanonicalFaceTemplate(int size, double zoom = 1.0);

// Least-squares similarity transform (Umeyama, no reflection) taking src[i] to dst[i]; a 2x3
// matrix [a -b tx; b a ty]. Errors: InvalidArgument when fewer than 2 pairs, sizes differ, or
// the source points coincide (no scale can be estimated).
StatusOr<cv::Matx23d> EstimateSimilarity(std::span<const cv::Point2f> src,
                                         std::span<const cv::Point2f> dst);

// The transform from image pixels to the template crop for a detected face.
StatusOr<cv::Matx23d> FaceAlignment(const std::array<cv::Point2f, kFaceKeypoints>& keypoints,
                                    const FaceTemplate& tmpl);

// Warps `image` (any type OpenCV can warp) into the template crop: bilinear, border replicated.
// Keypoints are in `image` pixels. Errors: InvalidArgument for an empty image or degenerate
// keypoints; Internal when OpenCV throws.
StatusOr<cv::Mat> AlignFace(const cv::Mat& image,
                            const std::array<cv::Point2f, kFaceKeypoints>& keypoints,
                            const FaceTemplate& tmpl);

}  // namespace ocular
