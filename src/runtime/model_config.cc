#include "runtime/model_config.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace ocular::runtime {
namespace {

using nlohmann::json;

constexpr Task kTasks[] = {Task::kObjectDetection,     Task::kFaceDetection, Task::kFaceEmbedding,
                           Task::kImageClassification, Task::kSegmentation,  Task::kTextDetection,
                           Task::kTextRecognition,     Task::kImageDescriptor, Task::kTest};

// Builds "<file>: <field>: <problem>" errors.
class Parser {
 public:
  explicit Parser(const std::string& source) : source_(source) {}

  Status Error(const std::string& field, const std::string& problem) const {
    return FailedPrecondition(source_ + ": " + field + ": " + problem);
  }

  // Rejects keys of `object` not in `allowed`.
  Status CheckKeys(const json& object, const std::string& field,
                   std::initializer_list<std::string_view> allowed) const {
    for (const auto& [key, value] : object.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        return Error(field.empty() ? key : field + "." + key, "unknown key");
      }
    }
    return Status::Ok();
  }

  StatusOr<const json*> Required(const json& object, const std::string& parent,
                                 const std::string& key) const {
    auto it = object.find(key);
    if (it == object.end()) return Error(Join(parent, key), "missing");
    return &*it;
  }

  // A required (or, with `optional`, possibly absent -> fallback) string.
  StatusOr<std::string> String(const json& object, const std::string& parent,
                               const std::string& key, bool allow_empty = false,
                               const std::optional<std::string>& fallback = std::nullopt) const {
    auto it = object.find(key);
    if (it == object.end()) {
      if (fallback) return *fallback;
      return Error(Join(parent, key), "missing");
    }
    if (!it->is_string()) return Error(Join(parent, key), "must be a string");
    std::string value = it->get<std::string>();
    if (value.empty() && !allow_empty) return Error(Join(parent, key), "must not be empty");
    return value;
  }

  StatusOr<std::vector<std::int64_t>> Shape(const json& object, const std::string& parent) const {
    OCULAR_ASSIGN_OR_RETURN(const json* value, Required(object, parent, "shape"));
    const std::string field = Join(parent, "shape");
    if (!value->is_array()) return Error(field, "must be an array of integers");
    std::vector<std::int64_t> shape;
    for (const json& d : *value) {
      if (!d.is_number_integer()) return Error(field, "must be an array of integers");
      std::int64_t v = d.get<std::int64_t>();
      if (v == 0 || v < -1) return Error(field, "dimensions must be > 0, or -1 for dynamic");
      shape.push_back(v);
    }
    return shape;
  }

  StatusOr<DataType> DType(const json& object, const std::string& parent) const {
    OCULAR_ASSIGN_OR_RETURN(std::string name, String(object, parent, "dtype"));
    auto dtype = ParseDataType(name);
    if (!dtype) {
      return Error(Join(parent, "dtype"),
                   "must be one of float32, uint8, int32, int64 (got \"" + name + "\")");
    }
    return *dtype;
  }

  static std::string Join(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
  }

 private:
  const std::string& source_;
};

StatusOr<std::vector<float>> ChannelValues(const Parser& p, const json& object,
                                           const std::string& parent, const char* key,
                                           float fallback, int channels) {
  const std::string field = Parser::Join(parent, key);
  auto it = object.find(key);
  if (it == object.end()) return std::vector<float>(static_cast<std::size_t>(channels), fallback);
  if (channels == 0) return p.Error(field, "only allowed for image inputs (layout NCHW or NHWC)");
  if (!it->is_array()) return p.Error(field, "must be an array of numbers");
  std::vector<float> values;
  for (const json& v : *it) {
    if (!v.is_number()) return p.Error(field, "must be an array of numbers");
    values.push_back(v.get<float>());
  }
  if (values.size() == 1) values.assign(static_cast<std::size_t>(channels), values[0]);
  if (values.size() != static_cast<std::size_t>(channels)) {
    return p.Error(field, "must have 1 or " + std::to_string(channels) + " values (got " +
                              std::to_string(it->size()) + ")");
  }
  return values;
}

