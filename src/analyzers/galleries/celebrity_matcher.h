// CelebrityMatcher: the enrolled face embeddings of the operator's gallery
// (galleries/celebrities/<Name>/*, built by `ocular gallery build`) and the decision rule that
// names a face.
//
// Rule: a query embedding is compared by cosine similarity with every template (a SIMD scan of
// one contiguous template matrix; bench/celebrity_bench times it); the best
// template's name is returned when its similarity is >= the threshold, otherwise nothing. The
// threshold (kCelebrityThreshold) is calibrated for precision on the shared test photos
// (docs/accuracy.md, "Celebrities").
//
// Confidence = 0.5 + 0.5 * (similarity - threshold) / (1 - threshold), clamped to [0.5, 1]:
// 0.5 at the threshold, 1 for an identical embedding. Monotone in the similarity; not a
// calibrated probability.
//
// Thread-safety: Match is const and safe to call concurrently. No I/O, no logging.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "analyzers/galleries/gallery_index.h"
#include "core/status.h"

namespace ocular::gallery {

// Cosine similarity at or above which a face is named. Valid for the default embedder only
// (faceres, ArcFace alignment, zoom 1). Measured with portrait_obama.jpg and format_hopper.bmp
// enrolled (bench/celebrity_eval): the closest other face of the shared set scores 0.54, the
// genuine Obama face 0.69; 0.62 sits between with a margin on both sides. Over all 1074
// impostor pairs of the set the false-accept rate at 0.62 is not zero (look-alike faces of one
// collage reach 0.82): precision depends on the gallery; see docs/accuracy.md.
inline constexpr double kCelebrityThreshold = 0.62;

// See the confidence rule above. REQUIRES threshold < 1.
double CelebrityConfidence(double similarity, double threshold);

struct FaceMatch {
  std::string name;
  double similarity = 0;  // cosine similarity with the best template of that name
  double confidence = 0;  // CelebrityConfidence(similarity, threshold)
};

class CelebrityMatcher {
 public:
  // Copies the celebrity templates (their embeddings) out of `index`. Templates without an
  // embedding are ignored. Errors: FailedPrecondition when the embeddings do not all have the
  // same size (an index mixing embedders: rebuild it). REQUIRES 0 < threshold < 1.
  static StatusOr<std::unique_ptr<CelebrityMatcher>> Create(const GalleryIndex& index,
                                                            double threshold = kCelebrityThreshold);

  std::size_t names() const { return names_.size(); }
  std::size_t templates() const { return template_names_.size(); }
  int dim() const { return dim_; }  // embedding size; 0 when there is no template
  double threshold() const { return threshold_; }

  // The best name for an L2-normalised embedding, or nullopt when no template reaches the
  // threshold (or the size differs from dim()).
  std::optional<FaceMatch> Match(const std::vector<float>& embedding) const;

 private:
  CelebrityMatcher() = default;
  double threshold_ = kCelebrityThreshold;
  int dim_ = 0;
  std::vector<std::string> names_;
  // One row per template (dim_ floats, L2-normalised), and the index into names_ of each row.
  cv::Mat matrix_;
  std::vector<int> template_names_;
};

}  // namespace ocular::gallery
