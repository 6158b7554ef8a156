// The gallery index loader (analyzers/galleries/gallery_index.h: the `.index` file written by
// `ocular gallery build` and read at startup) on arbitrary bytes. The first byte chooses:
//  - even: the rest is a payload, framed here with a valid header (magic, version, size, sha256),
//    so the fuzzer reaches the payload reader instead of stopping at the checksum;
//  - odd: the rest is a whole file (header checks: magic, version, size, checksum).
// Invariant: an index that parses serialises to a file that parses to the same serialisation.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "analyzers/galleries/gallery_index.h"
#include "runtime/sha256.h"

namespace {

void PutU32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::string Frame(std::string_view payload) {
  std::string file = "OCGALIDX";
  PutU32(file, ocular::gallery::kIndexFormatVersion);
  const std::uint64_t size = payload.size();
  for (int i = 0; i < 8; ++i) file.push_back(static_cast<char>((size >> (8 * i)) & 0xff));
  file += ocular::runtime::Sha256Hex(payload);
  file += payload;
  return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string file = (data[0] & 1) ? std::string(rest) : Frame(rest);
  auto index = ocular::gallery::ParseIndex(file);
  if (!index.ok()) {
    if (index.status().message().empty()) __builtin_trap();
    return 0;
  }
  const std::string again = ocular::gallery::SerializeIndex(*index);
  auto reparsed = ocular::gallery::ParseIndex(again);
  if (!reparsed.ok() || ocular::gallery::SerializeIndex(*reparsed) != again) __builtin_trap();
  return 0;
}
