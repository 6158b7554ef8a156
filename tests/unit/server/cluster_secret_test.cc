// Cluster secret: HKDF (RFC 5869 vector), result sealing (round trip, tamper detection, key
// separation), secret file loading, and STS tokens valid across instances sharing the secret.
#include "server/cluster_secret.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "server/auth.h"

namespace ocular::server {
namespace {

std::string Hex(const std::string& s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string Bytes(std::initializer_list<int> v) {
  std::string s;
  for (int b : v) s += static_cast<char>(b);
  return s;
}

const std::string kSecret = "0123456789abcdef0123456789abcdef-cluster";
const std::string kId = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";

TEST(Hkdf, MatchesRfc5869TestCase1) {
  const std::string ikm(22, '\x0b');
  const std::string salt = Bytes({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  const std::string info = Bytes({0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9});
  StatusOr<std::string> okm = HkdfSha256(ikm, salt, info, 42);
  ASSERT_TRUE(okm.ok());
  EXPECT_EQ(Hex(*okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST(ReadResultCipher, RoundTripsAndHidesThePlaintext) {
  ReadResultCipher cipher(kSecret);
  const std::string text = R"({"s":"succeeded","r":"Hello secret text"})";
  StatusOr<std::string> sealed = cipher.Seal(kId, text);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->size(), 1 + 12 + text.size() + 16);
  EXPECT_EQ(sealed->find("Hello"), std::string::npos);
  EXPECT_EQ(sealed->find(kId), std::string::npos);
  StatusOr<std::string> opened = cipher.Open(kId, *sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, text);
  // A fresh nonce per seal: the same plaintext never gives the same value.
  EXPECT_NE(*cipher.Seal(kId, text), *sealed);
}

TEST(ReadResultCipher, DetectsEveryAlteredByte) {
  ReadResultCipher cipher(kSecret);
  const std::string sealed = *cipher.Seal(kId, "some recognised text");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string bad = sealed;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    EXPECT_FALSE(cipher.Open(kId, bad).ok()) << "byte " << i;
  }
  EXPECT_FALSE(cipher.Open(kId, sealed.substr(0, sealed.size() - 1)).ok());
  EXPECT_FALSE(cipher.Open(kId, "").ok());
  EXPECT_FALSE(cipher.Open(kId, sealed + "x").ok());
}

TEST(ReadResultCipher, NeedsBothTheSecretAndTheOperationId) {
  ReadResultCipher cipher(kSecret), other(kSecret + "-other");
  const std::string sealed = *cipher.Seal(kId, "text");
  EXPECT_FALSE(other.Open(kId, sealed).ok());
  EXPECT_FALSE(cipher.Open("6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4c", sealed).ok());
}

TEST(ReadResultCipher, KeyNamesAreStableAndRevealNoId) {
  ReadResultCipher cipher(kSecret), other(kSecret + "-other");
  StatusOr<std::string> name = cipher.KeyName(kId);
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(*name, *cipher.KeyName(kId));
  EXPECT_EQ(name->size(), std::string("ocular:read:").size() + 64);
  EXPECT_TRUE(name->starts_with("ocular:read:"));
  EXPECT_EQ(name->find("6f1c2a3b"), std::string::npos);
  EXPECT_NE(*name, *other.KeyName(kId));
  EXPECT_NE(*name, *cipher.KeyName("00000000-0000-4000-8000-000000000000"));
}

TEST(ClusterSecret, LoadsTrimsAndRejectsShortSecrets) {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string good = (dir / "ocular-secret-good").string();
  const std::string bad = (dir / "ocular-secret-short").string();
  std::ofstream(good) << kSecret << "\n";
  std::ofstream(bad) << "too short\n";
  StatusOr<std::string> s = LoadClusterSecret(good);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, kSecret);
  StatusOr<std::string> b = LoadClusterSecret(bad);
  EXPECT_FALSE(b.ok());
  EXPECT_EQ(b.status().message().find("too short"), std::string::npos);  // never echo it
  EXPECT_FALSE(LoadClusterSecret((dir / "ocular-secret-missing").string()).ok());
  std::filesystem::remove(good);
  std::filesystem::remove(bad);
}

TEST(ClusterSecret, TokensFromOneInstanceVerifyOnAnother) {
  StatusOr<std::string> key = DeriveTokenKey(kSecret);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->size(), 32u);
  EXPECT_NE(*key, kSecret.substr(0, 32));
  TokenSigner a(*key, std::chrono::minutes(10)),
      b(*DeriveTokenKey(kSecret), std::chrono::minutes(10));
  TokenSigner c(*DeriveTokenKey(kSecret + "-other"), std::chrono::minutes(10));
  const std::string token = a.Issue(1);
  EXPECT_EQ(b.Verify(token), 1);
  EXPECT_FALSE(c.Verify(token));
}

}  // namespace
}  // namespace ocular::server
