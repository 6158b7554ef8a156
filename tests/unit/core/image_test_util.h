// Helpers shared by the image ingestion tests: locating the shared test images and building
// small images in memory.
#pragma once

#include <sys/stat.h>

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/image.h"

namespace ocular::testing {

using ByteVec = std::vector<std::uint8_t>;

inline bool IsDir(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// The read-only shared test images: $OCULAR_SOURCE_DIR/../shared/testdata/images, else the
// compiled-in source dir, else /work/shared/testdata/images.
inline std::string TestdataDir() {
  if (const char* env = std::getenv("OCULAR_SOURCE_DIR"); env != nullptr && *env != '\0') {
    const std::string dir = std::string(env) + "/../shared/testdata/images";
    if (IsDir(dir)) return dir;
  }
#ifdef OCULAR_SOURCE_DIR
  if (const std::string dir = std::string(OCULAR_SOURCE_DIR) + "/../shared/testdata/images";
      IsDir(dir)) {
    return dir;
  }
#endif
  return "/work/shared/testdata/images";
}

inline ByteVec ReadTestImage(const std::string& name) {
  std::ifstream in(TestdataDir() + "/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing test image " << name;
  return ByteVec(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct ManifestEntry {
  std::string file;
  std::string line;  // the whole row, for declared facts such as "512x512"
};

inline std::vector<ManifestEntry> ReadManifest() {
  std::ifstream in(TestdataDir() + "/MANIFEST.tsv");
  EXPECT_TRUE(in.good()) << "missing MANIFEST.tsv in " << TestdataDir();
  std::vector<ManifestEntry> entries;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      header = false;
      continue;
    }
    if (line.empty()) continue;
    entries.push_back({line.substr(0, line.find('\t')), line});
  }
  return entries;
}

// The first "WxH" (2-5 digits each) the manifest row declares, if any. (No std::regex: GCC 12
// warns inside <regex> under the sanitizer build.)
inline bool DeclaredSize(const std::string& row, int* width, int* height) {
  const auto digits_at = [&](std::size_t pos) {
    std::size_t end = pos;
    while (end < row.size() && std::isdigit(static_cast<unsigned char>(row[end]))) ++end;
    return end - pos;
  };
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i > 0 && std::isdigit(static_cast<unsigned char>(row[i - 1]))) continue;
    const std::size_t w = digits_at(i);
    if (w < 2 || w > 5 || i + w >= row.size() || row[i + w] != 'x') continue;
    const std::size_t h = digits_at(i + w + 1);
    if (h < 2 || h > 5) continue;
    *width = std::stoi(row.substr(i, w));
    *height = std::stoi(row.substr(i + w + 1, h));
    return true;
  }
  return false;
}

inline ByteVec Encode(const cv::Mat& img, const std::string& ext,
                      const std::vector<int>& params = {}) {
  std::vector<std::uint8_t> out;
  EXPECT_TRUE(cv::imencode(ext, img, out, params)) << ext;
  return out;
}

inline std::span<const std::uint8_t> Span(const ByteVec& v) { return {v.data(), v.size()}; }

// A colourful test pattern with distinct quadrants (orientation mistakes show).
inline cv::Mat Pattern(int width, int height) {
  cv::Mat img(height, width, CV_8UC3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      img.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<std::uint8_t>(255 * x / width),
                                          static_cast<std::uint8_t>(255 * y / height),
                                          static_cast<std::uint8_t>((x < width / 2) ? 40 : 220));
    }
  }
  return img;
}

// (Helpers grow vectors with push_back only: GCC 12 reports false -Warray-bounds and
// -Wstringop-overflow positives on inlined resize/insert of small vectors.)
inline void GrowTo(ByteVec& v, std::size_t size) {
  while (v.size() < size) v.push_back(0);
}
inline void PutU16(ByteVec& v, std::size_t at, unsigned value, bool big_endian) {
  GrowTo(v, at + 2);
  v[at + (big_endian ? 0 : 1)] = static_cast<std::uint8_t>(value >> 8);
  v[at + (big_endian ? 1 : 0)] = static_cast<std::uint8_t>(value);
}
inline void PutU32(ByteVec& v, std::size_t at, std::uint32_t value, bool big_endian) {
  GrowTo(v, at + 4);
  for (int i = 0; i < 4; ++i) {
    v[at + (big_endian ? 3 - i : i)] = static_cast<std::uint8_t>(value >> (8 * i));
  }
}
inline void Append(ByteVec& v, std::string_view s) {
  for (char c : s) v.push_back(static_cast<std::uint8_t>(c));
}
inline void Append(ByteVec& v, const ByteVec& w) {
  for (std::uint8_t b : w) v.push_back(b);
}

inline std::uint32_t Crc32(const std::uint8_t* data, std::size_t n, std::uint32_t crc = 0) {
  crc = ~crc;
  for (std::size_t i = 0; i < n; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// A PNG chunk: length, type, data, CRC over type and data.
inline ByteVec PngChunk(std::string_view type, const ByteVec& data) {
  ByteVec c;
  PutU32(c, 0, static_cast<std::uint32_t>(data.size()), true);
  Append(c, type);
  Append(c, data);
  const std::uint32_t crc = Crc32(c.data() + 4, c.size() - 4);
  PutU32(c, c.size(), crc, true);
  return c;
}

// zlib stream of stored (uncompressed) deflate blocks.
inline ByteVec ZlibStored(const ByteVec& raw) {
  ByteVec z = {0x78, 0x01};
  std::size_t pos = 0;
  do {
    const std::size_t n = std::min<std::size_t>(65535, raw.size() - pos);
    const bool final = pos + n == raw.size();
    z.push_back(final ? 1 : 0);
    PutU16(z, z.size(), static_cast<unsigned>(n), false);
    PutU16(z, z.size(), static_cast<unsigned>(~n & 0xffff), false);
    z.insert(z.end(), raw.begin() + pos, raw.begin() + pos + n);
    pos += n;
  } while (pos < raw.size());
  std::uint32_t a = 1, b = 0;
  for (std::uint8_t byte : raw) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  PutU32(z, z.size(), (b << 16) | a, true);
  return z;
}

// A PNG header (signature + IHDR) declaring any size, 8-bit RGB.
inline ByteVec PngHeader(std::uint32_t width, std::uint32_t height, int color_type = 2,
                         int bit_depth = 8) {
  ByteVec png;
  Append(png, std::string_view("\x89PNG\r\n\x1a\n", 8));
  ByteVec ihdr;
  PutU32(ihdr, 0, width, true);
  PutU32(ihdr, 4, height, true);
  ihdr.push_back(static_cast<std::uint8_t>(bit_depth));
  ihdr.push_back(static_cast<std::uint8_t>(color_type));
  ihdr.push_back(0);
  ihdr.push_back(0);
  ihdr.push_back(0);
  Append(png, PngChunk("IHDR", ihdr));
  return png;
}

// Any image, encoded as PNG, of the given size.
inline ByteVec PngOfSize(int width, int height) { return Encode(Pattern(width, height), ".png"); }

// ProbeImage then DecodeImage with `options`, as the engine calls them (no limits checked).
inline StatusOr<DecodedImage> ProbeAndDecode(const ByteVec& bytes,
                                             const DecodeOptions& options = {}) {
  const auto info = ProbeImage(Span(bytes));
  if (!info.ok()) return info.status();
  return DecodeImage(Span(bytes), *info, options);
}

}  // namespace ocular::testing
