#include "analyzers/galleries/landmark_descriptor.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <opencv2/imgproc.hpp>

#include "analyzers/model_loading.h"
#include "runtime/preprocess.h"

namespace ocular::gallery {

namespace {

void Normalize(std::vector<float>& v) {
  double n = 0;
  for (float x : v) n += double(x) * x;
  n = std::sqrt(n);
  if (n > 0) {
    for (float& x : v) x = static_cast<float>(x / n);
  }
}

// Max over the positions [y0, y1) x [x0, x1) per channel.
std::vector<float> RegionMax(const float* map, int w, int c, int x0, int y0, int x1, int y1) {
  std::vector<float> out(c, 0.f);
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      const float* p = map + (size_t(y) * w + x) * c;
      for (int k = 0; k < c; ++k) out[k] = std::max(out[k], p[k]);
    }
  }
  return out;
}

// Start offsets of `n` windows of size `s` spread evenly over [0, len).
std::vector<int> Starts(int len, int s, int n) {
  std::vector<int> out;
  if (n <= 1 || len <= s) return {std::max(0, (len - s) / 2)};
  for (int i = 0; i < n; ++i) out.push_back(static_cast<int>(std::lround(double(len - s) * i / (n - 1))));
  return out;
}

}  // namespace

namespace {

// The regions of RegionCount/PoolRegions: at scale l (1..3) square regions of side
// 2*min(h,w)/(l+1), about 40% overlap, covering the map; the whole map first. Calls
// fn(x0, y0, x1, y1) for each.
template <typename Fn>
void ForEachRegion(int h, int w, Fn fn) {
  fn(0, 0, w, h);
  const int m = std::min(h, w);
  for (int l = 1; l <= 3; ++l) {
    const int s = std::max(1, 2 * m / (l + 1));
    const int nx = std::max(1, static_cast<int>(std::ceil(double(w - s) / (0.6 * s))) + 1);
    const int ny = std::max(1, static_cast<int>(std::ceil(double(h - s) / (0.6 * s))) + 1);
    for (int y0 : Starts(h, s, ny)) {
      for (int x0 : Starts(w, s, nx)) fn(x0, y0, std::min(w, x0 + s), std::min(h, y0 + s));
    }
  }
}

}  // namespace

int RegionCount(int h, int w) {
  if (h <= 0 || w <= 0) return 0;
  int n = 0;
  ForEachRegion(h, w, [&](int, int, int, int) { ++n; });
  return n;
}

std::vector<float> PoolRegions(const float* map, int h, int w, int c) {
  std::vector<float> out;
  if (h <= 0 || w <= 0 || c <= 0) return out;
  out.reserve(size_t(RegionCount(h, w)) * c);
  ForEachRegion(h, w, [&](int x0, int y0, int x1, int y1) {
    std::vector<float> r = RegionMax(map, w, c, x0, y0, x1, y1);
    Normalize(r);
    out.insert(out.end(), r.begin(), r.end());
  });
  return out;
}

float RegionalSimilarity(const std::vector<float>& a, const std::vector<float>& b, int regions) {
  if (regions <= 0 || a.empty() || a.size() != b.size() || a.size() % regions != 0) return 0.f;
  const int dim = static_cast<int>(a.size() / regions);
  // All part-to-part cosines at once (OpenCV's SIMD gemm): s(i, j) = <a_i, b_j>.
  const cv::Mat ma(regions, dim, CV_32F, const_cast<float*>(a.data()));
  const cv::Mat mb(regions, dim, CV_32F, const_cast<float*>(b.data()));
  cv::Mat s;
  cv::gemm(ma, mb, 1.0, cv::noArray(), 0.0, s, cv::GEMM_2_T);
  double sum = 0;
  for (int i = 0; i < regions; ++i) {
    float row = -2.f, col = -2.f;
    for (int j = 0; j < regions; ++j) {
      row = std::max(row, s.at<float>(i, j));
      col = std::max(col, s.at<float>(j, i));
    }
    sum += double(row) + col;
  }
  return static_cast<float>(sum / (2.0 * regions));
}

