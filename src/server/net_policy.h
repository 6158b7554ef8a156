// IP address parsing, CIDR blocks and the SSRF policy of URL fetching.
//
// Contract: an address is fetchable when it is in an operator allowlist (--allow-url-cidr), or
// when it is a public unicast address. Loopback, private (RFC 1918, CGNAT, ULA), link-local
// (including the cloud metadata address 169.254.169.254), multicast, unspecified, broadcast,
// documentation and other reserved ranges are refused, for IPv4 and IPv6 alike. IPv6 forms that
// embed an IPv4 address (::ffff:a.b.c.d mapped, ::a.b.c.d compatible, 64:ff9b::/96 NAT64, 2002::/16
// 6to4) are classified by the embedded address. Nothing here touches the network.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace ocular::server {

struct IpAddress {
  bool v6 = false;                  // false: IPv4, stored in bytes[0..3]
  std::array<std::uint8_t, 16> bytes{};

  // Parses a numeric IPv4 or IPv6 address (brackets around IPv6 allowed). No DNS.
  static std::optional<IpAddress> Parse(std::string_view text);
  static IpAddress FromSockaddr(const void* sockaddr);  // sockaddr_in or sockaddr_in6
  std::string ToString() const;  // "1.2.3.4" or "2001:db8::1" (no brackets)
  int bit_length() const { return v6 ? 128 : 32; }
  // The IPv4 address an IPv6 address embeds (mapped, compatible, NAT64, 6to4), if any.
  std::optional<IpAddress> EmbeddedV4() const;
};

// A CIDR block such as 127.0.0.1/32, 10.0.0.0/8 or fc00::/7. A bare address means /32 or /128.
struct Cidr {
  IpAddress network;  // host bits cleared
  int prefix = 0;

  // Errors: InvalidArgument for a malformed address or a prefix out of range.
  static StatusOr<Cidr> Parse(std::string_view text);
  // Same family only; an IPv4 block also matches the ::ffff:-mapped form of its addresses.
  bool Contains(const IpAddress& address) const;
  std::string ToString() const;
};

enum class AddressClass {
  kPublic,
  kLoopback,     // 127.0.0.0/8, ::1
  kPrivate,      // 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, fec0::/10
  kLinkLocal,    // 169.254/16 (metadata services), fe80::/10
  kMulticast,    // 224/4, ff00::/8
  kUnspecified,  // 0.0.0.0/8, ::
  kReserved,     // broadcast, 240/4, documentation, benchmarking, 192.0.0/24, 100::/64, ...
};

std::string_view AddressClassName(AddressClass c);
// The name with its indefinite article, for messages: "an unspecified", "a private".
std::string AddressClassWithArticle(AddressClass c);
AddressClass Classify(const IpAddress& address);

// The SSRF decision: allowlisted blocks first, then only public addresses.
class AddressPolicy {
 public:
  AddressPolicy() = default;
  explicit AddressPolicy(std::vector<Cidr> allow) : allow_(std::move(allow)) {}
  // Parses every CIDR; errors name the bad entry (operator input, not request data).
  static StatusOr<AddressPolicy> FromStrings(const std::vector<std::string>& cidrs);

  bool IsAllowed(const IpAddress& address) const;

 private:
  std::vector<Cidr> allow_;
};

// Splits "host:port", "[v6]:port" or ":port" (host 0.0.0.0). Errors: InvalidArgument.
StatusOr<std::pair<std::string, std::uint16_t>> ParseHostPort(const std::string& text);

}  // namespace ocular::server
