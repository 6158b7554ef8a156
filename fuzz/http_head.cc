// The strict request-head check (server/http_framing.h) on arbitrary bytes, with its own
// invariants: a complete head ends with CRLF CRLF within the input, and any longer input with
// the same head gives the same answer (the transport scans a growing buffer).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/http_framing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using ocular::server::HeadScan;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const HeadScan scan = ocular::server::ScanRequestHead(in);
  if (scan.kind == HeadScan::Kind::kComplete) {
    if (scan.length < 4 || scan.length > size || in.substr(scan.length - 4, 4) != "\r\n\r\n") {
      __builtin_trap();
    }
    const std::string longer = std::string(in.substr(0, scan.length)) + "trailing body\n";
    const HeadScan again = ocular::server::ScanRequestHead(longer);
    if (again.kind != HeadScan::Kind::kComplete || again.length != scan.length) __builtin_trap();
  }
  if (scan.kind == HeadScan::Kind::kRejected && scan.reason.empty()) __builtin_trap();
  return 0;
}
