#include "server/cluster_secret.h"

#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include <fstream>
#include <iterator>
#include <memory>

namespace ocular::server {
namespace {

constexpr unsigned char kVersion = 0x01;
constexpr std::size_t kNonceBytes = 12, kTagBytes = 16, kKeyBytes = 32;

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

StatusOr<std::string> ValueKey(const std::string& secret, std::string_view id) {
  return HkdfSha256(secret, id, "ocular/read/aes-256-gcm/v1", kKeyBytes);
}

}  // namespace

StatusOr<std::string> LoadClusterSecret(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return FailedPrecondition("cannot read the cluster secret file " + path);
  std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r' ||
                             secret.back() == ' ' || secret.back() == '\t')) {
    secret.pop_back();
  }
  if (secret.size() < kMinClusterSecretBytes) {
    return InvalidArgument("the cluster secret in " + path + " is shorter than " +
                           std::to_string(kMinClusterSecretBytes) +
                           " bytes (make one with: openssl rand -base64 48)");
  }
  return secret;
}

StatusOr<std::string> HkdfSha256(std::string_view ikm, std::string_view salt, std::string_view info,
                                 std::size_t length) {
  std::unique_ptr<EVP_PKEY_CTX, void (*)(EVP_PKEY_CTX*)> ctx(
      EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr), EVP_PKEY_CTX_free);
  std::string out(length, '\0');
  std::size_t out_len = length;
  // An empty salt is passed as a zero-length buffer (RFC 5869: HashLen zeros).
  static const unsigned char kNoSalt = 0;
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_hkdf_md(ctx.get(), EVP_sha256()) <= 0 ||
      EVP_PKEY_CTX_set1_hkdf_salt(ctx.get(), salt.empty() ? &kNoSalt : U(salt),
                                  static_cast<int>(salt.size())) <= 0 ||
      EVP_PKEY_CTX_set1_hkdf_key(ctx.get(), U(ikm), static_cast<int>(ikm.size())) <= 0 ||
      EVP_PKEY_CTX_add1_hkdf_info(ctx.get(), U(info), static_cast<int>(info.size())) <= 0 ||
      EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &out_len) <= 0 ||
      out_len != length) {
    return Internal("HKDF-SHA256 failed");
  }
  return out;
}

StatusOr<std::string> DeriveTokenKey(std::string_view cluster_secret) {
  return HkdfSha256(cluster_secret, "", "ocular/sts/hs256/v1", kKeyBytes);
}

StatusOr<std::string> ReadResultCipher::KeyName(std::string_view id) const {
  OCULAR_ASSIGN_OR_RETURN(std::string raw, HkdfSha256(secret_, id, "ocular/read/name/v1", 32));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name = "ocular:read:";
  for (unsigned char c : raw) {
    name += kHex[c >> 4];
    name += kHex[c & 15];
  }
  return name;
}

StatusOr<std::string> ReadResultCipher::Seal(std::string_view id,
                                             std::string_view plaintext) const {
  OCULAR_ASSIGN_OR_RETURN(std::string key, ValueKey(secret_, id));
  OCULAR_ASSIGN_OR_RETURN(std::string name, KeyName(id));
  std::string out(1 + kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  o[0] = kVersion;
  if (RAND_bytes(o + 1, kNonceBytes) != 1) return Internal("RAND_bytes failed");
  const std::string aad = std::string(1, static_cast<char>(kVersion)) + name;
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0, fin = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key), o + 1) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, U(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), o + 1 + kNonceBytes, &len, U(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), o + 1 + kNonceBytes + len, &fin) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                          o + 1 + kNonceBytes + plaintext.size()) != 1) {
    return Internal("AES-256-GCM encryption failed");
  }
  return out;
}

StatusOr<std::string> ReadResultCipher::Open(std::string_view id, std::string_view sealed) const {
  if (sealed.size() < 1 + kNonceBytes + kTagBytes ||
      static_cast<unsigned char>(sealed[0]) != kVersion) {
    return Internal("the shared Read result is malformed");
  }
  OCULAR_ASSIGN_OR_RETURN(std::string key, ValueKey(secret_, id));
  OCULAR_ASSIGN_OR_RETURN(std::string name, KeyName(id));
  const std::string aad = std::string(1, static_cast<char>(kVersion)) + name;
  const std::size_t n = sealed.size() - 1 - kNonceBytes - kTagBytes;
  const auto* in = U(sealed);
  std::string tag(sealed.substr(1 + kNonceBytes + n));
  std::string out(n, '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0, fin = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key), in + 1) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, U(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                        in + 1 + kNonceBytes, static_cast<int>(n)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &fin) !=
          1) {
    return Internal("the shared Read result failed authentication");
  }
  return out;
}

}  // namespace ocular::server
