// The one list of analyzers. To add one: implement analyzers/<name>_analyzer.{h,cc} with a
// factory, and add a line here.
#include "analyzers/color_analyzer.h"
#include "analyzers/engine.h"
#include "analyzers/image_type_analyzer.h"
#include "analyzers/read_analyzer.h"

namespace ocular {

const std::vector<AnalyzerRegistration>& AllAnalyzers() {
  static const std::vector<AnalyzerRegistration> kAnalyzers = {
      {"color", {Feature::kColor}, &CreateColorAnalyzer},
      {"imageType", {Feature::kImageType}, &CreateImageTypeAnalyzer},
      {"read", {Feature::kRead}, &CreateReadAnalyzer},
  };
  return kAnalyzers;
}

}  // namespace ocular
