#include "analyzers/galleries/gallery_analyzers.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <opencv2/imgproc.hpp>

#include "analyzers/galleries/brand_shape.h"
#include "analyzers/galleries/gallery_holder.h"
#include "analyzers/galleries/landmark_recognizer.h"

namespace ocular {

namespace gallery {
FeatureOptions LandmarkQueryOptions() { return FeatureOptions{1024, 4000}; }
FeatureOptions BrandQueryOptions() { return FeatureOptions{1600, 8000}; }

StatusOr<std::shared_ptr<GalleryHolder>> OpenGalleryHolder(const AnalyzerEnv& env) {
  Status status;
  std::shared_ptr<GalleryHolder> holder = HolderFor(env.options.galleries_dir, &status);
  if (!status.ok()) {
    return Unavailable("no gallery index could be loaded from '" + env.options.galleries_dir +
                       "' (" + status.message() + ")");
  }
  return holder;
}
}  // namespace gallery

namespace {

using gallery::GalleryMatch;
using gallery::GalleryMatcher;
using gallery::LoadedGallery;

// Runs `matcher` on the request image; quads are returned in original-image pixels.
StatusOr<std::vector<GalleryMatch>> MatchImage(AnalysisContext& context,
                                               const GalleryMatcher& matcher,
                                               const gallery::FeatureOptions& options) {
  OCULAR_ASSIGN_OR_RETURN(gallery::LocalFeatures features,
                          gallery::ExtractFeatures(context.image().bgr, options));
  OCULAR_ASSIGN_OR_RETURN(gallery::QueryIndex query, gallery::QueryIndex::Build(features));
  OCULAR_ASSIGN_OR_RETURN(std::vector<GalleryMatch> matches, matcher.Match(query));
  const double sx = features.width > 0 ? double(context.info().width) / features.width : 1.0;
  const double sy = features.height > 0 ? double(context.info().height) / features.height : 1.0;
  for (GalleryMatch& m : matches) {
    for (cv::Point2f& p : m.quad) p = cv::Point2f(float(p.x * sx), float(p.y * sy));
  }
  return matches;
}

Rect ClippedBox(const std::vector<cv::Point2f>& quad, int width, int height) {
  cv::Rect2f r = cv::boundingRect(quad);
  const int x0 = std::clamp(static_cast<int>(std::floor(r.x)), 0, width);
  const int y0 = std::clamp(static_cast<int>(std::floor(r.y)), 0, height);
  const int x1 = std::clamp(static_cast<int>(std::ceil(r.x + r.width)), 0, width);
  const int y1 = std::clamp(static_cast<int>(std::ceil(r.y + r.height)), 0, height);
  return Rect{x0, y0, x1 - x0, y1 - y0};
}

class GalleryAnalyzerBase : public Analyzer {
 public:
  explicit GalleryAnalyzerBase(std::shared_ptr<gallery::GalleryHolder> holder)
      : holder_(std::move(holder)) {}

 protected:
  std::shared_ptr<gallery::GalleryHolder> holder_;
};

// Brand confidence of the shape path: kShapeConfidence x the silhouette score (0.90..1.0 when
// accepted), i.e. 0.45..0.50, no more than 7 SIFT inliers give (docs/galleries.md).
constexpr double kShapeConfidence = 0.5;

class BrandsAnalyzer : public GalleryAnalyzerBase {
 public:
  using GalleryAnalyzerBase::GalleryAnalyzerBase;
  std::string_view name() const override { return "brands"; }
  std::vector<Feature> features() const override { return {Feature::kBrands}; }
  int min_long_side() const override { return gallery::BrandQueryOptions().max_side; }

