// `ocular convert SRC DST`: converts a TF.js model (graph-model model.json, or a Keras
// layers-model as model.json or UMD .js) to ONNX, or imports an ONNX model (SRC ending in .onnx,
// e.g. an Ultralytics YOLOv8 export) unchanged into the model repository.
//
//   ocular convert model.json out.onnx                       just the ONNX file
//   ocular convert model.json models/ --name my --task image-classification --license MIT ...
//        writes models/<name>/<version>/{model.onnx,config.json[,labels.txt]}
//   ocular convert model.json models/ --spec tools/convert/pack/centernet.json --version 2026-11-26
//
// A pack spec file supplies the config.json fields (see tools/convert/pack/); flags override it.
// Exit codes (command.h): 0 converted or already up to date; 1 conversion failed; 2 usage.
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "tools/convert/converter.h"
#include "tools/convert/model_package.h"

namespace ocular::cli {
namespace {

namespace fs = std::filesystem;

struct ConvertCliOptions {
  std::string src, dst;                // positional: SRC model file, DST (.onnx file or repo dir)
  std::string spec;                    // --spec FILE: pack spec JSON. Default: none
  std::string name, version, task;     // --name (default SRC stem), --version (default today UTC), --task
  std::string license, upstream;       // --license, --upstream (default: model's generatedBy URL)
  std::string layout, color;           // --layout NHWC|NCHW|none, --color RGB|BGR|GRAY|none
  std::vector<double> mean, std;       // --mean, --std: network value = (pixel - mean) / std
  std::string labels;                  // --labels FILE copied as labels.txt
  std::vector<std::string> outputs;    // --outputs: TF output tensors. Default: signature outputs
  std::vector<int64_t> input_shape;    // --input-shape: default model's shape with -1 -> 1
  bool force = false;                  // --force: convert even when the package is up to date
};

std::string Today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
  return buf;
}

void PrintSummary(const convert::ConvertResult& r) {
  auto shape = [](const convert::Shape& s) {
    std::string o = "[";
    for (size_t i = 0; i < s.size(); ++i) o += (i ? "," : "") + std::to_string(s[i]);
    return o + "]";
  };
  std::cout << "  " << r.format << ", inputs:";
  for (const auto& t : r.inputs) std::cout << ' ' << t.name << shape(t.shape);
  std::cout << "; outputs:";
  for (const auto& t : r.outputs) std::cout << ' ' << t.name << shape(t.shape);
  std::cout << "\n  onnx ops:";
  for (const auto& [op, n] : r.onnx_ops) std::cout << ' ' << op << '=' << n;
  std::cout << '\n';
}

int Run(const ConvertCliOptions& o, CLI::App& cmd) {
  convert::PackageSpec spec;
  if (!o.spec.empty()) {
    std::ifstream in(o.spec);
    if (!in) {
      std::cerr << "ocular convert: cannot read spec " << o.spec << '\n';
      return kExitUsage;
    }
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      std::cerr << "ocular convert: bad spec " << o.spec << ": " << e.what() << '\n';
      return kExitUsage;
    }
    StatusOr<convert::PackageSpec> s = convert::ParsePackageSpec(j, fs::path(o.spec).parent_path());
    if (!s.ok()) {
      std::cerr << "ocular convert: " << s.status().ToString() << '\n';
      return kExitUsage;
    }
    spec = std::move(s).value();
  }
  auto given = [&](const char* flag) { return cmd.count(flag) > 0; };
  if (given("--name")) spec.name = o.name;
  if (spec.name.empty()) spec.name = fs::path(o.src).stem().stem().string();
  if (given("--version")) spec.version = o.version;
  if (spec.version.empty()) spec.version = Today();
  if (given("--task")) spec.task = o.task;
  if (given("--license")) spec.license = o.license;
  if (given("--upstream")) spec.upstream = o.upstream;
  if (given("--layout")) spec.layout = o.layout;
  if (given("--color")) spec.color = o.color;
  if (given("--mean")) spec.mean = o.mean;
  if (given("--std")) spec.std = o.std;
  if (given("--labels")) spec.labels = o.labels, spec.labels_from_metadata = false;
  if (given("--outputs")) spec.convert.outputs = o.outputs;
  if (given("--input-shape")) spec.convert.input_shape = o.input_shape;

