#include "analyzers/vision/vision.h"

#include <algorithm>
#include <cmath>

#include <opencv2/core.hpp>

#include "analyzers/model_loading.h"
#include "analyzers/detection/nms.h"
#include "runtime/model_repository.h"
#include "runtime/preprocess.h"

namespace ocular {

namespace {

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace


// ---------------------------------------------------------------------------------------------
// Faces

StatusOr<std::shared_ptr<const FaceDetector>> FaceDetector::Create(
    runtime::ModelRepository* repo) {
  OCULAR_ASSIGN_OR_RETURN(std::shared_ptr<const runtime::Model> model,
                          LoadInstalledModel(repo, kFaceModel));
  auto d = std::make_shared<FaceDetector>();
  // The graph has a face head and a person head of the same shape; config params name the
  // face head ("faces_output"), else the first [N, 2304, 17] output is taken.
  std::string face_output;
  if (auto it = model->config.params.find("faces_output");
      it != model->config.params.end() && it->is_string()) {
    face_output = it->get<std::string>();
  }
  for (const auto& o : model->config.outputs) {
    if (!face_output.empty() ? o.name == face_output
                             : (!o.shape.empty() && o.shape.back() == 17)) {
      d->output_ = o.name;
      break;
    }
  }
  if (d->output_.empty() || model->config.inputs.size() != 1) {
    return FailedPrecondition(model->label() + ": expected one image input and an [N, 17] output");
  }
  d->min_score_ = ParamOr(model->config, "min_score", 0.5);
  d->nms_iou_ = ParamOr(model->config, "nms_iou", 0.3);
  d->model_ = std::move(model);
  return std::shared_ptr<const FaceDetector>(std::move(d));
}

StatusOr<std::vector<FaceDetector::RawFace>> FaceDetector::Pass(const cv::Mat& img, double ox,
                                                                double oy) const {
  const runtime::InputConfig& in = model_->config.inputs[0];
  runtime::PreprocessOptions po;
  // As the pack's config says: zero-pad to a square at the bottom/right, then resize.
  po.resize = runtime::ResizeMode::kLetterbox;
  po.letterbox_center = false;
  po.pad_value = 0;
  OCULAR_ASSIGN_OR_RETURN(runtime::PreprocessedImage p, runtime::PreprocessImage(img, in, po));
  const int size = p.transform.input_width;
  OCULAR_ASSIGN_OR_RETURN(std::vector<runtime::Tensor> outs,
                          model_->session->Run({std::move(p.tensor)}, {output_}));
  const std::vector<float>& v = outs[0].floats;
  const std::size_t rows = v.size() / 17;
  const int stride = 4;
  const int grid = size / stride;
  std::vector<RawFace> faces;
  for (std::size_t i = 0; i < rows && i < static_cast<std::size_t>(grid * grid); ++i) {
    const float* r = &v[i * 17];
    double score = Sigmoid(r[0]);
    if (score < min_score_) continue;
    double ax = stride * (double(i % grid) + 0.5), ay = stride * (double(i / grid) + 0.5);
    double cx = ax + r[1], cy = ay + r[2], w = r[3], h = r[4];
    cv::Point2f a = p.transform.ToImage(float(cx - w / 2), float(cy - h / 2));
    cv::Point2f b = p.transform.ToImage(float(cx + w / 2), float(cy + h / 2));
    RawFace f;
    f.box = {a.x + ox, a.y + oy, b.x + ox, b.y + oy, score, 0};
    for (int k = 0; k < kFaceKeypoints; ++k) {
      cv::Point2f q = p.transform.ToImage(float(ax + r[5 + 2 * k]), float(ay + r[6 + 2 * k]));
      f.keypoints[static_cast<std::size_t>(k)] = cv::Point2f(float(q.x + ox), float(q.y + oy));
    }
    faces.push_back(f);
  }
  return faces;
}

// Tile faces need a higher score: tiles magnify textures (carvings, foliage) into face-like
// patterns (measured on the shared landmark photos).
constexpr double kTileFaceScore = 0.75;

StatusOr<std::vector<FaceBox>> FaceDetector::Detect(const cv::Mat& bgr, int orig_width,
                                                    int orig_height) const {
  OCULAR_ASSIGN_OR_RETURN(std::vector<RawFace> faces, Pass(bgr, 0, 0));
  // Small faces: the full-range model sees the whole image at 192 px, so faces under ~20 px
  // there are missed. Images larger than 2x the input also run 2x2 overlapping tiles (60% of
  // each side); a tile box touching an inner tile edge is a cut face and is dropped.
  const runtime::InputConfig& in0 = model_->config.inputs[0];
  const int input = static_cast<int>(in0.shape[static_cast<std::size_t>(in0.height_dim())]);
  if (std::max(bgr.cols, bgr.rows) >= 2 * input) {
    const int tw = static_cast<int>(bgr.cols * 0.6), th = static_cast<int>(bgr.rows * 0.6);
    for (int ty = 0; ty < 2; ++ty) {
      for (int tx = 0; tx < 2; ++tx) {
        const int x0 = tx ? bgr.cols - tw : 0, y0 = ty ? bgr.rows - th : 0;
        OCULAR_ASSIGN_OR_RETURN(std::vector<RawFace> t,
                                Pass(bgr(cv::Rect(x0, y0, tw, th)), x0, y0));
        const double m = 0.01 * std::max(tw, th);
        for (const RawFace& f : t) {
          const ScoredBox& s = f.box;
          bool cut = (x0 > 0 && s.x1 - x0 < m) || (x0 + tw < bgr.cols && x0 + tw - s.x2 < m) ||
                     (y0 > 0 && s.y1 - y0 < m) || (y0 + th < bgr.rows && y0 + th - s.y2 < m);
          if (!cut && s.score >= kTileFaceScore) faces.push_back(f);
        }
      }
    }
  }
  const double sx = double(orig_width) / bgr.cols, sy = double(orig_height) / bgr.rows;
  std::vector<ScoredBox> boxes;
  for (RawFace& f : faces) {
    ScoredBox& s = f.box;
    s.x1 *= sx, s.x2 *= sx, s.y1 *= sy, s.y2 *= sy;
    for (cv::Point2f& k : f.keypoints) k = cv::Point2f(float(k.x * sx), float(k.y * sy));
    boxes.push_back(s);
  }
  NmsOptions opt;
  opt.iou_threshold = nms_iou_;
  std::vector<FaceBox> out;
  for (std::size_t k : NonMaxSuppression(boxes, opt)) {
    const ScoredBox& s = boxes[k];
    // A face inside a larger kept face (a tile's view of part of it) is not a second face.
    bool nested = false;
    for (const FaceBox& f : out) {
      double ix = std::min<double>(s.x2, f.box.x + f.box.w) - std::max<double>(s.x1, f.box.x);
      double iy = std::min<double>(s.y2, f.box.y + f.box.h) - std::max<double>(s.y1, f.box.y);
      if (ix > 0 && iy > 0 && ix * iy > 0.6 * (s.x2 - s.x1) * (s.y2 - s.y1)) nested = true;
    }
    Rect r = ClampRect(s.x1, s.y1, s.x2, s.y2, orig_width, orig_height);
    if (nested || r.w < 2 || r.h < 2) continue;
    out.push_back({r, s.score, faces[k].keypoints});
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// NSFW

StatusOr<std::shared_ptr<const NsfwClassifier>> NsfwClassifier::Create(
    runtime::ModelRepository* repo) {
  // The pack names it after its package ("nsfw...", e.g. "nsfwjs-mobilenet-v2"): the first
  // model whose name starts with kNsfwModel.
  std::string name = kNsfwModel;
  if (repo != nullptr) {
    for (const std::string& n : repo->ModelNames()) {
      if (n.rfind(kNsfwModel, 0) == 0) {
        name = n;
        break;
      }
    }
  }
  OCULAR_ASSIGN_OR_RETURN(std::shared_ptr<const runtime::Model> model, LoadInstalledModel(repo, name));
  auto c = std::make_shared<NsfwClassifier>();
  if (model->config.inputs.size() != 1 || FindOutputByLastDim(model->config, 5) < 0) {
    return FailedPrecondition(model->label() + ": expected one image input and a [1, 5] output");
  }
  static const char* kNames[5] = {"Drawing", "Hentai", "Neutral", "Porn", "Sexy"};
  if (model->labels.size() == 5) {
    for (int k = 0; k < 5; ++k) {
      auto it = std::find(model->labels.begin(), model->labels.end(), kNames[k]);
      if (it == model->labels.end()) {
        return FailedPrecondition(model->label() + ": labels lack the class " + kNames[k]);
      }
      c->index_[static_cast<std::size_t>(k)] = static_cast<int>(it - model->labels.begin());
    }
  }
  c->model_ = std::move(model);
  return std::shared_ptr<const NsfwClassifier>(std::move(c));
}

StatusOr<NsfwScores> NsfwClassifier::Classify(const cv::Mat& bgr) const {
  const runtime::InputConfig& in = model_->config.inputs[0];
  OCULAR_ASSIGN_OR_RETURN(runtime::PreprocessedImage p, runtime::PreprocessImage(bgr, in));
  int out = FindOutputByLastDim(model_->config, 5);
  OCULAR_ASSIGN_OR_RETURN(
      std::vector<runtime::Tensor> outs,
      model_->session->Run({std::move(p.tensor)}, {model_->config.outputs[out].name}));
  std::vector<float> v = outs[0].floats;
  if (v.size() < 5) return Internal(model_->label() + ": output has fewer than 5 values");
  // Softmax unless the graph already ends in one.
  double sum = 0;
  bool probs = true;
  for (int i = 0; i < 5; ++i) {
    sum += v[i];
    if (v[i] < 0 || v[i] > 1) probs = false;
  }
  if (!probs || std::abs(sum - 1.0) > 1e-3) {
    float m = *std::max_element(v.begin(), v.begin() + 5);
    double z = 0;
    for (int i = 0; i < 5; ++i) z += std::exp(v[i] - m);
    for (int i = 0; i < 5; ++i) v[i] = static_cast<float>(std::exp(v[i] - m) / z);
  }
  NsfwScores s;
  s.drawing = v[index_[0]];
  s.hentai = v[index_[1]];
  s.neutral = v[index_[2]];
  s.porn = v[index_[3]];
  s.sexy = v[index_[4]];
  return s;
}

// ---------------------------------------------------------------------------------------------

VisionModels LoadVisionModels(runtime::ModelRepository* repo, const std::string& detector_tier) {
  VisionModels m;
  auto o = CreateDetector(repo, detector_tier);
  if (o.ok()) m.objects = *o; else m.objects_status = o.status();
  auto f = FaceDetector::Create(repo);
  if (f.ok()) m.faces = *f; else m.faces_status = f.status();
  auto n = NsfwClassifier::Create(repo);
  if (n.ok()) m.nsfw = *n; else m.nsfw_status = n.status();
  return m;
}

int VisionDecodeSide(const VisionModels& models) {
  return std::max(512, models.objects ? models.objects->min_long_side() : 0);
}

StatusOr<std::shared_ptr<const std::vector<Detection>>> SharedDetections(
    AnalysisContext& context, const Detector& detector) {
  return context.Shared<std::vector<Detection>>("detections", [&] {
    return detector.Detect(context.image().bgr, context.info().width, context.info().height);
  });
}

StatusOr<std::shared_ptr<const std::vector<FaceBox>>> SharedFaces(AnalysisContext& context,
                                                                  const FaceDetector& detector) {
  return context.Shared<std::vector<FaceBox>>("faces", [&] {
    return detector.Detect(context.image().bgr, context.info().width, context.info().height);
  });
}

StatusOr<std::shared_ptr<const NsfwScores>> SharedNsfw(AnalysisContext& context,
                                                       const NsfwClassifier& classifier) {
  return context.Shared<NsfwScores>("nsfw",
                                    [&] { return classifier.Classify(context.image().bgr); });
}

}  // namespace ocular
