// Adding a custom model (docs/custom-models.md) to the model repository:
//
//   AddOptions o{.name = "hardhats", .task = "object-detection", .model = "best.onnx",
//                .labels = "labels.txt", .repo = "models"};
//   OCULAR_ASSIGN_OR_RETURN(AddResult r, AddCustomModel(o));   // r.dir, r.project_id
//
// Before anything is written to the repository the model is checked against its task: one image
// input of rank 4; detectors one [1, 4 + labels, anchors] (or transposed) YOLOv8 output;
// classifiers an output holding exactly one score per label. Then the package is written by the
// converter's WritePackage into a private staging folder, loaded through the runtime exactly as
// the server loads it (sha256, session, config), and one mid-grey image is run through the custom
// model; only then is it written into <repo>/<name>/<version>/. Any failure is InvalidArgument or
// FailedPrecondition with a clear message, and the repository is untouched.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/status.h"

namespace ocular::models_add {

struct AddOptions {
  std::string name;              // model folder name: [a-z0-9][a-z0-9._-]*
  std::string task;              // object-detection | image-classification
  std::filesystem::path model;   // the ONNX file (an Ultralytics export, `ocular convert` output)
  std::filesystem::path labels;  // one label a line
  std::string project_id;        // UUID; "" = generate a random one
  std::filesystem::path repo;    // the model repository
  std::string version;           // "" = UTC time, YYYYMMDD-HHMMSS
  std::string license;           // "" = the model's metadata licence, else "unspecified"
  // Classifier preprocessing and activation (config.json inputs[0] and params).
  std::string color = "RGB";                              // RGB | BGR
  std::vector<double> mean{0, 0, 0}, std{255, 255, 255};  // value = (pixel - mean) / std
  std::string resize = "stretch";                         // stretch | letterbox
  // softmax | sigmoid | none; "" (default) = none when the model's score output is already a
  // Softmax or Sigmoid node (a Keras/TF.js Dense layer with that activation), else softmax.
  std::string activation;
};

struct AddResult {
  std::filesystem::path dir;  // <repo>/<name>/<version>
  std::string project_id;
  std::string version;
  std::size_t labels = 0;
  std::string activation;  // classifiers: the activation written to config.json
};

StatusOr<AddResult> AddCustomModel(const AddOptions& options);

// The labels of a labels file: one a line, trailing CR and blank trailing lines dropped.
// InvalidArgument when empty, a line is blank, or a label repeats.
StatusOr<std::vector<std::string>> ReadLabels(const std::filesystem::path& file);

}  // namespace ocular::models_add