StatusOr<InputConfig> ParseInput(const Parser& p, const json& j, const std::string& field) {
  if (!j.is_object()) return p.Error(field, "must be an object");
  OCULAR_RETURN_IF_ERROR(
      p.CheckKeys(j, field, {"name", "dtype", "shape", "layout", "color", "mean", "std"}));
  InputConfig in;
  OCULAR_ASSIGN_OR_RETURN(in.name, p.String(j, field, "name"));
  OCULAR_ASSIGN_OR_RETURN(in.dtype, p.DType(j, field));
  OCULAR_ASSIGN_OR_RETURN(in.shape, p.Shape(j, field));

  OCULAR_ASSIGN_OR_RETURN(std::string layout, p.String(j, field, "layout"));
  if (layout == "NCHW") {
    in.layout = Layout::kNCHW;
  } else if (layout == "NHWC") {
    in.layout = Layout::kNHWC;
  } else if (layout == "none") {
    in.layout = Layout::kNone;
  } else {
    return p.Error(field + ".layout", "must be one of NCHW, NHWC, none (got \"" + layout + "\")");
  }
  OCULAR_ASSIGN_OR_RETURN(std::string color, p.String(j, field, "color"));
  if (color == "RGB") {
    in.color = ColorOrder::kRGB;
  } else if (color == "BGR") {
    in.color = ColorOrder::kBGR;
  } else if (color == "GRAY") {
    in.color = ColorOrder::kGray;
  } else if (color == "none") {
    in.color = ColorOrder::kNone;
  } else {
    return p.Error(field + ".color", "must be one of RGB, BGR, GRAY, none (got \"" + color + "\")");
  }
  if ((in.layout == Layout::kNone) != (in.color == ColorOrder::kNone)) {
    return p.Error(field + ".color",
                   "layout and color must both be \"none\" (non-image input) or both be set");
  }
  const int channels = ColorChannels(in.color);
  if (in.is_image()) {
    if (in.shape.size() != 4) {
      return p.Error(field + ".shape", "an image input (layout " + layout + ") needs 4 dimensions");
    }
    if (in.shape[0] != 1 && in.shape[0] != -1) {
      return p.Error(field + ".shape", "the batch dimension of an image input must be 1 or -1");
    }
    const std::int64_t c = in.shape[static_cast<std::size_t>(in.channel_dim())];
    if (c != -1 && c != channels) {
      return p.Error(field + ".shape",
                     "channel dimension " + std::to_string(c) + " does not match color " + color);
    }
    if (in.dtype != DataType::kFloat32 && in.dtype != DataType::kUint8) {
      return p.Error(field + ".dtype", "an image input must be float32 or uint8");
    }
  }
  OCULAR_ASSIGN_OR_RETURN(in.mean, ChannelValues(p, j, field, "mean", 0.0f, channels));
  OCULAR_ASSIGN_OR_RETURN(in.std, ChannelValues(p, j, field, "std", 1.0f, channels));
  for (float s : in.std) {
    if (s == 0.0f) return p.Error(field + ".std", "values must be non-zero");
  }
  if (in.dtype == DataType::kUint8) {
    for (std::size_t c = 0; c < in.mean.size(); ++c) {
      if (in.mean[c] != 0.0f || in.std[c] != 1.0f) {
        return p.Error(field + ".mean", "a uint8 input takes raw pixels: mean must be 0, std 1");
      }
    }
  }
  return in;
}

StatusOr<OutputConfig> ParseOutput(const Parser& p, const json& j, const std::string& field) {
  if (!j.is_object()) return p.Error(field, "must be an object");
  OCULAR_RETURN_IF_ERROR(p.CheckKeys(j, field, {"name", "dtype", "shape"}));
  OutputConfig out;
  OCULAR_ASSIGN_OR_RETURN(out.name, p.String(j, field, "name"));
  OCULAR_ASSIGN_OR_RETURN(out.dtype, p.DType(j, field));
  OCULAR_ASSIGN_OR_RETURN(out.shape, p.Shape(j, field));
  return out;
}

