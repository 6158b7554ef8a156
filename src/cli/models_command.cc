// `ocular models list|verify`: inspect and check the model repository (src/runtime).
//
//   ocular models list   [--repo DIR] [--json]
//   ocular models verify [--repo DIR] [--npm-dir DIR] [NAME...]
//   ocular models add    --name NAME --task TASK --model FILE.onnx --labels FILE (models_add.h)
//
// Exit codes (command.h): 0 all good; 3 some model entry is broken (list) or failed (verify);
// 1 the repository is missing or empty; 2 usage.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzers/detection/detector.h"
#include "analyzers/engine.h"
#include "cli/command.h"
#include "cli/common_options.h"
#include "cli/models_add.h"
#include "runtime/model_repository.h"
#include "runtime/provenance.h"

namespace ocular::cli {
namespace {

using runtime::ModelEntry;
using runtime::ModelRepository;

struct ModelsOptions {
  std::string repo;                // --repo (common_options.h)
  std::string detector;            // list --detector (common_options.h)
  bool json = false;               // list --json. Default: human-readable table.
  std::string npm_dir;             // verify --npm-dir. Default ".deps/npm".
  std::vector<std::string> names;  // verify NAME...; empty = every model
};

std::string HumanSize(std::uintmax_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 3) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

template <typename T>
std::string DescribeTensors(const std::vector<T>& tensors) {
  std::string out;
  for (const T& t : tensors) {
    if (!out.empty()) out += ' ';
    out += t.name + ':' + std::string(runtime::DataTypeName(t.dtype)) +
           runtime::ShapeToString(t.shape);
  }
  return out;
}

// Opens the repository, or prints why not (and that setup builds it). nullptr on failure.
std::unique_ptr<ModelRepository> OpenRepo(const std::string& root) {
  auto repo = ModelRepository::Open(root);
  if (!repo.ok()) {
    std::cerr << "error: " << repo.status().message() << "\n";
    return nullptr;
  }
  if ((*repo)->empty()) {
    std::cerr << "error: model repository '" << root
              << "' has no models: run scripts/setup.sh to build it, or point --repo / "
                 "OCULAR_MODEL_REPO at one\n";
    return nullptr;
  }
  return std::move(repo).value();
}

nlohmann::ordered_json EntryJson(const ModelEntry& e) {
  nlohmann::ordered_json j = {
      {"name", e.name}, {"version", e.version}, {"size_bytes", e.model_size}};
  if (e.config) {
    const runtime::ModelConfig& c = *e.config;
    j["task"] = runtime::TaskName(c.task);
    j["package"] = c.provenance.package;
    j["upstream"] = c.provenance.upstream;
    j["license"] = c.license;
    j["model_sha256"] = c.model_sha256;
    j["labels"] = c.labels;
    j["converter"] = c.converter;
    if (c.params.contains("custom") && c.params["custom"].is_object()) {
      j["custom"] = {{"project_id", c.params["custom"].value("project_id", "")}};
    }
    j["inputs"] = nlohmann::ordered_json::array();
    for (const auto& in : c.inputs) {
      j["inputs"].push_back({{"name", in.name},
                             {"dtype", runtime::DataTypeName(in.dtype)},
                             {"shape", in.shape},
                             {"layout", runtime::LayoutName(in.layout)},
                             {"color", runtime::ColorOrderName(in.color)}});
    }
    j["outputs"] = nlohmann::ordered_json::array();
    for (const auto& out : c.outputs) {
      j["outputs"].push_back(
          {{"name", out.name}, {"dtype", runtime::DataTypeName(out.dtype)}, {"shape", out.shape}});
    }
  }
  if (!e.status.ok()) j["error"] = e.status.message();
  return j;
}

void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()), 0);
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    std::cout << line << "\n";
  }
}

// Per feature: whether it can run with this repository, and what it cannot compute (for
// example adult's gore score). Loads the models through the engine, as the server does.
nlohmann::ordered_json FeatureReport(const std::string& repo, const std::string& detector) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  EngineOptions options;
  options.model_repo = repo;
  options.detector = detector;
  StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(options);
  if (!engine.ok()) return out;
  std::map<Feature, std::string> notes = (*engine)->FeatureNotes();
  for (const auto& [feature, status] : (*engine)->FeatureStatus()) {
    nlohmann::ordered_json f = {{"feature", FeatureName(feature)}, {"status", status}};
    if (notes.count(feature)) f["note"] = notes[feature];
    out.push_back(f);
  }
  return out;
}

