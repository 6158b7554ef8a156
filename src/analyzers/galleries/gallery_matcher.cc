#include "analyzers/galleries/gallery_matcher.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <opencv2/imgproc.hpp>

namespace ocular::gallery {

MatcherOptions LandmarkMatcherOptions() {
  MatcherOptions o;
  o.verify.ratio = 0.8;
  o.verify.reprojection = 8.0;
  o.verify.min_inliers = 25;
  o.verify.min_inlier_ratio = 0.3;
  o.shortlist = 5;
  return o;
}

MatcherOptions BrandMatcherOptions() {
  MatcherOptions o;
  o.verify.ratio = 0.8;
  o.verify.reprojection = 5.0;
  o.verify.min_inliers = 7;
  o.verify.min_inlier_ratio = 0.4;
  o.shortlist = 12;
  o.vote_ratio = 0.95;  // flat marks share generic corners: a looser vote, checked geometrically
  return o;
}

namespace {

double Confidence(int inliers) { return 1.0 - std::exp(-inliers / 10.0); }

double QuadIoU(const std::vector<cv::Point2f>& a, const std::vector<cv::Point2f>& b) {
  cv::Rect2f ra = cv::boundingRect(a), rb = cv::boundingRect(b);
  const double inter = (ra & rb).area();
  const double uni = ra.area() + rb.area() - inter;
  return uni > 0 ? inter / uni : 0;
}

}  // namespace

StatusOr<std::unique_ptr<GalleryMatcher>> GalleryMatcher::Create(const GalleryIndex& index,
                                                                  GalleryKind kind,
                                                                  const MatcherOptions& options) {
  std::unique_ptr<GalleryMatcher> m(new GalleryMatcher());
  m->options_ = options;
  std::vector<cv::Mat> blocks;
  for (const GalleryEntry& e : index.entries) {
    if (e.kind != kind || e.templates.empty()) continue;
    const int name = static_cast<int>(m->names_.size());
    m->names_.push_back(e.name);
    for (const GalleryTemplate& t : e.templates) {
      if (t.features.descriptors.rows == 0) continue;
      const int id = static_cast<int>(m->templates_.size());
      m->templates_.push_back({name, t.features});
      blocks.push_back(t.features.descriptors);
      m->descriptor_template_.insert(m->descriptor_template_.end(), t.features.descriptors.rows,
                                     id);
    }
  }
  if (!blocks.empty()) {
    try {
      cv::vconcat(blocks, m->all_descriptors_);
      m->tree_ = std::make_shared<cv::flann::Index>(m->all_descriptors_,
                                                    cv::flann::KDTreeIndexParams(4));
    } catch (const cv::Exception& e) {
      return Internal(std::string("gallery kd-tree failed: ") + e.what());
    }
  }
  return m;
}

StatusOr<std::vector<int>> GalleryMatcher::Shortlist(const QueryIndex& query) const {
  if (!tree_) return std::vector<int>{};
  const cv::Mat& q = query.features().descriptors;
  if (q.rows == 0) return std::vector<int>{};
  std::vector<int> votes(templates_.size(), 0);
  try {
    cv::Mat idx, dist;
    tree_->knnSearch(q, idx, dist, 2, cv::flann::SearchParams(64));
    const float r2 = static_cast<float>(options_.vote_ratio * options_.vote_ratio);
    for (int i = 0; i < idx.rows; ++i) {
      const int a = idx.at<int>(i, 0), b = idx.at<int>(i, 1);
      if (a < 0) continue;
      // Same template for both neighbours: the ratio test says nothing, count it as a vote.
      const bool same = b >= 0 && descriptor_template_[a] == descriptor_template_[b];
      if (same || dist.at<float>(i, 0) < r2 * dist.at<float>(i, 1)) ++votes[descriptor_template_[a]];
    }
  } catch (const cv::Exception& e) {
    return Internal(std::string("gallery lookup failed: ") + e.what());
  }
  // A template with fewer votes than half the inliers it would need cannot pass verification
  // in practice: it is not verified (this prefilter is what keeps misses cheap).
  const int min_votes = std::max(2, options_.verify.min_inliers / 3);
  std::vector<int> order;
  for (size_t i = 0; i < votes.size(); ++i) {
    if (votes[i] >= min_votes) order.push_back(static_cast<int>(i));
  }
  // Ranked by the share of the template's descriptors that were voted for, so that a small
  // template (a logo with 30 points) competes fairly with a large one (a photo with 2000).
  auto share = [&](int t) { return double(votes[t]) / templates_[t].features.descriptors.rows; };
  std::sort(order.begin(), order.end(), [&](int x, int y) { return share(x) > share(y); });
  if (static_cast<int>(order.size()) > options_.shortlist) order.resize(options_.shortlist);
  return order;
}

StatusOr<std::vector<GalleryMatch>> GalleryMatcher::Match(const QueryIndex& query) const {
  OCULAR_ASSIGN_OR_RETURN(std::vector<int> shortlist, Shortlist(query));
  std::map<int, GalleryMatch> best;  // per name
  for (int t : shortlist) {
    OCULAR_ASSIGN_OR_RETURN(Verification v,
                            VerifyTemplate(templates_[t].features, query, options_.verify));
    if (!v.matched) continue;
    const int name = templates_[t].name;
    auto it = best.find(name);
    if (it == best.end() || v.inliers > it->second.inliers) {
      best[name] = GalleryMatch{names_[name], Confidence(v.inliers), v.inliers, v.quad};
    }
  }
  std::vector<GalleryMatch> out;
  for (auto& [name, m] : best) out.push_back(std::move(m));
  std::sort(out.begin(), out.end(),
            [](const GalleryMatch& a, const GalleryMatch& b) { return a.inliers > b.inliers; });
  std::vector<GalleryMatch> kept;
  for (GalleryMatch& m : out) {
    bool overlaps = false;
    for (const GalleryMatch& k : kept) overlaps |= QuadIoU(m.quad, k.quad) > 0.5;
    if (!overlaps) kept.push_back(std::move(m));
  }
  return kept;
}

}  // namespace ocular::gallery
