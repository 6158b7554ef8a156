#include "runtime/model_repository.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include "runtime/preprocess.h"
#include "runtime/provenance.h"
#include "runtime/sha256.h"
#include "test_util.h"

namespace ocular::runtime {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::InstallModel;
using testing::ReadJson;
using testing::ScratchDir;

class RepositoryTest : public ::testing::Test {
 protected:
  json TinyConfig() const { return ReadJson(testing::TinyDir() / "config.json"); }

  // Installs tiny (with `config`) as <scratch>/tiny/2026-01-01 and loads it.
  StatusOr<std::shared_ptr<const Model>> LoadTinyWith(const json& config) {
    InstallModel(scratch_.path(), testing::TinyDir(), "tiny", "2026-01-01", config);
    auto repo = ModelRepository::Open(scratch_.path());
    if (!repo.ok()) return repo.status();
    return (*repo)->Load("tiny");
  }

  // Loads with `config` and expects a FailedPrecondition with exactly `message`.
  void ExpectLoadError(const json& config, const std::string& message) {
    auto model = LoadTinyWith(config);
    ASSERT_FALSE(model.ok()) << "expected: " << message;
    EXPECT_EQ(model.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_THAT(model.status().message(), HasSubstr(message));
  }

  ScratchDir scratch_;
};

TEST_F(RepositoryTest, ScansTheFixtureRepository) {
  auto repo = ModelRepository::Open(testing::FixtureRepo());
  ASSERT_TRUE(repo.ok()) << repo.status().ToString();
  EXPECT_FALSE((*repo)->empty());
  EXPECT_EQ((*repo)->ModelNames(), (std::vector<std::string>{"pair", "tiny"}));
  EXPECT_EQ((*repo)->Versions("tiny"), (std::vector<std::string>{"2026-01-01"}));
  EXPECT_TRUE((*repo)->Versions("nope").empty());

  const std::vector<ModelEntry> entries = (*repo)->List();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].name, "tiny");
  EXPECT_EQ(entries[1].version, "2026-01-01");
  EXPECT_TRUE(entries[1].status.ok()) << entries[1].status.ToString();
  ASSERT_TRUE(entries[1].config.has_value());
  EXPECT_EQ(entries[1].config->license, "MIT");
  EXPECT_EQ(entries[1].model_size, std::filesystem::file_size(testing::TinyDir() / "model.onnx"));
}

TEST_F(RepositoryTest, LoadsRunsAndCachesTheTinyModel) {
  auto repo = ModelRepository::Open(testing::FixtureRepo());
  ASSERT_TRUE(repo.ok());
  auto model = (*repo)->Load("tiny");
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ((*model)->label(), "model 'tiny' 2026-01-01");
  EXPECT_EQ((*model)->labels, (std::vector<std::string>{"red", "green", "blue"}));
  EXPECT_EQ((*model)->config.params["note"], "fixture only");

  // A constant BGR image (B=10, G=20, R=30) through the config's preprocessing: the model wants
  // RGB, so x = [30, 20, 10] per channel and y = [30*1 + 0.5, 20*2 - 1, 10*3 + 2].
  cv::Mat image(50, 70, CV_8UC3, cv::Scalar(10, 20, 30));
  auto pre = PreprocessImage(image, (*model)->config.inputs[0]);
  ASSERT_TRUE(pre.ok()) << pre.status().ToString();
  auto out = (*model)->Run({std::move(pre->tensor)});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ((*out)[0].floats.size(), 3u);
  EXPECT_NEAR((*out)[0].floats[0], 30.5f, 1e-4);
  EXPECT_NEAR((*out)[0].floats[1], 39.0f, 1e-4);
  EXPECT_NEAR((*out)[0].floats[2], 32.0f, 1e-4);

  auto again = (*repo)->Load("tiny", "2026-01-01");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get(), model->get()) << "second load must come from the cache";
}

TEST_F(RepositoryTest, UnknownModelOrVersionIsNotFound) {
  auto repo = ModelRepository::Open(testing::FixtureRepo());
  ASSERT_TRUE(repo.ok());
  auto model = (*repo)->Load("nope");
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), StatusCode::kNotFound);
  model = (*repo)->Load("tiny", "1999-01-01");
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), StatusCode::kNotFound);
}

TEST_F(RepositoryTest, MissingRootFailsAndEmptyRootIsEmpty) {
  auto missing = ModelRepository::Open(scratch_.path() / "nothing");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(missing.status().message(), HasSubstr("scripts/setup.sh"));
  auto empty = ModelRepository::Open(scratch_.path());
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE((*empty)->empty());
  EXPECT_TRUE((*empty)->List().empty());
}

