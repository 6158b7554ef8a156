// Landmark recognition experiments (issue 6): the measurements behind the design in
// docs/accuracy.md ("Galleries"). Not the shipped pipeline: see landmarks_eval for that.
//
//   landmarks_explore MODE [--models DIR] [--images DIR] [--coco DIR]
//   --explore   global-descriptor variants (output x pooling x views x centering): top-1
//               accuracy, lowest correct top-1 cosine, highest negative cosine
//   --cohort    the cohort test (landmark_global.h) for several outputs/poolings
//   --geometry  SIFT homography and fundamental-matrix (USAC_MAGSAC) inliers, every pair
//   --deep      CNN feature-map cells as local features (mutual NN + RANSAC) per output
//   --augment   enrollment augmentation (mirror / darkened / brightened copies as templates)
//   --asift     one-sided ASIFT (affine-simulated enrollment, SIFT query): inliers per pair
//   --dump      pooled descriptors of every image (+ enrollment variants) as TSV, and
//   --dump-maps DIR  raw feature maps, for bench/landmarks_offline.py (combinations of outputs
//               and models, regional similarities)
// OCULAR_LM_OUTPUTS=a,b,c sets the outputs --cohort and --dump use (e.g. mixed7,mixed9 of the
// nsfwjs InceptionV3 converted with --outputs into another repository).
// (Delete the "background" param from a copied spec: such a repository has no background file.)
// Outputs the model lacks are skipped; for the layer comparison convert the descriptor with
// more outputs into another repository, e.g.
//   build/ocular convert .deps/npm/nsfwjs@4.4.0/package/dist/models/mobilenet_v2/model.min.js
//     /tmp/lm_models --spec tools/convert/pack/landmark-descriptor.json --version 2026-11-26
//     --outputs block_6_expand_relu,block_10_expand_relu,block_13_expand_relu,block_16_expand_relu,out_relu
#include <cstdio>
#include <cstdlib>

#include <opencv2/calib3d.hpp>
#include <opencv2/core.hpp>
#include <opencv2/features2d.hpp>
#include <opencv2/imgproc.hpp>

#include "analyzers/galleries/gallery_analyzers.h"
#include "analyzers/galleries/gallery_build.h"
#include "analyzers/galleries/gallery_matcher.h"
#include "analyzers/galleries/landmark_descriptor.h"
#include "analyzers/galleries/landmark_global.h"
#include "landmarks_data.h"
#include "runtime/model_repository.h"

using namespace ocular;
using namespace ocular::gallery;
using namespace landmarks_bench;