std::vector<float> SumOfRegions(const std::vector<float>& regional, int regions) {
  if (regions <= 1) return regional;
  if (regional.empty() || regional.size() % regions != 0) return {};
  const size_t dim = regional.size() / regions;
  std::vector<float> out(dim, 0.f);
  for (int r = 0; r < regions; ++r) {
    for (size_t k = 0; k < dim; ++k) out[k] += regional[r * dim + k];
  }
  Normalize(out);
  return out;
}

std::vector<float> PoolFeatures(const float* map, int h, int w, int c, Pooling pooling,
                                double gem_p) {
  std::vector<float> out(c, 0.f);
  const size_t positions = size_t(h) * w;
  if (positions == 0 || c <= 0) return out;
  switch (pooling) {
    case Pooling::kAverage:
    case Pooling::kGem: {
      const double p = pooling == Pooling::kGem ? gem_p : 1.0;
      std::vector<double> acc(c, 0.0);
      for (size_t i = 0; i < positions; ++i) {
        const float* f = map + i * c;
        for (int k = 0; k < c; ++k) acc[k] += std::pow(std::max(0.f, f[k]), p);
      }
      for (int k = 0; k < c; ++k) out[k] = static_cast<float>(std::pow(acc[k] / positions, 1.0 / p));
      break;
    }
    case Pooling::kMax:
      out = RegionMax(map, w, c, 0, 0, w, h);
      break;
    case Pooling::kRmac: {
      // The sum of the L2-normalised regions (Tolias et al.).
      const std::vector<float> regions = PoolRegions(map, h, w, c);
      for (size_t r = 0; r < regions.size() / c; ++r) {
        for (int k = 0; k < c; ++k) out[k] += regions[r * c + k];
      }
      break;
    }
    case Pooling::kRegions:
      return PoolRegions(map, h, w, c);
  }
  Normalize(out);
  return out;
}

std::string PoolingName(Pooling pooling, double gem_p) {
  switch (pooling) {
    case Pooling::kAverage: return "avg";
    case Pooling::kMax: return "max";
    case Pooling::kGem: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "gem%g", gem_p);
      return buf;
    }
    case Pooling::kRmac: return "rmac";
    case Pooling::kRegions: return "regions";
  }
  return "unknown";
}

std::string LandmarkDescriber::id() const {
  std::string views = "whole";
  if (options_.square_crop) views += "+square";
  if (options_.mirror) views += "+mirror";
  std::string id = label_ + " " + options_.output + " " +
                   PoolingName(options_.pooling, options_.gem_p) + " " + views;
  if (options_.photometric != 0) id += " photometric" + std::to_string(options_.photometric);
  if (options_.enroll_variants) id += " enroll+dark+bright";
  return id;
}

cv::Mat GammaGain(const cv::Mat& image, double gamma, double gain) {
  cv::Mat lut(1, 256, CV_8U);
  for (int i = 0; i < 256; ++i) {
    lut.at<uchar>(i) = cv::saturate_cast<uchar>(255.0 * gain * std::pow(i / 255.0, gamma));
  }
  cv::Mat out;
  cv::LUT(image, lut, out);
  return out;
}

StatusOr<std::vector<std::vector<float>>> LandmarkDescriber::DescribeEnrollment(
    const cv::Mat& image) const {
  std::vector<std::vector<float>> out;
  OCULAR_ASSIGN_OR_RETURN(std::vector<float> d, Describe(image));
  out.push_back(std::move(d));
  if (!options_.enroll_variants) return out;
  try {
    // Darkened (dusk/night-like) and brightened copies; parameters as measured (header).
    for (const cv::Mat& v : {GammaGain(image, 2.0, 0.6), GammaGain(image, 0.5, 1.0)}) {
      OCULAR_ASSIGN_OR_RETURN(std::vector<float> e, Describe(v));
      out.push_back(std::move(e));
    }
  } catch (const cv::Exception& e) {
    return InvalidArgument(std::string("landmark enrollment variants: ") + e.what());
  }
  return out;
}

float DescriptorSimilarity(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.empty() || a.size() != b.size()) return 0.f;
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
  return static_cast<float>(s);
}

