// The cluster secret (--cluster-secret-file): one secret shared by every instance of a
// deployment. From it, with HKDF-SHA256 (RFC 5869, OpenSSL EVP), Ocular derives
//   - the STS token signing key (so a token issued by one instance is valid on all), and
//   - per Read operation, the AES-256-GCM key and the Redis key name of its shared result
//     (ReadResultCipher): both need the secret AND the operation id, so the store holds nothing
//     readable, and nothing that locates a result, without both.
// Secrets never reach logs; errors name the file, never its content.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ocular::server {

// At least this many bytes of secret (e.g. `openssl rand -base64 48 > cluster.secret`).
inline constexpr std::size_t kMinClusterSecretBytes = 32;

// Reads the secret from `path`; trailing whitespace (a final newline) is dropped.
// Errors: FailedPrecondition (unreadable), InvalidArgument (shorter than kMinClusterSecretBytes).
StatusOr<std::string> LoadClusterSecret(const std::string& path);

// HKDF-SHA256 (extract + expand): `length` bytes from `ikm`, `salt` and `info`.
// Errors: Internal when OpenSSL fails.
StatusOr<std::string> HkdfSha256(std::string_view ikm, std::string_view salt, std::string_view info,
                                 std::size_t length);

// The 32-byte STS token signing key derived from the cluster secret.
StatusOr<std::string> DeriveTokenKey(std::string_view cluster_secret);

// Seals and opens shared Read results. Value format: 0x01 (version) | 12-byte random nonce |
// ciphertext | 16-byte GCM tag; the AAD is the version byte plus the key name, so a value moved
// to another key, altered or truncated fails to open.
class ReadResultCipher {
 public:
  explicit ReadResultCipher(std::string cluster_secret) : secret_(std::move(cluster_secret)) {}

  // The store key of operation `id` (lower-case UUID): "ocular:read:" + 64 hex digits of
  // HKDF(secret, salt=id, info="ocular/read/name/v1").
  StatusOr<std::string> KeyName(std::string_view id) const;
  // Errors: Internal when OpenSSL fails.
  StatusOr<std::string> Seal(std::string_view id, std::string_view plaintext) const;
  // Errors: Internal when the value is malformed, altered, or sealed under another secret/id.
  StatusOr<std::string> Open(std::string_view id, std::string_view sealed) const;

 private:
  std::string secret_;
};

}  // namespace ocular::server
