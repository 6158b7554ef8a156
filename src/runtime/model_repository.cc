#include "runtime/model_repository.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <system_error>

#include <opencv2/core.hpp>

#include "runtime/preprocess.h"
#include "runtime/sha256.h"

namespace ocular::runtime {
namespace {

namespace fs = std::filesystem;

constexpr char kModelFile[] = "model.onnx";
constexpr char kConfigFile[] = "config.json";
constexpr std::int64_t kVerifyImageSide = 64;  // dynamic image height/width in VerifyModel

bool ShapesCompatible(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] >= 0 && b[i] >= 0 && a[i] != b[i]) return false;
  }
  return true;
}

// Subfolders of `dir` whose names do not start with '.', unsorted.
std::vector<std::string> SubFolders(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code type_ec;
    if (it->is_directory(type_ec)) out.push_back(name);
  }
  return out;
}

StatusOr<std::vector<std::string>> ReadLabels(const fs::path& file, const std::string& label) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return FailedPrecondition(label + ": labels file " + file.string() + " not found");
  std::vector<std::string> labels;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    labels.push_back(line);
  }
  while (!labels.empty() && labels.back().empty()) labels.pop_back();
  if (labels.empty())
    return FailedPrecondition(label + ": labels file " + file.string() + " is empty");
  return labels;
}

}  // namespace

std::string ModelLabel(const std::string& name, const std::string& version) {
  return "model '" + name + "' " + version;
}

bool VersionLess(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      std::size_t ei = i, ej = j;
      while (ei < a.size() && digit(a[ei])) ++ei;
      while (ej < b.size() && digit(b[ej])) ++ej;
      std::string_view ra(a.data() + i, ei - i), rb(b.data() + j, ej - j);
      while (ra.size() > 1 && ra[0] == '0') ra.remove_prefix(1);
      while (rb.size() > 1 && rb[0] == '0') rb.remove_prefix(1);
      if (ra.size() != rb.size()) return ra.size() < rb.size();
      if (ra != rb) return ra < rb;
      i = ei;
      j = ej;
    } else {
      if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
      ++i;
      ++j;
    }
  }
  if ((a.size() - i) != (b.size() - j)) return (a.size() - i) < (b.size() - j);
  return a < b;  // equal by the natural order ("01" vs "1"): fall back to a total order
}

Status ValidateAgainstSession(const ModelConfig& config, const Session& session,
                              const std::string& label) {
  auto check = [&](const char* kind, const std::string& name, DataType dtype,
                   const std::vector<std::int64_t>& shape, const TensorInfo* real) -> Status {
    if (real == nullptr) {
      return FailedPrecondition(label + ": " + kind + " '" + name +
                                "' is in config.json but not in model.onnx");
    }
    if (real->dtype != dtype) {
      return FailedPrecondition(label + ": " + kind + " '" + name + "' has dtype " +
                                std::string(DataTypeName(dtype)) + " in config.json but " +
                                real->type_name + " in model.onnx");
    }
    if (!ShapesCompatible(shape, real->shape)) {
      return FailedPrecondition(label + ": " + kind + " '" + name + "' has shape " +
                                ShapeToString(shape) + " in config.json but " +
                                ShapeToString(real->shape) + " in model.onnx");
    }
    return Status::Ok();
  };
  for (const InputConfig& in : config.inputs) {
    OCULAR_RETURN_IF_ERROR(check("input", in.name, in.dtype, in.shape, session.FindInput(in.name)));
  }
  for (const OutputConfig& out : config.outputs) {
    OCULAR_RETURN_IF_ERROR(
        check("output", out.name, out.dtype, out.shape, session.FindOutput(out.name)));
  }
  for (const TensorInfo& real : session.inputs()) {
    if (config.FindInput(real.name) == nullptr) {
      return FailedPrecondition(label + ": model.onnx input '" + real.name + "' (" +
                                real.type_name + " " + ShapeToString(real.shape) +
                                ") is missing from config.json");
    }
  }
  return Status::Ok();
}

std::string Model::label() const { return ModelLabel(config.name, config.version); }

