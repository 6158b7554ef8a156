#include "analyzers/celebrity_matcher.h"

#include <algorithm>

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
      m->templates_.push_back({static_cast<int>(m->names_.size()) - 1, t.embedding});
    }
  }
  return m;
}

std::optional<FaceMatch> CelebrityMatcher::Match(const std::vector<float>& embedding) const {
  if (static_cast<int>(embedding.size()) != dim_ || templates_.empty()) return std::nullopt;
  double best = -2;
  int best_name = -1;
  for (const Template& t : templates_) {
    double s = 0;
    for (std::size_t i = 0; i < embedding.size(); ++i) s += double(embedding[i]) * t.embedding[i];
    if (s > best) best = s, best_name = t.name;
  }
  if (best_name < 0 || best < threshold_) return std::nullopt;
  return FaceMatch{names_[static_cast<std::size_t>(best_name)], best,
                   CelebrityConfidence(best, threshold_)};
}

}  // namespace ocular::gallery
