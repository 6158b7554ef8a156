#include "analyzers/galleries/gallery_features.h"

#include <librsvg/rsvg.h>

#include <algorithm>
#include <cmath>

#include <opencv2/calib3d.hpp>
#include <opencv2/features2d.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/image.h"

namespace ocular::gallery {

namespace {

// RootSIFT (Arandjelovic & Zisserman 2012): L1-normalise, then square-root each component, so
// that L2 distances compare like the Hellinger kernel.
void ToRootSift(cv::Mat& d) {
  for (int i = 0; i < d.rows; ++i) {
    float* row = d.ptr<float>(i);
    double sum = 0;
    for (int j = 0; j < d.cols; ++j) sum += std::abs(row[j]);
    const double inv = 1.0 / (sum + 1e-7);
    for (int j = 0; j < d.cols; ++j) row[j] = static_cast<float>(std::sqrt(std::abs(row[j]) * inv));
  }
}

double Cross(cv::Point2f o, cv::Point2f a, cv::Point2f b) {
  return double(a.x - o.x) * (b.y - o.y) - double(a.y - o.y) * (b.x - o.x);
}

// A projected outline is plausible when it is convex, keeps its orientation (no mirror) and its
// sides do not shrink or stretch by more than 8x relative to each other.
bool PlausibleQuad(const std::vector<cv::Point2f>& q) {
  int sign = 0;
  for (int i = 0; i < 4; ++i) {
    double c = Cross(q[i], q[(i + 1) % 4], q[(i + 2) % 4]);
    int s = c > 0 ? 1 : (c < 0 ? -1 : 0);
    if (s == 0 || (sign != 0 && s != sign)) return false;
    sign = s;
  }
  if (sign < 0) return false;  // image y grows downwards: the template's clockwise order is kept
  double lo = 1e18, hi = 0;
  for (int i = 0; i < 4; ++i) {
    double len = cv::norm(q[i] - q[(i + 1) % 4]);
    lo = std::min(lo, len);
    hi = std::max(hi, len);
  }
  return lo > 4 && hi / lo < 8;
}

}  // namespace

StatusOr<LocalFeatures> ExtractFeatures(const cv::Mat& image, const FeatureOptions& options) {
  if (image.empty()) return InvalidArgument("empty image");
  OCULAR_ASSIGN_OR_RETURN(cv::Mat gray, ToGray8(image));
  try {
    const int long_side = std::max(gray.cols, gray.rows);
    if (options.max_side > 0 && long_side > options.max_side) {
      const double s = double(options.max_side) / long_side;
      cv::resize(gray, gray, cv::Size(), s, s, cv::INTER_AREA);
    }
    LocalFeatures out;
    out.width = gray.cols;
    out.height = gray.rows;
    std::vector<cv::KeyPoint> keypoints;
    cv::Ptr<cv::SIFT> sift = cv::SIFT::create(options.max_features);
    sift->detectAndCompute(gray, cv::noArray(), keypoints, out.descriptors);
    if (out.descriptors.empty()) out.descriptors = cv::Mat(0, 128, CV_32F);
    ToRootSift(out.descriptors);
    out.points.reserve(keypoints.size());
    for (const cv::KeyPoint& k : keypoints) out.points.push_back(k.pt);
    return out;
  } catch (const cv::Exception& e) {
    return Internal(std::string("feature extraction failed: ") + e.what());
  }
}

StatusOr<cv::Mat> RenderSvg(const std::filesystem::path& path, int size) {
  GError* error = nullptr;
  RsvgHandle* handle = rsvg_handle_new_from_file(path.c_str(), &error);
  if (handle == nullptr) {
    std::string why = error ? error->message : "unknown error";
    if (error) g_error_free(error);
    return InvalidArgument("cannot read SVG " + path.filename().string() + ": " + why);
  }
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, size, size);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  const double margin = size / 8.0;
  RsvgRectangle viewport{margin, margin, size - 2 * margin, size - 2 * margin};
  gboolean ok = rsvg_handle_render_document(handle, cr, &viewport, &error);
  cairo_surface_flush(surface);
  cv::Mat gray;
  if (ok) {
    cv::Mat bgra(size, size, CV_8UC4, cairo_image_surface_get_data(surface),
                 cairo_image_surface_get_stride(surface));
    cv::cvtColor(bgra, gray, cv::COLOR_BGRA2GRAY);  // copies out of the cairo buffer
  }
  std::string why = error ? error->message : "render failed";
  if (error) g_error_free(error);
  cairo_destroy(cr);
  cairo_surface_destroy(surface);
  g_object_unref(handle);
  if (!ok) return InvalidArgument("cannot render SVG " + path.filename().string() + ": " + why);
  return gray;
}

StatusOr<cv::Mat> LoadGalleryImage(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  if (ext == ".svg") return RenderSvg(path, 400);
  try {
    cv::Mat img = cv::imread(path.string(), cv::IMREAD_GRAYSCALE);
    if (img.empty()) return InvalidArgument("cannot decode image " + path.filename().string());
    return img;
  } catch (const cv::Exception& e) {
    return InvalidArgument("cannot decode image " + path.filename().string() + ": " + e.what());
  }
}

StatusOr<QueryIndex> QueryIndex::Build(const LocalFeatures& features) {
  QueryIndex q;
  q.features_ = &features;
  if (features.descriptors.rows < 2) return q;
  try {
    q.index_ = std::make_shared<cv::flann::Index>(features.descriptors,
                                                  cv::flann::KDTreeIndexParams(4));
  } catch (const cv::Exception& e) {
    return Internal(std::string("query index failed: ") + e.what());
  }
  return q;
}

