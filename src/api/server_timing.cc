#include "api/server_timing.h"

#include <cctype>
#include <cstdio>
#include <string>

namespace ocular::api {

void AddServerTiming(Response* response, std::string_view name, double ms) {
  std::string entry;
  for (char c : name) {
    const bool token =
        std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    entry += token ? c : '_';
  }
  if (entry.empty()) entry.push_back('_');
  char dur[32];
  std::snprintf(dur, sizeof dur, ";dur=%.1f", ms < 0 ? 0.0 : ms);
  entry += dur;
  for (auto& [header, value] : response->headers) {
    if (header.size() == 13 && (header == "Server-Timing" || header == "server-timing")) {
      value += ", " + entry;
      return;
    }
  }
  response->headers.emplace_back("Server-Timing", std::move(entry));
}

}  // namespace ocular::api
