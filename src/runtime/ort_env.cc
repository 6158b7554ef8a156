#include "runtime/ort_env.h"

#include <cstdlib>
#include <string>

#include <onnxruntime_cxx_api.h>
#include <spdlog/spdlog.h>

#if defined(__SANITIZE_ADDRESS__)
#define OCULAR_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OCULAR_LSAN 1
#endif
#endif
#ifdef OCULAR_LSAN
#include <sanitizer/lsan_interface.h>
#endif

namespace ocular::runtime {
namespace {

// Forwards ORT's own log lines (WARNING and above, see OrtEnv()) to spdlog.
void ORT_API_CALL LogToSpdlog(void* /*param*/, OrtLoggingLevel severity, const char* /*category*/,
                              const char* logid, const char* code_location, const char* message) {
  spdlog::level::level_enum level = spdlog::level::warn;
  if (severity >= ORT_LOGGING_LEVEL_FATAL) {
    level = spdlog::level::critical;
  } else if (severity >= ORT_LOGGING_LEVEL_ERROR) {
    level = spdlog::level::err;
  } else if (severity < ORT_LOGGING_LEVEL_WARNING) {
    return;
  }
  spdlog::log(level, "onnxruntime: [{}] {} ({})", logid ? logid : "", message ? message : "",
              code_location ? code_location : "");
}

struct EnvHolder {
  Ort::Env* env = nullptr;
  Status status;
};

EnvHolder CreateEnv() {
  EnvHolder holder;
#ifdef OCULAR_LSAN
  // ONNX Runtime 1.29 leaks one small block (14 bytes) while creating its environment, even when
  // the Env is destroyed; the library is not instrumented, so LeakSanitizer would fail every
  // ASan run that creates a session. Ignore allocations made by this thread during this one call
  // only: a leak anywhere else, including in our use of ORT, is still reported.
  __lsan::ScopedDisabler ignore_ort_env_leak;
#endif
  // No files and no telemetry: without this ORT writes a device id and a usage database under
  // ~/.cache/Microsoft/DeveloperTools/. (The `ocular` binary sets it in main(); this covers other
  // users of the library, such as tests. Not overwritten if the caller set it.)
  setenv("ORT_DISABLE_TELEMETRY", "1", /*overwrite=*/0);
  try {
    // Deliberately leaked: the environment must outlive every session, including sessions held
    // by static objects that are destroyed after this function's statics.
    holder.env = new Ort::Env(ORT_LOGGING_LEVEL_WARNING, "ocular", &LogToSpdlog, nullptr);
    holder.env->DisableTelemetryEvents();
  } catch (const Ort::Exception& e) {
    holder.status = Internal(std::string("cannot initialise ONNX Runtime: ") + e.what());
  }
  return holder;
}

}  // namespace

StatusOr<Ort::Env*> OrtEnv() {
  static const EnvHolder holder = CreateEnv();
  if (!holder.status.ok()) return holder.status;
  return holder.env;
}

}  // namespace ocular::runtime
