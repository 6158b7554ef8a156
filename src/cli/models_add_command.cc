// `ocular models add --name NAME --task object-detection|image-classification --model FILE.onnx
//  --labels LABELS.txt [--project-id UUID] [--repo DIR] ...`
//
// Validates the model against its task and labels and writes <repo>/<NAME>/<version>/; nothing is
// written when it does not fit (tools/models_add/custom_add.h). Exit codes (command.h): 0 added;
// 3 the model or labels were refused; 2 usage.
#include <iostream>

#include "cli/command.h"
#include "cli/common_options.h"
#include "cli/models_add.h"
#include "tools/models_add/custom_add.h"

namespace ocular::cli {

std::function<int()> AddModelsAddCommand(CLI::App& models, std::shared_ptr<std::string> mode) {
  auto o = std::make_shared<models_add::AddOptions>();
  auto repo = std::make_shared<std::string>();
  auto model = std::make_shared<std::string>();
  auto labels = std::make_shared<std::string>();
  CLI::App* add = models.add_subcommand(
      "add",
      "Add a custom detector (YOLOv8 ONNX export) or classifier, served through the "
      "Custom Vision Prediction API (docs/custom-models.md)");
  AddModelRepoOption(*add, repo.get());
  // --name: required; the model folder and the Custom Vision publishedName.
  add->add_option("--name", o->name, "Model name (the Custom Vision publishedName)")
      ->required()
      ->type_name("NAME");
  // --task: required; object-detection (YOLOv8 decoder) or image-classification.
  add->add_option("--task", o->task, "object-detection or image-classification")
      ->required()
      ->check(CLI::IsMember({"object-detection", "image-classification"}));
  // --model: required; the .onnx file (Ultralytics `export format=onnx`, `ocular convert` output).
  add->add_option("--model", *model, "The ONNX model file")->required()->type_name("FILE.onnx");
  // --labels: required; one label a line, in the model's class order.
  add->add_option("--labels", *labels, "Labels file, one label a line")
      ->required()
      ->type_name("FILE");
  // --project-id: the Custom Vision project id clients send. Default: a new random UUID.
  add->add_option("--project-id", o->project_id, "Project id (UUID). Default: generated")
      ->type_name("UUID");
  // --version: the version folder. Default: the UTC time, YYYYMMDD-HHMMSS (newest serves).
  add->add_option("--version", o->version, "Version folder. Default: UTC time YYYYMMDD-HHMMSS");
  // --license: SPDX id of the weights. Default: the model's metadata licence, else "unspecified".
  add->add_option("--license", o->license,
                  "Licence of the weights (SPDX id). Default: the "
                  "model's metadata licence, else unspecified");
  // Classifier preprocessing (ignored for detectors, which use the YOLOv8 convention).
  add->add_option("--color", o->color, "Classifier input channel order")
      ->check(CLI::IsMember({"RGB", "BGR"}))
      ->capture_default_str();
  add->add_option("--mean", o->mean, "Classifier input: value = (pixel - mean) / std")
      ->expected(3)
      ->capture_default_str();
  add->add_option("--std", o->std, "Classifier input: value = (pixel - mean) / std")
      ->expected(3)
      ->capture_default_str();
  add->add_option("--resize", o->resize, "Classifier resize: stretch or letterbox")
      ->check(CLI::IsMember({"stretch", "letterbox"}))
      ->capture_default_str();
  // --activation: classifier scores. Default: none when the model's score output is already a
  // Softmax or Sigmoid node, else softmax; an explicit softmax/sigmoid on such a model is refused.
  add->add_option("--activation", o->activation,
                  "Classifier scores: softmax, sigmoid or none. Default: none when the model's "
                  "output is already a Softmax/Sigmoid node, else softmax")
      ->check(CLI::IsMember({"softmax", "sigmoid", "none"}));
  add->callback([mode] { *mode = "add"; });
  return [o, repo, model, labels]() -> int {
    o->repo = *repo;
    o->model = *model;
    o->labels = *labels;
    auto r = models_add::AddCustomModel(*o);
    if (!r.ok()) {
      std::cerr << "error: " << r.status().message() << "\n";
      return r.status().code() == StatusCode::kInvalidArgument ||
                     r.status().code() == StatusCode::kFailedPrecondition
                 ? kExitInputFailed
                 : kExitFailure;
    }
    std::cout << "added " << o->name << " version " << r->version << " (" << r->labels
              << " labels) to " << r->dir.string() << "\nproject id: " << r->project_id
              << (r->activation.empty() ? "" : "\nactivation: " + r->activation)
              << "\nsend SIGHUP to a running `ocular serve` to load it\n";
    return kExitOk;
  };
}

}  // namespace ocular::cli
