#include "model_package.h"

#include <fstream>
#include <sstream>

#include <openssl/evp.h>

#include "tfjs_model.h"

namespace ocular::convert {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

StatusOr<std::string> Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return NotFound("cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes via a temporary file and rename, so a crash never leaves a half-written file.
Status WriteAtomically(const fs::path& p, std::string_view data) {
  const fs::path tmp = p.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return FailedPrecondition("cannot write " + tmp.string());
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) return FailedPrecondition("cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, p, ec);
  if (ec) return FailedPrecondition("cannot rename " + tmp.string() + ": " + ec.message());
  return Status::Ok();
}

std::string ConfigDType(DType d) { return DTypeName(d); }

StatusOr<json> ProvenanceOf(const PackageSpec& spec, const fs::path& src, const std::string& generated_by) {
  std::vector<fs::path> files = {src};
  if (!IsOnnxFile(src)) {
    OCULAR_ASSIGN_OR_RETURN(files, ListSourceFiles(src));
  }
  const SourceProvenance pkg = FindPackage(src);
  json jf = json::array();
  for (const fs::path& f : files) {
    OCULAR_ASSIGN_OR_RETURN(std::string sha, Sha256OfFile(f));
    const std::string rel = pkg.root.empty() ? f.filename().string()
                                             : fs::relative(f, pkg.root).generic_string();
    jf.push_back({{"path", rel}, {"sha256", sha}});
  }
  std::string upstream = spec.upstream.empty() ? generated_by : spec.upstream;
  if (upstream.empty()) upstream = "unknown";
  return json{{"package", pkg.package.empty() ? "local" : pkg.package}, {"files", jf}, {"upstream", upstream}};
}

std::string GeneratedBy(const fs::path& src) {
  std::ifstream in(src);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  const size_t p = head.find("\"generatedBy\"");
  if (p == std::string::npos) return "";
  const size_t a = head.find('"', head.find(':', p) + 1), b = head.find('"', a + 1);
  if (a == std::string::npos || b == std::string::npos) return "";
  const std::string v = head.substr(a + 1, b - a - 1);
  return v.rfind("http", 0) == 0 ? v : "";
}

}  // namespace

std::string Sha256Of(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(hex[md[i] >> 4]);
    out.push_back(hex[md[i] & 15]);
  }
  return out;
}

StatusOr<std::string> Sha256OfFile(const fs::path& p) {
  OCULAR_ASSIGN_OR_RETURN(std::string data, Slurp(p));
  return Sha256Of(data);
}

SourceProvenance FindPackage(const fs::path& file) {
  std::error_code ec;
  fs::path dir = fs::absolute(file, ec).parent_path();
  for (; !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
    if (!fs::exists(dir / "package.json")) continue;
    try {
      std::ifstream in(dir / "package.json");
      const json j = json::parse(in);
      if (j.contains("name") && j.contains("version") && j["name"].is_string())
        return {j["name"].get<std::string>() + "@" + j["version"].get<std::string>(), dir};
    } catch (const json::exception&) {
    }
  }
  return {};
}

StatusOr<PackageSpec> ParsePackageSpec(const json& j, const fs::path& base_dir) {
  PackageSpec s;
  try {
    s.name = j.value("name", "");
    s.version = j.value("version", "");
    s.task = j.value("task", "");
    s.license = j.value("license", "");
    s.upstream = j.value("upstream", "");
    if (j.contains("input")) {
      const json& in = j["input"];
      s.layout = in.value("layout", s.layout);
      s.color = in.value("color", s.color);
      if (in.contains("mean")) s.mean = in["mean"].get<std::vector<double>>();
      if (in.contains("std")) s.std = in["std"].get<std::vector<double>>();
    }
    if (j.contains("labels")) {
      const std::string labels = j["labels"].get<std::string>();
      if (labels == "metadata:names") {
        s.labels_from_metadata = true;
      } else {
        s.labels = base_dir / labels;
      }
    }
    if (j.contains("params")) s.params = j["params"];
    if (j.contains("outputs")) s.convert.outputs = j["outputs"].get<std::vector<std::string>>();
    if (j.contains("input_shape")) s.convert.input_shape = j["input_shape"].get<Shape>();
  } catch (const json::exception& e) {
    return InvalidArgument(std::string("bad pack spec: ") + e.what());
  }
  return s;
}

StatusOr<json> BuildConfig(const PackageSpec& spec, const ConvertResult& r, const std::string& model_sha256) {
  if (spec.name.empty() || spec.version.empty() || spec.task.empty() || spec.license.empty())
    return InvalidArgument("name, version, task and license are required for a repository package");
  json inputs = json::array(), outputs = json::array();
  for (size_t i = 0; i < r.inputs.size(); ++i) {
    const TensorInfo& t = r.inputs[i];
    json in = {{"name", t.name}, {"dtype", ConfigDType(t.dtype)}, {"shape", t.shape}};
    const bool image = i == 0 && spec.layout != "none";
    in["layout"] = image ? spec.layout : "none";
    in["color"] = image ? spec.color : "none";
    if (image) {
      in["mean"] = spec.mean;
      in["std"] = spec.std;
    }
    inputs.push_back(in);
  }
  for (const TensorInfo& t : r.outputs)
    outputs.push_back({{"name", t.name}, {"dtype", ConfigDType(t.dtype)}, {"shape", t.shape}});
  std::string generated_by;
  if (!r.source_files.empty() && !IsOnnxFile(r.source_files[0])) {
    generated_by = GeneratedBy(r.source_files[0]);
  }
  OCULAR_ASSIGN_OR_RETURN(json prov, ProvenanceOf(spec, r.source_files.at(0), generated_by));
  json c = {{"name", spec.name}, {"version", spec.version}, {"task", spec.task},
            {"inputs", inputs}, {"outputs", outputs}, {"provenance", prov},
            {"license", spec.license}, {"model_sha256", model_sha256},
            {"converter", kConverterVersion}, {"params", spec.params}};
  if (!spec.labels.empty() || spec.labels_from_metadata) c["labels"] = "labels.txt";
  return c;
}

