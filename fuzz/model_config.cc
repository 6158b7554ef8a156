// The model config parser (runtime/model_config.h: every models/<name>/<version>/config.json the
// model repository loads at startup, custom models included) on arbitrary bytes, with the
// contract of a parsed config: non-empty inputs and outputs, image inputs with one mean and one
// non-zero std per colour channel, a sha256 of 64 lower-case hex digits.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/model_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace rt = ocular::runtime;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)rt::IsSha256Hex(text);
  (void)rt::ParseTask(text);
  auto config = rt::ParseModelConfig(text, "fuzz/config.json");
  if (!config.ok()) {
    if (config.status().message().empty()) __builtin_trap();
    return 0;
  }
  if (config->inputs.empty() || config->outputs.empty() || !rt::IsSha256Hex(config->model_sha256)) {
    __builtin_trap();
  }
  for (const rt::InputConfig& in : config->inputs) {
    if (config->FindInput(in.name) == nullptr) __builtin_trap();
    if (!in.is_image()) continue;
    const std::size_t channels = static_cast<std::size_t>(rt::ColorChannels(in.color));
    if (in.mean.size() != channels || in.std.size() != channels) __builtin_trap();
    for (float s : in.std) {
      if (s == 0.0f) __builtin_trap();
    }
  }
  for (const rt::OutputConfig& out : config->outputs) {
    if (config->FindOutput(out.name) == nullptr) __builtin_trap();
  }
  return 0;
}