  if (fs::path(o.dst).extension() == ".onnx") {
    if (convert::IsOnnxFile(o.src)) {
      std::cerr << "ocular convert: " << o.src << " is already ONNX: give a model repository "
                << "directory as DST to import it\n";
      return kExitUsage;
    }
    StatusOr<convert::ConvertResult> r = convert::ConvertTfjs(o.src, spec.convert);
    if (!r.ok()) {
      std::cerr << "ocular convert: " << o.src << ": " << r.status().ToString() << '\n';
      return kExitFailure;
    }
    std::ofstream out(o.dst, std::ios::binary | std::ios::trunc);
    out.write(r->onnx.data(), static_cast<std::streamsize>(r->onnx.size()));
    if (!out) {
      std::cerr << "ocular convert: cannot write " << o.dst << '\n';
      return kExitFailure;
    }
    std::cout << "converted " << o.src << " -> " << o.dst << '\n';
    PrintSummary(*r);
    return kExitOk;
  }
  const fs::path dir = fs::path(o.dst) / spec.name / spec.version;
  if (!o.force && convert::PackageIsCurrent(spec, o.src, dir)) {
    std::cout << spec.name << '/' << spec.version << ": up to date (source sha256 match)\n";
    return kExitOk;
  }
  convert::ConvertResult r;
  StatusOr<nlohmann::json> config = convert::WritePackage(spec, o.src, o.dst, &r);
  if (!config.ok()) {
    std::cerr << "ocular convert: " << o.src << ": " << config.status().ToString() << '\n';
    return kExitFailure;
  }
  std::cout << "converted " << o.src << " -> " << dir.string() << '\n';
  PrintSummary(r);
  return kExitOk;
}

CommandRegistrar reg("convert", "Convert a TF.js model to ONNX, or import an ONNX model into the model repository",
  [](CLI::App& cmd) -> RunFn {
    auto o = std::make_shared<ConvertCliOptions>();
    cmd.add_option("SRC", o->src, "TF.js model: model.json (graph or layers model) or UMD model .js; "
                   "or an .onnx model to import unchanged")
        ->required()->check(CLI::ExistingFile);
    cmd.add_option("DST", o->dst, "Output: a .onnx file, or a model repository directory")->required();
    cmd.add_option("--spec", o->spec, "Pack spec JSON with the config.json fields (tools/convert/pack/)");
    cmd.add_option("--name", o->name, "Model name (default: SRC file stem)");
    cmd.add_option("--version", o->version, "Model version folder (default: today's date, UTC)");
    cmd.add_option("--task", o->task, "Task: object-detection, face-detection, face-embedding, "
                   "image-classification, segmentation, ...");
    cmd.add_option("--license", o->license, "Licence of the model weights (SPDX id)");
    cmd.add_option("--upstream", o->upstream, "Original project (default: the model's generatedBy URL)");
    cmd.add_option("--layout", o->layout, "Image input layout: NHWC (default), NCHW or none");
    cmd.add_option("--color", o->color, "Image input colour order: RGB (default), BGR, GRAY, none");
    cmd.add_option("--mean", o->mean, "Per-channel mean: value = (pixel - mean) / std (default 0)")->delimiter(',');
    cmd.add_option("--std", o->std, "Per-channel std (default 1)")->delimiter(',');
    cmd.add_option("--labels", o->labels, "Labels file (one per line) copied as labels.txt")->check(CLI::ExistingFile);
    // (A pack spec may instead say "labels": "metadata:names": an imported ONNX model's own names.)
    cmd.add_option("--outputs", o->outputs, "Output tensors (default: the model's signature)")->delimiter(',');
    cmd.add_option("--input-shape", o->input_shape, "Input shape, e.g. 1,224,224,3 (default: model's, -1 -> 1)")->delimiter(',');
    cmd.add_flag("--force", o->force, "Convert even when the package is up to date");
    return [o, &cmd]() { return Run(*o, cmd); };
  });

}  // namespace
}  // namespace ocular::cli