bool PackageIsCurrent(const PackageSpec& spec, const fs::path& src, const fs::path& dir) {
  StatusOr<std::string> text = Slurp(dir / "config.json");
  if (!text.ok()) return false;
  json old;
  try {
    old = json::parse(*text);
    // Rebuild what we would write now from the recorded inputs/outputs, then compare.
    ConvertResult r;
    r.source_files = {src};
    for (const json& in : old.at("inputs"))
      r.inputs.push_back({in.at("name"), in.at("name"), DType::kFloat, in.at("shape").get<Shape>()});
    for (const json& o : old.at("outputs"))
      r.outputs.push_back({o.at("name"), o.at("name"), DType::kFloat, o.at("shape").get<Shape>()});
    StatusOr<json> now = BuildConfig(spec, r, old.at("model_sha256").get<std::string>());
    if (!now.ok()) return false;
    for (size_t i = 0; i < r.inputs.size(); ++i) (*now)["inputs"][i]["dtype"] = old["inputs"][i]["dtype"];
    for (size_t i = 0; i < r.outputs.size(); ++i) (*now)["outputs"][i]["dtype"] = old["outputs"][i]["dtype"];
    if (*now != old) return false;
    StatusOr<std::string> msha = Sha256OfFile(dir / "model.onnx");
    if (!msha.ok() || *msha != old["model_sha256"].get<std::string>()) return false;
    if (!spec.labels.empty()) {
      StatusOr<std::string> a = Slurp(spec.labels), b = Slurp(dir / "labels.txt");
      if (!a.ok() || !b.ok() || *a != *b) return false;
    }
  } catch (const json::exception&) {
    return false;
  }
  return true;
}

namespace {

// The licence an imported model declares in its metadata ("AGPL-3.0 https://..." -> "AGPL-3.0"),
// or "" when it declares none.
std::string MetadataLicense(const ConvertResult& r) {
  auto it = r.metadata.find("license");
  if (it == r.metadata.end()) return "";
  return it->second.substr(0, it->second.find(' '));
}

// The labels file text the package gets ("" = none).
StatusOr<std::string> LabelsText(const PackageSpec& spec, const ConvertResult& r) {
  if (spec.labels_from_metadata) {
    auto it = r.metadata.find("names");
    if (it == r.metadata.end()) {
      return InvalidArgument("the spec takes labels from the model's \"names\" metadata, but "
                             "the model has none: give a labels file");
    }
    OCULAR_ASSIGN_OR_RETURN(std::vector<std::string> names, ParseUltralyticsNames(it->second));
    std::string text;
    for (const std::string& n : names) text += n + "\n";
    return text;
  }
  if (spec.labels.empty()) return std::string();
  return Slurp(spec.labels);
}

}  // namespace

StatusOr<json> WritePackage(const PackageSpec& spec, const fs::path& src, const fs::path& repo,
                            ConvertResult* result) {
  ConvertResult r;
  if (IsOnnxFile(src)) {
    OCULAR_ASSIGN_OR_RETURN(r, ImportOnnx(src));
    // A licence in the model's own metadata must agree with the one the package declares.
    const std::string declared = MetadataLicense(r);
    if (!declared.empty() && declared != spec.license) {
      return InvalidArgument("the licence given (" + spec.license + ") differs from the one in " +
                             src.filename().string() + "'s metadata (" + declared + ")");
    }
  } else {
    OCULAR_ASSIGN_OR_RETURN(r, ConvertTfjs(src, spec.convert));
  }
  OCULAR_ASSIGN_OR_RETURN(std::string labels, LabelsText(spec, r));
  const std::string sha = Sha256Of(r.onnx);
  OCULAR_ASSIGN_OR_RETURN(json config, BuildConfig(spec, r, sha));
  const fs::path dir = repo / spec.name / spec.version;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return FailedPrecondition("cannot create " + dir.string() + ": " + ec.message());
  OCULAR_RETURN_IF_ERROR(WriteAtomically(dir / "model.onnx", r.onnx));
  if (!spec.labels.empty() || spec.labels_from_metadata) {
    OCULAR_RETURN_IF_ERROR(WriteAtomically(dir / "labels.txt", labels));
  }
  OCULAR_RETURN_IF_ERROR(WriteAtomically(dir / "config.json", config.dump(2) + "\n"));
  if (result) *result = std::move(r);
  return config;
}

}  // namespace ocular::convert
