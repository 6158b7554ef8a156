// URL fetching's checks before any connection: the DNS lookup deadline and the refusal message
// for non-public hosts. (No network: resolvers are injected, literals need none.)
#include "server/url_fetcher.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "server/dns_lookup.h"

namespace ocular::server {
namespace {

using namespace std::chrono_literals;

TEST(DnsLookup, SlowResolverHitsTheDeadline) {
  const auto t0 = std::chrono::steady_clock::now();
  auto r = ResolveWithTimeout("slow.example", 100ms, [](const std::string&) {
    std::this_thread::sleep_for(1500ms);
    return std::vector<IpAddress>{*IpAddress::Parse("93.184.216.34")};
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1400ms);  // did not wait for the resolver
}

TEST(DnsLookup, FastResolverAnswers) {
  auto r = ResolveWithTimeout("fast.example", 5s, [](const std::string& host) {
    EXPECT_EQ(host, "fast.example");
    return std::vector<IpAddress>{*IpAddress::Parse("93.184.216.34")};
  });
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].ToString(), "93.184.216.34");
}

TEST(UrlFetcher, DnsTimeoutIsItsOwnError) {
  UrlFetchOptions o;
  o.dns_timeout = 100ms;
  o.resolver = [](const std::string&) {
    std::this_thread::sleep_for(1500ms);
    return std::vector<IpAddress>{};
  };
  auto r = FetchUrl(o, "http://slow.example/a.jpg", 1000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().inner_code(), "InvalidImageUrl");
  EXPECT_NE(r.status().message().find("could not be resolved in time"), std::string::npos)
      << r.status().message();
}

TEST(UrlFetcher, RefusedAddressesReadWithTheRightArticle) {
  UrlFetchOptions o;
  auto unspecified = FetchUrl(o, "http://0.0.0.0/a.jpg", 1000);
  ASSERT_FALSE(unspecified.ok());
  EXPECT_NE(unspecified.status().message().find("is an unspecified address"), std::string::npos)
      << unspecified.status().message();
  o.resolver = [](const std::string&) {
    return std::vector<IpAddress>{*IpAddress::Parse("10.1.2.3")};
  };
  auto private_host = FetchUrl(o, "http://intranet.example/a.jpg", 1000);
  ASSERT_FALSE(private_host.ok());
  EXPECT_NE(private_host.status().message().find("resolves to a private address"),
            std::string::npos)
      << private_host.status().message();
}

}  // namespace
}  // namespace ocular::server
