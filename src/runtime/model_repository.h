// ModelRepository: the on-disk model store, Triton style.
//
//   <root>/<name>/<version>/model.onnx
//   <root>/<name>/<version>/config.json      (schema: model_config.h, docs/model-repository.md)
//   <root>/<name>/<version>/<labels file>    (optional, named by config.json "labels")
//
// Loading a model validates it completely before anything can use it (like Triton's ModelState):
// config.json parses, its name/version match the folders, model.onnx has the configured sha256,
// the labels file is readable, and every configured input/output exists in the real ONNX session
// with the same dtype and a compatible shape (-1 on either side matches anything, static dims must
// be equal, ranks must be equal), and every session input is configured. Any problem fails the
// load with FailedPrecondition, e.g. "model 'centernet' 2026-11-26: input 'x' has shape
// [1,3,512,512] in config.json but [1,3,416,416] in model.onnx".
//
//   OCULAR_ASSIGN_OR_RETURN(auto repo, ModelRepository::Open("models"));
//   OCULAR_ASSIGN_OR_RETURN(std::shared_ptr<const Model> m, repo->Load("centernet"));
//   OCULAR_ASSIGN_OR_RETURN(PreprocessedImage p, PreprocessImage(bgr, m->config.inputs[0]));
//   OCULAR_ASSIGN_OR_RETURN(std::vector<Tensor> out, m->Run({std::move(p.tensor)}));
//
// Threading: a Model is immutable after load and Model::Run may be called from any number of
// threads at once. ModelRepository's const methods and Load() are thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "runtime/model_config.h"
#include "runtime/session.h"
#include "runtime/tensor.h"

namespace ocular::runtime {

// A loaded and validated model version. Immutable; share it as std::shared_ptr<const Model>.
struct Model {
  ModelConfig config;
  std::filesystem::path dir;         // the version folder
  std::unique_ptr<Session> session;  // never null in a loaded Model
  std::vector<std::string> labels;   // lines of the labels file; empty when config has none

  // "model '<name>' <version>", the prefix of every message about this model.
  std::string label() const;
  // Runs the session and returns the configured outputs, in config.json order.
  StatusOr<std::vector<Tensor>> Run(const std::vector<Tensor>& inputs) const;
};

// One <name>/<version> folder as found by the scan; nothing is loaded or hashed.
struct ModelEntry {
  std::string name;
  std::string version;  // "" when the model folder has no version folder
  std::filesystem::path dir;
  std::optional<ModelConfig> config;  // parsed config.json, when it parses
  Status status;                      // why `config` is absent (or another folder problem)
  std::uintmax_t model_size = 0;      // bytes of model.onnx; 0 when missing
};

// What Verify() found beyond pass/fail.
struct VerifyReport {
  std::vector<Tensor> inputs_used;    // the inputs it ran (shapes and dtypes; data included)
  std::vector<TensorInfo> outputs;    // name, dtype and actual shape of each configured output
  std::vector<std::string> warnings;  // e.g. non-finite values in an output
};

struct RepositoryOptions {
  SessionOptions session;  // applied to every session the repository creates. Default: {}.
};

// "model '<name>' <version>".
std::string ModelLabel(const std::string& name, const std::string& version);

// True when version a sorts before b: digit runs compare as numbers, the rest byte-wise, so
// "2026-01-01" < "2026-11-26" and "9" < "10". "latest" is the greatest version by this order.
bool VersionLess(const std::string& a, const std::string& b);

// Checks a parsed config against a real session (the rules in the header comment).
Status ValidateAgainstSession(const ModelConfig& config, const Session& session,
                              const std::string& label);

// Loads and validates one version folder outside any repository (what Load does, uncached).
StatusOr<std::shared_ptr<const Model>> LoadModelDir(const std::filesystem::path& dir,
                                                    const std::string& name,
                                                    const std::string& version,
                                                    const SessionOptions& options = {});

// Runs one synthetic input through a loaded model and checks the outputs against config.json:
// image inputs get a mid-grey (128) image through PreprocessImage, other inputs zeros; dynamic
// dimensions take the session's static value if it has one, else 1 (batch and non-image dims)
// or 64 (image height/width). Fails (FailedPrecondition) when Run fails or an output's dtype or
// shape does not match the config; non-finite output values are only warnings.
StatusOr<VerifyReport> VerifyModel(const Model& model);

class ModelRepository {
 public:
  // Scans <root>/<name>/<version>/ once (hidden folders and plain files are ignored); files are
  // read only by Load/List/Verify. Errors: FailedPrecondition when root is missing or not a
  // directory. An existing but empty root opens fine (empty() is true).
  static StatusOr<std::unique_ptr<ModelRepository>> Open(const std::filesystem::path& root,
                                                         const RepositoryOptions& options = {});

  const std::filesystem::path& root() const { return root_; }
  bool empty() const { return versions_.empty(); }
  // Model folder names, sorted.
  std::vector<std::string> ModelNames() const;
  // Version folder names of `name`, ascending by VersionLess; empty when unknown.
  std::vector<std::string> Versions(const std::string& name) const;
  // `version` itself when that folder exists; "latest" -> the greatest version. NotFound else.
  StatusOr<std::string> ResolveVersion(const std::string& name,
                                       const std::string& version = "latest") const;

  // Loads and validates <name>/<version> ("latest" = greatest version folder). The result is
  // cached: later calls for the same resolved version return the same Model. Loads are
  // serialised by a mutex. Errors: NotFound (no such model/version), FailedPrecondition (the
  // validation failures above, a session that cannot be created).
  StatusOr<std::shared_ptr<const Model>> Load(const std::string& name,
                                              const std::string& version = "latest");

  // Every version folder of every model, sorted by name then version, with its parsed config
  // and model.onnx size. Creates no session and hashes nothing.
  std::vector<ModelEntry> List() const;

  // Loads <name>/<version> afresh (bypassing the cache, so the sha256 is re-checked) and runs
  // VerifyModel on it.
  StatusOr<VerifyReport> Verify(const std::string& name,
                                const std::string& version = "latest") const;

 private:
  ModelRepository(std::filesystem::path root, RepositoryOptions options,
                  std::map<std::string, std::vector<std::string>> versions)
      : root_(std::move(root)), options_(std::move(options)), versions_(std::move(versions)) {}

  std::filesystem::path root_;
  RepositoryOptions options_;
  std::map<std::string, std::vector<std::string>> versions_;  // name -> ascending versions

  std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const Model>> cache_;  // by mu_
};

}  // namespace ocular::runtime
