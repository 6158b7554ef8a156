// Strict HTTP/1.1 request framing, checked on the raw request head before Boost.Beast parses it.
//
// Beast accepts a few things that a proxy in front of Ocular (nginx) may read differently, which
// is how request smuggling starts. This check refuses them (RFC 9112 sections 2.2, 3.2, 5.2, 6):
//   - a bare LF as a line ending, anywhere in the head ("bare_lf");
//   - obs-fold: a header line that starts with a space or a tab ("obs_fold");
//   - Content-Length given twice, or as a list ("duplicate_content_length");
//   - Transfer-Encoding other than exactly one plain "chunked" ("transfer_encoding"), with
//     Content-Length ("transfer_encoding_and_content_length"), or on HTTP/1.0
//     ("transfer_encoding_http10");
//   - an HTTP/1.1 request without exactly one Host ("host").
// Everything else (request line, field syntax, chunk sizes, bare CR) is left to Beast, which
// already refuses malformed input. Pure functions, no I/O: the transport calls ScanRequestHead on
// its read buffer until the head is complete; the fuzz target calls it on arbitrary bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ocular::server {

struct HeadScan {
  enum class Kind { kIncomplete, kComplete, kRejected };
  Kind kind = Kind::kIncomplete;
  std::size_t length = 0;  // kComplete: bytes of the head, through the empty line's CRLF
  std::string reason;      // kRejected: a short reason, used as a transport error counter label
};

// Looks at the bytes received so far on a connection (the head of the next request first).
// kIncomplete: no empty line yet and nothing refused so far (read more, within the header limit).
HeadScan ScanRequestHead(std::string_view received);

}  // namespace ocular::server
