// `ocular`: the command-line front end. Everything real lives in the core libraries; this file
// only wires the registered subcommands into CLI11 and maps parse errors to exit code 2.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>

#include "cli/command.h"

namespace ocular::cli {
std::vector<CommandSpec>& Commands() {
  static std::vector<CommandSpec> commands;
  return commands;
}
}  // namespace ocular::cli

int main(int argc, char** argv) {
  using namespace ocular::cli;
  // Tesseract is built with OpenMP, and libgomp reads OMP_THREAD_LIMIT when it loads, before
  // main. Without a limit every OCR call would start a thread team on top of the worker pool and
  // oversubscribe the cores, so run with 1 unless the operator chose a value: set it and re-exec
  // once. (If the re-exec fails, carry on with OpenMP's default.)
  // ONNX Runtime would otherwise write a device id and a usage database under
  // ~/.cache/Microsoft/DeveloperTools/.onnxruntime: Ocular writes no files and sends nothing.
  setenv("ORT_DISABLE_TELEMETRY", "1", /*overwrite=*/1);
  if (std::getenv("OMP_THREAD_LIMIT") == nullptr) {
    setenv("OMP_THREAD_LIMIT", "1", 1);
    execv("/proc/self/exe", argv);
  }
  CLI::App app{"Ocular: self-hosted, privacy-first image analysis (Azure AI Vision compatible)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("ocular 0.1.0"));
  std::vector<CommandSpec> specs = Commands();
  std::sort(specs.begin(), specs.end(),
            [](const CommandSpec& a, const CommandSpec& b) { return a.name < b.name; });
  std::map<CLI::App*, RunFn> runners;
  for (const CommandSpec& spec : specs) {
    CLI::App* sub = app.add_subcommand(spec.name, spec.description);
    runners[sub] = spec.setup(*sub);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  for (auto& [sub, run] : runners) {
    if (sub->parsed()) return run();
  }
  return kExitUsage;
}
