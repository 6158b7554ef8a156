#include "server/net_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <utility>
#include <cstring>

namespace ocular::server {
namespace {

// True when the first `prefix` bits of a and b (same length arrays) agree.
bool PrefixMatches(const std::uint8_t* a, const std::uint8_t* b, int prefix) {
  int full = prefix / 8, rest = prefix % 8;
  if (std::memcmp(a, b, full) != 0) return false;
  if (rest == 0) return true;
  std::uint8_t mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

bool InV4(const IpAddress& a, std::uint8_t b0, std::uint8_t b1, std::uint8_t b2, std::uint8_t b3,
          int prefix) {
  const std::uint8_t net[4] = {b0, b1, b2, b3};
  return !a.v6 && PrefixMatches(a.bytes.data(), net, prefix);
}

bool InV6(const IpAddress& a, std::initializer_list<std::uint8_t> head, int prefix) {
  std::uint8_t net[16] = {};
  std::size_t i = 0;
  for (std::uint8_t b : head) net[i++] = b;
  return a.v6 && PrefixMatches(a.bytes.data(), net, prefix);
}

AddressClass ClassifyV4(const IpAddress& a) {
  if (InV4(a, 0, 0, 0, 0, 8)) return AddressClass::kUnspecified;
  if (InV4(a, 127, 0, 0, 0, 8)) return AddressClass::kLoopback;
  if (InV4(a, 10, 0, 0, 0, 8) || InV4(a, 172, 16, 0, 0, 12) || InV4(a, 192, 168, 0, 0, 16) ||
      InV4(a, 100, 64, 0, 0, 10)) {
    return AddressClass::kPrivate;
  }
  if (InV4(a, 169, 254, 0, 0, 16)) return AddressClass::kLinkLocal;
  if (InV4(a, 224, 0, 0, 0, 4)) return AddressClass::kMulticast;
  if (InV4(a, 240, 0, 0, 0, 4) ||         // reserved + 255.255.255.255 broadcast
      InV4(a, 192, 0, 0, 0, 24) ||        // IETF protocol assignments
      InV4(a, 192, 0, 2, 0, 24) || InV4(a, 198, 51, 100, 0, 24) ||
      InV4(a, 203, 0, 113, 0, 24) ||      // documentation
      InV4(a, 198, 18, 0, 0, 15) ||       // benchmarking
      InV4(a, 192, 88, 99, 0, 24)) {      // deprecated 6to4 relay anycast
    return AddressClass::kReserved;
  }
  return AddressClass::kPublic;
}

}  // namespace

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
  std::string s(text);
  IpAddress a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) return a;
  a.v6 = true;
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) return a;
  return std::nullopt;
}

IpAddress IpAddress::FromSockaddr(const void* sockaddr) {
  IpAddress a;
  const auto* sa = static_cast<const struct sockaddr*>(sockaddr);
  if (sa->sa_family == AF_INET6) {
    a.v6 = true;
    std::memcpy(a.bytes.data(), &static_cast<const sockaddr_in6*>(sockaddr)->sin6_addr, 16);
  } else {
    std::memcpy(a.bytes.data(), &static_cast<const sockaddr_in*>(sockaddr)->sin_addr, 4);
  }
  return a;
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof(buf));
  return buf;
}

std::optional<IpAddress> IpAddress::EmbeddedV4() const {
  if (!v6) return std::nullopt;
  IpAddress v4;
  auto take = [&](int offset) {
    std::memcpy(v4.bytes.data(), bytes.data() + offset, 4);
    return v4;
  };
  static const std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  static const std::uint8_t kZero[12] = {};
  static const std::uint8_t kNat64[12] = {0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(bytes.data(), kMapped, 12) == 0) return take(12);
  if (std::memcmp(bytes.data(), kNat64, 12) == 0) return take(12);
  if (std::memcmp(bytes.data(), kZero, 12) == 0) {
    // ::a.b.c.d (deprecated IPv4-compatible); :: and ::1 themselves are not embeddings.
    if (bytes[12] == 0 && bytes[13] == 0 && bytes[14] == 0 && bytes[15] <= 1) return std::nullopt;
    return take(12);
  }
  if (bytes[0] == 0x20 && bytes[1] == 0x02) return take(2);  // 2002:aabb:ccdd::/48 6to4
  return std::nullopt;
}

StatusOr<Cidr> Cidr::Parse(std::string_view text) {
  std::string_view addr = text;
  int prefix = -1;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    std::string_view p = text.substr(slash + 1);
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
    if (p.empty() || ec != std::errc() || ptr != p.data() + p.size() || value > 128) {
      return InvalidArgument("invalid CIDR prefix length in '" + std::string(text) + "'");
    }
    prefix = static_cast<int>(value);
  }
  std::optional<IpAddress> a = IpAddress::Parse(addr);
  if (!a) return InvalidArgument("invalid address in CIDR '" + std::string(text) + "'");
  if (prefix < 0) prefix = a->bit_length();
  if (prefix > a->bit_length()) {
    return InvalidArgument("CIDR prefix length out of range in '" + std::string(text) + "'");
  }
  Cidr c;
  c.prefix = prefix;
  c.network = *a;
  int bytes = a->bit_length() / 8;
  for (int i = 0; i < bytes; ++i) {
    int keep = std::clamp(prefix - i * 8, 0, 8);
    c.network.bytes[i] &= static_cast<std::uint8_t>(keep == 0 ? 0 : 0xFF << (8 - keep));
  }
  return c;
}

