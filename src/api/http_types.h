// Transport-neutral request and response types shared by the HTTP server (src/server) and the
// API layer (src/api). The server fills a Request from the wire, authenticates it, and hands
// analysis routes to api::Service::Handle, which never throws and always returns a Response.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace ocular::api {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // raw target path, without the query string, not percent-decoded
  std::string query;   // raw query string after '?', not percent-decoded ("" when none)
  // Header names lower-cased; values as sent.
  std::map<std::string, std::string> headers;
  std::string body;        // request body bytes (held in memory only for the request)
  std::string request_id;  // uuid, also sent back as apim-request-id
  // The public origin of this server as the client sees it ("https://host:port"), used for
  // absolute Operation-Location headers. Empty: derived from the Host header.
  std::string origin;
  // Set (true) by the transport once the client has closed its connection while this request
  // waits for or runs its analysis; null when the transport cannot tell. Analysis routes hand it
  // to the engine (AnalysisRequest::cancelled), which abandons the work at its next checkpoint.
  std::shared_ptr<const std::atomic<bool>> client_closed;
};

struct Response {
  int status = 200;
  // Default for every JSON answer (spec §0: always send it).
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  std::string body;
};

// Fetches an image URL for {"url": ...} bodies, stopping at max_bytes.
// Errors: InvalidArgument/InvalidImageUrl (unreachable, blocked, not http(s), too large, ...),
// with a message that never echoes the URL's query string.
using UrlFetcher = std::function<StatusOr<std::string>(const std::string& url, std::size_t max_bytes)>;

}  // namespace ocular::api
