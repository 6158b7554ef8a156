#include "api/request_body.h"

#include <optional>

#include <nlohmann/json.hpp>

#include "api/query.h"

namespace ocular::api {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Unquote(std::string_view v) {
  v = Trim(v);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  return std::string(v);
}

// The value of parameter `name` (lower-case) in a header value "type; a=1; name=\"x\"".
std::optional<std::string> HeaderParam(std::string_view value, std::string_view name) {
  std::size_t pos = value.find(';');
  while (pos != std::string_view::npos) {
    std::size_t next = value.find(';', pos + 1);
    std::string_view item =
        Trim(value.substr(pos + 1, next == std::string_view::npos ? next : next - pos - 1));
    std::size_t eq = item.find('=');
    if (eq != std::string_view::npos && ToLower(Trim(item.substr(0, eq))) == name) {
      return Unquote(item.substr(eq + 1));
    }
    pos = next;
  }
  return std::nullopt;
}

// The form-field name of a part, from its Content-Disposition header; "" when none.
std::string PartName(std::string_view headers) {
  std::size_t start = 0;
  while (start < headers.size()) {
    std::size_t end = headers.find("\r\n", start);
    if (end == std::string_view::npos) end = headers.size();
    std::string_view line = headers.substr(start, end - start);
    std::size_t colon = line.find(':');
    if (colon != std::string_view::npos &&
        ToLower(Trim(line.substr(0, colon))) == "content-disposition") {
      return HeaderParam(line.substr(colon + 1), "name").value_or("");
    }
    start = end + 2;
  }
  return "";
}

Status Malformed(const std::string& what) {
  return InvalidArgument("The multipart body " + what + ".", "InvalidImageFormat");
}

}  // namespace

std::string MediaType(std::string_view content_type) {
  return ToLower(Trim(content_type.substr(0, content_type.find(';'))));
}

StatusOr<std::string> ParseImageUrlBody(std::string_view body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("url") || !j["url"].is_string()) {
    return InvalidArgument("The request body must be a JSON object with a string 'url'.",
                           "InvalidImageUrl");
  }
  std::string url = j["url"].get<std::string>();
  if (url.empty()) return InvalidArgument("The image URL is empty.", "InvalidImageUrl");
  return url;
}

StatusOr<std::string> ExtractMultipartImage(std::string_view content_type, std::string_view body) {
  std::optional<std::string> boundary = HeaderParam(content_type, "boundary");
  if (!boundary || boundary->empty()) return Malformed("has no boundary");
  const std::string delim = "--" + *boundary;
  const std::string next_delim = "\r\n" + delim;
  std::size_t pos = body.find(delim);
  if (pos == std::string_view::npos) return Malformed("is malformed");
  std::optional<std::string_view> first;
  for (;;) {
    const std::size_t after = pos + delim.size();
    if (body.substr(after, 2) == "--") break;  // the closing delimiter
    const std::size_t line_end = body.find("\r\n", after);
    if (line_end == std::string_view::npos) return Malformed("is malformed");
    const std::size_t headers_end = body.find("\r\n\r\n", line_end);
    if (headers_end == std::string_view::npos) return Malformed("is malformed");
    const std::string_view headers = headers_end > line_end + 2
                                         ? body.substr(line_end + 2, headers_end - line_end - 2)
                                         : std::string_view();
    const std::size_t content = headers_end + 4;
    const std::size_t end = body.find(next_delim, content);
    if (end == std::string_view::npos) return Malformed("is malformed");
    const std::string_view part = body.substr(content, end - content);
    if (PartName(headers) == "imageData") return std::string(part);
    if (!first) first = part;
    pos = end + 2;
  }
  if (!first) return Malformed("has no part");
  return std::string(*first);
}

}  // namespace ocular::api