Status QueryIndex::Knn2(const cv::Mat& descriptors, cv::Mat* indices, cv::Mat* dists) const {
  if (!index_ || descriptors.empty()) {
    *indices = cv::Mat();
    *dists = cv::Mat();
    return Status::Ok();
  }
  try {
    index_->knnSearch(descriptors, *indices, *dists, 2, cv::flann::SearchParams(64));
  } catch (const cv::Exception& e) {
    return Internal(std::string("query search failed: ") + e.what());
  }
  return Status::Ok();
}

Status QueryIndex::ExactKnn2(const cv::Mat& descriptors, cv::Mat* indices, cv::Mat* dists) const {
  *indices = cv::Mat();
  *dists = cv::Mat();
  if (features_->descriptors.rows < 2 || descriptors.empty()) return Status::Ok();
  try {
    std::vector<std::vector<cv::DMatch>> knn;
    cv::BFMatcher(cv::NORM_L2).knnMatch(descriptors, features_->descriptors, knn, 2);
    *indices = cv::Mat(descriptors.rows, 2, CV_32S, cv::Scalar(-1));
    *dists = cv::Mat(descriptors.rows, 2, CV_32F, cv::Scalar(0));
    for (size_t i = 0; i < knn.size(); ++i) {
      for (size_t k = 0; k < knn[i].size() && k < 2; ++k) {
        indices->at<int>(int(i), int(k)) = knn[i][k].trainIdx;
        // Squared, like FLANN's L2 distances.
        dists->at<float>(int(i), int(k)) = knn[i][k].distance * knn[i][k].distance;
      }
    }
  } catch (const cv::Exception& e) {
    return Internal(std::string("query matching failed: ") + e.what());
  }
  return Status::Ok();
}

namespace {

// Ratio-test correspondences template -> query, one template point per query point.
Status Correspondences(const LocalFeatures& tmpl, const QueryIndex& query, double ratio,
                       std::vector<cv::Point2f>* src, std::vector<cv::Point2f>* dst) {
  cv::Mat idx, dist;
  if (tmpl.descriptors.rows <= kExactMatchMaxDescriptors) {
    OCULAR_RETURN_IF_ERROR(query.ExactKnn2(tmpl.descriptors, &idx, &dist));
  } else {
    OCULAR_RETURN_IF_ERROR(query.Knn2(tmpl.descriptors, &idx, &dist));
  }
  if (idx.empty()) return Status::Ok();
  const double r2 = ratio * ratio;  // FLANN returns squared L2 distances
  std::vector<int> used(query.features().points.size(), 0);
  for (int i = 0; i < idx.rows; ++i) {
    const int a = idx.at<int>(i, 0);
    if (a < 0 || idx.at<int>(i, 1) < 0 || dist.at<float>(i, 0) >= r2 * dist.at<float>(i, 1)) {
      continue;
    }
    if (used[a]++) continue;
    src->push_back(tmpl.points[i]);
    dst->push_back(query.features().points[a]);
  }
  return Status::Ok();
}

}  // namespace

StatusOr<int> EpipolarInliers(const LocalFeatures& tmpl, const QueryIndex& query, double ratio,
                              double threshold) {
  std::vector<cv::Point2f> src, dst;
  OCULAR_RETURN_IF_ERROR(Correspondences(tmpl, query, ratio, &src, &dst));
  if (src.size() < 8) return 0;
  try {
    cv::Mat mask;
    cv::Mat f = cv::findFundamentalMat(src, dst, cv::USAC_MAGSAC, threshold, 0.999, mask);
    if (f.empty() || mask.empty()) return 0;
    return cv::countNonZero(mask);
  } catch (const cv::Exception& e) {
    return Internal(std::string("epipolar verification failed: ") + e.what());
  }
}

StatusOr<Verification> VerifyTemplate(const LocalFeatures& tmpl, const QueryIndex& query,
                                      const VerifyOptions& options) {
  Verification v;
  std::vector<cv::Point2f> src, dst;
  OCULAR_RETURN_IF_ERROR(Correspondences(tmpl, query, options.ratio, &src, &dst));
  v.matches = static_cast<int>(src.size());
  if (v.matches < std::max(options.min_inliers, 4)) return v;
  try {
    cv::Mat mask;
    cv::Mat h = cv::findHomography(src, dst, cv::RANSAC, options.reprojection, mask, 2000, 0.995);
    if (h.empty()) return v;
    v.inliers = cv::countNonZero(mask);
    cv::Rect2f o = tmpl.outline.area() > 0
                       ? tmpl.outline
                       : cv::Rect2f(0, 0, float(tmpl.width), float(tmpl.height));
    std::vector<cv::Point2f> corners = {
        {o.x, o.y}, {o.x + o.width, o.y}, {o.x + o.width, o.y + o.height}, {o.x, o.y + o.height}};
    cv::perspectiveTransform(corners, v.quad, h);
  } catch (const cv::Exception& e) {
    return Internal(std::string("geometric verification failed: ") + e.what());
  }
  v.matched = v.inliers >= options.min_inliers &&
              v.inliers >= options.min_inlier_ratio * v.matches && PlausibleQuad(v.quad);
  return v;
}

}  // namespace ocular::gallery
