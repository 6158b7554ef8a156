// RouteContext::ImageBytes: the request's image, from raw bytes, multipart/form-data or a
// {"url": ...} JSON body fetched through the server's UrlFetcher (spec §1.3, §2.1).
#include <nlohmann/json.hpp>

#include "api/route.h"

namespace ocular::api {

namespace {

std::string MediaType(const std::string& content_type) {
  std::string t = ToLower(content_type.substr(0, content_type.find(';')));
  while (!t.empty() && t.back() == ' ') t.pop_back();
  while (!t.empty() && t.front() == ' ') t.erase(t.begin());
  return t;
}

Status UnsupportedContentType(ApiVersion api, const std::string& type) {
  std::string msg = "The provided image content type '" + type +
                    "' is not supported. Use application/octet-stream, multipart/form-data or "
                    "application/json with an image URL.";
  // v3.2 answers a wrong media type with 415 (spec §2.5); 4.0 with 400 InvalidRequest (§1.3).
  if (api == ApiVersion::kV32) return Unsupported(msg, "UnsupportedMediaType");
  return InvalidArgument(msg);
}

// The content of the first part of a multipart/form-data body.
StatusOr<std::string> FirstMultipartPart(const std::string& content_type, const std::string& body) {
  size_t b = ToLower(content_type).find("boundary=");
  if (b == std::string::npos) return InvalidArgument("The multipart body has no boundary.", "InvalidImageFormat");
  std::string boundary = content_type.substr(b + 9);
  boundary = boundary.substr(0, boundary.find(';'));
  if (boundary.size() >= 2 && boundary.front() == '"') boundary = boundary.substr(1, boundary.size() - 2);
  std::string delim = "--" + boundary;
  size_t start = body.find(delim);
  if (start == std::string::npos) return InvalidArgument("The multipart body is malformed.", "InvalidImageFormat");
  size_t headers_end = body.find("\r\n\r\n", start);
  if (headers_end == std::string::npos) return InvalidArgument("The multipart body is malformed.", "InvalidImageFormat");
  size_t content = headers_end + 4;
  size_t end = body.find("\r\n" + delim, content);
  if (end == std::string::npos) return InvalidArgument("The multipart body is malformed.", "InvalidImageFormat");
  return body.substr(content, end - content);
}

}  // namespace

StatusOr<std::string> RouteContext::ImageBytes() const {
  auto it = request.headers.find("content-type");
  std::string content_type = it == request.headers.end() ? "" : it->second;
  std::string type = MediaType(content_type);
  if (type.empty()) {
    // No Content-Type: a JSON object is a URL request, anything else raw bytes.
    type = !request.body.empty() && request.body.front() == '{' ? "application/json"
                                                                : "application/octet-stream";
  }
  const std::size_t max_bytes = ImageLimits::ForApi(api).max_bytes;
  if (type == "application/octet-stream") return request.body;
  if (type == "multipart/form-data") return FirstMultipartPart(content_type, request.body);
  if (type != "application/json" && type != "text/json") return UnsupportedContentType(api, type);

  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("url") || !body["url"].is_string()) {
    return InvalidArgument("The request body must be a JSON object with a string 'url'.",
                           "InvalidImageUrl");
  }
  std::string url = body["url"].get<std::string>();
  if (url.empty()) return InvalidArgument("The image URL is empty.", "InvalidImageUrl");
  if (!options.fetcher) {
    return InvalidArgument("This server does not fetch image URLs; send the image bytes.",
                           "InvalidImageUrl");
  }
  // One byte over the limit lets the size check report an oversize image as such.
  return options.fetcher(url, max_bytes + 1);
}

}  // namespace ocular::api