  Status Analyze(AnalysisContext& context, AnalysisResult& result) const override {
    std::vector<Brand> brands;
    std::shared_ptr<const LoadedGallery> g = holder_->Get();
    if (g && g->brands) {
      OCULAR_ASSIGN_OR_RETURN(std::vector<GalleryMatch> matches,
                              MatchImage(context, *g->brands, gallery::BrandQueryOptions()));
      for (const GalleryMatch& m : matches) {
        Rect box = ClippedBox(m.quad, context.info().width, context.info().height);
        if (box.w <= 0 || box.h <= 0) continue;
        brands.push_back(Brand{m.name, m.confidence, box});
      }
    }
    // Flat coloured marks SIFT cannot match (brand_shape.h): only those SIFT did not find.
    if (g && context.image().bgr.type() == CV_8UC3) {
      const cv::Mat& bgr = context.image().bgr;
      const double sx = bgr.cols > 0 ? double(context.info().width) / bgr.cols : 1.0;
      const double sy = bgr.rows > 0 ? double(context.info().height) / bgr.rows : 1.0;
      std::optional<gallery::ShapeQuery> query;
      for (const auto& [name, model] : g->brand_shapes) {
        const bool found = std::any_of(brands.begin(), brands.end(),
                                       [&](const Brand& b) { return b.name == name; });
        if (found) continue;
        if (!query) {
          OCULAR_ASSIGN_OR_RETURN(gallery::ShapeQuery q, gallery::PrepareShapeQuery(bgr));
          query = std::move(q);
        }
        OCULAR_ASSIGN_OR_RETURN(std::vector<gallery::ShapeHit> hits,
                                gallery::FindShape(*query, model));
        for (const gallery::ShapeHit& h : hits) {
          std::vector<cv::Point2f> quad = {cv::Point2f(float(h.box.x * sx), float(h.box.y * sy)),
                                           cv::Point2f(float((h.box.x + h.box.width) * sx),
                                                       float((h.box.y + h.box.height) * sy))};
          Rect box = ClippedBox(quad, context.info().width, context.info().height);
          if (box.w <= 0 || box.h <= 0) continue;
          brands.push_back(Brand{name, kShapeConfidence * h.score, box});
        }
      }
    }
    result.brands = std::move(brands);
    return Status::Ok();
  }
};

class LandmarksAnalyzer : public GalleryAnalyzerBase {
 public:
  LandmarksAnalyzer(std::shared_ptr<gallery::GalleryHolder> holder,
                    std::shared_ptr<const gallery::LandmarkDescriber> describer)
      : GalleryAnalyzerBase(std::move(holder)), describer_(std::move(describer)) {}
  std::string_view name() const override { return "landmarks"; }
  std::vector<Feature> features() const override { return {Feature::kLandmarks}; }
  int min_long_side() const override { return gallery::LandmarkQueryOptions().max_side; }
  // The landmark detail is attached to the categories computed first.
  std::vector<Feature> runs_after() const override { return {Feature::kCategories}; }

  Status Analyze(AnalysisContext& context, AnalysisResult& result) const override {
    std::shared_ptr<const LoadedGallery> g = holder_->Get();
    if (!g || !g->landmarks) return Status::Ok();
    OCULAR_ASSIGN_OR_RETURN(
        gallery::LandmarkResult recognized,
        gallery::RecognizeLandmarks(context.image().bgr, *g->landmarks, g->landmarks_global.get(),
                                    describer_.get()));
    const std::vector<GalleryMatch>& matches = recognized.matches;
    if (matches.empty()) return Status::Ok();
    if (!result.categories) result.categories.emplace();
    std::vector<Category>& cats = *result.categories;
    auto it = std::find_if(cats.begin(), cats.end(), [](const Category& c) {
      return c.name.starts_with("building_") || c.name.starts_with("outdoor_");
    });
    if (it == cats.end()) {
      cats.push_back(Category{"building_", matches.front().confidence, {}, {}});
      it = cats.end() - 1;
    }
    for (const GalleryMatch& m : matches) it->landmarks.push_back({m.name, m.confidence});
    return Status::Ok();
  }

 private:
  // Null when the landmark-descriptor model is not installed: local features only.
  std::shared_ptr<const gallery::LandmarkDescriber> describer_;
};

}  // namespace

StatusOr<std::unique_ptr<Analyzer>> CreateBrandsAnalyzer(const AnalyzerEnv& env) {
  OCULAR_ASSIGN_OR_RETURN(auto holder, gallery::OpenGalleryHolder(env));
  if (!holder->Get()->brands) {
    return Unavailable("the gallery '" + env.options.galleries_dir +
                       "' has no brands (add brands/<Name>/*.svg|png|jpg and run `ocular "
                       "gallery build`)");
  }
  return std::unique_ptr<Analyzer>(std::make_unique<BrandsAnalyzer>(std::move(holder)));
}

StatusOr<std::unique_ptr<Analyzer>> CreateLandmarksAnalyzer(const AnalyzerEnv& env) {
  OCULAR_ASSIGN_OR_RETURN(auto holder, gallery::OpenGalleryHolder(env));
  if (!holder->Get()->landmarks) {
    return Unavailable("the gallery '" + env.options.galleries_dir +
                       "' has no landmarks (add landmarks/<Name>/*.jpg and run `ocular gallery "
                       "build`)");
  }
  // The global descriptor path needs the landmark-descriptor model; without it landmarks are
  // still recognised by local features (docs/galleries.md).
  std::shared_ptr<const gallery::LandmarkDescriber> describer;
  if (env.models) {
    StatusOr<std::unique_ptr<gallery::LandmarkDescriber>> d =
        gallery::LandmarkDescriber::Load(*env.models);
    if (d.ok()) {
      describer = std::move(d).value();
    } else if (d.status().code() != StatusCode::kNotFound) {
      return d.status();  // installed but broken: say so rather than silently degrade
    }
  }
  return std::unique_ptr<Analyzer>(
      std::make_unique<LandmarksAnalyzer>(std::move(holder), std::move(describer)));
}

}  // namespace ocular
