#include "analyzers/custom/custom_model.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <random>

#include "analyzers/detection/yolo_detector.h"
#include "analyzers/model_loading.h"
#include "runtime/sha256.h"

namespace ocular {

namespace {

std::string FormatUuid(const unsigned char* b) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 15];
  }
  return out;
}

std::string ParamString(const runtime::ModelConfig& c, const char* key, const std::string& def) {
  auto it = c.params.find(key);
  return it != c.params.end() && it->is_string() ? it->get<std::string>() : def;
}

}  // namespace

std::string UuidFromSeed(const std::string& seed) {
  const std::string hex = runtime::Sha256Hex(seed);
  unsigned char b[16];
  for (int i = 0; i < 16; ++i)
    b[i] = static_cast<unsigned char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  b[6] = (b[6] & 0x0f) | 0x50;  // version 5 (name-based, SHA)
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  return FormatUuid(b);
}

std::string RandomUuid() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  unsigned char b[16];
  for (int i = 0; i < 16; i += 8) {
    const std::uint64_t v = rng();
    for (int k = 0; k < 8; ++k) b[i + k] = static_cast<unsigned char>(v >> (8 * k));
  }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return FormatUuid(b);
}

bool CustomModel::IsCustom(const runtime::ModelConfig& config) {
  auto it = config.params.find("custom");
  return it != config.params.end() && it->is_object();
}

const std::string& CustomModel::name() const { return model_->config.name; }
const std::string& CustomModel::version() const { return model_->config.version; }

