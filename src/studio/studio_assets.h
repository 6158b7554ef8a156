// The Ocular Studio's static files (src/studio/web/), embedded in the binary at build time
// (src/studio/CMakeLists.txt generates one header per file). Nothing is read from disk or from
// the network at run time.
#pragma once

#include <string>
#include <string_view>

namespace ocular::studio {

struct Asset {
  std::string_view path;          // relative to web/, e.g. "index.html", "js/app.js"
  std::string_view bytes;         // the file's contents
  std::string_view content_type;  // from the extension, e.g. "text/javascript; charset=utf-8"
  std::string etag;               // strong validator: "\"<fnv-1a 64 of the bytes, hex>\""
};

// The embedded file at `path` (relative to web/, no leading '/'), or nullptr. Paths are matched
// exactly (case-sensitive); "" and paths with ".." segments never match.
const Asset* FindAsset(std::string_view path);

// The Content-Type for a file name, by extension; "application/octet-stream" when unknown.
std::string_view ContentTypeFor(std::string_view path);

}  // namespace ocular::studio
