// Smart crops (4.0 smartCropsResult; v3.2 areaOfInterest and generateThumbnail smartCropping).
//
// Importance of each pixel = spectral-residual saliency (OpenCV contrib, normalised to [0,1])
// + confident object boxes (density score, so larger objects weigh more)
// + face boxes (density 4, they dominate). For a requested ratio r (width/height) the crop is the
// largest r-box that fits in the image, slid along its free axis to the position with the most
// importance; when the union of the faces fits in that box, only positions containing all of
// them are allowed (else the largest face alone, when it fits): a crop never cuts through the
// main faces when the ratio allows them to fit. Ties go to the position closest to the centre.
// Without a ratio (v3.2 areaOfInterest, 4.0 with no ratios): the tight box around the faces and
// confident objects (or around the top half of the saliency mass when there are none), widened
// to a ratio in [0.5, 2.0] and to at least a quarter of each image side.
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "core/geometry.h"
#include "core/result.h"

namespace ocular {

struct CropInputs {
  int width = 0, height = 0;  // original pixels
  // Importance per grid cell; the grid covers the whole image (any size, CV_32F, >= 0).
  cv::Mat importance;
  std::vector<Rect> faces;  // original pixels, most important first
};

// The crop of aspect ratio `ratio` (REQUIRES ratio > 0). Always inside the image, non-empty.
Rect CropForRatio(const CropInputs& in, double ratio);
// The area of interest (no ratio given).
Rect AreaOfInterest(const CropInputs& in, const std::vector<Rect>& subjects);

// Builds CropInputs: saliency of `bgr` (decoded image, `scale` decoded px per original px) plus
// the object boxes (with scores) and faces.
CropInputs MakeCropInputs(const cv::Mat& bgr, int width, int height,
                          const std::vector<std::pair<Rect, double>>& objects,
                          const std::vector<Rect>& faces);

}  // namespace ocular