StatusOr<Provenance> ParseProvenance(const Parser& p, const json& j) {
  const std::string field = "provenance";
  if (!j.is_object()) return p.Error(field, "must be an object");
  OCULAR_RETURN_IF_ERROR(p.CheckKeys(j, field, {"package", "files", "upstream"}));
  Provenance prov;
  OCULAR_ASSIGN_OR_RETURN(prov.package, p.String(j, field, "package"));
  OCULAR_ASSIGN_OR_RETURN(prov.upstream, p.String(j, field, "upstream"));
  OCULAR_ASSIGN_OR_RETURN(const json* files, p.Required(j, field, "files"));
  if (!files->is_array()) return p.Error(field + ".files", "must be an array");
  for (std::size_t i = 0; i < files->size(); ++i) {
    const std::string f = field + ".files[" + std::to_string(i) + "]";
    const json& entry = (*files)[i];
    if (!entry.is_object()) return p.Error(f, "must be an object");
    OCULAR_RETURN_IF_ERROR(p.CheckKeys(entry, f, {"path", "sha256"}));
    ProvenanceFile file;
    OCULAR_ASSIGN_OR_RETURN(file.path, p.String(entry, f, "path"));
    OCULAR_ASSIGN_OR_RETURN(file.sha256, p.String(entry, f, "sha256"));
    const std::filesystem::path path(file.path);
    bool escapes = path.is_absolute();
    for (const auto& part : path) escapes = escapes || part == "..";
    if (escapes) return p.Error(f + ".path", "must be relative to the package, without \"..\"");
    if (!IsSha256Hex(file.sha256)) return p.Error(f + ".sha256", "must be 64 lowercase hex digits");
    prov.files.push_back(std::move(file));
  }
  return prov;
}

}  // namespace

std::string_view TaskName(Task task) {
  switch (task) {
    case Task::kObjectDetection:
      return "object-detection";
    case Task::kFaceDetection:
      return "face-detection";
    case Task::kFaceEmbedding:
      return "face-embedding";
    case Task::kImageClassification:
      return "image-classification";
    case Task::kSegmentation:
      return "segmentation";
    case Task::kTextDetection:
      return "text-detection";
    case Task::kTextRecognition:
      return "text-recognition";
    case Task::kImageDescriptor:
      return "image-descriptor";
    case Task::kTest:
      return "test";
  }
  return "unknown";
}

std::optional<Task> ParseTask(std::string_view name) {
  for (Task t : kTasks) {
    if (TaskName(t) == name) return t;
  }
  return std::nullopt;
}

std::string_view LayoutName(Layout layout) {
  switch (layout) {
    case Layout::kNCHW:
      return "NCHW";
    case Layout::kNHWC:
      return "NHWC";
    case Layout::kNone:
      break;
  }
  return "none";
}

std::string_view ColorOrderName(ColorOrder color) {
  switch (color) {
    case ColorOrder::kRGB:
      return "RGB";
    case ColorOrder::kBGR:
      return "BGR";
    case ColorOrder::kGray:
      return "GRAY";
    case ColorOrder::kNone:
      break;
  }
  return "none";
}

int ColorChannels(ColorOrder color) {
  switch (color) {
    case ColorOrder::kRGB:
    case ColorOrder::kBGR:
      return 3;
    case ColorOrder::kGray:
      return 1;
    case ColorOrder::kNone:
      break;
  }
  return 0;
}

