#include "api/route_params.h"

#include <cstdlib>
#include <string_view>

namespace ocular::api {
namespace {

// One page number: 1 to 9 decimal digits, >= 1 (so `lo + 1` below cannot overflow).
bool ParsePage(const std::string& s, long& out) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  out = std::strtol(s.c_str(), nullptr, 10);
  return out >= 1;
}

std::string Trim(std::string s) {
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

StatusOr<bool> ParseBoolParam(const QueryParams& query, const std::string& name, bool fallback) {
  std::optional<std::string> v = query.Get(name);
  if (!v || v->empty()) return fallback;
  const std::string s = ToLower(*v);
  if (s == "true") return true;
  if (s == "false") return false;
  return InvalidArgument("The parameter '" + name + "' must be true or false.", "BadArgument");
}

StatusOr<bool> ParseReadPages(const std::string& pages) {
  const Status bad = InvalidArgument(
      "The 'pages' parameter must list pages or ranges like '1', '2-5', '3-' or '-4'.",
      "InvalidPageRange");
  if (Trim(pages).empty()) {
    return InvalidArgument("The 'pages' parameter is empty.", "InvalidPageRange");
  }
  bool first = false;
  std::size_t start = 0;
  while (true) {
    std::size_t end = pages.find(',', start);
    if (end == std::string::npos) end = pages.size();
    const std::string item = Trim(pages.substr(start, end - start));
    if (item.empty()) return bad;
    const std::size_t dash = item.find('-');
    long lo = 1, hi = 0;
    if (dash == std::string::npos) {
      if (!ParsePage(item, lo)) return bad;
      hi = lo;
    } else {
      const std::string a = item.substr(0, dash), b = item.substr(dash + 1);
      if (a.empty() && b.empty()) return bad;
      if (!a.empty() && !ParsePage(a, lo)) return bad;
      if (!b.empty() && !ParsePage(b, hi)) return bad;
      if (b.empty()) hi = lo + 1;  // open range: includes lo
      if (!b.empty() && hi < lo) return bad;
    }
    if (lo <= 1 && 1 <= hi) first = true;
    if (end == pages.size()) break;
    start = end + 1;
  }
  return first;
}

StatusOr<std::string> ParseReadingOrder(const QueryParams& query) {
  const std::string order = ToLower(query.Get("readingOrder").value_or("basic"));
  if (order != "basic" && order != "natural") {
    return InvalidArgument("The 'readingOrder' parameter must be 'basic' or 'natural'.",
                           "InvalidReadingOrder");
  }
  return order;
}

StatusOr<int> ParseThumbnailSide(const QueryParams& query, const char* name) {
  std::optional<std::string> v = query.Get(name);
  if (!v) {
    return InvalidArgument(std::string("The parameter '") + name + "' is required.",
                           "InvalidThumbnailSize");
  }
  char* end = nullptr;
  const long n = std::strtol(v->c_str(), &end, 10);
  if (end == v->c_str() || *end != '\0' || n < 1 || n > 1024) {
    return InvalidArgument(
        std::string("The parameter '") + name + "' must be an integer from 1 to 1024.",
        "InvalidThumbnailSize");
  }
  return static_cast<int>(n);
}

}  // namespace ocular::api
