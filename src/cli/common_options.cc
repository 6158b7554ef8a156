#include "cli/common_options.h"

namespace ocular::cli {

CLI::Option* AddModelRepoOption(CLI::App& app, std::string* repo) {
  *repo = "models";
  return app
      .add_option("--repo", *repo,
                  "Model repository root: <repo>/<name>/<version>/{model.onnx,config.json} "
                  "(built by scripts/setup.sh)")
      ->envname("OCULAR_MODEL_REPO")
      ->capture_default_str()
      ->type_name("DIR");
}

}  // namespace ocular::cli