TEST_F(RepositoryTest, LatestIsTheGreatestVersionFolder) {
  for (const char* version : {"2026-02-01", "2026-11-26", "2026-01-01"}) {
    InstallModel(scratch_.path(), testing::TinyDir(), "tiny", version, TinyConfig());
  }
  std::filesystem::create_directories(scratch_.path() / "tiny" / ".partial-2027-01-01");
  auto repo = ModelRepository::Open(scratch_.path());
  ASSERT_TRUE(repo.ok());
  EXPECT_EQ((*repo)->Versions("tiny"),
            (std::vector<std::string>{"2026-01-01", "2026-02-01", "2026-11-26"}));
  EXPECT_EQ((*repo)->ResolveVersion("tiny").value(), "2026-11-26");
  auto model = (*repo)->Load("tiny", "latest");
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ((*model)->config.version, "2026-11-26");
  auto older = (*repo)->Load("tiny", "2026-02-01");
  ASSERT_TRUE(older.ok()) << older.status().ToString();
  EXPECT_EQ((*older)->config.version, "2026-02-01");
}

TEST(VersionOrderTest, ComparesDigitRunsAsNumbers) {
  EXPECT_TRUE(VersionLess("2026-01-01", "2026-11-26"));
  EXPECT_TRUE(VersionLess("9", "10"));
  EXPECT_FALSE(VersionLess("10", "9"));
  EXPECT_TRUE(VersionLess("1.2", "1.10"));
  EXPECT_FALSE(VersionLess("2026-11-26", "2026-11-26"));
}

TEST_F(RepositoryTest, ValidConfigVariantsLoad) {
  json config = TinyConfig();
  config["inputs"][0]["shape"] = {1, 3, -1, -1};  // -1 matches the session's static 8
  config["outputs"][0]["shape"] = {-1, 3};
  auto model = LoadTinyWith(config);
  EXPECT_TRUE(model.ok()) << model.status().ToString();
}

TEST_F(RepositoryTest, WrongInputNameFails) {
  json config = TinyConfig();
  config["inputs"][0]["name"] = "input";
  ExpectLoadError(config,
                  "model 'tiny' 2026-01-01: input 'input' is in config.json but not in model.onnx");
}

TEST_F(RepositoryTest, WrongInputShapeFails) {
  json config = TinyConfig();
  config["inputs"][0]["shape"] = {1, 3, 16, 16};
  ExpectLoadError(config,
                  "model 'tiny' 2026-01-01: input 'x' has shape [1,3,16,16] in config.json but "
                  "[1,3,8,8] in model.onnx");
}

TEST_F(RepositoryTest, WrongRankFails) {
  json config = TinyConfig();
  config["outputs"][0]["shape"] = {3};
  ExpectLoadError(config, "output 'y' has shape [3] in config.json but [1,3] in model.onnx");
}

TEST_F(RepositoryTest, WrongDtypeFails) {
  json config = TinyConfig();
  config["inputs"][0]["dtype"] = "uint8";
  ExpectLoadError(config, "input 'x' has dtype uint8 in config.json but float32 in model.onnx");
  config = TinyConfig();
  config["outputs"][0]["dtype"] = "int64";
  ExpectLoadError(config, "output 'y' has dtype int64 in config.json but float32 in model.onnx");
}

TEST_F(RepositoryTest, MissingOutputFails) {
  json config = TinyConfig();
  config["outputs"][0]["name"] = "z";
  ExpectLoadError(config, "output 'z' is in config.json but not in model.onnx");
}

TEST_F(RepositoryTest, BadSha256Fails) {
  json config = TinyConfig();
  config["model_sha256"] = std::string(64, '0');
  ExpectLoadError(config, "model.onnx has sha256 " +
                              Sha256File(testing::TinyDir() / "model.onnx").value() +
                              " but config.json model_sha256 is " + std::string(64, '0'));
}

TEST_F(RepositoryTest, FolderMismatchAndMissingLabelsFail) {
  json config = TinyConfig();
  const std::filesystem::path dir =
      InstallModel(scratch_.path(), testing::TinyDir(), "tiny", "2026-01-01", config);
  config["name"] = "other";
  testing::WriteFile(dir / "config.json", config.dump());
  auto repo = ModelRepository::Open(scratch_.path());
  ASSERT_TRUE(repo.ok());
  auto model = (*repo)->Load("tiny");
  ASSERT_FALSE(model.ok());
  EXPECT_THAT(model.status().message(),
              HasSubstr("config.json name is 'other' but the model folder is 'tiny'"));

  config = TinyConfig();
  config["labels"] = "classes.txt";
  ExpectLoadError(config, "labels file");
}

TEST_F(RepositoryTest, CorruptModelFileFails) {
  json config = TinyConfig();
  const std::filesystem::path dir =
      InstallModel(scratch_.path(), testing::TinyDir(), "tiny", "2026-01-01", config);
  const std::string garbage = "definitely not protobuf";
  testing::WriteFile(dir / "model.onnx", garbage);
  config["model_sha256"] = Sha256Hex(garbage);
  testing::WriteFile(dir / "config.json", config.dump());
  auto repo = ModelRepository::Open(scratch_.path());
  ASSERT_TRUE(repo.ok());
  auto model = (*repo)->Load("tiny");
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(model.status().message(), HasSubstr("model 'tiny' 2026-01-01: cannot load"));
}