// Licences that are not copyleft (scripts/licenses.sh keeps the same list).
bool IsPermissive(const std::string& license) {
  static const std::set<std::string> kPermissive = {"MIT",          "Apache-2.0", "BSD-2-Clause",
                                                    "BSD-3-Clause", "ISC",        "CC0-1.0"};
  return kPermissive.count(license) > 0;
}

// The detector tier the engine runs with --detector, its models and their licences, and the
// copyleft models installed.
nlohmann::ordered_json DetectorReport(ModelRepository* repo, const std::vector<ModelEntry>& entries,
                                      const std::string& requested) {
  std::map<std::string, std::string> licenses;
  for (const ModelEntry& e : entries) {
    if (e.config) licenses[e.name] = e.config->license;
  }
  nlohmann::ordered_json j = {{"requested", requested},
                              {"tier", ResolveDetectorTier(repo, requested)}};
  auto detector = CreateDetector(repo, requested);
  if (detector.ok()) {
    j["models"] = nlohmann::ordered_json::array();
    for (const std::string& m : (*detector)->model_names()) {
      j["models"].push_back({{"name", m}, {"license", licenses[m]}});
    }
    j["object_threshold"] = (*detector)->object_threshold();
  } else {
    j["error"] = detector.status().message();
  }
  j["copyleft_models"] = nlohmann::ordered_json::array();
  for (const auto& [name, license] : licenses) {
    if (!IsPermissive(license)) j["copyleft_models"].push_back({{"name", name}, {"license", license}});
  }
  return j;
}

int RunList(const ModelsOptions& opts) {
  auto repo = OpenRepo(opts.repo);
  if (!repo) return kExitFailure;
  const std::vector<ModelEntry> entries = repo->List();
  bool broken = false;
  for (const ModelEntry& e : entries) broken = broken || !e.status.ok();
  if (opts.json) {
    nlohmann::ordered_json out = {{"repo", opts.repo}, {"models", nlohmann::ordered_json::array()}};
    for (const ModelEntry& e : entries) out["models"].push_back(EntryJson(e));
    out["detector"] = DetectorReport(repo.get(), entries, opts.detector);
    out["features"] = FeatureReport(opts.repo, opts.detector);
    std::cout << out.dump(2) << "\n";
    return broken ? kExitInputFailed : kExitOk;
  }
  std::vector<std::vector<std::string>> rows = {
      {"NAME", "VERSION", "TASK", "PACKAGE", "LICENSE", "SIZE", "INPUTS", "OUTPUTS", "PROJECT"}};
  for (const ModelEntry& e : entries) {
    if (!e.config) {
      rows.push_back({e.name, e.version.empty() ? "-" : e.version, "(invalid: see below)"});
      continue;
    }
    const runtime::ModelConfig& c = *e.config;
    rows.push_back({e.name, e.version, std::string(runtime::TaskName(c.task)), c.provenance.package,
                    c.license, e.model_size ? HumanSize(e.model_size) : "missing",
                    DescribeTensors(c.inputs), DescribeTensors(c.outputs),
                    c.params.contains("custom") && c.params["custom"].is_object()
                        ? c.params["custom"].value("project_id", "-")
                        : "-"});
  }
  PrintTable(rows);
  for (const ModelEntry& e : entries) {
    if (!e.status.ok()) std::cerr << "error: " << e.status.message() << "\n";
  }
  std::vector<std::vector<std::string>> features = {{"FEATURE", "STATUS", "NOTE"}};
  for (const auto& f : FeatureReport(opts.repo, opts.detector)) {
    features.push_back({f["feature"].get<std::string>(), f["status"].get<std::string>(),
                        f.value("note", std::string())});
  }
  std::cout << "\n";
  PrintTable(features);
  const nlohmann::ordered_json d = DetectorReport(repo.get(), entries, opts.detector);
  std::cout << "\ndetector: " << d["tier"].get<std::string>();
  if (d["requested"] != d["tier"]) std::cout << " (" << d["requested"].get<std::string>() << ")";
  if (d.contains("models")) {
    std::cout << ", models:";
    for (const auto& m : d["models"]) {
      std::cout << " " << m["name"].get<std::string>() << " [" << m["license"].get<std::string>()
                << "]";
    }
    std::cout << "\n";
  } else {
    std::cout << ": unavailable: " << d["error"].get<std::string>() << "\n";
  }
  if (d["copyleft_models"].empty()) {
    std::cout << "licences: every installed model is permissively licensed\n";
  } else {
    std::cout << "licences: copyleft models installed:";
    for (const auto& m : d["copyleft_models"]) {
      std::cout << " " << m["name"].get<std::string>() << " [" << m["license"].get<std::string>()
                << "]";
    }
    std::cout << " (README \"Licences\"; OCULAR_MODEL_LICENSES=permissive scripts/setup.sh "
                 "installs none)\n";
  }
  return broken ? kExitInputFailed : kExitOk;
}

