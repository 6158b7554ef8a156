// Importing a model that is already ONNX (for example an Ultralytics YOLOv8 export) into the
// model repository: the same package writer as a TF.js conversion (model_package.h), with the
// model bytes copied unchanged, so model_sha256 is the sha256 of the source file.
//
//   auto r = ocular::convert::ImportOnnx("yolov8s.onnx");   // checked, I/O and metadata read
//   auto names = ocular::convert::ParseUltralyticsNames(r->metadata.at("names"));
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "converter.h"
#include "core/status.h"

namespace ocular::convert {

// True when `src` names an ONNX file (by its ".onnx" extension).
bool IsOnnxFile(const std::filesystem::path& src);

// Reads `src`, runs the ONNX checker and returns its inputs, outputs (float32, int32 and int64
// tensors; -1 for dynamic dimensions), op counts and metadata_props. InvalidArgument when the
// file is not a valid ONNX model or a graph input/output has another element type.
StatusOr<ConvertResult> ImportOnnx(const std::filesystem::path& src);

// The class names of an Ultralytics export's "names" metadata, a Python dict literal such as
// "{0: 'person', 1: 'bicycle'}" (either quote style, backslash escapes). The keys must be
// 0..n-1 in order; InvalidArgument otherwise.
StatusOr<std::vector<std::string>> ParseUltralyticsNames(const std::string& text);

}  // namespace ocular::convert
