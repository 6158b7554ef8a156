// Small helpers the model-backed analyzers share to load a pack model and read its config.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "runtime/model_repository.h"

namespace ocular {

// The newest installed version of model `name`. NotFound naming the model and the repository when
// it is not installed (or `repo` is null); the repository's own errors otherwise.
inline StatusOr<std::shared_ptr<const runtime::Model>> LoadInstalledModel(
    runtime::ModelRepository* repo, const std::string& name) {
  if (repo == nullptr) {
    return NotFound("model '" + name + "' is not installed (no model repository could be opened)");
  }
  if (repo->Versions(name).empty()) {
    return NotFound("model '" + name + "' is not installed in " + repo->root().string());
  }
  return repo->Load(name);
}

// Index of the first configured output whose last dimension is `last_dim`, or -1.
inline int FindOutputByLastDim(const runtime::ModelConfig& config, std::int64_t last_dim) {
  for (std::size_t i = 0; i < config.outputs.size(); ++i) {
    const auto& shape = config.outputs[i].shape;
    if (!shape.empty() && shape.back() == last_dim) return static_cast<int>(i);
  }
  return -1;
}

// config.json "params"[key] when it is a number, else `fallback`.
inline double ParamOr(const runtime::ModelConfig& config, const char* key, double fallback) {
  auto it = config.params.find(key);
  if (it != config.params.end() && it->is_number()) return it->get<double>();
  return fallback;
}

}  // namespace ocular
