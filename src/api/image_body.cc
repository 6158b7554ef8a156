// RouteContext::ImageBytes: the request's image, from raw bytes, multipart/form-data or a
// {"url": ...} JSON body (parsed by api/request_body.h) fetched through the server's UrlFetcher
// (spec §1.3, §2.1).
#include "api/request_body.h"
#include "api/route.h"

namespace ocular::api {

namespace {

Status UnsupportedContentType(ApiVersion api, const std::string& type) {
  std::string msg = "The provided image content type '" + type +
                    "' is not supported. Use application/octet-stream, multipart/form-data or "
                    "application/json with an image URL.";
  // v3.2 answers a wrong media type with 415 (spec §2.5); 4.0 with 400 InvalidRequest (§1.3).
  if (api == ApiVersion::kV32) return Unsupported(msg, "UnsupportedMediaType");
  return InvalidArgument(msg);
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
  if (type == "multipart/form-data") return ExtractMultipartImage(content_type, request.body);
  if (type != "application/json" && type != "text/json") return UnsupportedContentType(api, type);

  OCULAR_ASSIGN_OR_RETURN(std::string url, ParseImageUrlBody(request.body));
  if (!options.fetcher) {
    return InvalidArgument("This server does not fetch image URLs; send the image bytes.",
                           "InvalidImageUrl");
  }
  // One byte over the limit lets the size check report an oversize image as such.
  return options.fetcher(url, max_bytes + 1);
}

}  // namespace ocular::api
