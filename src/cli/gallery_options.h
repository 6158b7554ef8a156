// Gallery options shared by `analyze`, `serve` and `gallery`, each defined once here
// (flag, env var, default, help).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace ocular::cli {

// --galleries DIR (env OCULAR_GALLERIES): the operator galleries folder holding
// <kind>/<Name>/ images and .index (docs/galleries.md). Default "galleries", relative to
// the current directory. Stores into *dir.
CLI::Option* AddGalleriesOption(CLI::App& app, std::string* dir);

// --enable-celebrities (env OCULAR_ENABLE_CELEBRITIES): turns celebrity recognition on. Default
// off: it identifies people. Stores into *enabled.
CLI::Option* AddEnableCelebritiesOption(CLI::App& app, bool* enabled);

}  // namespace ocular::cli
