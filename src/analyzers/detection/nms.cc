#include "analyzers/detection/nms.h"

#include <algorithm>
#include <numeric>

namespace ocular {

double BoxIoU(const ScoredBox& a, const ScoredBox& b) {
  double iw = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
  double ih = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
  double inter = (iw > 0 && ih > 0) ? iw * ih : 0.0;
  double area_a = std::max(0.0, a.x2 - a.x1) * std::max(0.0, a.y2 - a.y1);
  double area_b = std::max(0.0, b.x2 - b.x1) * std::max(0.0, b.y2 - b.y1);
  double uni = area_a + area_b - inter;
  return uni > 0 ? inter / uni : 0.0;
}

std::vector<std::size_t> NonMaxSuppression(const std::vector<ScoredBox>& boxes,
                                           const NmsOptions& options) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    if (boxes[i].score >= options.min_score) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return boxes[a].score > boxes[b].score;
  });
  std::vector<std::size_t> kept;
  for (std::size_t i : order) {
    if (options.max_keep && kept.size() >= options.max_keep) break;
    bool keep = true;
    for (std::size_t k : kept) {
      if (options.class_wise && boxes[k].cls != boxes[i].cls) continue;
      if (BoxIoU(boxes[k], boxes[i]) > options.iou_threshold) {
        keep = false;
        break;
      }
    }
    if (keep) kept.push_back(i);
  }
  return kept;
}

}  // namespace ocular
