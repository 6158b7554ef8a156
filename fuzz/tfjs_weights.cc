// The TF.js reader of the converter (tools/convert/tfjs_model.h) on arbitrary bytes. The first
// byte picks the entry point: the weights manifest decoder (a JSON manifest, a NUL, then the
// shard bytes), the JS object-literal rewriter (UMD model files), or the base64 decoder (UMD
// weight shards). A rewritten literal that parses as JSON must dump and re-parse to the same.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tfjs_model.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      const std::size_t nul = in.find('\0');
      if (nul == std::string_view::npos) return 0;
      const nlohmann::json manifest =
          nlohmann::json::parse(in.substr(0, nul), nullptr, /*allow_exceptions=*/false);
      if (manifest.is_discarded()) return 0;
      (void)ocular::convert::DecodeWeights(manifest, in.substr(nul + 1));
      break;
    }
    case 1: {
      auto json = ocular::convert::JsLiteralToJson(in);
      if (!json.ok()) return 0;
      const nlohmann::json a = nlohmann::json::parse(*json, nullptr, false);
      if (a.is_discarded()) return 0;
      const nlohmann::json b = nlohmann::json::parse(a.dump(), nullptr, false);
      if (b != a) __builtin_trap();
      break;
    }
    default:
      (void)ocular::convert::Base64Decode(in);
      break;
  }
  return 0;
}
