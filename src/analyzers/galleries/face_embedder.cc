#include "analyzers/galleries/face_embedder.h"

#include <cmath>

#include "analyzers/model_loading.h"
#include "runtime/model_repository.h"
#include "runtime/preprocess.h"

namespace ocular {

StatusOr<std::shared_ptr<const FaceEmbedder>> FaceEmbedder::Create(
    runtime::ModelRepository* repo, const FaceEmbedderOptions& options) {
  OCULAR_ASSIGN_OR_RETURN(std::shared_ptr<const runtime::Model> model,
                          LoadInstalledModel(repo, options.model));
  const runtime::ModelConfig& config = model->config;
  if (config.inputs.size() != 1 || config.inputs[0].shape.size() != 4) {
    return FailedPrecondition(model->label() + ": expected one image input");
  }
  const runtime::InputConfig& in = config.inputs[0];
  const std::int64_t h = in.shape[static_cast<std::size_t>(in.height_dim())];
  const std::int64_t w = in.shape[static_cast<std::size_t>(in.height_dim() + 1)];
  if (h <= 0 || h != w) return FailedPrecondition(model->label() + ": expected a square input");
  auto e = std::make_shared<FaceEmbedder>();
  // The output named by config params "embedding_output", else the widest 2-D output.
  std::string wanted;
  if (auto it = config.params.find("embedding_output");
      it != config.params.end() && it->is_string()) {
    wanted = it->get<std::string>();
  }
  std::int64_t best = 0;
  for (const auto& o : config.outputs) {
    if (o.shape.size() != 2 || o.shape.back() <= 0) continue;
    if (wanted.empty() ? o.shape.back() > best : o.name == wanted) {
      e->output_ = o.name;
      best = o.shape.back();
    }
  }
  if (e->output_.empty() || best < 2) {
    return FailedPrecondition(model->label() + ": no [1, D] embedding output");
  }
  e->dim_ = static_cast<int>(best);
  e->model_name_ = options.model;
  e->template_ = CanonicalFaceTemplate(static_cast<int>(h), options.zoom);
  e->model_ = std::move(model);
  return std::shared_ptr<const FaceEmbedder>(std::move(e));
}

StatusOr<std::vector<float>> FaceEmbedder::EmbedAligned(const cv::Mat& crop) const {
  // The crop already has the input size: the stretch resize is the identity.
  OCULAR_ASSIGN_OR_RETURN(runtime::PreprocessedImage p,
                          runtime::PreprocessImage(crop, model_->config.inputs[0]));
  OCULAR_ASSIGN_OR_RETURN(std::vector<runtime::Tensor> outs,
                          model_->session->Run({std::move(p.tensor)}, {output_}));
  std::vector<float> v = std::move(outs[0].floats);
  if (static_cast<int>(v.size()) != dim_) {
    return Internal(model_->label() + ": embedding has " + std::to_string(v.size()) +
                    " values, expected " + std::to_string(dim_));
  }
  double norm = 0;
  for (float x : v) norm += double(x) * x;
  norm = std::sqrt(norm);
  if (!(norm > 1e-12) || !std::isfinite(norm)) {
    return Internal(model_->label() + ": zero or non-finite embedding");
  }
  for (float& x : v) x = static_cast<float>(x / norm);
  return v;
}

StatusOr<std::vector<float>> FaceEmbedder::Embed(
    const cv::Mat& bgr, const std::array<cv::Point2f, kFaceKeypoints>& keypoints) const {
  OCULAR_ASSIGN_OR_RETURN(cv::Mat crop, AlignFace(bgr, keypoints, template_));
  return EmbedAligned(crop);
}

double CosineSimilarity(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return 0;
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
  return s;
}

}  // namespace ocular
