// Global image descriptor for landmark recognition: a learned, pooled CNN feature of the whole
// photo, robust to lighting (day/night) and moderate viewpoint change where local SIFT features
// fail. It shortlists and scores gallery templates; local features and RANSAC add geometric
// evidence (gallery_matcher.h).
//
// Model: `landmark-descriptor` of the pack (tools/convert/pack/landmark-descriptor.json): the
// MobileNetV2 backbone of nsfwjs cut at `block_13_expand_relu` (stride 16, 576 channels), input
// 320x320 RGB in 0..1 (256 and 448 were measured: no better / worse, docs/accuracy.md).
//
// Descriptor (default, Pooling::kRegions): the whole image stretched to the input, its feature
// map max-pooled over the 15 R-MAC regions, each L2-normalised: 15 x 576 floats, compared by
// RegionalSimilarity (landmark_global.h shortlists by their sum, the R-MAC vector).
// Other poolings (measurements): for each view of the image (the whole image; optionally its
// mirror image and the centred square crop) the map is pooled (PoolFeatures) and L2-normalised;
// the views are summed and the sum L2-normalised; two descriptors compare by their dot product
// (cosine), in [-1, 1] (in practice [0, 1]: the activations are non-negative).
//
// Thread-safety: Describe is const and safe to call concurrently (ORT sessions are).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/status.h"
#include "runtime/model_repository.h"

namespace ocular::gallery {

// The pack model name.
inline constexpr char kLandmarkDescriptorModel[] = "landmark-descriptor";

enum class Pooling {
  kAverage,  // mean over positions
  kMax,      // max over positions (MAC)
  kGem,      // generalised mean, (mean x^p)^(1/p), p = DescriptorOptions::gem_p
  kRmac,     // R-MAC (Tolias et al. 2016): max over square regions at 3 scales, each region
             // L2-normalised, summed
  kRegions,  // the R-MAC regions kept apart: RegionCount(h, w) L2-normalised c-vectors,
             // concatenated; compared by RegionalSimilarity
};

// Defaults: the best variant measured by bench/landmarks_eval --explore/--cohort (docs/accuracy.md,
// "Galleries"): block_13_expand_relu + R-MAC regions on the whole image; out_relu (the layer
// the nsfw head was fine-tuned on) ranked 2-6/10 queries correctly against 7-10/10 for block_13.
struct DescriptorOptions {
  std::string output = "block_13_expand_relu";  // which model output is pooled
  // kRegions: one more correct landmark pair than R-MAC at no false match, on both background
  // splits (bench/landmarks_offline.py --transfer; docs/accuracy.md). Whole image only.
  Pooling pooling = Pooling::kRegions;
  // GeM exponent; 3 is the value used by Radenovic et al. (2018) for retrieval.
  double gem_p = 3.0;
  // Adds the mirrored image as a view. Default off: it did not improve the cohort test.
  bool mirror = false;
  // Adds the centred square crop of the shorter side as a view. Default off (same reason).
  bool square_crop = false;
  // Photometric normalisation before the network, against day/night and colour casts:
  // 0 none, 1 grey (luma replicated to 3 channels), 2 CLAHE on luma (colour kept),
  // 3 grey + CLAHE. Default measured in bench/landmarks_explore --cohort.
  int photometric = 0;
  // Enrollment only (DescribeEnrollment): also describe a darkened copy (gamma 2, gain 0.6) and
  // a brightened copy (gamma 0.5) of each enrolled photo, stored as extra templates of the
  // name. bench/landmarks_explore --augment: the highest margin of any non-matching image falls
  // from 0.0030 to 0.0016 with the same 6 accepted pairs (mirror/crop/darker copies: no gain).
  bool enroll_variants = true;
};

// "avg", "max", "gem<p>" (e.g. gem3), "rmac".
std::string PoolingName(Pooling pooling, double gem_p);

// Pools an NHWC feature map (1 x h x w x c, float) into a c-vector, L2-normalised; for
// kRegions into PoolRegions' RegionCount(h, w) x c floats.
std::vector<float> PoolFeatures(const float* map, int h, int w, int c, Pooling pooling,
                                double gem_p);

// The R-MAC regions of an h x w map: the whole map, then at scale l = 1..3 square regions of
// side 2*min(h,w)/(l+1) with about 40% overlap (15 for the 20 x 20 map of the shipped model).
int RegionCount(int h, int w);
// Max-pooled c-vector of each region (order of RegionCount), each L2-normalised, concatenated.
std::vector<float> PoolRegions(const float* map, int h, int w, int c);

// Similarity of two regional descriptors of `regions` parts each (same size): the mean over the
// parts of `a` of their best cosine with a part of `b`, and the same from `b`, averaged. In
// [-1, 1]; 1 for identical descriptors; 0 when the sizes do not fit. A landmark that fills part
// of one photo and another part of the other still meets itself region to region, where one
// pooled vector mixes it with sky and water (bench/landmarks_offline.py, docs/accuracy.md).
float RegionalSimilarity(const std::vector<float>& a, const std::vector<float>& b, int regions);
// The L2-normalised sum of the parts of a regional descriptor: its R-MAC vector (a copy of
// `regional` when regions <= 1; empty when the size does not fit).
std::vector<float> SumOfRegions(const std::vector<float>& regional, int regions);

// Dot product of two descriptors of equal size; 0 when either is empty or the sizes differ.
float DescriptorSimilarity(const std::vector<float>& a, const std::vector<float>& b);

// One feature map of the model (NHWC, batch 1): h x w positions of c channels.
struct FeatureMap {
  int h = 0, w = 0, c = 0;
  std::vector<float> values;  // h * w * c
};

class LandmarkDescriber {
 public:
  // Errors: FailedPrecondition when the model lacks an NHWC image input or `options.output`.
  static StatusOr<std::unique_ptr<LandmarkDescriber>> Create(
      std::shared_ptr<const runtime::Model> model, const DescriptorOptions& options = {});
  // Loads kLandmarkDescriptorModel from `repo`, with the background descriptors named by its
  // config param "background" (a text file beside config.json: one descriptor per line, floats
  // separated by spaces; see scripts/setup.d/40-models.sh). Errors: NotFound when the model is
  // not installed, FailedPrecondition when the background file is unreadable or malformed.
  static StatusOr<std::unique_ptr<LandmarkDescriber>> Load(
      runtime::ModelRepository& repo, const DescriptorOptions& options = {});

