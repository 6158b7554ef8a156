// Fetching image URLs for {"url": ...} request bodies, with an SSRF guard.
//
// Contract of FetchUrl / the api::UrlFetcher it backs:
//   - http and https only; at most `max_redirects` redirects, each target re-checked;
//   - the host name is resolved here (getaddrinfo) and every candidate address is checked with
//     the AddressPolicy; the connection is pinned to the checked address (CURLOPT_RESOLVE), so
//     a second DNS answer (rebinding) cannot redirect it; proxies from the environment are ignored;
//   - DNS lookup, connect and total timeouts; the download stops as soon as it exceeds `max_bytes`;
//   - errors are InvalidArgument with inner code InvalidImageUrl, and their messages never
//     contain the URL (nor its query string): only the reason;
//   - nothing is written to disk; the body lives in the returned string only.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "api/http_types.h"
#include "core/status.h"
#include "server/dns_lookup.h"
#include "server/net_policy.h"

namespace ocular::server {

struct UrlFetchOptions {
  AddressPolicy policy;                                   // default: public addresses only
  std::chrono::milliseconds dns_timeout{5000};           // per host name lookup (dns_lookup.h)
  std::chrono::milliseconds connect_timeout{5000};       // per connection attempt
  std::chrono::milliseconds total_timeout{15000};        // whole fetch, redirects included
  int max_redirects = 3;                                  // the 4th redirect is an error
  std::string user_agent = "ocular-url-fetcher/0.1";
  Resolver resolver;  // empty (default): SystemResolve (getaddrinfo); tests inject their own
};

// Fetches `url` under the options' policy. Thread-safe (one curl easy handle per call).
StatusOr<std::string> FetchUrl(const UrlFetchOptions& options, const std::string& url,
                               std::size_t max_bytes);

// An api::UrlFetcher bound to `options` (copied). Initialises libcurl once per process.
api::UrlFetcher MakeUrlFetcher(UrlFetchOptions options);

}  // namespace ocular::server