bool IsSha256Hex(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

const InputConfig* ModelConfig::FindInput(std::string_view input_name) const {
  for (const InputConfig& in : inputs) {
    if (in.name == input_name) return &in;
  }
  return nullptr;
}

const OutputConfig* ModelConfig::FindOutput(std::string_view output_name) const {
  for (const OutputConfig& out : outputs) {
    if (out.name == output_name) return &out;
  }
  return nullptr;
}

StatusOr<ModelConfig> ParseModelConfig(std::string_view json_text, const std::string& source) {
  Parser p(source);
  json root = json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return FailedPrecondition(source + ": not valid JSON");
  if (!root.is_object()) return FailedPrecondition(source + ": must be a JSON object");
  OCULAR_RETURN_IF_ERROR(
      p.CheckKeys(root, "",
                  {"name", "version", "task", "inputs", "outputs", "labels", "provenance",
                   "license", "model_sha256", "converter", "params"}));
  ModelConfig config;
  OCULAR_ASSIGN_OR_RETURN(config.name, p.String(root, "", "name"));
  OCULAR_ASSIGN_OR_RETURN(config.version, p.String(root, "", "version"));
  OCULAR_ASSIGN_OR_RETURN(std::string task, p.String(root, "", "task"));
  auto parsed_task = ParseTask(task);
  if (!parsed_task) {
    std::string all;
    for (Task t : kTasks) all += (all.empty() ? "" : ", ") + std::string(TaskName(t));
    return p.Error("task", "must be one of " + all + " (got \"" + task + "\")");
  }
  config.task = *parsed_task;

  std::set<std::string> names;
  OCULAR_ASSIGN_OR_RETURN(const json* inputs, p.Required(root, "", "inputs"));
  if (!inputs->is_array() || inputs->empty()) return p.Error("inputs", "must be a non-empty array");
  for (std::size_t i = 0; i < inputs->size(); ++i) {
    const std::string field = "inputs[" + std::to_string(i) + "]";
    OCULAR_ASSIGN_OR_RETURN(InputConfig in, ParseInput(p, (*inputs)[i], field));
    if (!names.insert(in.name).second) {
      return p.Error(field + ".name", "duplicate name '" + in.name + "'");
    }
    config.inputs.push_back(std::move(in));
  }
  names.clear();
  OCULAR_ASSIGN_OR_RETURN(const json* outputs, p.Required(root, "", "outputs"));
  if (!outputs->is_array() || outputs->empty()) {
    return p.Error("outputs", "must be a non-empty array");
  }
  for (std::size_t i = 0; i < outputs->size(); ++i) {
    const std::string field = "outputs[" + std::to_string(i) + "]";
    OCULAR_ASSIGN_OR_RETURN(OutputConfig out, ParseOutput(p, (*outputs)[i], field));
    if (!names.insert(out.name).second) {
      return p.Error(field + ".name", "duplicate name '" + out.name + "'");
    }
    config.outputs.push_back(std::move(out));
  }

  OCULAR_ASSIGN_OR_RETURN(config.labels,
                          p.String(root, "", "labels", false, std::optional<std::string>("")));
  if (root.contains("labels")) {
    const std::filesystem::path labels(config.labels);
    if (labels.has_parent_path() || config.labels == "." || config.labels == "..") {
      return p.Error("labels", "must be a plain file name beside config.json");
    }
  }
  OCULAR_ASSIGN_OR_RETURN(const json* provenance, p.Required(root, "", "provenance"));
  OCULAR_ASSIGN_OR_RETURN(config.provenance, ParseProvenance(p, *provenance));
  OCULAR_ASSIGN_OR_RETURN(config.license, p.String(root, "", "license"));
  OCULAR_ASSIGN_OR_RETURN(config.model_sha256, p.String(root, "", "model_sha256"));
  if (!IsSha256Hex(config.model_sha256)) {
    return p.Error("model_sha256", "must be 64 lowercase hex digits");
  }
  OCULAR_ASSIGN_OR_RETURN(config.converter,
                          p.String(root, "", "converter", true, std::optional<std::string>("")));
  if (auto it = root.find("params"); it != root.end()) {
    if (!it->is_object()) return p.Error("params", "must be an object");
    config.params = *it;
  }
  return config;
}

StatusOr<ModelConfig> LoadModelConfig(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return FailedPrecondition(file.string() + ": cannot read (missing or unreadable)");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return FailedPrecondition(file.string() + ": read error");
  return ParseModelConfig(text.str(), file.string());
}

}  // namespace ocular::runtime
