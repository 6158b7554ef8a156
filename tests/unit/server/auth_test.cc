#include "server/auth.h"

#include <gtest/gtest.h>

#include <set>

#include "tests/unit/server/uuid_text.h"

namespace ocular::server {
namespace {

TEST(KeyStore, MatchesEveryConfiguredKeyForRotation) {
  StatusOr<KeyStore> s = KeyStore::Create({"key-one", "key-two"});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->size(), 2u);
  EXPECT_EQ(s->Match("key-one"), 0);
  EXPECT_EQ(s->Match("key-two"), 1);
  EXPECT_FALSE(s->Match("key-three"));
  EXPECT_FALSE(s->Match(""));
  EXPECT_FALSE(s->Match("key-one "));  // exact, no trimming
  EXPECT_FALSE(s->Match("KEY-ONE"));
  EXPECT_FALSE(s->Match("key-on"));
}

TEST(KeyStore, RejectsEmptyKeysAndDeduplicates) {
  EXPECT_FALSE(KeyStore::Create({"a", ""}).ok());
  StatusOr<KeyStore> s = KeyStore::Create({"same", "same"});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->size(), 1u);
}

TEST(Sha256, KnownVector) {
  // SHA-256("abc") = ba7816bf...
  Sha256Digest d = Sha256("abc");
  EXPECT_EQ(d[0], 0xba);
  EXPECT_EQ(d[1], 0x78);
  EXPECT_EQ(d[31], 0xad);
}

TEST(Base64Url, RoundTripsEveryLength) {
  std::string data;
  for (int n = 0; n < 40; ++n) {
    std::string enc = Base64UrlEncode(data);
    EXPECT_EQ(enc.find_first_of("+/="), std::string::npos);
    std::optional<std::string> dec = Base64UrlDecode(enc);
    ASSERT_TRUE(dec.has_value()) << n;
    EXPECT_EQ(*dec, data);
    data += static_cast<char>(n * 37 + 250);
  }
  EXPECT_FALSE(Base64UrlDecode("a"));
  EXPECT_FALSE(Base64UrlDecode("ab+c"));
  EXPECT_EQ(Base64UrlDecode("QQ").value_or(""), "A");
  EXPECT_FALSE(Base64UrlDecode("QR"));  // unused bits set: not the canonical encoding of "A"
}

TEST(TokenSigner, IssuesTokensThatVerifyUntilExpiry) {
  TokenSigner signer("0123456789abcdef0123456789abcdef", std::chrono::seconds(600));
  const auto now = TokenSigner::Clock::now();
  std::string token = signer.Issue(1, now);
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2);  // JWT shape
  EXPECT_EQ(signer.Verify(token, now), 1);
  EXPECT_EQ(signer.Verify(token, now + std::chrono::seconds(599)), 1);
  EXPECT_FALSE(signer.Verify(token, now + std::chrono::seconds(601)));
}

TEST(TokenSigner, RefusesTamperedOrForeignTokens) {
  TokenSigner signer("0123456789abcdef0123456789abcdef", std::chrono::seconds(600));
  TokenSigner other("fedcba9876543210fedcba9876543210", std::chrono::seconds(600));
  const auto now = TokenSigner::Clock::now();
  std::string token = signer.Issue(0, now);
  EXPECT_FALSE(other.Verify(token, now));
  // Change the payload (kid 0 -> 1) and keep the signature.
  std::size_t d1 = token.find('.'), d2 = token.rfind('.');
  std::string payload = *Base64UrlDecode(token.substr(d1 + 1, d2 - d1 - 1));
  payload.replace(payload.find("\"kid\":0"), 7, "\"kid\":1");
  std::string forged = token.substr(0, d1 + 1) + Base64UrlEncode(payload) + token.substr(d2);
  EXPECT_FALSE(signer.Verify(forged, now));
  std::string flipped = token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(signer.Verify(flipped, now));
  EXPECT_FALSE(signer.Verify("", now));
  EXPECT_FALSE(signer.Verify("a.b.c", now));
  EXPECT_FALSE(signer.Verify("not a token", now));
}

TEST(TokenSigner, RandomSecretsDiffer) {
  TokenSigner a, b;
  const auto now = TokenSigner::Clock::now();
  EXPECT_EQ(a.Verify(a.Issue(3, now), now), 3);
  EXPECT_FALSE(b.Verify(a.Issue(3, now), now));
}

TEST(Uuid, IsVersion4AndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewUuidV4();
    EXPECT_TRUE(testing_util::IsUuidV4(id)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace ocular::server
