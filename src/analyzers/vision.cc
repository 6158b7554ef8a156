#include "analyzers/vision.h"

#include <algorithm>
#include <cmath>

#include <opencv2/core.hpp>

#include "analyzers/nms.h"
#include "runtime/model_repository.h"
#include "runtime/preprocess.h"

namespace ocular {

namespace {

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

StatusOr<std::shared_ptr<const runtime::Model>> LoadModel(runtime::ModelRepository* repo,
                                                          const std::string& name) {
  if (repo == nullptr) {
    return NotFound("model '" + name + "' is not installed (no model repository could be opened)");
  }
  if (repo->Versions(name).empty()) {
    return NotFound("model '" + name + "' is not installed in " + repo->root().string());
  }
  return repo->Load(name);
}

// Index of the first configured output whose last dimension is `last_dim`, or -1.
int FindOutputByLastDim(const runtime::ModelConfig& config, std::int64_t last_dim) {
  for (std::size_t i = 0; i < config.outputs.size(); ++i) {
    const auto& shape = config.outputs[i].shape;
    if (!shape.empty() && shape.back() == last_dim) return static_cast<int>(i);
  }
  return -1;
}

double ParamOr(const runtime::ModelConfig& config, const char* key, double fallback) {
  auto it = config.params.find(key);
  if (it != config.params.end() && it->is_number()) return it->get<double>();
  return fallback;
}

}  // namespace

const std::vector<std::string>& CocoLabels() {
  static const std::vector<std::string> kLabels = {
      "person",        "bicycle",      "car",           "motorcycle",    "airplane",
      "bus",           "train",        "truck",         "boat",          "traffic light",
      "fire hydrant",  "stop sign",    "parking meter", "bench",         "bird",
      "cat",           "dog",          "horse",         "sheep",         "cow",
      "elephant",      "bear",         "zebra",         "giraffe",       "backpack",
      "umbrella",      "handbag",      "tie",           "suitcase",      "frisbee",
      "skis",          "snowboard",    "sports ball",   "kite",          "baseball bat",
      "baseball glove", "skateboard",  "surfboard",     "tennis racket", "bottle",
      "wine glass",    "cup",          "fork",          "knife",         "spoon",
      "bowl",          "banana",       "apple",         "sandwich",      "orange",
      "broccoli",      "carrot",       "hot dog",       "pizza",         "donut",
      "cake",          "chair",        "couch",         "potted plant",  "bed",
      "dining table",  "toilet",       "tv",            "laptop",        "mouse",
      "remote",        "keyboard",     "cell phone",    "microwave",     "oven",
      "toaster",       "sink",         "refrigerator",  "book",          "clock",
      "vase",          "scissors",     "teddy bear",    "hair drier",    "toothbrush"};
  return kLabels;
}

// ---------------------------------------------------------------------------------------------
// Objects

StatusOr<std::shared_ptr<const ObjectDetector>> ObjectDetector::Create(
    runtime::ModelRepository* repo, const ObjectDetectorOptions& options) {
  OCULAR_ASSIGN_OR_RETURN(std::shared_ptr<const runtime::Model> model,
                          LoadModel(repo, kObjectModel));
  auto d = std::make_shared<ObjectDetector>();
  int out = FindOutputByLastDim(model->config, 6);
  if (out < 0 || model->config.inputs.size() != 1) {
    return FailedPrecondition(model->label() +
                              ": expected one image input and an [N, 6] detections output");
  }
  d->output_ = model->config.outputs[out].name;
  d->labels_ = model->labels.size() == CocoLabels().size() ? model->labels : CocoLabels();
  // Labels files may spell a few COCO names differently; the API uses the COCO names.
  for (auto& l : d->labels_) {
    if (l == "motorbike") l = "motorcycle";
    if (l == "aeroplane") l = "airplane";
    if (l == "sofa") l = "couch";
    if (l == "tvmonitor") l = "tv";
  }
  d->nms_iou_ = ParamOr(model->config, "nms_iou", 0.5);
  d->options_ = options;
  d->model_ = std::move(model);
  return std::shared_ptr<const ObjectDetector>(std::move(d));
}

StatusOr<std::vector<ScoredBox>> ObjectDetector::Pass(const cv::Mat& img, double ox, double oy,
                                                      bool flip) const {
  cv::Mat input = img;
  if (flip) cv::flip(img, input, 1);
  const runtime::InputConfig& in = model_->config.inputs[0];
  OCULAR_ASSIGN_OR_RETURN(runtime::PreprocessedImage p, runtime::PreprocessImage(input, in));
  OCULAR_ASSIGN_OR_RETURN(std::vector<runtime::Tensor> outs,
                          model_->session->Run({std::move(p.tensor)}, {output_}));
  const std::vector<float>& v = outs[0].floats;
  const std::size_t rows = v.size() / 6;
  std::vector<ScoredBox> boxes;
  for (std::size_t i = 0; i < rows; ++i) {
    const float* r = &v[i * 6];
    int cls = static_cast<int>(std::lround(r[5]));
    if (!(r[4] >= kDetectionFloor / 2) || cls < 0 || cls >= static_cast<int>(labels_.size())) {
      continue;
    }
    cv::Point2f a = p.transform.ToImage(r[0], r[1]);
    cv::Point2f b = p.transform.ToImage(r[2], r[3]);
    double x1 = std::min(a.x, b.x), x2 = std::max(a.x, b.x);
    if (flip) {
      double t = img.cols - x2;
      x2 = img.cols - x1;
      x1 = t;
    }
    ScoredBox s;
    s.x1 = std::clamp(x1, 0.0, double(img.cols)) + ox;
    s.x2 = std::clamp(x2, 0.0, double(img.cols)) + ox;
    s.y1 = std::clamp(double(std::min(a.y, b.y)), 0.0, double(img.rows)) + oy;
    s.y2 = std::clamp(double(std::max(a.y, b.y)), 0.0, double(img.rows)) + oy;
    s.score = r[4];
    s.cls = cls;
    if (s.x2 - s.x1 < 1 || s.y2 - s.y1 < 1) continue;
    boxes.push_back(s);
  }
  return boxes;
}

namespace {

// Fuses two passes over the same image: matched boxes (same class, IoU >= 0.55) average their
// coordinates and scores; a box found by one pass only keeps half its score.
std::vector<ScoredBox> Fuse(std::vector<ScoredBox> a, const std::vector<ScoredBox>& b) {
  std::vector<bool> used(b.size(), false);
  std::stable_sort(a.begin(), a.end(),
                   [](const ScoredBox& x, const ScoredBox& y) { return x.score > y.score; });
  std::vector<ScoredBox> out;
  for (const ScoredBox& x : a) {
    double best = 0.55;
    int bi = -1;
    for (std::size_t j = 0; j < b.size(); ++j) {
      if (used[j] || b[j].cls != x.cls) continue;
      double iou = BoxIoU(x, b[j]);
      if (iou >= best) best = iou, bi = static_cast<int>(j);
    }
    ScoredBox f = x;
    if (bi >= 0) {
      const ScoredBox& y = b[static_cast<std::size_t>(bi)];
      used[static_cast<std::size_t>(bi)] = true;
      f.x1 = (x.x1 + y.x1) / 2, f.y1 = (x.y1 + y.y1) / 2;
      f.x2 = (x.x2 + y.x2) / 2, f.y2 = (x.y2 + y.y2) / 2;
      f.score = (x.score + y.score) / 2;
    } else {
      f.score = x.score / 2;
    }
    out.push_back(f);
  }
  for (std::size_t j = 0; j < b.size(); ++j) {
    if (!used[j]) {
      ScoredBox f = b[j];
      f.score /= 2;
      out.push_back(f);
    }
  }
  return out;
}

}  // namespace

StatusOr<std::vector<Detection>> ObjectDetector::Detect(const cv::Mat& bgr, int orig_width,
                                                        int orig_height) const {
  OCULAR_ASSIGN_OR_RETURN(std::vector<ScoredBox> boxes, Pass(bgr, 0, 0, false));
  if (options_.flip) {
    OCULAR_ASSIGN_OR_RETURN(std::vector<ScoredBox> mirrored, Pass(bgr, 0, 0, true));
    boxes = Fuse(std::move(boxes), mirrored);
  }
  if (options_.tiles) {
    const int tw = static_cast<int>(bgr.cols * 0.6), th = static_cast<int>(bgr.rows * 0.6);
    for (int ty = 0; ty < 2; ++ty) {
      for (int tx = 0; tx < 2; ++tx) {
        const int x0 = tx ? bgr.cols - tw : 0, y0 = ty ? bgr.rows - th : 0;
        OCULAR_ASSIGN_OR_RETURN(std::vector<ScoredBox> t,
                                Pass(bgr(cv::Rect(x0, y0, tw, th)), x0, y0, false));
        // Boxes touching a tile edge inside the image are cut objects: dropped.
        const double m = 0.02 * std::max(tw, th);
        for (const ScoredBox& s : t) {
          bool cut = (x0 > 0 && s.x1 - x0 < m) || (x0 + tw < bgr.cols && x0 + tw - s.x2 < m) ||
                     (y0 > 0 && s.y1 - y0 < m) || (y0 + th < bgr.rows && y0 + th - s.y2 < m);
          if (!cut) boxes.push_back(s);
        }
      }
    }
  }
  // Decoded pixels -> original pixels.
  const double sx = double(orig_width) / bgr.cols, sy = double(orig_height) / bgr.rows;
  std::vector<ScoredBox> scaled;
  for (ScoredBox s : boxes) {
    if (s.score < kDetectionFloor) continue;
    s.x1 *= sx, s.x2 *= sx, s.y1 *= sy, s.y2 *= sy;
    scaled.push_back(s);
  }
  NmsOptions opt;
  opt.iou_threshold = nms_iou_;
  std::vector<Detection> out;
  for (std::size_t k : NonMaxSuppression(scaled, opt)) {
    const ScoredBox& s = scaled[k];
    Detection d;
    d.x1 = s.x1, d.y1 = s.y1, d.x2 = s.x2, d.y2 = s.y2;
    d.box = ClampRect(s.x1, s.y1, s.x2, s.y2, orig_width, orig_height);
    d.score = s.score;
    d.cls = s.cls;
    d.label = labels_[static_cast<std::size_t>(s.cls)];
    out.push_back(std::move(d));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Faces

StatusOr<std::shared_ptr<const FaceDetector>> FaceDetector::Create(
    runtime::ModelRepository* repo) {
  OCULAR_ASSIGN_OR_RETURN(std::shared_ptr<const runtime::Model> model,
                          LoadModel(repo, kFaceModel));
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
  OCULAR_ASSIGN_OR_RETURN(std::shared_ptr<const runtime::Model> model, LoadModel(repo, name));
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

VisionModels LoadVisionModels(runtime::ModelRepository* repo) {
  VisionModels m;
  auto o = ObjectDetector::Create(repo);
  if (o.ok()) m.objects = *o; else m.objects_status = o.status();
  auto f = FaceDetector::Create(repo);
  if (f.ok()) m.faces = *f; else m.faces_status = f.status();
  auto n = NsfwClassifier::Create(repo);
  if (n.ok()) m.nsfw = *n; else m.nsfw_status = n.status();
  return m;
}

StatusOr<std::shared_ptr<const std::vector<Detection>>> SharedDetections(
    AnalysisContext& context, const ObjectDetector& detector) {
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
