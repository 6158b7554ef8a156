#include "api/query.h"

#include <cctype>

namespace ocular::api {

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}
}  // namespace

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

QueryParams QueryParams::Parse(std::string_view raw) {
  QueryParams q;
  size_t pos = 0;
  while (pos <= raw.size()) {
    size_t amp = raw.find('&', pos);
    if (amp == std::string_view::npos) amp = raw.size();
    std::string_view item = raw.substr(pos, amp - pos);
    if (!item.empty()) {
      size_t eq = item.find('=');
      std::string name = ToLower(PercentDecode(item.substr(0, eq)));
      std::string value =
          eq == std::string_view::npos ? std::string() : PercentDecode(item.substr(eq + 1));
      q.params_.emplace(std::move(name), std::move(value));
    }
    pos = amp + 1;
  }
  return q;
}

std::optional<std::string> QueryParams::Get(std::string_view name) const {
  auto it = params_.find(ToLower(name));
  if (it == params_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> QueryParams::GetList(std::string_view name) const {
  std::vector<std::string> out;
  std::optional<std::string> v = Get(name);
  if (!v) return out;
  size_t pos = 0;
  while (pos <= v->size()) {
    size_t comma = v->find(',', pos);
    if (comma == std::string::npos) comma = v->size();
    std::string item = Trim(std::string_view(*v).substr(pos, comma - pos));
    if (!item.empty()) out.push_back(std::move(item));
    pos = comma + 1;
  }
  return out;
}

}  // namespace ocular::api
