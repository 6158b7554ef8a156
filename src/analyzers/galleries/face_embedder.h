// Face embedding for celebrity recognition: aligns a detected face (face_align.h) and runs a
// face-embedding model of the pack, returning an L2-normalised descriptor, so that the cosine
// similarity of two faces is the dot product of their embeddings.
//
// Models (docs/converter.md): "faceres" (1024-d, 224x224 input, raw 0..255, normalised here) and
// "mobilefacenet" (192-d, 112x112 input, 0..1, the graph already normalises). The default is
// faceres. Measured on the shared test photos (bench/celebrity_eval, docs/accuracy.md
// "Celebrities"): mobilefacenet's embeddings of any two faces have cosine >= 0.99 (Obama vs
// Obama 0.9997, impostors up to 1.0000; also with [-1, 1] or BGR input), so it cannot tell
// people apart; faceres gives Obama/Obama 0.69 against 0.54 for the closest impostor of the
// enrolled faces.
//
// Thread-safety: Embed is const and safe to call concurrently. Privacy: nothing is stored or
// logged; the crop lives only in the call.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "analyzers/galleries/face_align.h"
#include "analyzers/vision/vision.h"
#include "core/status.h"

namespace ocular {

namespace runtime {
class ModelRepository;
struct Model;
}  // namespace runtime

// The default embedder model (see above).
inline constexpr const char* kFaceEmbedderModel = "faceres";

struct FaceEmbedderOptions {
  // Pack model name. Default kFaceEmbedderModel.
  std::string model = kFaceEmbedderModel;
  // Crop framing (CanonicalFaceTemplate zoom). Default 1.0, the ArcFace framing: 0.6..0.9 and
  // mirrored-crop averaging were not clearly better for faceres (docs/accuracy.md).
  double zoom = 1.0;
};

class FaceEmbedder {
 public:
  // NotFound naming the model when it is not installed; FailedPrecondition when its config has
  // no single NHWC/NCHW image input or no embedding output.
  static StatusOr<std::shared_ptr<const FaceEmbedder>> Create(
      runtime::ModelRepository* repo, const FaceEmbedderOptions& options = {});

  const std::string& model_name() const { return model_name_; }
  int dim() const { return dim_; }  // embedding size (192 or 1024)
  const FaceTemplate& face_template() const { return template_; }

  // The embedding of the face whose keypoints (in `bgr` pixels) are given: aligned crop ->
  // model -> L2-normalised. Errors: InvalidArgument for degenerate keypoints; the runtime's
  // errors; Internal when the model returns a zero or non-finite vector.
  StatusOr<std::vector<float>> Embed(
      const cv::Mat& bgr, const std::array<cv::Point2f, kFaceKeypoints>& keypoints) const;
  // The same on a crop already aligned to face_template() (tests, benchmarks).
  StatusOr<std::vector<float>> EmbedAligned(const cv::Mat& crop) const;

 private:
  std::shared_ptr<const runtime::Model> model_;
  std::string model_name_;
  std::string output_;
  int dim_ = 0;
  FaceTemplate template_;
};

// Cosine similarity of two L2-normalised embeddings (their dot product); 0 when sizes differ.
double CosineSimilarity(const std::vector<float>& a, const std::vector<float>& b);

}  // namespace ocular
