// `ocular models add`: the subcommand of `ocular models` that adds a custom model
// (tools/models_add/custom_add.h, docs/custom-models.md).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

namespace ocular::cli {

// Adds the "add" subcommand to `models`; when it is chosen its callback sets *mode to "add".
// Returns the function that runs it (exit code, command.h).
std::function<int()> AddModelsAddCommand(CLI::App& models, std::shared_ptr<std::string> mode);

}  // namespace ocular::cli
