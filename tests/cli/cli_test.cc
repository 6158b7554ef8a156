// Runs the real `ocular` binary the way the README tells users to.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
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

TEST(CliTest, CelebritiesFromABuiltGalleryOnlyWhenEnabled) {
  const std::string models = std::string(OCULAR_SOURCE_DIR) + "/models";
  if (system(("test -d " + models + "/faceres -a -d " + models + "/facemesh-detection-full")
                 .c_str()) != 0) {
    GTEST_SKIP() << "models/ has no faceres/facemesh-detection-full (run scripts/setup.sh)";
  }
  const std::string images = ocular::testing::TestdataDir();
  char tmpl[] = "/tmp/ocular-cli-celeb-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string g = tmpl;
  ASSERT_EQ(
      system(("mkdir -p '" + g + "/celebrities/Barack Obama' '" + g + "/celebrities/Cat' && cp " +
              images + "/portrait_obama.jpg '" + g + "/celebrities/Barack Obama/' && cp " + images +
              "/animal_cat.png " + g + "/celebrities/Cat/")
                 .c_str()),
      0);
  // Build: the cat is skipped with a warning on stderr, Obama is enrolled.
  RunResult built =
      Ocular("gallery build --galleries " + g + " --repo " + models + " 2>" + g + "/build.err");
  ASSERT_EQ(built.exit_code, 0) << built.out;
  EXPECT_NE(built.out.find("1/2 images enrolled"), std::string::npos) << built.out;
  std::ifstream err(g + "/build.err");
  std::string warnings((std::istreambuf_iterator<char>(err)), {});
  EXPECT_NE(warnings.find("warning: skipped celebrities/Cat/animal_cat.png: no face found"),
            std::string::npos)
      << warnings;

  const std::string photo = images + "/faces_two_people.jpg";
  RunResult on =
      Ocular("analyze --api 3.2 --details Celebrities --enable-celebrities --galleries " + g +
             " --repo " + models + " " + photo);
  ASSERT_EQ(on.exit_code, 0) << on.out;
  nlohmann::json body = nlohmann::json::parse(on.out);
  int found = 0;
  for (const auto& c : body["categories"]) {
    if (!c.contains("detail") || !c["detail"].contains("celebrities")) continue;
    for (const auto& p : c["detail"]["celebrities"]) {
      ++found;
      EXPECT_EQ(p["name"], "Barack Obama");
      EXPECT_LT(p["faceRectangle"]["left"].get<int>(), body["metadata"]["width"].get<int>() / 2);
      EXPECT_GT(p["faceRectangle"]["width"].get<int>(), 100);
    }
  }
  EXPECT_EQ(found, 1) << on.out;

  // Off by default: NotSupportedFeature with the reason.
  RunResult off = Ocular("analyze --api 3.2 --details Celebrities --galleries " + g + " --repo " +
                         models + " " + photo);
  EXPECT_EQ(off.exit_code, 3);
  EXPECT_NE(off.out.find("NotSupportedFeature"), std::string::npos) << off.out;
  EXPECT_NE(off.out.find("disabled"), std::string::npos) << off.out;
  EXPECT_EQ(system(("rm -rf " + g).c_str()), 0);
}

}  // namespace