int RunVerify(const ModelsOptions& opts) {
  auto repo = OpenRepo(opts.repo);
  if (!repo) return kExitFailure;
  const std::set<std::string> wanted(opts.names.begin(), opts.names.end());
  int passed = 0, failed = 0;
  for (const std::string& name : wanted) {
    const std::vector<std::string> names = repo->ModelNames();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      std::cout << "FAIL  " << name << ": not in the model repository " << opts.repo << "\n";
      ++failed;
    }
  }
  for (const ModelEntry& e : repo->List()) {
    if (!wanted.empty() && !wanted.count(e.name)) continue;
    const std::string label = runtime::ModelLabel(e.name, e.version.empty() ? "-" : e.version);
    std::vector<std::string> problems, notes;
    if (!e.config) {
      problems.push_back(e.status.message());
    } else {
      runtime::ProvenanceCheck prov = runtime::CheckProvenance(e.config->provenance, opts.npm_dir);
      if (!prov.package_present) {
        notes.push_back("provenance: package " + e.config->provenance.package +
                        " not unpacked under " + opts.npm_dir + ", source hashes skipped");
      } else if (prov.problems.empty()) {
        notes.push_back("provenance: " + std::to_string(prov.files_checked) + " source file(s) ok");
      }
      for (const std::string& p : prov.problems) problems.push_back("provenance: " + p);
      auto report = repo->Verify(e.name, e.version);
      if (!report.ok()) {
        problems.push_back(report.status().message());
      } else {
        notes.push_back("sha256 ok, loaded, ran: " + DescribeTensors(report->outputs));
        for (const std::string& w : report->warnings) notes.push_back("warning: " + w);
      }
    }
    std::cout << (problems.empty() ? "PASS  " : "FAIL  ") << label << "\n";
    for (const std::string& n : notes) std::cout << "      " << n << "\n";
    for (const std::string& p : problems) std::cout << "      error: " << p << "\n";
    (problems.empty() ? passed : failed)++;
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? kExitOk : kExitInputFailed;
}

CommandRegistrar reg("models", "List, verify and add models", [](CLI::App& cmd) -> RunFn {
  auto opts = std::make_shared<ModelsOptions>();
  auto mode = std::make_shared<std::string>();
  cmd.require_subcommand(1);

  CLI::App* list = cmd.add_subcommand("list",
                                      "List every model version with its task, source "
                                      "package, licence, size, inputs and outputs");
  AddModelRepoOption(*list, &opts->repo);
  list->add_flag("--json", opts->json, "Print JSON instead of a table (default: table)");
  AddDetectorOption(*list, &opts->detector);
  list->callback([mode] { *mode = "list"; });

  CLI::App* verify = cmd.add_subcommand(
      "verify", "Re-check hashes, load every model version and run a test input through it");
  AddModelRepoOption(*verify, &opts->repo);
  opts->npm_dir = ".deps/npm";
  verify
      ->add_option("--npm-dir", opts->npm_dir,
                   "Where scripts/setup.sh unpacks npm packages; provenance hashes are checked "
                   "when the model's source package is there")
      ->envname("OCULAR_NPM_DIR")
      ->capture_default_str()
      ->type_name("DIR");
  verify->add_option("names", opts->names, "Models to verify (default: all)")->type_name("NAME");
  verify->callback([mode] { *mode = "verify"; });

  RunFn run_add = AddModelsAddCommand(cmd, mode);

  return [opts, mode, run_add]() -> int {
    if (*mode == "add") return run_add();
    if (*mode == "list") return RunList(*opts);
    if (*mode == "verify") return RunVerify(*opts);
    return kExitUsage;
  };
});

}  // namespace
}  // namespace ocular::cli
