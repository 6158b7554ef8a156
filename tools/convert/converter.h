// The TF.js -> ONNX converter (library ocular_convert), used by `ocular convert` and the setup
// step that builds the default model pack.
//
//   auto r = ocular::convert::ConvertTfjs("models/centernet.json", {});
//   if (r.ok()) write r->onnx ...
//
// Front ends: TF.js graph-models (GraphDef JSON + shards) and Keras layers-models (also in UMD
// .js form). An op the converter does not support stops the conversion with an error naming the
// op and the node: it never produces a silently wrong graph.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "tensor.h"

namespace ocular::convert {

inline constexpr const char* kConverterVersion = "ocular convert 0.1.0";

struct ConvertOptions {
  // Graph outputs (TF tensor names such as "Identity:0" or node names). Default: the model's
  // signature outputs, else its userDefinedMetadata signature, else the graph's sink nodes.
  std::vector<std::string> outputs;
  // Overrides the (single) input's shape; default: the model's shape with -1 fixed to 1.
  Shape input_shape;
};

struct TensorInfo {
  std::string name;        // ONNX name
  std::string tf_name;     // TF.js tensor it comes from (graph-model outputs: for tfjs execute())
  DType dtype = DType::kFloat;
  Shape shape;             // -1 for a dimension ONNX shape inference could not fix
};

struct ConvertResult {
  std::string onnx;                        // serialized onnx::ModelProto (checked)
  std::string format;                      // "graph-model" | "layers-model"
  std::vector<TensorInfo> inputs, outputs;
  std::map<std::string, int> tf_ops;       // TF op (or Keras layer class) -> count converted
  std::map<std::string, int> onnx_ops;     // ONNX op -> count in the result
  std::vector<std::filesystem::path> source_files;  // model file first, then weight shards
  std::map<std::string, std::string> metadata;      // ONNX metadata_props (imported ONNX only)
};

// Converts the TF.js model at `src` (model.json or UMD model .js).
StatusOr<ConvertResult> ConvertTfjs(const std::filesystem::path& src, const ConvertOptions& opts);

}  // namespace ocular::convert