StatusOr<std::vector<Tensor>> Model::Run(const std::vector<Tensor>& inputs) const {
  std::vector<std::string> names;
  names.reserve(config.outputs.size());
  for (const OutputConfig& out : config.outputs) names.push_back(out.name);
  return session->Run(inputs, names);
}

StatusOr<std::shared_ptr<const Model>> LoadModelDir(const fs::path& dir, const std::string& name,
                                                    const std::string& version,
                                                    const SessionOptions& options) {
  const std::string label = ModelLabel(name, version);
  auto config = LoadModelConfig(dir / kConfigFile);
  if (!config.ok()) return FailedPrecondition(label + ": " + config.status().message());
  auto model = std::make_shared<Model>();
  model->config = std::move(config).value();
  model->dir = dir;
  const ModelConfig& c = model->config;
  if (c.name != name) {
    return FailedPrecondition(label + ": config.json name is '" + c.name +
                              "' but the model folder is '" + name + "'");
  }
  if (c.version != version) {
    return FailedPrecondition(label + ": config.json version is '" + c.version +
                              "' but the version folder is '" + version + "'");
  }
  const fs::path model_file = dir / kModelFile;
  auto digest = Sha256File(model_file);
  if (!digest.ok()) {
    return FailedPrecondition(label + ": cannot hash " + kModelFile + ": " +
                              digest.status().message());
  }
  if (*digest != c.model_sha256) {
    return FailedPrecondition(label + ": model.onnx has sha256 " + *digest +
                              " but config.json model_sha256 is " + c.model_sha256 +
                              " (file changed or corrupt)");
  }
  if (!c.labels.empty()) {
    OCULAR_ASSIGN_OR_RETURN(model->labels, ReadLabels(dir / c.labels, label));
  }
  OCULAR_ASSIGN_OR_RETURN(model->session, Session::Create(model_file, label, options));
  OCULAR_RETURN_IF_ERROR(ValidateAgainstSession(c, *model->session, label));
  return std::shared_ptr<const Model>(std::move(model));
}

StatusOr<VerifyReport> VerifyModel(const Model& model) {
  const std::string label = model.label();
  VerifyReport report;
  for (const InputConfig& in : model.config.inputs) {
    const TensorInfo* real = model.session->FindInput(in.name);
    std::vector<std::int64_t> shape = in.shape;
    for (std::size_t d = 0; d < shape.size(); ++d) {
      if (shape[d] >= 0) continue;
      if (real != nullptr && d < real->shape.size() && real->shape[d] >= 0) {
        shape[d] = real->shape[d];
      } else if (in.is_image() && (static_cast<int>(d) == in.height_dim() ||
                                   static_cast<int>(d) == in.width_dim())) {
        shape[d] = kVerifyImageSide;
      } else {
        shape[d] = 1;
      }
    }
    if (in.is_image()) {
      const int h = static_cast<int>(shape[static_cast<std::size_t>(in.height_dim())]);
      const int w = static_cast<int>(shape[static_cast<std::size_t>(in.width_dim())]);
      cv::Mat grey(h, w, CV_8UC3, cv::Scalar::all(128));
      PreprocessOptions opts;
      opts.width = w;
      opts.height = h;
      auto pre = PreprocessImage(grey, in, opts);
      if (!pre.ok()) return FailedPrecondition(label + ": " + pre.status().message());
      report.inputs_used.push_back(std::move(pre->tensor));
    } else {
      report.inputs_used.push_back(Tensor::Zeros(in.name, in.dtype, shape));
    }
  }
  auto outputs = model.Run(report.inputs_used);
  if (!outputs.ok()) return FailedPrecondition(outputs.status().message());
  for (std::size_t i = 0; i < outputs->size(); ++i) {
    const Tensor& t = (*outputs)[i];
    const OutputConfig& want = model.config.outputs[i];
    if (t.dtype != want.dtype || !ShapesCompatible(want.shape, t.shape)) {
      return FailedPrecondition(label + ": output '" + want.name + "' came out as " +
                                std::string(DataTypeName(t.dtype)) + " " + ShapeToString(t.shape) +
                                " but config.json says " + std::string(DataTypeName(want.dtype)) +
                                " " + ShapeToString(want.shape));
    }
    report.outputs.push_back({t.name, t.dtype, std::string(DataTypeName(t.dtype)), t.shape});
    if (t.dtype == DataType::kFloat32 &&
        !std::all_of(t.floats.begin(), t.floats.end(), [](float v) { return std::isfinite(v); })) {
      report.warnings.push_back("output '" + t.name + "' has non-finite values on the test input");
    }
  }
  return report;
}

