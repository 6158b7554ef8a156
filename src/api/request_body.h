// Pure parsers of request bodies, shared by the analysis routes (api/image_body.cc) and the
// Custom Vision routes (api/customvision_routes.cc). No I/O, no globals: each takes bytes and
// returns a Status, so libFuzzer targets can call them directly (fuzz/).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace ocular::api {

// The lower-cased media type of a Content-Type header value ("Multipart/Form-Data; boundary=x"
// -> "multipart/form-data"), blanks trimmed; "" for an empty header.
std::string MediaType(std::string_view content_type);

// The image URL of a `{"url": "..."}` JSON body (spec §1.3, §2.1; the Custom Vision url routes).
// InvalidArgument with inner code InvalidImageUrl when the body is not a JSON object with a
// non-empty string "url".
StatusOr<std::string> ParseImageUrlBody(std::string_view body);

// The image part of a multipart/form-data body: the part named "imageData" (what the Custom
// Vision client sends) when there is one, else the first part. `content_type` is the whole header
// value (its boundary parameter is used, quoted or not). InvalidArgument with inner code
// InvalidImageFormat when the boundary is missing or the body is malformed.
StatusOr<std::string> ExtractMultipartImage(std::string_view content_type, std::string_view body);

}  // namespace ocular::api
