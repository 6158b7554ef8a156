#include "analyzers/galleries/celebrity_matcher.h"

#include <algorithm>

#include <opencv2/core.hpp>

namespace ocular::gallery {

double CelebrityConfidence(double similarity, double threshold) {
  const double c = 0.5 + 0.5 * (similarity - threshold) / (1.0 - threshold);
  return std::clamp(c, 0.5, 1.0);
}

StatusOr<std::unique_ptr<CelebrityMatcher>> CelebrityMatcher::Create(const GalleryIndex& index,
                                                                     double threshold) {
  std::unique_ptr<CelebrityMatcher> m(new CelebrityMatcher());
  m->threshold_ = threshold;
  for (const GalleryEntry& e : index.entries) {
    if (e.kind != GalleryKind::kCelebrities) continue;
    bool named = false;
    for (const GalleryTemplate& t : e.templates) {
      if (t.embedding.empty()) continue;
      const int dim = static_cast<int>(t.embedding.size());
      if (m->dim_ != 0 && dim != m->dim_) {
        return FailedPrecondition("the gallery index mixes face embeddings of " +
                                  std::to_string(m->dim_) + " and " + std::to_string(dim) +
                                  " values: rebuild it with `ocular gallery build`");
      }
      m->dim_ = dim;
      if (!named) {
        m->names_.push_back(e.name);
        named = true;
      }
      m->template_names_.push_back(static_cast<int>(m->names_.size()) - 1);
      m->matrix_.push_back(cv::Mat(1, dim, CV_32F, const_cast<float*>(t.embedding.data())));
    }
  }
  return m;
}

namespace {

// Dot product with 8 independent float accumulators, which the compiler turns into SIMD code
// without -ffast-math (a single accumulator would fix the order of the additions).
float Dot(const float* a, const float* b, int n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int k = 0; k < 8; ++k) acc[k] += a[i + k] * b[i + k];
  }
  float s = 0;
  for (; i < n; ++i) s += a[i] * b[i];
  for (float x : acc) s += x;
  return s;
}

}  // namespace

std::optional<FaceMatch> CelebrityMatcher::Match(const std::vector<float>& embedding) const {
  if (static_cast<int>(embedding.size()) != dim_ || matrix_.empty()) return std::nullopt;
  double best = -2;
  int best_row = -1;
  for (int r = 0; r < matrix_.rows; ++r) {
    const double s = Dot(matrix_.ptr<float>(r), embedding.data(), dim_);
    if (s > best) best = s, best_row = r;
  }
  if (best_row < 0 || best < threshold_) return std::nullopt;
  const int name = template_names_[static_cast<std::size_t>(best_row)];
  return FaceMatch{names_[static_cast<std::size_t>(name)], best, CelebrityConfidence(best, threshold_)};
}

}  // namespace ocular::gallery
