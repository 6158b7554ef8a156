// `ocular gallery build|list|verify [--galleries DIR]`: manages the operator galleries
// (docs/galleries.md).
//   build   compiles DIR/<kind>/<Name>/* into DIR/.index (templates only, never images);
//           each skipped image is a warning on stderr. Exit 0, or 1 when nothing could be built.
//           Celebrities are enrolled with the face models of --repo (loaded only when
//           DIR/celebrities exists; without them each portrait is skipped with the reason).
//           Landmark photos also get a global descriptor from the `landmark-descriptor` model
//           of --repo (when installed; otherwise local features only, with a warning).
//   list    prints "kind<TAB>name<TAB>templates<TAB>images enrolled/found" per name. Exit 1
//           without an index.
//   verify  compares the index with the folders; prints each difference. Exit 0 when up to
//           date, 3 when the index is stale (rebuild), 1 without a readable index.
#include <filesystem>
#include <iostream>
#include <memory>

#include "analyzers/galleries/celebrity_faces.h"
#include "analyzers/galleries/gallery_build.h"
#include "analyzers/galleries/gallery_index.h"
#include "analyzers/galleries/landmark_descriptor.h"
#include "cli/command.h"
#include "cli/common_options.h"
#include "cli/gallery_options.h"
#include "runtime/model_repository.h"

namespace ocular::cli {

namespace {

// Celebrity enrollment through the face models of `models` (null: the repository could not be
// opened, `why` says why), or a null function (with a warning) when they cannot be loaded: the
// builder then skips each portrait with its reason.
gallery::FaceEnrollFn FaceEnroller(const std::shared_ptr<runtime::ModelRepository>& models,
                                   const Status& why) {
  if (!models) {
    std::cerr << "warning: celebrity enrollment off: " << why.message() << "\n";
    return nullptr;
  }
  StatusOr<std::shared_ptr<const FaceDetector>> detector = FaceDetector::Create(models.get());
  StatusOr<std::shared_ptr<const FaceEmbedder>> embedder = FaceEmbedder::Create(models.get());
  if (!detector.ok() || !embedder.ok()) {
    std::cerr << "warning: celebrity enrollment off: "
              << (!detector.ok() ? detector.status() : embedder.status()).message() << "\n";
    return nullptr;
  }
  return [models, d = *detector, e = *embedder](const std::filesystem::path& file,
                                                 std::string* skip) {
    return EnrollPortraitFile(*d, *e, file, skip);
  };
}

// The landmark descriptor from the model repository `repo`, when there are landmarks to
// describe; null (with a warning) when the model is not installed.
std::unique_ptr<gallery::LandmarkDescriber> LandmarkDescriberFor(
    const std::string& dir, const std::shared_ptr<runtime::ModelRepository>& models,
    const Status& why) {
  std::error_code ec;
  if (!std::filesystem::is_directory(std::filesystem::path(dir) / "landmarks", ec)) return nullptr;
  StatusOr<std::unique_ptr<gallery::LandmarkDescriber>> d =
      models ? gallery::LandmarkDescriber::Load(*models)
             : StatusOr<std::unique_ptr<gallery::LandmarkDescriber>>(why);
  if (!d.ok()) {
    std::cerr << "warning: landmarks get no global descriptor (" << d.status().message()
              << "): they will be matched by local features only\n";
    return nullptr;
  }
  return std::move(d).value();
}

int Build(const std::string& dir, const std::string& repo) {
  gallery::BuildReport report;
  gallery::BuildOptions options;
  // One model repository for the face models and the landmark descriptor.
  StatusOr<std::unique_ptr<runtime::ModelRepository>> opened = runtime::ModelRepository::Open(repo);
  const Status why = opened.status();
  std::shared_ptr<runtime::ModelRepository> models;
  if (opened.ok()) models = std::move(opened).value();
  std::error_code ec;
  if (std::filesystem::is_directory(std::filesystem::path(dir) / "celebrities", ec)) {
    options.enroll_face = FaceEnroller(models, why);
  }
  std::unique_ptr<gallery::LandmarkDescriber> describer = LandmarkDescriberFor(dir, models, why);
  options.describer = describer.get();
  StatusOr<gallery::GalleryIndex> index = gallery::BuildIndex(dir, options, &report);
  if (!index.ok()) {
    std::cerr << "ocular gallery build: " << index.status().message() << "\n";
    return kExitFailure;
  }
  for (const std::string& w : report.warnings) std::cerr << "warning: " << w << "\n";
  Status written = gallery::WriteIndexFile(*index, dir);
  if (!written.ok()) {
    std::cerr << "ocular gallery build: " << written.message() << "\n";
    return kExitFailure;
  }
  std::cout << "built " << dir << "/" << gallery::kIndexFileName << ": " << report.names
            << " names, " << report.enrolled << "/" << report.images << " images enrolled, "
            << report.templates << " templates, " << report.shapes
            << " brand shape models, " << report.warnings.size() << " warnings\n";
  return kExitOk;
}

int List(const std::string& dir) {
  StatusOr<gallery::GalleryIndex> index = gallery::ReadIndexFile(dir);
  if (!index.ok()) {
    std::cerr << "ocular gallery list: " << index.status().message() << "\n";
    return kExitFailure;
  }
  for (const gallery::GalleryEntry& e : index->entries) {
    int enrolled = 0;
    for (const gallery::GallerySource& s : e.sources) enrolled += s.enrolled ? 1 : 0;
    std::cout << gallery::KindFolder(e.kind) << "\t" << e.name << "\t" << e.templates.size()
              << " templates\t" << enrolled << "/" << e.sources.size() << " images\n";
  }
  return kExitOk;
}

int Verify(const std::string& dir) {
  StatusOr<gallery::GalleryIndex> index = gallery::ReadIndexFile(dir);
  if (!index.ok()) {
    std::cerr << "ocular gallery verify: " << index.status().message() << "\n";
    return kExitFailure;
  }
  std::vector<std::string> problems = gallery::VerifyIndex(*index, dir);
  for (const std::string& p : problems) std::cout << p << "\n";
  for (const gallery::GalleryEntry& e : index->entries) {
    for (const gallery::GallerySource& s : e.sources) {
      if (!s.enrolled) std::cout << "skipped at build: " << s.path << ": " << s.note << "\n";
    }
  }
  if (!problems.empty()) {
    std::cerr << "ocular gallery verify: the index is out of date (" << problems.size()
              << " differences): run `ocular gallery build`\n";
    return kExitInputFailed;
  }
  std::cout << "index is up to date\n";
  return kExitOk;
}

CommandRegistrar registrar(
    "gallery", "Build, list and verify the operator galleries (brands, landmarks, celebrities)",
    [](CLI::App& cmd) -> RunFn {
      auto dir = std::make_shared<std::string>();
      auto repo = std::make_shared<std::string>();
      CLI::App* build = cmd.add_subcommand("build", "Compile the folders into .index");
      CLI::App* list = cmd.add_subcommand("list", "Show each name with its template count");
      CLI::App* verify = cmd.add_subcommand("verify", "Check the index against the folders");
      cmd.require_subcommand(1);
      // `gallery build --galleries DIR`: the option belongs to each subcommand.
      for (CLI::App* sub : {build, list, verify}) AddGalleriesOption(*sub, dir.get());
      AddModelRepoOption(*build, repo.get());  // face models and the landmark descriptor
      return [=]() {
        if (build->parsed()) return Build(*dir, *repo);
        if (list->parsed()) return List(*dir);
        if (verify->parsed()) return Verify(*dir);
        return kExitUsage;
      };
    });

}  // namespace

}  // namespace ocular::cli