StatusOr<std::unique_ptr<LandmarkDescriber>> LandmarkDescriber::Create(
    std::shared_ptr<const runtime::Model> model, const DescriptorOptions& options) {
  if (!model) return InvalidArgument("no landmark descriptor model");
  const runtime::ModelConfig& cfg = model->config;
  if (cfg.inputs.size() != 1 || cfg.inputs[0].layout != runtime::Layout::kNHWC) {
    return FailedPrecondition(model->label() + ": expected one NHWC image input");
  }
  std::unique_ptr<LandmarkDescriber> d(new LandmarkDescriber());
  for (size_t i = 0; i < cfg.outputs.size(); ++i) {
    if (cfg.outputs[i].name == options.output) d->output_index_ = static_cast<int>(i);
  }
  if (d->output_index_ < 0) {
    return FailedPrecondition(model->label() + ": has no output '" + options.output + "'");
  }
  if (cfg.outputs[d->output_index_].shape.size() != 4) {
    return FailedPrecondition(model->label() + ": output '" + options.output +
                              "' is not a 1 x h x w x c feature map");
  }
  if (options.pooling == Pooling::kRegions) {
    const std::vector<int64_t>& shape = cfg.outputs[d->output_index_].shape;
    if (options.mirror || options.square_crop) {
      return InvalidArgument("regional landmark descriptors take the whole image only");
    }
    if (shape[1] <= 0 || shape[2] <= 0) {
      return FailedPrecondition(model->label() + ": output '" + options.output +
                                "' needs a fixed h x w for regional descriptors");
    }
    d->regions_ = RegionCount(int(shape[1]), int(shape[2]));
  }
  d->model_ = std::move(model);
  d->options_ = options;
  d->label_ = d->model_->label();
  return d;
}

StatusOr<std::unique_ptr<LandmarkDescriber>> LandmarkDescriber::Load(
    runtime::ModelRepository& repo, const DescriptorOptions& options) {
  OCULAR_ASSIGN_OR_RETURN(std::shared_ptr<const runtime::Model> model,
                          LoadInstalledModel(&repo, kLandmarkDescriptorModel));
  std::filesystem::path background;
  const nlohmann::json& params = model->config.params;
  if (params.contains("background") && params["background"].is_string()) {
    background = model->dir / params["background"].get<std::string>();
  }
  OCULAR_ASSIGN_OR_RETURN(std::unique_ptr<LandmarkDescriber> d, Create(std::move(model), options));
  if (!background.empty()) {
    OCULAR_ASSIGN_OR_RETURN(d->background_, ReadBackground(background));
    const size_t size = size_t(d->regions_) *
                        static_cast<size_t>(d->model_->config.outputs[d->output_index_].shape[3]);
    for (const auto& b : d->background_) {
      if (b.size() != size) {
        return FailedPrecondition(background.string() + ": descriptor size " +
                                  std::to_string(b.size()) + " does not match output '" +
                                  options.output + "'");
      }
    }
  }
  return d;
}

StatusOr<std::vector<std::vector<float>>> ReadBackground(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return FailedPrecondition("cannot read landmark background " + file.string());
  std::vector<std::vector<float>> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    std::vector<float> v;
    float x;
    while (ss >> x) v.push_back(x);
    if (!ss.eof() || v.empty() || (!out.empty() && v.size() != out.front().size())) {
      return FailedPrecondition("malformed landmark background " + file.string() + " (line " +
                                std::to_string(out.size() + 1) + ")");
    }
    out.push_back(std::move(v));
  }
  return out;
}

namespace {

StatusOr<cv::Mat> ToBgr(const cv::Mat& image, int photometric) {
  if (image.empty()) return InvalidArgument("empty image");
  cv::Mat bgr;
  try {
    if (image.channels() == 1) {
      cv::cvtColor(image, bgr, cv::COLOR_GRAY2BGR);
    } else if (image.channels() == 4) {
      cv::cvtColor(image, bgr, cv::COLOR_BGRA2BGR);
    } else {
      bgr = image;
    }
    if (photometric != 0) {
      // Work at <= 640 px: the network sees 320 px anyway.
      cv::Mat small = bgr;
      const double f = 640.0 / std::max(bgr.cols, bgr.rows);
      if (f < 1) cv::resize(bgr, small, cv::Size(), f, f, cv::INTER_AREA);
      cv::Mat ycc;
      cv::cvtColor(small, ycc, cv::COLOR_BGR2YCrCb);
      std::vector<cv::Mat> ch;
      cv::split(ycc, ch);
      if (photometric >= 2) {
        // Clip limit 2 on an 8x8 grid: OpenCV's usual CLAHE setting.
        cv::createCLAHE(2.0, cv::Size(8, 8))->apply(ch[0], ch[0]);
      }
      if (photometric == 1 || photometric == 3) {
        cv::cvtColor(ch[0], bgr, cv::COLOR_GRAY2BGR);
      } else {
        cv::merge(ch, ycc);
        cv::cvtColor(ycc, bgr, cv::COLOR_YCrCb2BGR);
      }
    }
  } catch (const cv::Exception& e) {
    return InvalidArgument(std::string("landmark descriptor: ") + e.what());
  }
  return bgr;
}

}  // namespace

