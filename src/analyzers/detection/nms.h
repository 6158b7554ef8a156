// Non-maximum suppression over scored boxes (detector outputs).
//
// Greedy NMS: boxes are visited by descending score; a box is kept when its IoU with every
// already-kept box (of the same class when class_wise) is <= iou_threshold. Ties in score keep
// the lower index first, so the result is deterministic.
#pragma once

#include <cstddef>
#include <vector>

namespace ocular {

// A box in any continuous coordinate system (x2 >= x1, y2 >= y1).
struct ScoredBox {
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
  double score = 0;
  int cls = 0;  // class id (ignored when NMS is not class-wise)
};

// IoU of two continuous boxes; 0 when the union is empty.
double BoxIoU(const ScoredBox& a, const ScoredBox& b);

struct NmsOptions {
  double iou_threshold = 0.5;  // suppress when IoU > this. Default 0.5.
  double min_score = 0.0;      // boxes scoring below this are dropped first. Default 0.
  bool class_wise = true;      // compare only boxes of the same class. Default true.
  std::size_t max_keep = 0;    // 0 = unlimited
};

// Returns the indices of the kept boxes, by descending score.
std::vector<std::size_t> NonMaxSuppression(const std::vector<ScoredBox>& boxes,
                                           const NmsOptions& options);

}  // namespace ocular
