// `ocular analyze --shard K/N` and `--skip-done FILE`, run as a batch job would (model-free
// features on the shared test images, so no model pack is needed).
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/unit/core/image_test_util.h"

namespace {

int Shell(const std::string& cmd, std::string* out = nullptr) {
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return -1;
  char buf[65536];
  size_t n;
  std::string text;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) text.append(buf, n);
  const int status = pclose(p);
  if (out) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> Sources(const std::string& jsonl) {
  std::vector<std::string> out;
  std::istringstream in(jsonl);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line)["source"].get<std::string>());
  }
  return out;
}

std::string Analyze(const std::string& args) {
  return std::string(OCULAR_BINARY) +
         " analyze --api 3.2 --features color --repo /nonexistent-repo " + args;
}

TEST(BatchShard, ShardsPartitionTheInputInSortedOrder) {
  const std::string dir = ocular::testing::TestdataDir();
  std::string all_out;
  ASSERT_EQ(Shell(Analyze("--output jsonl " + dir), &all_out), 0);
  std::vector<std::string> all = Sources(all_out);
  ASSERT_GE(all.size(), 6u);
  std::sort(all.begin(), all.end());
  const int n = 3;
  std::map<std::string, int> seen;
  for (int k = 0; k < n; ++k) {
    std::string out;
    ASSERT_EQ(
        Shell(Analyze("--shard " + std::to_string(k) + "/" + std::to_string(n) + " " + dir), &out),
        0);
    std::vector<std::string> shard = Sources(out);
    for (std::size_t i = 0; i < shard.size(); ++i) {
      ++seen[shard[i]];
      // The i-th input of shard k is the (k + i*n)-th of the sorted list.
      ASSERT_LT(k + i * n, all.size());
      EXPECT_EQ(shard[i], all[k + i * n]);
    }
  }
  EXPECT_EQ(seen.size(), all.size());                                      // no gap
  for (const auto& [source, count] : seen) EXPECT_EQ(count, 1) << source;  // no overlap
}

TEST(BatchShard, RejectsBadShards) {
  const std::string img = ocular::testing::TestdataDir() + "/bw_cameraman.png";
  for (const char* bad : {"3/3", "-1/3", "a/b"}) {
    EXPECT_EQ(Shell(Analyze(std::string("--shard '") + bad + "' " + img + " 2>/dev/null")), 2)
        << bad;
  }
}

TEST(BatchShard, AResumedRunWritesEachSourceExactlyOnce) {
  const std::filesystem::path dir = ocular::testing::TestdataDir();
  char tmpl[] = "/tmp/ocular-batch-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::filesystem::path work(tmpl), images = work / "images", out = work / "out.jsonl";
  std::filesystem::create_directories(images);
  int copied = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string ext = e.path().extension().string();
    if (copied < 6 && (ext == ".png" || ext == ".jpg")) {
      std::filesystem::copy_file(e.path(), images / e.path().filename());
      ++copied;
    }
  }
  ASSERT_EQ(copied, 6);
  std::string full;
  ASSERT_EQ(Shell(Analyze(images.string()), &full), 0);
  // An interrupted first run: two complete lines and a third one cut short.
  std::istringstream lines(full);
  std::string l1, l2, l3;
  std::getline(lines, l1);
  std::getline(lines, l2);
  std::getline(lines, l3);
  std::ofstream(out) << l1 << "\n" << l2 << "\n" << l3.substr(0, l3.size() / 2);
  ASSERT_EQ(
      Shell(Analyze("--skip-done " + out.string() + " " + images.string() + " >> " + out.string())),
      0);
  // Resuming a finished job does nothing.
  ASSERT_EQ(
      Shell(Analyze("--skip-done " + out.string() + " " + images.string() + " >> " + out.string())),
      0);
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> got = Sources(text);  // throws on a corrupt line
  std::vector<std::string> want = Sources(full);
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
  std::filesystem::remove_all(work);
}

}  // namespace
