// The two TF.js front ends (internal to ocular_convert).
#pragma once

#include <onnx/onnx_pb.h>

#include "converter.h"
#include "tfjs_model.h"

namespace ocular::convert {

struct FrontendResult {
  onnx::ModelProto model;
  std::vector<TensorInfo> inputs, outputs;  // output shapes are filled in by ConvertTfjs
  std::map<std::string, int> tf_ops;
};

StatusOr<FrontendResult> ConvertGraphModel(const TfjsModel& m, const ConvertOptions& opts);
StatusOr<FrontendResult> ConvertLayersModel(const TfjsModel& m, const ConvertOptions& opts);

}  // namespace ocular::convert
