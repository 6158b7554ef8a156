#include "server/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace ocular::server {
namespace {

std::string RandomBytes(std::size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    // The CSPRNG failing is unrecoverable for a service that hands out credentials.
    std::fputs("ocular: RAND_bytes failed\n", stderr);
    std::abort();
  }
  return out;
}

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int DecodeChar(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

Sha256Digest Sha256(std::string_view data) {
  Sha256Digest d{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), d.data(), &len, EVP_sha256(), nullptr);
  return d;
}

StatusOr<KeyStore> KeyStore::Create(const std::vector<std::string>& keys) {
  KeyStore store;
  for (const std::string& key : keys) {
    if (key.empty()) return InvalidArgument("an API key must not be empty");
    Sha256Digest d = Sha256(key);
    if (std::find(store.digests_.begin(), store.digests_.end(), d) == store.digests_.end()) {
      store.digests_.push_back(d);
    }
  }
  return store;
}

std::optional<int> KeyStore::Match(std::string_view presented) const {
  const Sha256Digest d = Sha256(presented);
  int found = -1;
  // Every digest is compared, whatever matched before: the time depends on the key count only.
  for (std::size_t i = 0; i < digests_.size(); ++i) {
    int equal = CRYPTO_memcmp(d.data(), digests_[i].data(), d.size()) == 0;
    found = equal ? static_cast<int>(i) : found;
  }
  if (found < 0) return std::nullopt;
  return found;
}

TokenSigner::TokenSigner(std::chrono::seconds ttl) : secret_(RandomBytes(32)), ttl_(ttl) {}
TokenSigner::TokenSigner(std::string secret, std::chrono::seconds ttl)
    : secret_(std::move(secret)), ttl_(ttl) {}

std::string TokenSigner::Sign(std::string_view input) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  return std::string(reinterpret_cast<char*>(mac), len);
}

std::string TokenSigner::Issue(int key_index, Clock::time_point now) const {
  const long long iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  nlohmann::json payload = {{"kid", key_index}, {"iat", iat}, {"exp", iat + ttl_.count()},
                            {"jti", NewUuidV4()}, {"iss", "ocular"}};
  std::string input = Base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})") + "." +
                      Base64UrlEncode(payload.dump());
  return input + "." + Base64UrlEncode(Sign(input));
}

std::optional<int> TokenSigner::Verify(std::string_view token, Clock::time_point now) const {
  if (token.size() > 4096) return std::nullopt;
  std::size_t dot2 = token.rfind('.');
  if (dot2 == std::string_view::npos) return std::nullopt;
  std::string_view input = token.substr(0, dot2);
  std::optional<std::string> mac = Base64UrlDecode(token.substr(dot2 + 1));
  const std::string expected = Sign(input);
  if (!mac || mac->size() != expected.size() ||
      CRYPTO_memcmp(mac->data(), expected.data(), expected.size()) != 0) {
    return std::nullopt;
  }
  // Signed by us: the header is ours, only the payload needs reading.
  std::size_t dot1 = input.find('.');
  if (dot1 == std::string_view::npos) return std::nullopt;
  std::optional<std::string> payload = Base64UrlDecode(input.substr(dot1 + 1));
  if (!payload) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(*payload, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("exp") || !j.contains("kid") ||
      !j["exp"].is_number_integer() || !j["kid"].is_number_integer()) {
    return std::nullopt;
  }
  const long long t = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (t >= j["exp"].get<long long>()) return std::nullopt;
  return j["kid"].get<int>();
}

std::string Base64UrlEncode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(data[k]); };
  for (; i + 3 <= data.size(); i += 3) {
    std::uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  std::size_t rest = data.size() - i;
  if (rest == 1) {
    std::uint32_t v = byte(i) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (rest == 2) {
    std::uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = DecodeChar(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  // Canonical only: the unused low bits of the last character must be zero, so one byte string
  // has one encoding (a token with its last character changed never verifies).
  if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string NewUuidV4() {
  std::string r = RandomBytes(16);
  auto* b = reinterpret_cast<unsigned char*>(r.data());
  b[6] = (b[6] & 0x0F) | 0x40;
  b[8] = (b[8] & 0x3F) | 0x80;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 15];
  }
  return out;
}

StatusOr<std::vector<std::string>> ReadKeyFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return FailedPrecondition("cannot read the API key file " + path);
  std::vector<std::string> keys;
  std::string line;
  while (std::getline(in, line)) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    const auto last = line.find_last_not_of(" \t\r");
    keys.push_back(line.substr(first, last - first + 1));
  }
  return keys;
}

}  // namespace ocular::server
