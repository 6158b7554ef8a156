#include "server/http_framing.h"

#include <strings.h>

#include <vector>

namespace ocular::server {
namespace {

HeadScan Rejected(const char* reason) {
  HeadScan r;
  r.kind = HeadScan::Kind::kRejected;
  r.reason = reason;
  return r;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// lines[0] is the request line; the others are field lines (no obs-fold, CRLF removed).
HeadScan CheckFields(const std::vector<std::string_view>& lines, std::size_t length) {
  std::string_view request_line = lines.front();
  const std::size_t sp = request_line.rfind(' ');
  const std::string_view version =
      sp == std::string_view::npos ? std::string_view() : request_line.substr(sp + 1);
  const bool http10 = version == "HTTP/1.0";
  int content_length = 0, transfer_encoding = 0, host = 0;
  bool listed_length = false, plain_chunked = true;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::size_t colon = lines[i].find(':');
    if (colon == std::string_view::npos) continue;  // Beast refuses it
    const std::string_view name = lines[i].substr(0, colon);
    const std::string_view value = Trim(lines[i].substr(colon + 1));
    if (IEquals(name, "content-length")) {
      ++content_length;
      if (value.find(',') != std::string_view::npos) listed_length = true;
    } else if (IEquals(name, "transfer-encoding")) {
      ++transfer_encoding;
      if (!IEquals(value, "chunked")) plain_chunked = false;
    } else if (IEquals(name, "host")) {
      ++host;
    }
  }
  if (transfer_encoding > 0) {
    if (http10) return Rejected("transfer_encoding_http10");
    if (content_length > 0) return Rejected("transfer_encoding_and_content_length");
    if (transfer_encoding > 1 || !plain_chunked) return Rejected("transfer_encoding");
  }
  if (content_length > 1 || listed_length) return Rejected("duplicate_content_length");
  if (!http10 && host != 1) return Rejected("host");
  HeadScan r;
  r.kind = HeadScan::Kind::kComplete;
  r.length = length;
  return r;
}

}  // namespace

HeadScan ScanRequestHead(std::string_view in) {
  std::vector<std::string_view> lines;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '\n') continue;
    if (i == 0 || in[i - 1] != '\r') return Rejected("bare_lf");
    const std::string_view line = in.substr(line_start, i - 1 - line_start);
    line_start = i + 1;
    if (line.empty()) {
      // Empty lines before the request line are Beast's to judge (RFC 9112 lets a server
      // ignore one); after it, the empty line ends the head.
      if (lines.empty()) continue;
      return CheckFields(lines, i + 1);
    }
    if (!lines.empty() && (line.front() == ' ' || line.front() == '\t')) {
      return Rejected("obs_fold");
    }
    lines.push_back(line);
  }
  return HeadScan{};
}

}  // namespace ocular::server
