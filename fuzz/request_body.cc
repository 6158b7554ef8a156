// The HTTP body parsers of the image routes (api/request_body.h), on arbitrary bytes: the
// Content-Type media type, the {"url": ...} JSON body (analyze, read, Custom Vision url routes)
// and the multipart/form-data image part (imageData or the first part). Input: the Content-Type
// header value up to the first '\n', then the body. Invariants: a URL is never empty, an extracted
// part is a substring of the body, a media type is lower-case without surrounding blanks.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/request_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::size_t nl = in.find('\n');
  const std::string_view content_type = nl == std::string_view::npos ? in : in.substr(0, nl);
  const std::string_view body =
      nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);

  const std::string type = ocular::api::MediaType(content_type);
  for (char c : type) {
    if (std::isupper(static_cast<unsigned char>(c))) __builtin_trap();
  }
  if (!type.empty() && (type.front() == ' ' || type.back() == ' ')) __builtin_trap();

  auto url = ocular::api::ParseImageUrlBody(body);
  if (url.ok() && url->empty()) __builtin_trap();
  auto whole = ocular::api::ParseImageUrlBody(in);  // JSON on the whole input too
  if (whole.ok() && whole->empty()) __builtin_trap();

  auto part = ocular::api::ExtractMultipartImage(content_type, body);
  if (part.ok() && body.find(*part) == std::string_view::npos) __builtin_trap();
  if (!part.ok() && part.status().message().empty()) __builtin_trap();
  return 0;
}
