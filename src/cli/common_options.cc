#include "cli/common_options.h"

#include <vector>

#include "analyzers/detection/detector.h"
#include "analyzers/engine.h"

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

CLI::Option* AddDetectorOption(CLI::App& app, std::string* tier) {
  *tier = ocular::kDetectorAuto;
  std::vector<std::string> allowed = {ocular::kDetectorAuto};
  for (const std::string& t : ocular::DetectorTiers()) allowed.push_back(t);
  return app
      .add_option("--detector", *tier,
                  "Object detector tier: yolov8n (fast), yolov8s (balanced), yolov8m (accurate), "
                  "ensemble (CenterNet + NanoDet, permissive licences); auto = yolov8s when "
                  "installed, else ensemble (docs/accuracy.md has the measured trade-offs)")
      ->envname("OCULAR_DETECTOR")
      ->capture_default_str()
      ->check(CLI::IsMember(allowed))
      ->type_name("TIER");
}

CLI::Option* AddMaxDecodePixelsOption(CLI::App& app, long long* pixels) {
  *pixels = kDefaultMaxDecodePixels;
  return app
      .add_option("--max-decode-pixels", *pixels,
                  "Per-request pixel budget: larger images are decoded reduced by an integer "
                  "factor to fit (read included; 0: none; docs/reliability.md)")
      ->envname("OCULAR_MAX_DECODE_PIXELS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str()
      ->type_name("PIXELS");
}

}  // namespace ocular::cli
