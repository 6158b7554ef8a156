#include "server/net_policy.h"

#include <gtest/gtest.h>

namespace ocular::server {
namespace {

IpAddress Ip(const char* text) {
  std::optional<IpAddress> a = IpAddress::Parse(text);
  EXPECT_TRUE(a.has_value()) << text;
  return a.value_or(IpAddress{});
}

TEST(IpAddress, ParsesBothFamiliesAndBrackets) {
  EXPECT_FALSE(Ip("1.2.3.4").v6);
  EXPECT_TRUE(Ip("::1").v6);
  EXPECT_TRUE(Ip("[fe80::1]").v6);
  EXPECT_EQ(Ip("[2001:db8::1]").ToString(), "2001:db8::1");
  EXPECT_FALSE(IpAddress::Parse("localhost"));
  EXPECT_FALSE(IpAddress::Parse("1.2.3"));
  EXPECT_FALSE(IpAddress::Parse("1.2.3.4.5"));
  EXPECT_FALSE(IpAddress::Parse(""));
  EXPECT_FALSE(IpAddress::Parse("0x7f.1"));  // inet_aton forms are not addresses here
}

TEST(Cidr, ParsesAndClearsHostBits) {
  StatusOr<Cidr> c = Cidr::Parse("10.1.2.3/8");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->ToString(), "10.0.0.0/8");
  EXPECT_EQ(Cidr::Parse("127.0.0.1")->prefix, 32);
  EXPECT_EQ(Cidr::Parse("::1")->prefix, 128);
  EXPECT_EQ(Cidr::Parse("fc00::/7")->ToString(), "fc00::/7");
  EXPECT_EQ(Cidr::Parse("0.0.0.0/0")->prefix, 0);
}

TEST(Cidr, RejectsMalformed) {
  for (const char* bad : {"", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x",
                          "example.com/8", "10.0.0.0/08 ", "/8"}) {
    EXPECT_FALSE(Cidr::Parse(bad).ok()) << bad;
  }
}

TEST(Cidr, Contains) {
  Cidr net = *Cidr::Parse("192.168.0.0/16");
  EXPECT_TRUE(net.Contains(Ip("192.168.255.1")));
  EXPECT_FALSE(net.Contains(Ip("192.169.0.1")));
  EXPECT_TRUE(net.Contains(Ip("::ffff:192.168.1.1")));  // mapped form of the same host
  EXPECT_FALSE(net.Contains(Ip("::1")));
  Cidr odd = *Cidr::Parse("172.16.0.0/12");
  EXPECT_TRUE(odd.Contains(Ip("172.31.255.255")));
  EXPECT_FALSE(odd.Contains(Ip("172.32.0.0")));
  Cidr v6 = *Cidr::Parse("fe80::/10");
  EXPECT_TRUE(v6.Contains(Ip("febf::1")));
  EXPECT_FALSE(v6.Contains(Ip("fec0::1")));
  EXPECT_FALSE(v6.Contains(Ip("10.0.0.1")));
  EXPECT_TRUE(Cidr::Parse("0.0.0.0/0")->Contains(Ip("8.8.8.8")));
  EXPECT_TRUE(Cidr::Parse("127.0.0.1/32")->Contains(Ip("127.0.0.1")));
  EXPECT_FALSE(Cidr::Parse("127.0.0.1/32")->Contains(Ip("127.0.0.2")));
}

TEST(Classify, BlocksEveryNonPublicRange) {
  struct Case {
    const char* ip;
    AddressClass want;
  };
  const Case cases[] = {
      {"127.0.0.1", AddressClass::kLoopback},     {"127.255.255.254", AddressClass::kLoopback},
      {"::1", AddressClass::kLoopback},           {"10.0.0.1", AddressClass::kPrivate},
      {"172.16.0.1", AddressClass::kPrivate},     {"192.168.1.1", AddressClass::kPrivate},
      {"100.64.0.1", AddressClass::kPrivate},     {"fc00::1", AddressClass::kPrivate},
      {"fd12:3456::1", AddressClass::kPrivate},   {"169.254.169.254", AddressClass::kLinkLocal},
      {"fe80::1", AddressClass::kLinkLocal},      {"224.0.0.1", AddressClass::kMulticast},
      {"239.255.255.250", AddressClass::kMulticast}, {"ff02::1", AddressClass::kMulticast},
      {"0.0.0.0", AddressClass::kUnspecified},    {"0.1.2.3", AddressClass::kUnspecified},
      {"::", AddressClass::kUnspecified},         {"255.255.255.255", AddressClass::kReserved},
      {"240.0.0.1", AddressClass::kReserved},     {"192.0.2.1", AddressClass::kReserved},
      {"2001:db8::1", AddressClass::kReserved},   {"198.18.0.1", AddressClass::kReserved},
      // IPv6 forms embedding IPv4 take the class of the embedded address.
      {"::ffff:127.0.0.1", AddressClass::kLoopback},
      {"::ffff:10.1.1.1", AddressClass::kPrivate},
      {"::ffff:169.254.169.254", AddressClass::kLinkLocal},
      {"::127.0.0.1", AddressClass::kLoopback},
      {"64:ff9b::a9fe:a9fe", AddressClass::kLinkLocal},   // NAT64 of 169.254.169.254
      {"2002:c0a8:0101::1", AddressClass::kPrivate},      // 6to4 of 192.168.1.1
      // Public.
      {"8.8.8.8", AddressClass::kPublic},         {"1.1.1.1", AddressClass::kPublic},
      {"172.32.0.1", AddressClass::kPublic},      {"2606:4700:4700::1111", AddressClass::kPublic},
      {"::ffff:8.8.8.8", AddressClass::kPublic},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Classify(Ip(c.ip)), c.want) << c.ip << " -> " << AddressClassName(Classify(Ip(c.ip)));
  }
}

