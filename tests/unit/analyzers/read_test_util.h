// Helpers shared by the Read (OCR) tests: test image location, decoding, CER, geometry checks.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include "analyzers/read/read_analyzer.h"
#include "core/image.h"
#include "core/result.h"

namespace ocular::testing_read {

// $OCULAR_SOURCE_DIR/../shared/testdata/images, else /work/shared/testdata/images.
inline std::filesystem::path ImagesDir() {
  if (const char* src = std::getenv("OCULAR_SOURCE_DIR"); src != nullptr) {
    std::filesystem::path p = std::filesystem::path(src) / ".." / "shared" / "testdata" / "images";
    if (std::filesystem::exists(p / "doc_page.png")) return p;
  }
  return "/work/shared/testdata/images";
}

inline std::string ReadBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline std::span<const std::uint8_t> AsBytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// The source tree (for models/ and .deps/).
inline std::filesystem::path SourceDir() {
  if (const char* src = std::getenv("OCULAR_SOURCE_DIR"); src != nullptr) return src;
#ifdef OCULAR_SOURCE_DIR
  return OCULAR_SOURCE_DIR;
#else
  return ".";
#endif
}

// Engine options: the repository's PP-OCR models, else the raw npm assets setup unpacked.
inline ReadEngineOptions TestEngineOptions() {
  ReadEngineOptions o = DefaultReadEngineOptions((SourceDir() / "models").string());
  const std::filesystem::path assets =
      SourceDir() / ".deps" / "npm" / "@gutenye+ocr-models@1.4.2" / "package" / "assets";
  if (o.det_model.empty() && std::filesystem::exists(assets / "ch_PP-OCRv4_det_infer.onnx")) {
    o.det_model = assets / "ch_PP-OCRv4_det_infer.onnx";
  }
  return o;
}

// Text of every line in reading order, joined by '\n'.
inline std::string AllText(const ReadResult& r) {
  std::string s;
  for (const auto& b : r.blocks)
    for (const auto& l : b.lines) s += l.text + "\n";
  return s;
}

inline std::u32string Utf32Normalized(const std::string& s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    int n = c < 0x80 ? 0 : c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
    char32_t cp = n == 0 ? c : c & (0x3F >> n);
    for (int k = 1; k <= n && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    i += n + 1;
    if (cp == U'\n' || cp == U'\t' || cp == U' ') {
      if (!out.empty() && out.back() != U' ') out.push_back(U' ');
    } else {
      out.push_back(cp);
    }
  }
  while (!out.empty() && out.back() == U' ') out.pop_back();
  return out;
}

// Character error rate: Levenshtein distance over code points / reference length, after
// collapsing whitespace (line breaks count as one space).
inline double Cer(const std::string& hyp, const std::string& ref) {
  std::u32string h = Utf32Normalized(hyp), r = Utf32Normalized(ref);
  std::vector<std::size_t> prev(h.size() + 1), cur(h.size() + 1);
  for (std::size_t j = 0; j <= h.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= r.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= h.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r[i - 1] != h[j - 1])});
    }
    std::swap(prev, cur);
  }
  return r.empty() ? 0.0 : double(prev[h.size()]) / r.size();
}

// True when p lies inside the convex quad q (either winding), with `tol` pixels of slack.
inline bool InsideQuad(const PointF& p, const Quad& q, double tol) {
  int sign = 0;
  for (int i = 0; i < 4; ++i) {
    const PointF& a = q[i];
    const PointF& b = q[(i + 1) % 4];
    double ex = b.x - a.x, ey = b.y - a.y;
    double len = std::hypot(ex, ey);
    if (len < 1e-9) continue;
    double cross = (ex * (p.y - a.y) - ey * (p.x - a.x)) / len;  // signed distance
    if (std::abs(cross) <= tol) continue;
    int s = cross > 0 ? 1 : -1;
    if (sign == 0) sign = s;
    if (s != sign) return false;
  }
  return true;
}

}  // namespace ocular::testing_read
