#include "tools/models_add/custom_add.h"

#include <cctype>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>

#include <onnx/onnx_pb.h>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "analyzers/custom/custom_model.h"
#include "runtime/model_repository.h"
#include "tools/convert/model_package.h"
#include "tools/convert/onnx_import.h"

namespace ocular::models_add {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string UtcVersion() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y%m%d-%H%M%S", &tm);
  return buf;
}

bool ValidName(const std::string& n) {
  if (n.empty() || n.size() > 64) return false;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const char c = n[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

std::string ShapeText(const convert::Shape& s) {
  std::string o = "[";
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i) o += ',';
    o += std::to_string(s[i]);  // (appended, not "," + s: GCC 12 -Wrestrict false alarm)
  }
  return o + "]";
}

// The checks that need only the ONNX graph's declared inputs and outputs.
Status CheckShapes(const AddOptions& o, const convert::ConvertResult& r, std::size_t labels,
                   std::string* layout) {
  const std::string file = o.model.filename().string();
  if (r.inputs.size() != 1 || r.inputs[0].shape.size() != 4) {
    std::string got;
    for (const auto& in : r.inputs) got += " " + in.name + ShapeText(in.shape);
    return InvalidArgument(file +
                           ": a custom model needs exactly one image input of rank 4 "
                           "(NCHW or NHWC); the model has:" +
                           got);
  }
  if (r.inputs[0].dtype != convert::DType::kFloat) {
    return InvalidArgument(file + ": the image input must be float32");
  }
  const convert::Shape& in = r.inputs[0].shape;
  if (in[1] == 3) {
    *layout = "NCHW";
  } else if (in[3] == 3) {
    *layout = "NHWC";
  } else {
    return InvalidArgument(file + ": input " + ShapeText(in) +
                           " has no 3-channel dimension (NCHW [1,3,H,W] or NHWC [1,H,W,3])");
  }
  const auto n = static_cast<std::int64_t>(labels);
  if (o.task == "object-detection") {
    if (*layout != "NCHW") {
      return InvalidArgument(file + ": a YOLOv8 detector takes an NCHW input [1,3,H,W]; got " +
                             ShapeText(in));
    }
    if (r.outputs.size() != 1 || r.outputs[0].shape.size() != 3) {
      return InvalidArgument(file +
                             ": a YOLOv8 detector has one output [1, 4 + classes, "
                             "anchors]; the model has " +
                             std::to_string(r.outputs.size()) + " output(s)");
    }
    const convert::Shape& out = r.outputs[0].shape;
    if (out[1] != n + 4 && out[2] != n + 4) {
      return InvalidArgument(file + ": output " + ShapeText(out) + " does not have 4 + " +
                             std::to_string(n) + " rows (box + one score per label in " +
                             o.labels.filename().string() + "): the labels do not match the model");
    }
    return Status::Ok();
  }
  for (const auto& out : r.outputs) {
    std::int64_t elems = 1;
    for (std::int64_t d : out.shape) elems *= d < 0 ? 1 : d;
    if (!out.shape.empty() && out.shape.back() == n && elems == n) return Status::Ok();
  }
  std::string got;
  for (const auto& out : r.outputs) got += " " + out.name + ShapeText(out.shape);
  return InvalidArgument(file + ": no output holds one score per label (" + std::to_string(n) +
                         " labels in " + o.labels.filename().string() + "; outputs:" + got +
                         "): the labels do not match the model");
}

// The op type of the node producing the classifier's score output (the first output holding one
// score per label, as CheckShapes accepts it), looking through shape-only ops; "" when it cannot
// be told.
std::string ScoreOutputOp(const convert::ConvertResult& r, std::size_t labels) {
  const auto n = static_cast<std::int64_t>(labels);
  std::string name;
  for (const auto& out : r.outputs) {
    std::int64_t elems = 1;
    for (std::int64_t d : out.shape) elems *= d < 0 ? 1 : d;
    if (!out.shape.empty() && out.shape.back() == n && elems == n) {
      name = out.name;
      break;
    }
  }
  onnx::ModelProto proto;
  if (name.empty() || !proto.ParseFromString(r.onnx)) return "";
  // Through shape-only ops (a converted Keras model ends Softmax -> Identity).
  static const std::set<std::string> kPassThrough = {"Identity", "Reshape", "Flatten", "Squeeze",
                                                     "Unsqueeze"};
  for (int hops = 0; hops < 16; ++hops) {
    const onnx::NodeProto* producer = nullptr;
    for (const onnx::NodeProto& node : proto.graph().node()) {
      for (const std::string& o : node.output()) {
        if (o == name) producer = &node;
      }
    }
    if (producer == nullptr) return "";
    if (!kPassThrough.contains(producer->op_type()) || producer->input_size() == 0) {
      return producer->op_type();
    }
    name = producer->input(0);
  }
  return "";
}

// The classifier activation: `requested`, or when empty none for a model whose score output is
// already a Softmax or Sigmoid node, else softmax. A requested softmax/sigmoid on such an output
// would apply a second one (probabilities flattened towards uniform): refused.
StatusOr<std::string> ChooseActivation(const std::string& requested, const std::string& op,
                                       const std::string& file) {
  const bool probabilities = op == "Softmax" || op == "Sigmoid";
  if (requested.empty()) return std::string(probabilities ? "none" : "softmax");
  if (probabilities && requested != "none") {
    return InvalidArgument(file + ": the model's score output is already a " + op +
                           " node; --activation " + requested +
                           " would apply a second one (use --activation none, the default for "
                           "such models)");
  }
  return requested;
}

