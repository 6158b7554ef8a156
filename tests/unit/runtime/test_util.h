// Helpers shared by the runtime tests: fixture paths and scratch directories.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ocular::runtime::testing {

// tests/fixtures/models (written by tests/fixtures/make_tiny_model.py).
inline std::filesystem::path FixtureRepo() {
  return std::filesystem::path(OCULAR_SOURCE_DIR) / "tests" / "fixtures" / "models";
}
inline std::filesystem::path TinyDir() { return FixtureRepo() / "tiny" / "2026-01-01"; }
inline std::filesystem::path PairDir() { return FixtureRepo() / "pair" / "2026-01-01"; }

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline nlohmann::json ReadJson(const std::filesystem::path& path) {
  return nlohmann::json::parse(ReadFile(path));
}

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ocular_rt_XXXXXX").string();
    char* made = ::mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr);
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Copies the fixture folder `from` to <repo>/<name>/<version>/ and writes `config` (already
// adjusted by the test) as its config.json.
inline std::filesystem::path InstallModel(const std::filesystem::path& repo,
                                          const std::filesystem::path& from,
                                          const std::string& name, const std::string& version,
                                          nlohmann::json config) {
  const std::filesystem::path dir = repo / name / version;
  std::filesystem::create_directories(dir);
  std::filesystem::copy(
      from, dir,
      std::filesystem::copy_options::overwrite_existing | std::filesystem::copy_options::recursive);
  config["name"] = name;
  config["version"] = version;
  WriteFile(dir / "config.json", config.dump(2));
  return dir;
}

}  // namespace ocular::runtime::testing
