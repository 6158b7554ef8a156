#include "studio/studio_assets.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <utility>
#include <vector>

namespace ocular::studio {
namespace internal {
// Generated (assets_table.cc): path relative to web/ -> bytes.
const std::vector<std::pair<std::string_view, std::string_view>>& EmbeddedFiles();
}  // namespace internal

namespace {

std::string Etag(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a 64
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  std::string tag(1, '"');  // (not "\"" + ...: GCC 12 warns falsely, -Wrestrict)
  tag.append(buf).push_back('"');
  return tag;
}

const std::map<std::string_view, Asset>& Table() {
  static const std::map<std::string_view, Asset> table = [] {
    std::map<std::string_view, Asset> t;
    for (const auto& [path, bytes] : internal::EmbeddedFiles()) {
      t.emplace(path, Asset{path, bytes, ContentTypeFor(path), Etag(bytes)});
    }
    return t;
  }();
  return table;
}

}  // namespace

std::string_view ContentTypeFor(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".webp", "image/webp"},
      {".gif", "image/gif"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".md", "text/plain; charset=utf-8"},
  }};
  for (const auto& [ext, type] : kTypes) {
    if (path.size() > ext.size() && path.ends_with(ext)) return type;
  }
  return "application/octet-stream";
}

const Asset* FindAsset(std::string_view path) {
  if (path.empty() || path.find("..") != std::string_view::npos) return nullptr;
  const auto& table = Table();
  auto it = table.find(path);
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace ocular::studio
