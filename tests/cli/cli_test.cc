// Runs the real `ocular` binary the way the README tells users to.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/unit/core/image_test_util.h"

namespace {

struct RunResult {
  int exit_code = -1;
  std::string out;
};

// Runs `ocular ARGS` with stdout captured (stderr goes to the test log).
RunResult Ocular(const std::string& args) {
  std::string cmd = std::string(OCULAR_BINARY) + " " + args;
  RunResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::vector<nlohmann::json> JsonLines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

TEST(CliTest, ColorAndImageTypeForEverySharedImage) {
  const std::string dir = ocular::testing::TestdataDir();
  RunResult r = Ocular("analyze --api 3.2 --features color,imagetype --repo /nonexistent-repo " + dir);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::vector<nlohmann::json> lines = JsonLines(r.out);
  size_t images = 0;
  for (const auto& e : ocular::testing::ReadManifest()) (void)e, ++images;
  ASSERT_EQ(lines.size(), images);
  static const std::set<std::string> kColors = {"Black", "Blue",   "Brown", "Gray",
                                                "Green", "Orange", "Pink",  "Purple",
                                                "Red",   "Teal",   "White", "Yellow"};
  for (const nlohmann::json& line : lines) {
    SCOPED_TRACE(line["source"].get<std::string>());
    ASSERT_EQ(line["status"], 200);
    const nlohmann::json& res = line["result"];
    EXPECT_GT(res["metadata"]["width"].get<int>(), 50);
    EXPECT_TRUE(kColors.count(res["color"]["dominantColorForeground"]));
    EXPECT_TRUE(kColors.count(res["color"]["dominantColorBackground"]));
    EXPECT_FALSE(res["color"]["dominantColors"].empty());
    int clip = res["imageType"]["clipArtType"];
    EXPECT_TRUE(clip >= 0 && clip <= 3);
  }
}

TEST(CliTest, SingleImagePrintsTheApiBody) {
  RunResult r = Ocular("analyze --api 3.2 --features Color --repo /nonexistent-repo " +
                 ocular::testing::TestdataDir() + "/bw_cameraman.png");
  ASSERT_EQ(r.exit_code, 0);
  nlohmann::json body = nlohmann::json::parse(r.out);
  EXPECT_EQ(body["color"]["isBWImg"], true);
  EXPECT_EQ(body["metadata"]["format"], "Png");
}

TEST(CliTest, ExitCodes) {
  // Usage error.
  EXPECT_EQ(Ocular("analyze --api 5.0 x.jpg 2>/dev/null").exit_code, 2);
  EXPECT_EQ(Ocular("analyze 2>/dev/null").exit_code, 2);
  EXPECT_EQ(Ocular("analyze /no/such/file.jpg 2>/dev/null").exit_code, 2);
  // A failed image: exit 3 and an Azure error in the JSONL line.
  char tmpl[] = "/tmp/ocular-cli-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string bad = std::string(tmpl) + "/broken.jpg";
  std::ofstream(bad) << "not an image";
  RunResult r = Ocular("analyze --api 3.2 --features Color --output jsonl --repo /nonexistent-repo " + bad);
  EXPECT_EQ(r.exit_code, 3);
  std::vector<nlohmann::json> lines = JsonLines(r.out);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["status"], 400);
  EXPECT_EQ(lines[0]["error"]["innererror"]["code"], "InvalidImageFormat");
  std::remove(bad.c_str());
  rmdir(tmpl);
}

TEST(CliTest, MissingModelIsNamed) {
  RunResult r = Ocular("analyze --features objects --repo /nonexistent-repo " +
                 ocular::testing::TestdataDir() + "/street_bus.jpg");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find("NotSupportedFeature"), std::string::npos) << r.out;
}

}  // namespace
