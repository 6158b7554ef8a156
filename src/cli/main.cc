// `ocular`: the command-line front end. Everything real lives in the core libraries; this file
// only wires the registered subcommands into CLI11 and maps parse errors to exit code 2.
#include <algorithm>
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
