// Versions reported on the wire.
#pragma once

namespace ocular {

// The product version (CLI --version, User-Agent of URL fetches).
inline constexpr const char* kOcularVersion = "0.1.0";

// The model pack version: the date the default pack was defined. It is the `version` folder of
// every model the setup builds, and the `modelVersion` of every response. `model-version=latest`
// or exactly this value is accepted; any other value is a BadArgument error.
inline constexpr const char* kModelPackVersion = "2026-11-26";

}  // namespace ocular
