// The Custom Vision Prediction request path (api/customvision_path.h) on arbitrary bytes, with
// its contract: a parsed route has a lower-case 36-character UUID project id and a non-empty
// published name; an error is NotFound, or InvalidArgument/BadRequestInvalidIds. The bodies of
// the url and image routes go through api/request_body.h (fuzz/request_body.cc).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/customvision_path.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view path(reinterpret_cast<const char*>(data), size);
  auto route = ocular::api::ParseCustomVisionPath(path);
  if (route.ok()) {
    if (route->project_id.size() != 36 || route->published_name.empty()) __builtin_trap();
    for (char c : route->project_id) {
      if (c >= 'A' && c <= 'Z') __builtin_trap();
    }
    // The same route with a "/nostore" suffix parses the same way, unless it already had one.
    if (!route->nostore) {
      auto again = ocular::api::ParseCustomVisionPath(std::string(path) + "/nostore");
      if (!again.ok() || !again->nostore || again->project_id != route->project_id ||
          again->published_name != route->published_name || again->detect != route->detect ||
          again->url != route->url) {
        __builtin_trap();
      }
    }
  } else {
    const auto code = route.status().code();
    if (code != ocular::StatusCode::kNotFound &&
        !(code == ocular::StatusCode::kInvalidArgument &&
          route.status().inner_code() == "BadRequestInvalidIds")) {
      __builtin_trap();
    }
  }
  return 0;
}
