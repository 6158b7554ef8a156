#include "analyzers/request.h"

namespace ocular {

std::string_view FeatureName(Feature feature) {
  switch (feature) {
    case Feature::kTags: return "tags";
    case Feature::kCaption: return "caption";
    case Feature::kDenseCaptions: return "denseCaptions";
    case Feature::kObjects: return "objects";
    case Feature::kPeople: return "people";
    case Feature::kRead: return "read";
    case Feature::kSmartCrops: return "smartCrops";
    case Feature::kCategories: return "categories";
    case Feature::kDescription: return "description";
    case Feature::kFaces: return "faces";
    case Feature::kImageType: return "imageType";
    case Feature::kColor: return "color";
    case Feature::kAdult: return "adult";
    case Feature::kBrands: return "brands";
    case Feature::kCelebrities: return "celebrities";
    case Feature::kLandmarks: return "landmarks";
  }
  return "unknown";
}

}  // namespace ocular
