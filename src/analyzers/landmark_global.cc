#include "analyzers/landmark_global.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "analyzers/landmark_descriptor.h"

namespace ocular::gallery {

double GlobalConfidence(double margin, const GlobalMatchOptions& options) {
  if (margin <= 0 || options.confidence_scale <= 0) return 0;
  return 1.0 - std::exp(-margin / options.confidence_scale);
}

StatusOr<GlobalMatcher> GlobalMatcher::Create(const GalleryIndex& index,
                                              const GlobalMatchOptions& options) {
  GlobalMatcher m;
  m.options_ = options;
  m.embedding_id_ = index.embedding_id;
  size_t dim = 0;
  for (const GalleryEntry& e : index.entries) {
    if (e.kind != GalleryKind::kLandmarks) continue;
    int name = -1;
    for (const GalleryTemplate& t : e.templates) {
      if (t.embedding.empty()) continue;
      if (dim == 0) dim = t.embedding.size();
      if (t.embedding.size() != dim) {
        return InvalidArgument("landmark '" + e.name + "' has a descriptor of size " +
                               std::to_string(t.embedding.size()) + ", expected " +
                               std::to_string(dim) + " (rebuild the gallery index)");
      }
      if (name < 0) {
        name = static_cast<int>(m.names_.size());
        m.names_.push_back(e.name);
      }
      m.templates_.push_back({name, t.embedding});
    }
  }
  return m;
}

std::optional<GlobalMatch> GlobalMatcher::Best(const std::vector<float>& query,
                                               const std::vector<std::vector<float>>& background,
                                               bool* accepted) const {
  *accepted = false;
  if (templates_.empty()) return std::nullopt;
  // Best similarity per name, and which template gave it.
  std::vector<float> best(names_.size(), -2.f);
  std::vector<int> best_template(names_.size(), -1);
  for (size_t i = 0; i < templates_.size(); ++i) {
    const float s = DescriptorSimilarity(query, templates_[i].embedding);
    const int n = templates_[i].name;
    if (s > best[n]) best[n] = s, best_template[n] = static_cast<int>(i);
  }
  const int top = static_cast<int>(std::max_element(best.begin(), best.end()) - best.begin());
  const std::vector<float>& tmpl = templates_[best_template[top]].embedding;
  float q_rival = -2.f;  // the best other name or background photo, seen from the query
  for (size_t n = 0; n < best.size(); ++n) {
    if (static_cast<int>(n) != top) q_rival = std::max(q_rival, best[n]);
  }
  float t_rival = -2.f;  // the k-th best background photo, seen from the template
  if (!background.empty()) {
    std::vector<float> qs, ts;
    for (const auto& b : background) {
      qs.push_back(DescriptorSimilarity(query, b));
      ts.push_back(DescriptorSimilarity(tmpl, b));
    }
    const size_t k = std::clamp<size_t>(size_t(std::max(1, options_.background_rank)), 1, qs.size()) - 1;
    std::nth_element(qs.begin(), qs.begin() + k, qs.end(), std::greater<float>());
    std::nth_element(ts.begin(), ts.begin() + k, ts.end(), std::greater<float>());
    q_rival = std::max(q_rival, qs[k]);
    t_rival = ts[k];
  }
  const double s = best[top];
  GlobalMatch m;
  m.name = names_[top];
  m.similarity = s;
  m.margin = background.empty() ? 0.0 : std::min(s - q_rival, s - t_rival);
  m.confidence = GlobalConfidence(m.margin, options_);
  *accepted = !background.empty() && m.margin >= options_.min_margin;
  return m;
}

}  // namespace ocular::gallery
