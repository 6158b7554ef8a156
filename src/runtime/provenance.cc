#include "runtime/provenance.h"

#include <algorithm>
#include <system_error>

#include "runtime/sha256.h"

namespace ocular::runtime {

std::string NpmPackageDirName(const std::string& package) {
  std::string dir = package;
  std::replace(dir.begin(), dir.end(), '/', '+');
  return dir;
}

ProvenanceCheck CheckProvenance(const Provenance& provenance,
                                const std::filesystem::path& npm_root) {
  ProvenanceCheck check;
  check.package_dir = npm_root / NpmPackageDirName(provenance.package) / "package";
  std::error_code ec;
  check.package_present = std::filesystem::is_directory(check.package_dir, ec);
  if (!check.package_present) return check;
  for (const ProvenanceFile& file : provenance.files) {
    auto digest = Sha256File(check.package_dir / file.path);
    if (!digest.ok()) {
      check.problems.push_back(provenance.package + ": " + file.path + ": missing");
    } else if (*digest != file.sha256) {
      check.problems.push_back(provenance.package + ": " + file.path + ": sha256 is " + *digest +
                               " but config.json says " + file.sha256);
    } else {
      ++check.files_checked;
    }
  }
  return check;
}

}  // namespace ocular::runtime
