// The one list of analyzers. To add one: implement analyzers/<name>_analyzer.{h,cc} with a
// factory, and add a line here.
#include "analyzers/vision/adult_analyzer.h"
#include "analyzers/vision/color_analyzer.h"
#include "analyzers/engine.h"
#include "analyzers/vision/faces_analyzer.h"
#include "analyzers/galleries/gallery_analyzers.h"
#include "analyzers/vision/image_type_analyzer.h"
#include "analyzers/vision/objects_analyzer.h"
#include "analyzers/read/read_analyzer.h"
#include "analyzers/vision/scene_analyzers.h"

namespace ocular {

const std::vector<AnalyzerRegistration>& AllAnalyzers() {
  static const std::vector<AnalyzerRegistration> kAnalyzers = {
      {"color", {Feature::kColor}, &CreateColorAnalyzer},
      {"imageType", {Feature::kImageType}, &CreateImageTypeAnalyzer},
      {"read", {Feature::kRead}, &CreateReadAnalyzer},
      {"objects", {Feature::kObjects, Feature::kPeople}, &CreateObjectsAnalyzer},
      {"faces", {Feature::kFaces}, &CreateFacesAnalyzer},
      {"adult", {Feature::kAdult}, &CreateAdultAnalyzer},
      {"tags", {Feature::kTags}, &CreateTagsAnalyzer},
      {"caption", {Feature::kCaption, Feature::kDenseCaptions, Feature::kDescription},
       &CreateCaptionAnalyzer},
      {"categories", {Feature::kCategories}, &CreateCategoriesAnalyzer},
      {"smartCrops", {Feature::kSmartCrops}, &CreateSmartCropsAnalyzer},
      {"brands", {Feature::kBrands}, &CreateBrandsAnalyzer},
      {"landmarks", {Feature::kLandmarks}, &CreateLandmarksAnalyzer},
      {"celebrities", {Feature::kCelebrities}, &CreateCelebritiesAnalyzer},
  };
  return kAnalyzers;
}

}  // namespace ocular