StatusOr<std::unique_ptr<ModelRepository>> ModelRepository::Open(const fs::path& root,
                                                                 const RepositoryOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return FailedPrecondition("model repository '" + root.string() +
                              "' does not exist or is not a directory: run scripts/setup.sh to "
                              "build it, or point --repo / OCULAR_MODEL_REPO at one");
  }
  std::map<std::string, std::vector<std::string>> versions;
  for (const std::string& name : SubFolders(root)) {
    std::vector<std::string> v = SubFolders(root / name);
    std::sort(v.begin(), v.end(), VersionLess);
    versions[name] = std::move(v);
  }
  return std::unique_ptr<ModelRepository>(new ModelRepository(root, options, std::move(versions)));
}

std::vector<std::string> ModelRepository::ModelNames() const {
  std::vector<std::string> names;
  for (const auto& [name, v] : versions_) names.push_back(name);
  return names;
}

std::vector<std::string> ModelRepository::Versions(const std::string& name) const {
  auto it = versions_.find(name);
  return it == versions_.end() ? std::vector<std::string>{} : it->second;
}

StatusOr<std::string> ModelRepository::ResolveVersion(const std::string& name,
                                                      const std::string& version) const {
  auto it = versions_.find(name);
  if (it == versions_.end()) {
    return NotFound("model '" + name + "' is not in the model repository " + root_.string());
  }
  if (it->second.empty()) {
    return NotFound("model '" + name + "' has no version folder in " + (root_ / name).string());
  }
  if (version == "latest") return it->second.back();
  if (std::find(it->second.begin(), it->second.end(), version) == it->second.end()) {
    return NotFound(ModelLabel(name, version) + " is not in the model repository " +
                    root_.string());
  }
  return version;
}

StatusOr<std::shared_ptr<const Model>> ModelRepository::Load(const std::string& name,
                                                             const std::string& version) {
  OCULAR_ASSIGN_OR_RETURN(std::string resolved, ResolveVersion(name, version));
  std::lock_guard<std::mutex> lock(mu_);
  auto key = std::make_pair(name, resolved);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  OCULAR_ASSIGN_OR_RETURN(std::shared_ptr<const Model> model,
                          LoadModelDir(root_ / name / resolved, name, resolved, options_.session));
  cache_[key] = model;
  return model;
}

std::vector<ModelEntry> ModelRepository::List() const {
  std::vector<ModelEntry> entries;
  for (const auto& [name, versions] : versions_) {
    if (versions.empty()) {
      ModelEntry e;
      e.name = name;
      e.dir = root_ / name;
      e.status = FailedPrecondition("model '" + name + "': no version folder in " + e.dir.string());
      entries.push_back(std::move(e));
      continue;
    }
    for (const std::string& version : versions) {
      ModelEntry e;
      e.name = name;
      e.version = version;
      e.dir = root_ / name / version;
      std::error_code ec;
      const auto size = fs::file_size(e.dir / kModelFile, ec);
      e.model_size = ec ? 0 : size;
      auto config = LoadModelConfig(e.dir / kConfigFile);
      if (config.ok()) {
        e.config = std::move(config).value();
        if (ec) e.status = FailedPrecondition(ModelLabel(name, version) + ": model.onnx missing");
      } else {
        e.status = config.status();
      }
      entries.push_back(std::move(e));
    }
  }
  return entries;
}

StatusOr<VerifyReport> ModelRepository::Verify(const std::string& name,
                                               const std::string& version) const {
  OCULAR_ASSIGN_OR_RETURN(std::string resolved, ResolveVersion(name, version));
  OCULAR_ASSIGN_OR_RETURN(std::shared_ptr<const Model> model,
                          LoadModelDir(root_ / name / resolved, name, resolved, options_.session));
  return VerifyModel(*model);
}

}  // namespace ocular::runtime
