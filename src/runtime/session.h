// Session: one loaded ONNX model, ready to run.
//
//   OCULAR_ASSIGN_OR_RETURN(auto session, Session::Create("models/x/1/model.onnx", "model 'x' 1"));
//   std::vector<Tensor> in = {Tensor::Float("input", {1, 3, 8, 8}, std::move(values))};
//   OCULAR_ASSIGN_OR_RETURN(std::vector<Tensor> out, session->Run(in));
//
// Threading: Run() is const and safe to call from any number of threads at once on the same
// Session (ONNX Runtime's Session::Run is thread-safe; each call gets its own buffers). Creating
// and destroying a Session is not concurrent with Run on that Session.
//
// Errors: every ONNX Runtime exception is caught here and converted. Create() returns
// FailedPrecondition (the model file is missing, unreadable or not a valid ONNX model); Run()
// returns Internal (wrong input names/shapes/dtypes from the caller are bugs, and a kernel failure
// is a runtime failure). Messages start with the session's label, e.g. "model 'tiny' 2026-01-01".
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "runtime/tensor.h"

namespace ocular::runtime {

struct SessionOptions {
  // Threads one Run() may use inside an operator (ORT intra_op_num_threads). Default 1 (tests and
  // tools). 0 = one per logical core (std::thread::hardware_concurrency(); ORT's own "0" counts
  // physical cores and picked 1 on the 2-vCPU machines measured, docs/performance.md).
  int intra_op_threads = 1;
  // ONNX Runtime's CPU memory arena for this session (SessionOptions::EnableCpuMemArena). Default
  // true (ORT's default: tests and tools). An arena keeps the largest working set any Run ever
  // needed, per session and forever, sized by the busiest concurrency it saw; false hands every
  // tensor buffer back to malloc when the Run ends (the server's default, --ort-arena,
  // docs/reliability.md "Memory budget"). Memory patterns stay on either way.
  bool cpu_arena = true;
  // Everything else is fixed: inter_op threads 1 (sequential execution), graph optimisation
  // ORT_ENABLE_ALL, no thread spinning, no profiling, no optimised model written to disk.
};

// Observes the wall time of every Session::Run (for metrics): the model name (the quoted name of
// a "model '<name>' <version>" label, else the label) and seconds. Call once at startup, before
// sessions run; later calls replace it (the old observer is kept alive). Default: none.
using InferenceObserver = std::function<void(const std::string& model, double seconds)>;
void SetInferenceObserver(InferenceObserver observer);

class Session {
 public:
  // Loads `model_path`. `label` names the model in every error message, e.g. "model 'tiny'
  // 2026-01-01" (default: the file name).
  static StatusOr<std::unique_ptr<Session>> Create(const std::filesystem::path& model_path,
                                                   std::string label = {},
                                                   const SessionOptions& options = {});
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const std::string& label() const { return label_; }
  // Inputs and outputs in the model's order, as the session reports them.
  const std::vector<TensorInfo>& inputs() const { return inputs_; }
  const std::vector<TensorInfo>& outputs() const { return outputs_; }
  // nullptr when there is no input/output of that name.
  const TensorInfo* FindInput(const std::string& name) const;
  const TensorInfo* FindOutput(const std::string& name) const;

  // Runs the model on `inputs` (one Tensor per model input, any order, matched by name) and
  // returns the requested outputs in the order of `output_names` (empty = every output, in model
  // order). Before calling ORT, checks that every model input is given exactly once with the
  // model's dtype, a shape compatible with the model's (same rank, equal static dimensions) and
  // as many elements as the shape says; failures are Internal naming the input.
  StatusOr<std::vector<Tensor>> Run(const std::vector<Tensor>& inputs,
                                    const std::vector<std::string>& output_names = {}) const;

 private:
  struct Impl;
  Session(std::string label, std::unique_ptr<Impl> impl);

  std::string label_;
  std::string metric_name_;  // the model name in inference metrics
  std::unique_ptr<Impl> impl_;
  std::vector<TensorInfo> inputs_;
  std::vector<TensorInfo> outputs_;
};

}  // namespace ocular::runtime
