// Text checks shared by the server tests. (No std::regex: GCC 12 warns inside <regex> under the
// sanitizer build, -Wmaybe-uninitialized.)
#pragma once

#include <cctype>
#include <string_view>

namespace ocular::testing_util {

// True when `s` is a lowercase RFC 4122 version-4 UUID: 8-4-4-4-12 hex digits, the version digit
// 4 and the variant digit one of 8, 9, a, b.
inline bool IsUuidV4(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c)) ||
               std::isupper(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return s[14] == '4' && std::string_view("89ab").find(s[19]) != std::string_view::npos;
}

}  // namespace ocular::testing_util
