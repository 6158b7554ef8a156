// Subcommand registry of the `ocular` binary. Each subcommand lives in its own *_command.cc and
// registers itself at static-initialisation time:
//
//   static ocular::cli::CommandRegistrar reg("models", "List and verify installed models",
//       [](CLI::App& cmd) { ...add options...; return [&opts]() -> int { ...run...; }; });
//
// The setup function adds the subcommand's options (each with flag, env var, default and help in
// one place) and returns the function that runs it. The run function returns the process exit
// code: 0 success, 2 usage error, 3 when some input failed, 1 any other failure.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace ocular::cli {

using RunFn = std::function<int()>;
using SetupFn = std::function<RunFn(CLI::App& subcommand)>;

struct CommandSpec {
  std::string name;
  std::string description;
  SetupFn setup;
};

// All registered subcommands, in registration order.
std::vector<CommandSpec>& Commands();

struct CommandRegistrar {
  CommandRegistrar(std::string name, std::string description, SetupFn setup) {
    Commands().push_back({std::move(name), std::move(description), std::move(setup)});
  }
};

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInputFailed = 3;

}  // namespace ocular::cli