StatusOr<std::shared_ptr<const CustomModel>> CustomModel::Create(
    std::shared_ptr<const runtime::Model> model) {
  const runtime::ModelConfig& c = model->config;
  if (!IsCustom(c)) {
    return FailedPrecondition(model->label() + ": config.json has no params.custom object");
  }
  auto m = std::make_shared<CustomModel>();
  const auto& custom = c.params.at("custom");
  auto pid = custom.find("project_id");
  if (pid == custom.end() || !pid->is_string() || !IsUuid(pid->get<std::string>())) {
    return FailedPrecondition(model->label() + ": params.custom.project_id must be a UUID");
  }
  m->project_id_ = pid->get<std::string>();
  std::transform(m->project_id_.begin(), m->project_id_.end(), m->project_id_.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  m->iteration_id_ = UuidFromSeed("iteration\n" + c.model_sha256);
  if (model->labels.empty()) {
    return FailedPrecondition(model->label() + ": a custom model needs a labels file");
  }
  for (const std::string& l : model->labels) {
    m->tag_ids_.push_back(UuidFromSeed("tag\n" + m->project_id_ + "\n" + l));
  }
  if (c.task == runtime::Task::kObjectDetection) {
    m->kind_ = CustomKind::kDetector;
    OCULAR_ASSIGN_OR_RETURN(auto det, YoloDetector::Create(model, c.name));
    m->min_long_side_ = det->min_long_side();
    m->detector_ = std::move(det);
  } else if (c.task == runtime::Task::kImageClassification) {
    m->kind_ = CustomKind::kClassifier;
    if (c.inputs.size() != 1 || !c.inputs[0].is_image() || c.inputs[0].shape.size() != 4) {
      return FailedPrecondition(model->label() +
                                ": a classifier needs one NCHW or NHWC image input");
    }
    int found = -1;
    const auto n = static_cast<std::int64_t>(model->labels.size());
    for (std::size_t i = 0; i < c.outputs.size() && found < 0; ++i) {
      const auto& s = c.outputs[i].shape;
      std::int64_t elems = 1;
      for (std::int64_t d : s) elems *= d < 0 ? 1 : d;
      if (!s.empty() && s.back() == n && elems == n) found = static_cast<int>(i);
    }
    if (found < 0) {
      std::string shapes;
      for (const auto& o : c.outputs) {
        shapes += ' ';
        shapes += runtime::ShapeToString(o.shape);  // (not " " + s: GCC 12 -Wrestrict false alarm)
      }
      return FailedPrecondition(model->label() + ": no output has one score per label (" +
                                std::to_string(n) + " labels; outputs:" + shapes +
                                "): do the labels match the model?");
    }
    m->output_index_ = found;
    m->activation_ = ParamString(c, "activation", "softmax");
    if (m->activation_ != "softmax" && m->activation_ != "sigmoid" && m->activation_ != "none") {
      return FailedPrecondition(model->label() +
                                ": params.activation must be softmax, sigmoid or none");
    }
    const std::string resize = ParamString(c, "resize", "stretch");
    if (resize != "stretch" && resize != "letterbox") {
      return FailedPrecondition(model->label() + ": params.resize must be stretch or letterbox");
    }
    m->preprocess_.resize =
        resize == "letterbox" ? runtime::ResizeMode::kLetterbox : runtime::ResizeMode::kStretch;
    m->preprocess_.pad_value = ParamOr(c, "letterbox_pad", 0);
    const int size = static_cast<int>(ParamOr(c, "input_size", 224));
    m->preprocess_.width = m->preprocess_.height = size;
    const auto& in = c.inputs[0];
    const auto h = in.shape[in.height_dim()], w = in.shape[in.width_dim()];
    m->min_long_side_ = static_cast<int>(std::max(h > 0 ? h : size, w > 0 ? w : size));
  } else {
    return FailedPrecondition(model->label() +
                              ": a custom model's task must be object-detection "
                              "or image-classification");
  }
  m->model_ = std::move(model);
  return std::shared_ptr<const CustomModel>(std::move(m));
}

StatusOr<std::vector<CustomPrediction>> CustomModel::Classify(const cv::Mat& bgr) const {
  OCULAR_ASSIGN_OR_RETURN(runtime::PreprocessedImage p,
                          runtime::PreprocessImage(bgr, model_->config.inputs[0], preprocess_));
  OCULAR_ASSIGN_OR_RETURN(std::vector<runtime::Tensor> out, model_->Run({std::move(p.tensor)}));
  const std::vector<float>& scores = out.at(output_index_).floats;
  const std::size_t n = labels().size();
  if (scores.size() != n) {
    return Internal(model_->label() + ": output has " + std::to_string(scores.size()) +
                    " values for " + std::to_string(n) + " labels");
  }
  std::vector<double> prob(scores.begin(), scores.end());
  if (activation_ == "softmax") {
    const double mx = *std::max_element(prob.begin(), prob.end());
    double sum = 0;
    for (double& v : prob) sum += (v = std::exp(v - mx));
    for (double& v : prob) v /= sum;
  } else if (activation_ == "sigmoid") {
    for (double& v : prob) v = 1.0 / (1.0 + std::exp(-v));
  }
  std::vector<CustomPrediction> preds;
  for (std::size_t i = 0; i < n; ++i) {
    CustomPrediction cp;
    cp.tag_index = static_cast<int>(i);
    cp.tag = labels()[i];
    cp.probability = prob[i];
    preds.push_back(std::move(cp));
  }
  return preds;
}

StatusOr<std::vector<CustomPrediction>> CustomModel::Predict(const cv::Mat& bgr, int orig_width,
                                                             int orig_height) const {
  if (bgr.empty() || orig_width <= 0 || orig_height <= 0) {
    return Internal("custom model: empty image");
  }
  std::vector<CustomPrediction> preds;
  if (kind_ == CustomKind::kClassifier) {
    OCULAR_ASSIGN_OR_RETURN(preds, Classify(bgr));
  } else {
    OCULAR_ASSIGN_OR_RETURN(std::vector<Detection> dets,
                            detector_->Detect(bgr, orig_width, orig_height));
    for (const Detection& d : dets) {
      CustomPrediction cp;
      cp.tag_index = d.cls;
      cp.tag = d.label;
      cp.probability = d.score;
      cp.has_box = true;
      cp.left = d.x1 / orig_width;
      cp.top = d.y1 / orig_height;
      cp.width = (d.x2 - d.x1) / orig_width;
      cp.height = (d.y2 - d.y1) / orig_height;
      preds.push_back(std::move(cp));
    }
  }
  std::stable_sort(preds.begin(), preds.end(),
                   [](const auto& a, const auto& b) { return a.probability > b.probability; });
  return preds;
}

}  // namespace ocular
