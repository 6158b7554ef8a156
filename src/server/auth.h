// Credentials: subscription keys (Ocp-Apim-Subscription-Key) and short-lived bearer tokens.
//
// Keys are never kept in clear: the store holds their SHA-256 digests, and a presented key is
// hashed and compared against every digest with CRYPTO_memcmp (constant time, no early exit),
// so timing reveals neither which key matched nor how much of it. Several keys are accepted at
// once, so they can be rotated (KEY1/KEY2 as in Azure).
//
// Tokens (POST /sts/v1.0/issueToken) are compact JWTs signed with HMAC-SHA256 under a random
// per-process secret: {"alg":"HS256","typ":"JWT"}.{"kid":<key index>,"iat":..,"exp":..,"jti":..}.
// They expire after `ttl` (10 minutes by default, as Azure's STS). With --cluster-secret-file the
// secret is derived from the cluster secret, so every instance accepts them; else it is random
// per process and tokens die with it.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ocular::server {

using Sha256Digest = std::array<std::uint8_t, 32>;
Sha256Digest Sha256(std::string_view data);

class KeyStore {
 public:
  KeyStore() = default;
  // Errors: InvalidArgument for an empty key. Duplicates are kept once.
  static StatusOr<KeyStore> Create(const std::vector<std::string>& keys);

  // The index of the matching key (stable for the process: rate limits and tokens use it).
  std::optional<int> Match(std::string_view presented) const;
  std::size_t size() const { return digests_.size(); }

 private:
  std::vector<Sha256Digest> digests_;
};

class TokenSigner {
 public:
  using Clock = std::chrono::system_clock;
  // A random 256-bit secret from the OpenSSL CSPRNG.
  explicit TokenSigner(std::chrono::seconds ttl = std::chrono::minutes(10));
  // A fixed secret: tests, and the key derived from the cluster secret (cluster_secret.h), which
  // makes tokens valid on every instance sharing it.
  TokenSigner(std::string secret, std::chrono::seconds ttl);

  std::string Issue(int key_index, Clock::time_point now = Clock::now()) const;
  // The key index the token was issued for, if the signature checks out and it has not expired.
  std::optional<int> Verify(std::string_view token, Clock::time_point now = Clock::now()) const;
  std::chrono::seconds ttl() const { return ttl_; }

 private:
  std::string Sign(std::string_view signing_input) const;
  std::string secret_;
  std::chrono::seconds ttl_;
};

// base64url without padding (RFC 4648 §5); Decode returns nullopt on bad input, including a
// non-canonical last character (unused bits not zero, RFC 4648 §3.5).
std::string Base64UrlEncode(std::string_view data);
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Reads keys from `path`: one per line, surrounding whitespace trimmed, blank lines and lines
// starting with '#' skipped. Errors: FailedPrecondition when unreadable.
StatusOr<std::vector<std::string>> ReadKeyFile(const std::string& path);

// A random RFC 4122 version-4 UUID ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"), from the CSPRNG.
std::string NewUuidV4();

}  // namespace ocular::server
