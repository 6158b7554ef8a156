// Options shared by several subcommands, each defined exactly once (flag, env var, default, help).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace ocular::cli {

// --repo DIR (env OCULAR_MODEL_REPO): the model repository root. Default "models", relative to
// the current directory (scripts/setup.sh builds it there). Stores into *repo.
CLI::Option* AddModelRepoOption(CLI::App& app, std::string* repo);

// --detector TIER (env OCULAR_DETECTOR): the object detector tier under objects, people, tags,
// captions, categories and smart crops (analyzers/detection/detector.h). Default "auto": yolov8s
// when installed, else the permissively licensed CenterNet + NanoDet ensemble.
CLI::Option* AddDetectorOption(CLI::App& app, std::string* tier);
// --max-decode-pixels N (env OCULAR_MAX_DECODE_PIXELS): the per-request pixel budget of decoded
// images (EngineOptions::max_decode_pixels). Default 12 000 000; 0 for none.
CLI::Option* AddMaxDecodePixelsOption(CLI::App& app, long long* pixels);

}  // namespace ocular::cli