namespace {

// The describer for options `o`. The shipped background file holds regional descriptors, so
// other poolings are opened without it (the modes here compute their own background).
StatusOr<std::unique_ptr<LandmarkDescriber>> OpenDescriber(runtime::ModelRepository& repo,
                                                           const DescriptorOptions& o) {
  if (o.pooling == Pooling::kRegions) return LandmarkDescriber::Load(repo, o);
  return DescriberWithoutBackground(repo, o);
}

int Explore(runtime::ModelRepository& repo, const std::map<std::string, cv::Mat>& pairs,
            const std::vector<Image>& negatives, const std::vector<Image>& background) {
  std::printf("output\tpooling\tviews\ttop1_correct\tmin_correct_sim\tmax_wrong_landmark_sim\t"
              "max_negative_sim\tnegative\tcorrect_above_all_negatives\n");
  for (const char* output : {"block_13_expand_relu", "out_relu"}) {
    for (Pooling pooling : {Pooling::kAverage, Pooling::kGem, Pooling::kMax, Pooling::kRmac}) {
      for (int views : {0, 1, 2}) {
        DescriptorOptions o;
        o.output = output;
        o.pooling = pooling;
        o.mirror = views >= 1;
        o.square_crop = views >= 2;
        auto d = OpenDescriber(repo, o);
        if (!d.ok()) {
          std::printf("# skipped %s: %s\n", output, d.status().message().c_str());
          continue;
        }
        std::map<std::string, std::vector<float>> desc, raw;
        for (const auto& [name, img] : pairs) raw[name] = *(*d)->Describe(img);
        std::vector<std::vector<float>> neg(negatives.size()), raw_neg;
        for (const Image& n : negatives) raw_neg.push_back(*(*d)->Describe(n.bgr));
       std::vector<std::vector<float>> bg;
       for (const Image& b : background) bg.push_back(*(*d)->Describe(b.bgr));
       const std::vector<float> bg_mean = bg.empty() ? std::vector<float>{} : GalleryMean(bg);
       for (int center = 0; center < 4; ++center) {
        if (center >= 2 && bg.empty()) continue;
        int correct = 0;
        float min_correct = 1, max_wrong = -1, max_neg = -1;
        std::string max_neg_name;
        std::vector<float> correct_scores;
        for (int e : {1, 2}) {
          const std::vector<float> first = center >= 2 ? bg_mean : std::vector<float>{};
          std::vector<float> mean;
          if (center == 1 || center == 3) {
            std::vector<std::vector<float>> g;
            for (const std::string& l : kLandmarks) g.push_back(Centered(raw[PhotoName(l, e)], first));
            mean = GalleryMean(g);
          }
          for (auto& [name, v] : raw) desc[name] = Centered(Centered(v, first), mean);
          for (size_t i = 0; i < negatives.size(); ++i) neg[i] = Centered(Centered(raw_neg[i], first), mean);
          for (const std::string& q : kLandmarks) {
            std::string best;
            float best_s = -1;
            for (const std::string& g : kLandmarks) {
              const float s = DescriptorSimilarity(desc[PhotoName(q, 3 - e)], desc[PhotoName(g, e)]);
              if (g != q) max_wrong = std::max(max_wrong, s);
              if (s > best_s) best_s = s, best = g;
            }
            if (best == q) {
              ++correct;
              min_correct = std::min(min_correct, best_s);
              correct_scores.push_back(best_s);
            }
          }
          for (size_t i = 0; i < negatives.size(); ++i) {
            for (const std::string& g : kLandmarks) {
              const float s = DescriptorSimilarity(neg[i], desc[PhotoName(g, e)]);
              if (s > max_neg) max_neg = s, max_neg_name = negatives[i].name + "~" + g;
            }
          }
        }
        int above = 0;
        for (float s : correct_scores) above += s > std::max(max_neg, max_wrong) ? 1 : 0;
        std::printf("%s\t%s\t%s%s\t%d/10\t%.3f\t%.3f\t%.3f\t%s\t%d\n", output, PoolingName(pooling, 3.0).c_str(),
                    views == 0 ? "whole" : views == 1 ? "whole+mirror" : "whole+square+mirror",
                    center == 0 ? "" : center == 1 ? "+gallery_mean" : center == 2 ? "+background_mean" : "+background+gallery_mean", correct, min_correct, max_wrong, max_neg, max_neg_name.c_str(), above);
        std::fflush(stdout);
       }
      }
    }
  }
  return 0;
}

// Geometric evidence of every (query, template) pair: strict homography inliers (0 when not
// verified), and fundamental-matrix inliers at several ratio tests.
int Geometry(const std::map<std::string, cv::Mat>& pairs, const std::vector<Image>& negatives) {
  std::map<std::string, LocalFeatures> feats;
  auto features = [&](const std::string& name, const cv::Mat& bgr) -> const LocalFeatures& {
    auto it = feats.find(name);
    if (it == feats.end()) it = feats.emplace(name, *ExtractFeatures(bgr, LandmarkQueryOptions())).first;
    return it->second;
  };
  std::printf("query\ttemplate\tsame\th_inliers\tf_inl_r0.8_t2\tf_inl_r0.8_t4\tf_inl_r0.9_t2\tf_inl_r0.9_t4\n");
  const MatcherOptions mo = LandmarkMatcherOptions();
  auto row = [&](const std::string& qn, const cv::Mat& q, const std::string& l, int e) {
    const LocalFeatures& tf = features(PhotoName(l, e), pairs.at(PhotoName(l, e)));
    const LocalFeatures& qf = features(qn, q);
    auto qi = QueryIndex::Build(qf);
    auto v = VerifyTemplate(tf, *qi, mo.verify);
    std::printf("%s\t%s\t%d\t%d", qn.c_str(), PhotoName(l, e).c_str(),
                qn.rfind("landmark_" + l + "_", 0) == 0 ? 1 : 0, v->matched ? v->inliers : 0);
    for (double r : {0.8, 0.9})
      for (double t : {2.0, 4.0}) std::printf("\t%d", *EpipolarInliers(tf, *qi, r, t));
    std::printf("\n");
    std::fflush(stdout);
  };
  for (int e : {1, 2}) {
    for (const std::string& q : kLandmarks) {
      for (const std::string& l : kLandmarks) row(PhotoName(q, 3 - e), pairs.at(PhotoName(q, 3 - e)), l, e);
    }
  }
  for (const Image& n : negatives) {
    for (int e : {1, 2})
      for (const std::string& l : kLandmarks) row(n.name, n.bgr, l, e);
  }
  return 0;
}

// One-sided ASIFT (Morel & Yu 2009; Pang et al.): the enrolled photo is described by
// cv::AffineFeature over SIFT (tilts sqrt(2)^k up to 3, rotations per tilt as in ASIFT: simulated viewpoints), the
// query by plain SIFT, both RootSIFT at <= 1024 px; ratio 0.8; RANSAC homography (8 px) and
// USAC_MAGSAC fundamental matrix (3 px) inliers. Prints every pair query against both
// galleries and the highest counts of any negative.
int Asift(const std::map<std::string, cv::Mat>& pairs, const std::vector<Image>& negatives) {
  auto gray = [](const cv::Mat& bgr) {
    cv::Mat g;
    cv::cvtColor(bgr, g, cv::COLOR_BGR2GRAY);
    const double s = 1024.0 / std::max(g.cols, g.rows);
    if (s < 1) cv::resize(g, g, cv::Size(), s, s, cv::INTER_AREA);
    return g;
  };
  struct Feats {
    std::vector<cv::KeyPoint> k;
    cv::Mat d;
  };
  auto extract = [&](const cv::Mat& bgr, bool affine) {
    Feats f;
    cv::Ptr<cv::Feature2D> det = cv::SIFT::create(4000);
    if (affine) det = cv::AffineFeature::create(cv::SIFT::create(1000), 3, 0);
    det->detectAndCompute(gray(bgr), cv::noArray(), f.k, f.d);
    for (int i = 0; i < f.d.rows; ++i) {  // RootSIFT
      cv::Mat r = f.d.row(i);
      r /= cv::norm(r, cv::NORM_L1) + 1e-7;
      cv::sqrt(r, r);
    }
    return f;
  };
  auto score = [](const Feats& e, const Feats& q, int* h, int* f) {
    *h = *f = 0;
    if (e.d.empty() || q.d.empty()) return;
    cv::FlannBasedMatcher m;
    std::vector<std::vector<cv::DMatch>> knn;
    m.knnMatch(q.d, e.d, knn, 2);
    std::vector<cv::Point2f> a, b;
    for (const auto& v : knn) {
      if (v.size() == 2 && v[0].distance < 0.8f * v[1].distance) {
        a.push_back(q.k[v[0].queryIdx].pt);
        b.push_back(e.k[v[0].trainIdx].pt);
      }
    }
    if (a.size() < 8) return;
    cv::Mat mh, mf;
    if (!cv::findHomography(b, a, cv::RANSAC, 8, mh, 2000, 0.995).empty()) *h = cv::countNonZero(mh);
    if (!cv::findFundamentalMat(b, a, cv::USAC_MAGSAC, 3, 0.999, mf).empty()) *f = cv::countNonZero(mf);
  };
  std::map<std::string, Feats> enrolled;
  for (const auto& [name, img] : pairs) enrolled[name] = extract(img, true);
  for (int e : {1, 2}) {
    for (const std::string& q : kLandmarks) {
      const Feats qf = extract(pairs.at(PhotoName(q, 3 - e)), false);
      std::printf("%-34s", PhotoName(q, 3 - e).c_str());
      for (const std::string& l : kLandmarks) {
        int h, f;
        score(enrolled[PhotoName(l, e)], qf, &h, &f);
        std::printf(" %s=%d/%d", l.c_str(), h, f);
      }
      std::printf("   (homography/fundamental inliers)\n");
    }
  }
  int max_h = 0, max_f = 0;
  for (const Image& n : negatives) {
    const Feats qf = extract(n.bgr, false);
    for (const auto& [name, f] : enrolled) {
      int h, fi;
      score(f, qf, &h, &fi);
      max_h = std::max(max_h, h), max_f = std::max(max_f, fi);
    }
  }
  std::printf("negatives %zu: highest homography inliers %d, fundamental %d\n", negatives.size(), max_h, max_f);
  return 0;
}

// Cohort test on the global descriptor (no geometry): for query q and its top-1 template t,
// q_margin = s(q,t) - max s(q,c) over the cohort (other names' templates [+ background]);
// t_margin = s(q,t) - max_b s(t,b) over the background. Prints both per true query and the
// largest min(q_margin, t_margin) over all negatives.
// The cohort variants run (all combinations take ~30 min; OCULAR_COHORT_ALL=1 runs them all):
// by default the photometric variants of the shipped output/pooling.
bool Selected(const char* output, Pooling pooling, int views, int center, int use_bg, int photometric) {
  if (std::getenv("OCULAR_COHORT_ALL")) return true;
  (void)photometric;
  const bool listed = std::getenv("OCULAR_LM_OUTPUTS") != nullptr;
  if (listed && photometric != 0) return false;
  return (listed || std::string(output) == "block_13_expand_relu") && pooling == Pooling::kRmac && views == 0 &&
         center == 0 && use_bg == 1;
}

// The outputs compared by --cohort: OCULAR_LM_OUTPUTS (comma-separated, e.g. the mixed* layers
// of another backbone converted with --outputs) or the MobileNetV2 expand layers.
std::vector<std::string> OutputsToTry() {
  const char* env = std::getenv("OCULAR_LM_OUTPUTS");
  if (!env) return {"block_6_expand_relu", "block_10_expand_relu", "block_13_expand_relu", "block_16_expand_relu"};
  std::vector<std::string> out;
  std::string s = env;
  for (size_t b = 0, e; b <= s.size(); b = e + 1) {
    e = s.find(',', b);
    if (e == std::string::npos) e = s.size();
    if (e > b) out.push_back(s.substr(b, e - b));
  }
  return out;
}

int Cohort(runtime::ModelRepository& repo, const std::map<std::string, cv::Mat>& pairs,
           const std::vector<Image>& negatives, const std::vector<Image>& background) {
  for (const std::string& output_name : OutputsToTry()) {
  const char* output = output_name.c_str();
  for (Pooling pooling : {Pooling::kGem, Pooling::kRmac}) {
    for (int views : {0, 2}) {
      for (int center : {0, 1}) {
      for (int use_bg : {0, 1, 2}) {
      for (int photometric : {0, 1, 2, 3}) {
        if (!Selected(output, pooling, views, center, use_bg, photometric)) continue;
        DescriptorOptions o;
        o.photometric = photometric;
        o.output = output;
        o.pooling = pooling;
        o.mirror = views >= 1;
        o.square_crop = views >= 2;
        auto d = OpenDescriber(repo, o);
        if (!d.ok()) {
          std::printf("# skipped %s: %s\n", output, d.status().message().c_str());
          continue;
        }
        std::vector<std::vector<float>> bg;
        for (const Image& b : background) bg.push_back(*(*d)->Describe(b.bgr));
        const std::vector<float> mean = center ? GalleryMean(bg) : std::vector<float>{};
        for (auto& b : bg) b = Centered(b, mean);
        std::map<std::string, std::vector<float>> desc;
        for (const auto& [name, img] : pairs) desc[name] = Centered(*(*d)->Describe(img), mean);
        std::vector<std::vector<float>> neg;
        for (const Image& n : negatives) neg.push_back(Centered(*(*d)->Describe(n.bgr), mean));
        // Returns {top1 name, min(q_margin, t_margin)} of a query against gallery e.
        auto score = [&](const std::vector<float>& q, int e, float* qm, float* tm) {
          std::string best;
          float best_s = -2, second = -2;
          for (const std::string& g : kLandmarks) {
            const float sim = DescriptorSimilarity(q, desc[PhotoName(g, e)]);
            if (sim > best_s) second = best_s, best_s = sim, best = g;
            else second = std::max(second, sim);
          }
          float qb = second, tb = -2;
          if (use_bg == 2) {  // z-norm against the background (T-norm / Z-norm)
            double mq = 0, vq = 0, mt = 0, vt = 0;
            for (const auto& b : bg) {
              const double a = DescriptorSimilarity(q, b), c = DescriptorSimilarity(desc[PhotoName(best, e)], b);
              mq += a, vq += a * a, mt += c, vt += c * c;
            }
            const double n = bg.size();
            mq /= n, mt /= n;
            const double sq = std::sqrt(std::max(1e-12, vq / n - mq * mq)), st = std::sqrt(std::max(1e-12, vt / n - mt * mt));
            *qm = float((best_s - mq) / sq - (second - mq) / sq * 0.0);
            *tm = float((best_s - mt) / st);
            // q-side also needs the top-1 to beat the other names: require it via the z of the second.
            *qm = std::min(*qm, float((best_s - second) / sq * 10));
            return best;
          }
          if (use_bg) {
            for (const auto& b : bg) {
              qb = std::max(qb, DescriptorSimilarity(q, b));
              tb = std::max(tb, DescriptorSimilarity(desc[PhotoName(best, e)], b));
            }
          }
          *qm = best_s - qb;
          *tm = use_bg ? best_s - tb : 1.f;
          return best;
        };
        std::printf("== photometric %d %s %s %s %s %s\n", photometric, output, PoolingName(pooling, 3).c_str(), views ? "whole+square+mirror" : "whole",
                    center ? "background-centered" : "raw", use_bg == 2 ? "znorm" : use_bg ? "cohort=others+background" : "cohort=others");
        float worst_pos = 9;
        int correct = 0;
        for (int e : {1, 2}) {
          for (const std::string& q : kLandmarks) {
            float qm, tm;
            std::string top = score(desc[PhotoName(q, 3 - e)], e, &qm, &tm);
            std::printf("  %-34s top1 %-18s q_margin %+.3f t_margin %+.3f\n", PhotoName(q, 3 - e).c_str(), top.c_str(), qm, tm);
            if (top == q) ++correct, worst_pos = std::min(worst_pos, std::min(qm, tm));
          }
        }
        float worst_neg = -9;
        std::string worst_name;
        int neg_pos = 0;
        for (size_t i = 0; i < negatives.size(); ++i) {
          for (int e : {1, 2}) {
            float qm, tm;
            std::string top = score(neg[i], e, &qm, &tm);
            if (std::min(qm, tm) > 0) ++neg_pos;
            if (std::min(qm, tm) > worst_neg) worst_neg = std::min(qm, tm), worst_name = negatives[i].name + "~" + top;
          }
        }
        int sep = 0;
        for (int e : {1, 2})
          for (const std::string& q : kLandmarks) {
            float qm, tm;
            if (score(desc[PhotoName(q, 3 - e)], e, &qm, &tm) == q && std::min(qm, tm) > worst_neg) ++sep;
          }
        std::printf("  top1 %d/10, lowest correct min-margin %.3f, highest negative %.3f (%s), negatives with both margins > 0: %d, correct above every negative: %d\n",
                    correct, worst_pos, worst_neg, worst_name.c_str(), neg_pos, sep);
        std::fflush(stdout);
      }
      }
      }
    }
  }
  }
  return 0;
}

struct DeepResult { int mutual = 0, h_inl = 0, a_inl = 0; };

cv::Mat CellVectors(const FeatureMap& m, bool root) {
  cv::Mat x(m.h * m.w, m.c, CV_32F);
  for (int i = 0; i < m.h * m.w; ++i) {
    float* r = x.ptr<float>(i);
    double n = 0;
    for (int k = 0; k < m.c; ++k) {
      r[k] = root ? std::sqrt(std::max(0.f, m.values[size_t(i) * m.c + k])) : m.values[size_t(i) * m.c + k];
      n += double(r[k]) * r[k];
    }
    n = std::sqrt(n) + 1e-9;
    for (int k = 0; k < m.c; ++k) r[k] = float(r[k] / n);
  }
  return x;
}

DeepResult DeepMatch(const FeatureMap& q, const FeatureMap& t, bool root, double ratio, double thr) {
  cv::Mat Q = CellVectors(q, root), T = CellVectors(t, root);
  cv::Mat S = Q * T.t();  // q cells x t cells
  std::vector<int> best_t(S.rows), best_q(S.cols, -1);
  std::vector<float> best_q_s(S.cols, -2);
  std::vector<cv::Point2f> src, dst;
  for (int i = 0; i < S.rows; ++i) {
    const float* r = S.ptr<float>(i);
    int b = 0; float bs = -2, ss = -2;
    for (int j = 0; j < S.cols; ++j) {
      if (r[j] > bs) ss = bs, bs = r[j], b = j; else ss = std::max(ss, r[j]);
      if (r[j] > best_q_s[j]) best_q_s[j] = r[j], best_q[j] = i;
    }
    // ratio on distances: sqrt(2-2s)
    best_t[i] = (std::sqrt(std::max(0.f, 2 - 2 * bs)) < ratio * std::sqrt(std::max(0.f, 2 - 2 * ss))) ? b : -1;
  }
  for (int i = 0; i < S.rows; ++i) {
    const int j = best_t[i];
    if (j < 0 || best_q[j] != i) continue;
    src.emplace_back(float(j % t.w) + 0.5f, float(j / t.w) + 0.5f);
    dst.emplace_back(float(i % q.w) + 0.5f, float(i / q.w) + 0.5f);
  }
  DeepResult r;
  r.mutual = int(src.size());
  if (src.size() >= 4) {
    cv::Mat mask;
    cv::Mat h = cv::findHomography(src, dst, cv::RANSAC, thr, mask, 2000, 0.995);
    if (!h.empty()) r.h_inl = cv::countNonZero(mask);
    cv::Mat mask2;
    cv::Mat a = cv::estimateAffinePartial2D(src, dst, mask2, cv::RANSAC, thr, 2000, 0.995);
    if (!a.empty()) r.a_inl = cv::countNonZero(mask2);
  }
  return r;
}

int Deep(runtime::ModelRepository& repo, const std::map<std::string, cv::Mat>& pairs,
         const std::vector<Image>& negatives) {
  for (const char* output : {"block_13_expand_relu", "out_relu"}) {
    DescriptorOptions o;
    o.output = output;
    auto d = OpenDescriber(repo, o);
    if (!d.ok()) {
      std::printf("# skipped %s: %s\n", output, d.status().message().c_str());
      continue;
    }
    std::map<std::string, FeatureMap> maps;
    for (const auto& [name, img] : pairs) maps[name] = *(*d)->Map(img);
    std::vector<FeatureMap> neg;
    for (const Image& n : negatives) neg.push_back(*(*d)->Map(n.bgr));
    for (bool root : {false, true}) {
      for (double ratio : {0.9, 1.0}) {
        for (double thr : {1.0, 1.5}) {
          int correct = 0;
          std::vector<int> pos_h, pos_a;
          std::string detail;
          for (int e : {1, 2}) {
            for (const std::string& q : kLandmarks) {
              int bh = -1; std::string top; int true_h = 0, true_a = 0;
              for (const std::string& g : kLandmarks) {
                DeepResult r = DeepMatch(maps[PhotoName(q, 3 - e)], maps[PhotoName(g, e)], root, ratio, thr);
                if (r.h_inl > bh) bh = r.h_inl, top = g;
                if (g == q) true_h = r.h_inl, true_a = r.a_inl;
              }
              if (top == q) ++correct;
              pos_h.push_back(true_h); pos_a.push_back(true_a);
            }
          }
          int neg_h = 0, neg_a = 0, wrong_h = 0, wrong_a = 0;
          for (int e : {1, 2})
            for (const std::string& g : kLandmarks) {
              for (const FeatureMap& n : neg) {
                DeepResult r = DeepMatch(n, maps[PhotoName(g, e)], root, ratio, thr);
                neg_h = std::max(neg_h, r.h_inl); neg_a = std::max(neg_a, r.a_inl);
              }
              for (const std::string& q : kLandmarks) {
                if (q == g) continue;
                DeepResult r = DeepMatch(maps[PhotoName(q, 3 - e)], maps[PhotoName(g, e)], root, ratio, thr);
                wrong_h = std::max(wrong_h, r.h_inl); wrong_a = std::max(wrong_a, r.a_inl);
              }
            }
          std::printf("%s root=%d ratio=%.1f thr=%.1f: top1(h) %d/10; true h_inl", output, root, ratio, thr, correct);
          for (int x : pos_h) std::printf(" %d", x);
          std::printf(" | max wrong-landmark %d, max negative %d; true a_inl", wrong_h, neg_h);
          for (int x : pos_a) std::printf(" %d", x);
          std::printf(" | max wrong %d, max negative %d\n", wrong_a, neg_a);
          std::fflush(stdout);
        }
      }
    }
  }
  return 0;
}

// Enrollment augmentation: each enrolled photo also contributes the descriptors of altered
// copies (mirror, darkened "night" version, brightened version); the cohort test of
// GlobalMatcher then takes the best template per name. Prints the calibration per variant.
int Augment(runtime::ModelRepository& repo, const std::map<std::string, cv::Mat>& pairs,
            const std::vector<Image>& negatives) {
  DescriptorOptions o;
  o.enroll_variants = false;  // the variants are made here
  auto d = OpenDescriber(repo, o);
  if (!d.ok()) return std::fprintf(stderr, "%s\n", d.status().message().c_str()), 1;
  std::vector<std::vector<float>> neg;
  for (const Image& n : negatives) neg.push_back(*(*d)->Describe(n.bgr));
  // Bit 0 mirror, bit 1 dark (gamma 2, gain 0.6), bit 2 bright (gamma 0.5), bit 3 darker
  // (gamma 3, gain 0.4), bit 4 centre crop (80 %).
  for (int variant = 0; variant < 32; ++variant) {
    float max_other = -1;
    std::vector<std::pair<std::string, float>> correct;
    for (int e : {1, 2}) {
      GalleryIndex index;
      index.embedding_regions = (*d)->regions();
      for (const std::string& l : kLandmarks) {
        GalleryEntry entry{GalleryKind::kLandmarks, l, {}, {}, {}, {}};
        const cv::Mat& img = pairs.at(PhotoName(l, e));
        std::vector<cv::Mat> views = {img};
        cv::Mat flipped;
        cv::flip(img, flipped, 1);
        if (variant & 1) views.push_back(flipped);
        if (variant & 2) views.push_back(GammaGain(img, 2.0, 0.6));
        if (variant & 4) views.push_back(GammaGain(img, 0.5, 1.0));
        if (variant & 8) views.push_back(GammaGain(img, 3.0, 0.4));
        if (variant & 16) views.push_back(img(cv::Rect(img.cols / 10, img.rows / 10, img.cols * 8 / 10, img.rows * 8 / 10)).clone());
        for (const cv::Mat& v : views) entry.templates.push_back(GalleryTemplate{0, {}, *(*d)->Describe(v)});
        index.entries.push_back(entry);
      }
      auto g = GlobalMatcher::Create(index);
      bool acc;
      for (const std::string& q : kLandmarks) {
        auto r = g->Best(*(*d)->Describe(pairs.at(PhotoName(q, 3 - e))), (*d)->background(), &acc);
        if (r->name == q) correct.push_back({q.substr(0, 6) + std::to_string(3 - e), float(r->margin)});
        else max_other = std::max(max_other, float(r->margin));
      }
      for (const auto& n : neg) max_other = std::max(max_other, float(g->Best(n, (*d)->background(), &acc)->margin));
    }
    int above = 0;
    std::printf("variant %2d (mirror %d dark %d bright %d darker %d crop %d): top-1 %zu/10, margins",
                variant, variant & 1, (variant >> 1) & 1, (variant >> 2) & 1, (variant >> 3) & 1,
                (variant >> 4) & 1, correct.size());
    for (const auto& [q, m] : correct) {
      std::printf(" %s:%.4f", q.c_str(), m);
      above += m > max_other ? 1 : 0;
    }
    std::printf("; highest non-matching %.4f; correct above it: %d\n", max_other, above);
    std::fflush(stdout);
  }
  return 0;
}

// One line per descriptor, for offline analysis of combinations (tools like numpy):
//   output <TAB> pair|neg|bg <TAB> file name <TAB> variant (0 whole, 1 dark, 2 bright) <TAB> floats
int Dump(runtime::ModelRepository& repo, const TestSet& t) {
  for (const std::string& output : OutputsToTry()) {
    DescriptorOptions o;
    o.output = output;
    o.pooling = Pooling::kRmac;  // pooled vectors: combinations are compared by cosine
    auto d = OpenDescriber(repo, o);
    if (!d.ok()) return std::fprintf(stderr, "%s\n", d.status().message().c_str()), 1;
    auto emit = [&](const char* kind, const std::string& name, const cv::Mat& img) {
      auto v = (*d)->DescribeEnrollment(img);
      if (!v.ok()) return;
      for (size_t k = 0; k < v->size(); ++k) {
        std::printf("%s\t%s\t%s\t%zu\t", output.c_str(), kind, name.c_str(), k);
        for (float x : (*v)[k]) std::printf("%g ", x);
        std::printf("\n");
      }
    };
    for (const auto& [name, img] : t.pairs) emit("pair", name, img);
    for (const Image& n : t.negatives) emit("neg", n.name, n.bgr);
    for (const Image& b : t.background) emit("bg", b.name, b.bgr);
  }
  return 0;
}

// The raw feature maps (options output) of every image, for offline region analysis: one file
// per image and variant, DIR/<kind>__<name>__<variant>.f32 = int32 h, w, c, then h*w*c floats.
int DumpMaps(runtime::ModelRepository& repo, const TestSet& t, const std::string& dir) {
  const std::vector<std::string> outputs = OutputsToTry();
  DescriptorOptions o;
  o.output = outputs.front();
  auto d = OpenDescriber(repo, o);
  if (!d.ok()) return std::fprintf(stderr, "%s\n", d.status().message().c_str()), 1;
  auto emit = [&](const char* kind, const std::string& name, const cv::Mat& img, bool variants) {
    std::vector<cv::Mat> views = {img};
    if (variants) views = {img, GammaGain(img, 2.0, 0.6), GammaGain(img, 0.5, 1.0)};
    for (size_t k = 0; k < views.size(); ++k) {
      auto m = (*d)->Map(views[k]);
      if (!m.ok()) continue;
      const std::string file = dir + "/" + kind + "__" + name + "__" + std::to_string(k) + ".f32";
      FILE* f = std::fopen(file.c_str(), "wb");
      if (!f) continue;
      const int32_t hdr[3] = {m->h, m->w, m->c};
      std::fwrite(hdr, sizeof hdr, 1, f);
      std::fwrite(m->values.data(), sizeof(float), m->values.size(), f);
      std::fclose(f);
    }
  };
  for (const auto& [name, img] : t.pairs) emit("pair", name, img, true);
  for (const Image& n : t.negatives) emit("neg", n.name, n.bgr, false);
  for (const Image& b : t.background) emit("bg", b.name, b.bgr, false);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string models = "models", images = "/work/shared/testdata/images", coco, mode, dump_dir;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--models" && i + 1 < argc) models = argv[++i];
    else if (a == "--images" && i + 1 < argc) images = argv[++i];
    else if (a == "--coco" && i + 1 < argc) coco = argv[++i];
    else if (a == "--explore" || a == "--cohort" || a == "--geometry" || a == "--deep" ||
             a == "--augment" || a == "--dump" || a == "--asift") mode = a;
    else if (a == "--dump-maps" && i + 1 < argc) mode = a, dump_dir = argv[++i];
    else return std::fprintf(stderr, "unknown argument %s\n", a.c_str()), 2;
  }
  auto repo = runtime::ModelRepository::Open(models);
  if (!repo.ok()) return std::fprintf(stderr, "%s\n", repo.status().message().c_str()), 1;
  TestSet t = LoadTestSet(images, coco);
  if (t.pairs.empty()) return std::fprintf(stderr, "landmark pairs missing in %s\n", images.c_str()), 1;
  std::printf("# %zu negatives, %zu background images\n", t.negatives.size(), t.background.size());
  if (mode == "--explore") return Explore(**repo, t.pairs, t.negatives, t.background);
  if (mode == "--cohort") return Cohort(**repo, t.pairs, t.negatives, t.background);
  if (mode == "--geometry") return Geometry(t.pairs, t.negatives);
  if (mode == "--deep") return Deep(**repo, t.pairs, t.negatives);
  if (mode == "--dump") return Dump(**repo, t);
  if (mode == "--asift") return Asift(t.pairs, t.negatives);
  if (mode == "--dump-maps") return DumpMaps(**repo, t, dump_dir);
  if (mode == "--augment") return Augment(**repo, t.pairs, t.negatives);
  return std::fprintf(stderr, "usage: landmarks_explore --explore|--cohort|--geometry|--deep ...\n"), 2;
}
