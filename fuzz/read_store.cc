// The shared Read result store's value handling (server/read_store_redis.h, cluster_secret.h):
// what RedisReadBackend::Get does with the bytes Redis returns, which a compromised or shared
// Redis controls. The first byte chooses:
//  - even: the rest is a stored value: ReadResultCipher::Open under a fixed secret and id
//    (always fails but for a forgery), then DecodeSnapshot of whatever opens;
//  - odd: the rest is a plaintext: DecodeSnapshot directly (the JSON a valid seal would carry),
//    and Seal then Open must give it back.
// Invariant: a decoded snapshot encodes to JSON that decodes to the same encoding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/cluster_secret.h"
#include "server/read_store_redis.h"

namespace {

constexpr std::string_view kId = "5f2c8d0e-3b9a-4c71-9e0d-2a6b7c8d9e0f";

void CheckDecode(const std::string& plain) {
  auto snap = ocular::server::DecodeSnapshot(plain);
  if (!snap.ok()) return;
  const std::string encoded = ocular::server::EncodeSnapshot(*snap);
  auto again = ocular::server::DecodeSnapshot(encoded);
  if (!again.ok() || ocular::server::EncodeSnapshot(*again) != encoded) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const ocular::server::ReadResultCipher cipher(std::string(48, 's'));
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  if ((data[0] & 1) == 0) {
    auto plain = cipher.Open(kId, rest);
    if (plain.ok()) CheckDecode(*plain);
    return 0;
  }
  CheckDecode(rest);
  auto sealed = cipher.Seal(kId, rest);
  if (!sealed.ok()) __builtin_trap();
  auto opened = cipher.Open(kId, *sealed);
  if (!opened.ok() || *opened != rest) __builtin_trap();
  return 0;
}