TEST_F(RepositoryTest, SessionInputMissingFromConfigFails) {
  json config = ReadJson(testing::PairDir() / "config.json");
  config["inputs"].erase(1);  // drop "b"
  InstallModel(scratch_.path(), testing::PairDir(), "pair", "2026-01-01", config);
  auto repo = ModelRepository::Open(scratch_.path());
  ASSERT_TRUE(repo.ok());
  auto model = (*repo)->Load("pair");
  ASSERT_FALSE(model.ok());
  EXPECT_THAT(model.status().message(),
              HasSubstr("model 'pair' 2026-01-01: model.onnx input 'b' (int64 [1]) is missing "
                        "from config.json"));
}

TEST_F(RepositoryTest, ListReportsBrokenEntriesWithoutFailing) {
  InstallModel(scratch_.path(), testing::TinyDir(), "tiny", "2026-01-01", TinyConfig());
  testing::WriteFile(scratch_.path() / "broken" / "1" / "config.json", "{}");
  std::filesystem::create_directories(scratch_.path() / "empty");
  auto repo = ModelRepository::Open(scratch_.path());
  ASSERT_TRUE(repo.ok());
  const auto entries = (*repo)->List();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].name, "broken");
  EXPECT_FALSE(entries[0].config.has_value());
  EXPECT_THAT(entries[0].status.message(), HasSubstr("name: missing"));
  EXPECT_EQ(entries[1].name, "empty");
  EXPECT_THAT(entries[1].status.message(), HasSubstr("no version folder"));
  EXPECT_TRUE(entries[2].status.ok());
}

TEST_F(RepositoryTest, VerifyRunsEveryFixtureModel) {
  auto repo = ModelRepository::Open(testing::FixtureRepo());
  ASSERT_TRUE(repo.ok());
  auto tiny = (*repo)->Verify("tiny");
  ASSERT_TRUE(tiny.ok()) << tiny.status().ToString();
  ASSERT_EQ(tiny->outputs.size(), 1u);
  EXPECT_EQ(tiny->outputs[0].shape, (std::vector<std::int64_t>{1, 3}));
  EXPECT_TRUE(tiny->warnings.empty());
  // Mid-grey 128 everywhere: y = [128 + 0.5, 256 - 1, 384 + 2] is not checked here (that is the
  // job of the numeric tests), only that the run happened with the configured input shape.
  EXPECT_EQ(tiny->inputs_used[0].shape, (std::vector<std::int64_t>{1, 3, 8, 8}));

  auto pair = (*repo)->Verify("pair");
  ASSERT_TRUE(pair.ok()) << pair.status().ToString();
  EXPECT_EQ(pair->inputs_used[0].shape, (std::vector<std::int64_t>{1, 3}));  // -1 -> 1
  EXPECT_EQ(pair->outputs[0].shape, (std::vector<std::int64_t>{1, 3}));
}

TEST_F(RepositoryTest, VerifyFailsOnChangedModelFile) {
  const std::filesystem::path dir =
      InstallModel(scratch_.path(), testing::TinyDir(), "tiny", "2026-01-01", TinyConfig());
  auto repo = ModelRepository::Open(scratch_.path());
  ASSERT_TRUE(repo.ok());
  ASSERT_TRUE((*repo)->Verify("tiny").ok());
  testing::WriteFile(dir / "model.onnx", testing::ReadFile(testing::PairDir() / "model.onnx"));
  auto report = (*repo)->Verify("tiny");
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(), HasSubstr("(file changed or corrupt)"));
}

TEST(ProvenanceTest, ChecksFilesOfAnUnpackedPackage) {
  ScratchDir npm;
  const std::filesystem::path pkg = npm.path() / "@scope+pkg@1.0.0" / "package";
  testing::WriteFile(pkg / "models" / "m.bin", "weights");
  Provenance prov;
  prov.package = "@scope/pkg@1.0.0";
  prov.files.push_back({"models/m.bin", Sha256Hex("weights")});
  prov.upstream = "x";
  EXPECT_EQ(NpmPackageDirName(prov.package), "@scope+pkg@1.0.0");

  ProvenanceCheck ok = CheckProvenance(prov, npm.path());
  EXPECT_TRUE(ok.package_present);
  EXPECT_EQ(ok.files_checked, 1);
  EXPECT_TRUE(ok.problems.empty());

  prov.files.push_back({"models/gone.bin", Sha256Hex("x")});
  prov.files[0].sha256 = Sha256Hex("other weights");
  ProvenanceCheck bad = CheckProvenance(prov, npm.path());
  ASSERT_EQ(bad.problems.size(), 2u);
  EXPECT_THAT(bad.problems[0], HasSubstr("models/m.bin: sha256 is " + Sha256Hex("weights")));
  EXPECT_THAT(bad.problems[1], HasSubstr("models/gone.bin: missing"));

  ProvenanceCheck absent = CheckProvenance(prov, npm.path() / "elsewhere");
  EXPECT_FALSE(absent.package_present);
  EXPECT_TRUE(absent.problems.empty());
}

TEST(Sha256Test, KnownDigests) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  ScratchDir dir;
  testing::WriteFile(dir.path() / "f", "abc");
  EXPECT_EQ(Sha256File(dir.path() / "f").value(), Sha256Hex("abc"));
  EXPECT_EQ(Sha256File(dir.path() / "missing").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace ocular::runtime
