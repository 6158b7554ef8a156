#include "analyzers/galleries/landmark_global.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "analyzers/galleries/landmark_descriptor.h"

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
  m.regions_ = static_cast<int>(std::max<std::uint32_t>(1, index.embedding_regions));
  size_t dim = 0;
  for (const GalleryEntry& e : index.entries) {
    if (e.kind != GalleryKind::kLandmarks) continue;
    int name = -1;
    for (const GalleryTemplate& t : e.templates) {
      if (t.embedding.empty()) continue;
      if (dim == 0) dim = t.embedding.size();
      if (t.embedding.size() != dim || dim % m.regions_ != 0) {
        return InvalidArgument("landmark '" + e.name + "' has a descriptor of size " +
                               std::to_string(t.embedding.size()) + ", expected " +
                               std::to_string(dim) + " in " + std::to_string(m.regions_) +
                               " regions (rebuild the gallery index)");
      }
      if (name < 0) {
        name = static_cast<int>(m.names_.size());
        m.names_.push_back(e.name);
      }
      m.templates_.push_back({name, t.embedding, SumOfRegions(t.embedding, m.regions_)});
    }
  }
  return m;
}

float GlobalMatcher::Similarity(const std::vector<float>& a, const std::vector<float>& b) const {
  return regions_ > 1 ? RegionalSimilarity(a, b, regions_) : DescriptorSimilarity(a, b);
}

std::optional<GlobalMatch> GlobalMatcher::Best(const std::vector<float>& query,
                                               const std::vector<std::vector<float>>& background,
                                               bool* accepted) const {
  *accepted = false;
  if (templates_.empty()) return std::nullopt;
  // Stage 1 (regional descriptors only): the names whose templates' R-MAC vectors are nearest
  // to the query's; stage 2 scores only their templates, by Similarity.
  std::vector<bool> candidate(names_.size(), true);
  const int shortlist = std::max(1, options_.shortlist);
  if (regions_ > 1 && static_cast<int>(names_.size()) > shortlist) {
    const std::vector<float> q = SumOfRegions(query, regions_);
    std::vector<float> coarse(names_.size(), -2.f);
    for (const Template& t : templates_) {
      coarse[t.name] = std::max(coarse[t.name], DescriptorSimilarity(q, t.summed));
    }
    std::vector<int> order(names_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::nth_element(order.begin(), order.begin() + shortlist, order.end(),
                     [&](int a, int b) { return coarse[a] > coarse[b]; });
    std::fill(candidate.begin(), candidate.end(), false);
    for (int i = 0; i < shortlist; ++i) candidate[order[i]] = true;
  }
  // Best similarity per name, and which template gave it.
  std::vector<float> best(names_.size(), -2.f);
  std::vector<int> best_template(names_.size(), -1);
  for (size_t i = 0; i < templates_.size(); ++i) {
    const int n = templates_[i].name;
    if (!candidate[n]) continue;
    const float s = Similarity(query, templates_[i].embedding);
    if (s > best[n]) best[n] = s, best_template[n] = static_cast<int>(i);
  }
  const int top = static_cast<int>(std::max_element(best.begin(), best.end()) - best.begin());
  const std::vector<float>& tmpl = templates_[best_template[top]].embedding;
  float q_rival = -2.f;  // the best other name or background photo, seen from the query
  for (size_t n = 0; n < best.size(); ++n) {
    if (static_cast<int>(n) != top) q_rival = std::max(q_rival, best[n]);
  }
  float t_rival = -2.f;  // the k-th best background photo, seen from the template
  // A background of another layout (another descriptor) cannot be compared: no acceptance.
  const bool comparable = !background.empty() && background.front().size() == query.size();
  if (comparable) {
    std::vector<float> qs, ts;
    for (const auto& b : background) {
      qs.push_back(Similarity(query, b));
      ts.push_back(Similarity(tmpl, b));
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
  m.margin = comparable ? std::min(s - q_rival, s - t_rival) : 0.0;
  m.confidence = GlobalConfidence(m.margin, options_);
  *accepted = comparable && m.margin >= options_.min_margin;
  return m;
}

}  // namespace ocular::gallery