StatusOr<FeatureMap> LandmarkDescriber::Map(const cv::Mat& image) const {
  OCULAR_ASSIGN_OR_RETURN(cv::Mat bgr, ToBgr(image, options_.photometric));
  runtime::PreprocessOptions pre;
  pre.interpolation = runtime::Interpolation::kArea;
  OCULAR_ASSIGN_OR_RETURN(runtime::PreprocessedImage p,
                          runtime::PreprocessImage(bgr, model_->config.inputs[0], pre));
  OCULAR_ASSIGN_OR_RETURN(std::vector<runtime::Tensor> outs, model_->Run({std::move(p.tensor)}));
  runtime::Tensor& t = outs.at(output_index_);
  if (t.shape.size() != 4 || t.floats.empty()) {
    return Internal(label_ + ": output '" + options_.output + "' is not a float feature map");
  }
  FeatureMap m;
  m.h = int(t.shape[1]);
  m.w = int(t.shape[2]);
  m.c = int(t.shape[3]);
  m.values = std::move(t.floats);
  return m;
}

StatusOr<std::vector<std::vector<float>>> LandmarkDescriber::DescribeViews(
    const cv::Mat& image) const {
  OCULAR_ASSIGN_OR_RETURN(cv::Mat bgr, ToBgr(image, options_.photometric));
  std::vector<cv::Mat> views = {bgr};
  if (options_.square_crop) {
    const int s = std::min(bgr.cols, bgr.rows);
    views.push_back(bgr(cv::Rect((bgr.cols - s) / 2, (bgr.rows - s) / 2, s, s)));
  }
  if (options_.mirror) {
    const size_t n = views.size();
    for (size_t i = 0; i < n; ++i) {
      cv::Mat flipped;
      cv::flip(views[i], flipped, 1);
      views.push_back(flipped);
    }
  }
  std::vector<std::vector<float>> out;
  for (const cv::Mat& v : views) {
    runtime::PreprocessOptions pre;
    pre.interpolation = runtime::Interpolation::kArea;  // strong downscaling of photos
    OCULAR_ASSIGN_OR_RETURN(runtime::PreprocessedImage p,
                            runtime::PreprocessImage(v, model_->config.inputs[0], pre));
    OCULAR_ASSIGN_OR_RETURN(std::vector<runtime::Tensor> outs, model_->Run({std::move(p.tensor)}));
    const runtime::Tensor& t = outs.at(output_index_);
    if (t.shape.size() != 4 || t.floats.empty()) {
      return Internal(label_ + ": output '" + options_.output + "' is not a float feature map");
    }
    out.push_back(PoolFeatures(t.floats.data(), int(t.shape[1]), int(t.shape[2]),
                               int(t.shape[3]), options_.pooling, options_.gem_p));
  }
  return out;
}

StatusOr<std::vector<float>> LandmarkDescriber::Describe(const cv::Mat& image) const {
  OCULAR_ASSIGN_OR_RETURN(std::vector<std::vector<float>> views, DescribeViews(image));
  if (options_.pooling == Pooling::kRegions) return std::move(views.front());  // one view (Create)
  std::vector<float> sum(views.front().size(), 0.f);
  for (const std::vector<float>& v : views) {
    for (size_t k = 0; k < sum.size(); ++k) sum[k] += v[k];
  }
  Normalize(sum);
  return sum;
}

}  // namespace ocular::gallery