bool Cidr::Contains(const IpAddress& address) const {
  if (address.v6 == network.v6) {
    return PrefixMatches(address.bytes.data(), network.bytes.data(), prefix);
  }
  if (!network.v6 && address.v6) {
    // ::ffff:a.b.c.d is the same host as a.b.c.d on a dual-stack socket.
    static const std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (std::memcmp(address.bytes.data(), kMapped, 12) != 0) return false;
    return PrefixMatches(address.bytes.data() + 12, network.bytes.data(), prefix);
  }
  return false;
}

std::string Cidr::ToString() const { return network.ToString() + "/" + std::to_string(prefix); }

std::string_view AddressClassName(AddressClass c) {
  switch (c) {
    case AddressClass::kPublic: return "public";
    case AddressClass::kLoopback: return "loopback";
    case AddressClass::kPrivate: return "private";
    case AddressClass::kLinkLocal: return "link-local";
    case AddressClass::kMulticast: return "multicast";
    case AddressClass::kUnspecified: return "unspecified";
    case AddressClass::kReserved: return "reserved";
  }
  return "reserved";
}

std::string AddressClassWithArticle(AddressClass c) {
  const std::string_view name = AddressClassName(c);
  const bool vowel = name.find_first_of("aeiou") == 0;
  return std::string(vowel ? "an " : "a ") + std::string(name);
}

AddressClass Classify(const IpAddress& a) {
  if (!a.v6) return ClassifyV4(a);
  if (std::optional<IpAddress> v4 = a.EmbeddedV4()) {
    AddressClass c = ClassifyV4(*v4);
    // An embedding of a public address is still a tunnelling form we don't need: treat
    // mapped/compatible as the IPv4 host itself, and NAT64/6to4 of public hosts as public.
    return c;
  }
  static const std::uint8_t kZero[16] = {};
  if (std::memcmp(a.bytes.data(), kZero, 16) == 0) return AddressClass::kUnspecified;
  if (std::memcmp(a.bytes.data(), kZero, 15) == 0 && a.bytes[15] == 1) {
    return AddressClass::kLoopback;
  }
  if (InV6(a, {0xFC}, 7) || InV6(a, {0xFE, 0xC0}, 10)) return AddressClass::kPrivate;
  if (InV6(a, {0xFE, 0x80}, 10)) return AddressClass::kLinkLocal;
  if (InV6(a, {0xFF}, 8)) return AddressClass::kMulticast;
  if (InV6(a, {0x20, 0x01, 0x0D, 0xB8}, 32) ||          // documentation
      InV6(a, {0x01, 0x00, 0, 0, 0, 0, 0, 0}, 64) ||    // discard-only
      InV6(a, {0x20, 0x01, 0x00, 0x00}, 32) ||          // Teredo (embeds obfuscated IPv4)
      InV6(a, {0x20, 0x01, 0x00, 0x10}, 28) ||          // ORCHID
      InV6(a, {0x00}, 8)) {                             // other ::/8 forms
    return AddressClass::kReserved;
  }
  return AddressClass::kPublic;
}

StatusOr<AddressPolicy> AddressPolicy::FromStrings(const std::vector<std::string>& cidrs) {
  std::vector<Cidr> allow;
  for (const std::string& text : cidrs) {
    StatusOr<Cidr> c = Cidr::Parse(text);
    if (!c.ok()) return c.status();
    allow.push_back(*c);
  }
  return AddressPolicy(std::move(allow));
}

bool AddressPolicy::IsAllowed(const IpAddress& address) const {
  for (const Cidr& c : allow_) {
    if (c.Contains(address)) return true;
  }
  return Classify(address) == AddressClass::kPublic;
}

StatusOr<std::pair<std::string, std::uint16_t>> ParseHostPort(const std::string& text) {
  std::string host, port;
  if (!text.empty() && text.front() == '[') {
    std::size_t close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return InvalidArgument("invalid listen address '" + text + "': expected [IPv6]:PORT");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    std::size_t colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon) {
      return InvalidArgument("invalid listen address '" + text + "': expected HOST:PORT");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty()) host = "0.0.0.0";
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || ptr != port.data() + port.size() || value > 65535) {
    return InvalidArgument("invalid port in listen address '" + text + "'");
  }
  return std::make_pair(host, static_cast<std::uint16_t>(value));
}

}  // namespace ocular::server