  // The descriptor of an 8-bit BGR (or grey) image. Errors: InvalidArgument for an empty image,
  // Internal when inference fails.
  StatusOr<std::vector<float>> Describe(const cv::Mat& image) const;

  // The descriptors of an enrolled photo: Describe(image), then (enroll_variants) those of its
  // darkened and brightened copies.
  StatusOr<std::vector<std::vector<float>>> DescribeEnrollment(const cv::Mat& image) const;

  // The L2-normalised pooled descriptor of each view separately (for measurements), in order:
  // whole, [mirror], [square crop], [mirrored square crop].
  StatusOr<std::vector<std::vector<float>>> DescribeViews(const cv::Mat& image) const;

  // What computed the descriptors, e.g. "model 'landmark-descriptor' 2026-11-26 out_relu gem3
  // whole+square+mirror" (stored in the gallery index as GalleryIndex::embedding_id).
  std::string id() const;
  // The feature map (options().output) of the whole image stretched to the model input.
  StatusOr<FeatureMap> Map(const cv::Mat& image) const;

  // Descriptors of ordinary (non-landmark) photos for the cohort test (landmark_global.h);
  // empty when the model has none.
  const std::vector<std::vector<float>>& background() const { return background_; }

  const DescriptorOptions& options() const { return options_; }
  const std::string& model_label() const { return label_; }
  // Parts per descriptor: RegionCount of the output map for kRegions, else 1.
  int regions() const { return regions_; }

 private:
  LandmarkDescriber() = default;
  std::shared_ptr<const runtime::Model> model_;
  DescriptorOptions options_;
  std::string label_;
  int output_index_ = -1;
  int regions_ = 1;
  std::vector<std::vector<float>> background_;
};

// `image` with every channel mapped through 255 * gain * (x / 255)^gamma (8-bit, saturated).
cv::Mat GammaGain(const cv::Mat& image, double gamma, double gain);

// Reads a background file (format above). Errors: FailedPrecondition naming the file.
StatusOr<std::vector<std::vector<float>>> ReadBackground(const std::filesystem::path& file);

}  // namespace ocular::gallery
