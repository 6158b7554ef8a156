// File helpers shared by the benchmarks (measurement tools, not product code).
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace bench {

// The whole file as bytes; empty when it cannot be read.
inline std::vector<std::uint8_t> ReadFileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)), {});
}

// The candidate images of a test-data folder, sorted by name: every regular file except the
// manifests and notes beside them (.tsv, .md, .txt). Files that do not decode are the caller's
// to skip.
inline std::vector<std::filesystem::path> ImageFiles(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const auto ext = e.path().extension();
    if (e.is_regular_file() && ext != ".tsv" && ext != ".md" && ext != ".txt") {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace bench