TEST(AddressPolicy, AllowlistOverridesTheBlockList) {
  AddressPolicy none;
  EXPECT_FALSE(none.IsAllowed(Ip("127.0.0.1")));
  EXPECT_FALSE(none.IsAllowed(Ip("169.254.169.254")));
  EXPECT_TRUE(none.IsAllowed(Ip("8.8.8.8")));
  StatusOr<AddressPolicy> p = AddressPolicy::FromStrings({"127.0.0.1/32", "fd00::/8"});
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->IsAllowed(Ip("127.0.0.1")));
  EXPECT_TRUE(p->IsAllowed(Ip("::ffff:127.0.0.1")));
  EXPECT_FALSE(p->IsAllowed(Ip("127.0.0.2")));
  EXPECT_FALSE(p->IsAllowed(Ip("::1")));
  EXPECT_TRUE(p->IsAllowed(Ip("fd00::5")));
  EXPECT_FALSE(p->IsAllowed(Ip("169.254.169.254")));
  EXPECT_FALSE(AddressPolicy::FromStrings({"127.0.0.1/32", "nope"}).ok());
}

TEST(ParseHostPort, Forms) {
  auto a = ParseHostPort("127.0.0.1:5000");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->first, "127.0.0.1");
  EXPECT_EQ(a->second, 5000);
  auto b = ParseHostPort("[::1]:0");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->first, "::1");
  EXPECT_EQ(b->second, 0);
  auto c = ParseHostPort(":8443");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->first, "0.0.0.0");
  for (const char* bad : {"", "127.0.0.1", "127.0.0.1:", "h:70000", "::1:80", "[::1]80", "h:8x"}) {
    EXPECT_FALSE(ParseHostPort(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace ocular::server

namespace ocular::server {
namespace {

TEST(AddressClassWithArticle, UsesAnBeforeVowels) {
  EXPECT_EQ(AddressClassWithArticle(AddressClass::kUnspecified), "an unspecified");
  EXPECT_EQ(AddressClassWithArticle(AddressClass::kPrivate), "a private");
  EXPECT_EQ(AddressClassWithArticle(AddressClass::kLoopback), "a loopback");
  EXPECT_EQ(AddressClassWithArticle(AddressClass::kLinkLocal), "a link-local");
}

}  // namespace
}  // namespace ocular::server
