// UUID text checks shared by every route and tool that takes an id (Read operation ids, Custom
// Vision project ids, `models add --project-id`). Header-only: the fuzz build links no library.
#pragma once

#include <cctype>
#include <string_view>

namespace ocular {

// True when `s` is a UUID in 8-4-4-4-12 hexadecimal form (either case; any version).
inline bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

}  // namespace ocular