// A private folder for the staged package, removed on destruction.
struct StagingDir {
  fs::path path;
  ~StagingDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

}  // namespace

StatusOr<std::vector<std::string>> ReadLabels(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return InvalidArgument("cannot read the labels file " + file.string());
  std::vector<std::string> labels;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    labels.push_back(line);
  }
  while (!labels.empty() && labels.back().empty()) labels.pop_back();
  if (labels.empty()) return InvalidArgument(file.string() + ": no labels (one label a line)");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i].empty()) {
      return InvalidArgument(file.string() + ": line " + std::to_string(i + 1) + " is blank");
    }
    if (!seen.insert(labels[i]).second) {
      return InvalidArgument(file.string() + ": label '" + labels[i] + "' appears twice");
    }
  }
  return labels;
}

StatusOr<AddResult> AddCustomModel(const AddOptions& o) {
  if (!ValidName(o.name)) {
    return InvalidArgument("--name '" + o.name +
                           "': use lowercase letters, digits, '.', '_' "
                           "and '-', starting with a letter or digit (at most 64)");
  }
  if (o.task != "object-detection" && o.task != "image-classification") {
    return InvalidArgument("--task must be object-detection or image-classification");
  }
  if (!o.project_id.empty() && !IsUuid(o.project_id)) {
    return InvalidArgument("--project-id '" + o.project_id + "' is not a UUID");
  }
  if (!convert::IsOnnxFile(o.model)) {
    return InvalidArgument(
        "--model must be an .onnx file (convert TF.js models with `ocular "
        "convert` first)");
  }
  if (o.color != "RGB" && o.color != "BGR") return InvalidArgument("--color must be RGB or BGR");
  if (o.resize != "stretch" && o.resize != "letterbox") {
    return InvalidArgument("--resize must be stretch or letterbox");
  }
  if (!o.activation.empty() && o.activation != "softmax" && o.activation != "sigmoid" &&
      o.activation != "none") {
    return InvalidArgument("--activation must be softmax, sigmoid or none");
  }
  if (o.mean.size() != 3 || o.std.size() != 3) {
    return InvalidArgument("--mean and --std take 3 values each");
  }
  OCULAR_ASSIGN_OR_RETURN(std::vector<std::string> labels, ReadLabels(o.labels));
  OCULAR_ASSIGN_OR_RETURN(convert::ConvertResult imported, convert::ImportOnnx(o.model));
  std::string layout;
  OCULAR_RETURN_IF_ERROR(CheckShapes(o, imported, labels.size(), &layout));
  std::string activation;
  if (o.task != "object-detection") {
    OCULAR_ASSIGN_OR_RETURN(activation,
                            ChooseActivation(o.activation, ScoreOutputOp(imported, labels.size()),
                                             o.model.filename().string()));
  }

  AddResult result;
  result.project_id = o.project_id.empty() ? RandomUuid() : o.project_id;
  for (char& c : result.project_id)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  result.version = o.version.empty() ? UtcVersion() : o.version;
  result.labels = labels.size();
  result.activation = activation;

  convert::PackageSpec spec;
  spec.name = o.name;
  spec.version = result.version;
  spec.task = o.task;
  std::string license = o.license;
  if (license.empty()) {
    auto it = imported.metadata.find("license");
    license =
        it != imported.metadata.end() ? it->second.substr(0, it->second.find(' ')) : "unspecified";
  }
  spec.license = license;
  spec.upstream = "custom model added with `ocular models add`";
  spec.layout = layout;
  spec.labels = o.labels;
  spec.params = {{"custom", {{"project_id", result.project_id}}}};
  if (o.task == "object-detection") {
    spec.color = "RGB";
    spec.mean = {0, 0, 0};
    spec.std = {255, 255, 255};
    spec.params["decoder"] = "yolov8";
  } else {
    spec.color = o.color;
    spec.mean = o.mean;
    spec.std = o.std;
    spec.params["activation"] = activation;
    spec.params["resize"] = o.resize;
  }

  // Stage, load and run the package exactly as the server would before touching the repository.
  StagingDir staging;
  staging.path = fs::temp_directory_path() / ("ocular-models-add-" + RandomUuid());
  OCULAR_ASSIGN_OR_RETURN(json staged, convert::WritePackage(spec, o.model, staging.path, nullptr));
  (void)staged;
  const fs::path staged_dir = staging.path / spec.name / spec.version;
  auto model = runtime::LoadModelDir(staged_dir, spec.name, spec.version);
  if (!model.ok())
    return FailedPrecondition("the model does not load: " + model.status().message());
  if ((*model)->labels != labels) {
    return InvalidArgument(o.labels.string() +
                           ": the runtime reads different labels (blank lines?)");
  }
  auto verified = runtime::VerifyModel(**model);
  if (!verified.ok()) {
    return FailedPrecondition("test run failed: " + verified.status().message());
  }
  auto custom = CustomModel::Create(*model);
  if (!custom.ok()) return FailedPrecondition(custom.status().message());
  const cv::Mat grey(480, 640, CV_8UC3, cv::Scalar(128, 128, 128));
  auto test = (*custom)->Predict(grey, grey.cols, grey.rows);
  if (!test.ok()) return FailedPrecondition("test prediction failed: " + test.status().message());

  OCULAR_ASSIGN_OR_RETURN(json written, convert::WritePackage(spec, o.model, o.repo, nullptr));
  (void)written;
  result.dir = o.repo / spec.name / spec.version;
  return result;
}

}  // namespace ocular::models_add
