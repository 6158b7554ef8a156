// Area reduction of an image whose rows arrive one at a time (the PNG and TIFF readers that never
// hold the full raster): each output pixel is the mean of its factor x factor source block, and
// memory is one row of sums, not the image.
//
//   BlockReducer r(width, height, factor, /*channels=*/3);
//   for (int y = 0; y < height; ++y) r.AddRow(y, row_y);   // top to bottom
//   cv::Mat bgr = r.Finish();
//
// Rows: 8-bit pixels of 1 (grey), 2 (grey + alpha), 3 (BGR) or 4 (BGRA) channels; alpha is
// composited onto white. Rows must come in increasing order and may skip some (an interlaced
// PNG's last Adam7 pass has only the odd rows): an output row no source row reached repeats the
// row above it. Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

namespace ocular::image_internal {

class BlockReducer {
 public:
  // REQUIRES: width, height >= 1; 1 <= factor; 1 <= channels <= 4.
  BlockReducer(int width, int height, int factor, int channels);
  // Adds source row y (width * channels bytes).
  void AddRow(int y, const std::uint8_t* row);
  // CV_8UC3 BGR, ceil(height / factor) x ceil(width / factor); white when no row was added.
  cv::Mat Finish();

 private:
  void Flush();

  int width_, factor_, channels_;
  cv::Mat out_;
  int current_ = -1;  // output row being summed
  int last_written_ = -1;
  std::vector<std::uint32_t> sum_;    // out_.cols * 3
  std::vector<std::uint32_t> count_;  // source pixels per output pixel
};

}  // namespace ocular::image_internal