// The permissive-only configuration (`OCULAR_MODEL_LICENSES=permissive scripts/setup.sh`): a
// repository holding only the permissively licensed models of models/ (what that setup installs)
// serves objects, tags and captions on the ensemble tier and says so in `models list`.
TEST(CliTest, PermissiveInstallRunsTheEnsembleAndSaysSo) {
  namespace fs = std::filesystem;
  const fs::path models = fs::path(OCULAR_SOURCE_DIR) / "models";
  if (!fs::exists(models / "centernet")) GTEST_SKIP() << "models/ has no centernet (run scripts/setup.sh)";
  char tmpl[] = "/tmp/ocular-cli-permissive-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const fs::path repo = tmpl;
  static const std::set<std::string> kPermissive = {"MIT", "Apache-2.0", "BSD-2-Clause",
                                                    "BSD-3-Clause", "ISC", "CC0-1.0"};
  int linked = 0, left_out = 0;
  for (const auto& model : fs::directory_iterator(models)) {
    for (const auto& version : fs::directory_iterator(model.path())) {
      std::ifstream in(version.path() / "config.json");
      const nlohmann::json config = nlohmann::json::parse(in, nullptr, false);
      if (config.is_discarded()) continue;
      if (!kPermissive.count(config.value("license", ""))) {
        ++left_out;
        continue;
      }
      fs::create_directories(repo / model.path().filename());
      fs::create_directory_symlink(version.path(),
                                   repo / model.path().filename() / version.path().filename());
      ++linked;
    }
  }
  ASSERT_GT(linked, 0);
  RunResult list = Ocular("models list --repo " + repo.string());
  EXPECT_EQ(list.exit_code, 0) << list.out;
  EXPECT_NE(list.out.find("detector: ensemble (auto), models: centernet [MIT]"), std::string::npos)
      << list.out;
  EXPECT_NE(list.out.find("every installed model is permissively licensed"), std::string::npos)
      << list.out;
  RunResult r = Ocular("analyze --features objects,tags,caption --repo " + repo.string() + " " +
                       ocular::testing::TestdataDir() + "/street_bus.jpg");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const nlohmann::json body = nlohmann::json::parse(r.out);
  EXPECT_FALSE(body["objectsResult"]["values"].empty()) << r.out;
  EXPECT_FALSE(body["captionResult"]["text"].get<std::string>().empty());
  // A YOLOv8 tier asked for explicitly is refused at start, naming the missing model.
  RunResult yolo =
      Ocular("analyze --detector yolov8s --features objects --repo " + repo.string() + " " +
             ocular::testing::TestdataDir() + "/street_bus.jpg 2>&1");
  EXPECT_EQ(yolo.exit_code, 1);
  EXPECT_NE(yolo.out.find("yolov8s"), std::string::npos) << yolo.out;
  // And the full repository names its copyleft models.
  if (left_out > 0) {
    RunResult full = Ocular("models list --repo " + models.string());
    EXPECT_NE(full.out.find("copyleft models installed:"), std::string::npos) << full.out;
    EXPECT_NE(full.out.find("detector: yolov8s (auto), models: yolov8s [AGPL-3.0]"),
              std::string::npos)
        << full.out;
  }
  fs::remove_all(repo);
}

// The memory bounds of `ocular serve` (docs/reliability.md "Memory budget"): one definition
// each, flag and environment variable, and a refused negative arena count.
TEST(CliTest, ServeMemoryBoundOptions) {
  RunResult help = Ocular("serve --help");
  ASSERT_EQ(help.exit_code, 0);
  for (const char* text : {"--ort-arena", "OCULAR_ORT_ARENA", "--malloc-trim", "OCULAR_MALLOC_TRIM",
                           "--malloc-arenas", "OCULAR_MALLOC_ARENAS", "--malloc-hugepages",
                           "OCULAR_MALLOC_HUGEPAGES", "--ocr-instances", "OCULAR_OCR_INSTANCES"}) {
    EXPECT_NE(help.out.find(text), std::string::npos) << text;
  }
  EXPECT_EQ(Ocular("serve --plain-http --api-key k --malloc-arenas -1 2>/dev/null").exit_code, 2);
  EXPECT_EQ(Ocular("serve --plain-http --api-key k --malloc-arenas x 2>/dev/null").exit_code, 2);
  setenv("OCULAR_MALLOC_ARENAS", "-1", 1);
  EXPECT_EQ(Ocular("serve --plain-http --api-key k 2>/dev/null").exit_code, 2);
  unsetenv("OCULAR_MALLOC_ARENAS");
  EXPECT_EQ(Ocular("serve --plain-http --api-key k --ort-arena maybe 2>/dev/null").exit_code, 2);
  EXPECT_EQ(Ocular("serve --plain-http --api-key k --malloc-hugepages maybe 2>/dev/null").exit_code,
            2);
  EXPECT_EQ(Ocular("serve --plain-http --api-key k --ocr-instances 0 2>/dev/null").exit_code, 2);
}
