// Writing a converted model into the model repository: <repo>/<name>/<version>/model.onnx,
// config.json (schema: docs/model-repository.md) and an optional labels file.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "converter.h"
#include "onnx_import.h"

namespace ocular::convert {

// Everything config.json needs that the TF.js files do not say. Read from a pack spec file
// (tools/convert/pack/*.json) and/or `ocular convert` flags.
struct PackageSpec {
  std::string name;       // model folder name; default: the source file's stem
  std::string version;    // version folder name, e.g. the pack date "2026-11-26"
  std::string task;       // object-detection, face-detection, ... (schema list)
  std::string license;    // SPDX id of the model weights, e.g. "MIT"
  std::string upstream;   // original project; default: the model.json "generatedBy" URL
  // Image input description: layout NCHW|NHWC|none, color RGB|BGR|GRAY|none, and
  // network value = (pixel - mean) / std. Applied to the first input.
  std::string layout = "NHWC", color = "RGB";
  std::vector<double> mean{0, 0, 0}, std{1, 1, 1};
  std::filesystem::path labels;  // labels file to copy beside config.json as labels.txt
  // Spec "labels": "metadata:names": the labels come from the imported ONNX model's own "names"
  // metadata (Ultralytics exports), written as labels.txt. Default: off.
  bool labels_from_metadata = false;
  nlohmann::json params = nlohmann::json::object();  // task-specific settings
  ConvertOptions convert;        // outputs / input shape overrides
};

// Reads a pack spec JSON object (keys as in PackageSpec; "labels" is a file path or
// "metadata:names"; "input": {layout,color,mean,std},
// "outputs": [...], "input_shape": [...]). Relative "labels" paths resolve against `base_dir`.
StatusOr<PackageSpec> ParsePackageSpec(const nlohmann::json& j, const std::filesystem::path& base_dir);

// sha256 of a file / buffer as 64 lowercase hex digits (OpenSSL).
StatusOr<std::string> Sha256OfFile(const std::filesystem::path& p);
std::string Sha256Of(std::string_view data);

// npm provenance of a source file: "<name>@<version>" from the nearest package.json above it and
// the file's path relative to that package root (empty package when none is found).
struct SourceProvenance {
  std::string package;
  std::filesystem::path root;
};
SourceProvenance FindPackage(const std::filesystem::path& file);

// The config.json document for a conversion result.
StatusOr<nlohmann::json> BuildConfig(const PackageSpec& spec, const ConvertResult& r,
                                     const std::string& model_sha256);

// True when <dir>/config.json and model.onnx exist, the recorded source and model sha256 match
// the files, and every spec-derived field is what `spec` would write now.
bool PackageIsCurrent(const PackageSpec& spec, const std::filesystem::path& src,
                      const std::filesystem::path& dir);

// Converts `src` (TF.js) or imports it (an .onnx file, onnx_import.h) and writes the package into <repo>/<name>/<version>/ (atomically per file).
// Returns the written config.
StatusOr<nlohmann::json> WritePackage(const PackageSpec& spec, const std::filesystem::path& src,
                                      const std::filesystem::path& repo, ConvertResult* result);

}  // namespace ocular::convert
