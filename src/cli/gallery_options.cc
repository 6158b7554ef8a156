#include "cli/gallery_options.h"

namespace ocular::cli {

CLI::Option* AddGalleriesOption(CLI::App& app, std::string* dir) {
  *dir = "galleries";
  return app
      .add_option("--galleries", *dir,
                  "Operator galleries folder: <kind>/<Name>/*.jpg|png|svg and .index")
      ->envname("OCULAR_GALLERIES")
      ->type_name("DIR")
      ->capture_default_str();
}

CLI::Option* AddEnableCelebritiesOption(CLI::App& app, bool* enabled) {
  *enabled = false;
  return app
      .add_flag("--enable-celebrities", *enabled,
                "Turn on celebrity recognition against galleries/celebrities (it identifies "
                "people; off by default)")
      ->envname("OCULAR_ENABLE_CELEBRITIES");
}

}  // namespace ocular::cli
