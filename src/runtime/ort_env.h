// The one process-wide ONNX Runtime environment.
//
// ONNX Runtime wants a single OrtEnv per process, created before and destroyed after every
// session. OrtEnv() creates it lazily on first use (thread-safe, C++ magic static) and never
// destroys it: it lives until the process exits, so no session can outlive it.
//
// Logging: ORT messages at WARNING and above are forwarded to spdlog with the prefix
// "onnxruntime:"; verbose/info messages are dropped. ORT logs model and node names, never tensor
// contents, at these levels; we never enable tensor or profiling output.
#pragma once

#include "core/status.h"

namespace Ort {
struct Env;
}  // namespace Ort

namespace ocular::runtime {

// Returns the shared environment, creating it on first call. Errors (ORT could not initialise):
// Internal. Safe to call from any thread; the returned pointer is valid until process exit.
StatusOr<Ort::Env*> OrtEnv();

}  // namespace ocular::runtime
