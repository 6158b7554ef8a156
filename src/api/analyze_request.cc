#include "api/analyze_request.h"

#include <cstdlib>
#include <map>

#include "api/route_params.h"
#include "core/version.h"

namespace ocular::api {

namespace {

Status BadArgument(const std::string& message) { return InvalidArgument(message, "BadArgument"); }

Status NotSupportedLanguage(const std::string& language, const std::string& feature) {
  return InvalidArgument("The language '" + language + "' is not supported for the feature '" +
                             feature + "'.",
                         "NotSupportedLanguage");
}

// Checks request.language against what each requested feature can answer in (spec §1.6, §2.6):
// read, people and smart crops take no language; category, celebrity and landmark names are
// the same in the five v3.2 languages; tags follow TagLanguages(); everything else (captions,
// description, objects, faces, colour, ...) is produced in English only.
Status CheckLanguage(const AnalysisRequest& req) {
  static const std::set<std::string> kNameLanguages = {"en", "es", "ja", "pt", "zh"};
  std::string lang = ToLower(req.language);
  for (Feature f : req.features) {
    bool ok;
    switch (f) {
      case Feature::kRead:
      case Feature::kPeople:
      case Feature::kSmartCrops:
        ok = true;
        break;
      case Feature::kCategories:
      case Feature::kCelebrities:
      case Feature::kLandmarks:
        ok = kNameLanguages.count(lang) > 0;
        break;
      case Feature::kTags:
        ok = TagLanguages().count(lang) > 0;
        break;
      default:
        ok = lang == "en";
    }
    if (!ok) return NotSupportedLanguage(req.language, std::string(FeatureName(f)));
  }
  return Status::Ok();
}

}  // namespace

const std::set<std::string>& TagLanguages() {
  // Tags are translated from English with the tables in analyzers/vision/translations.cc (the same five
  // languages as v3.2 names); any other language gets NotSupportedLanguage.
  static const std::set<std::string> kLanguages = {"en", "es", "ja", "pt", "zh"};
  return kLanguages;
}

bool IsSupportedV40ApiVersion(const std::string& version) {
  return version == "2023-10-01" || version == "2024-02-01";
}

namespace {

// "latest" or "YYYY-MM-DD", optionally followed by "-preview" (the spec's model-version shape).
bool IsWellFormedModelVersion(std::string v) {
  const std::string preview = "-preview";
  if (v.size() > preview.size() && v.compare(v.size() - preview.size(), preview.size(), preview) == 0) {
    v.resize(v.size() - preview.size());
  }
  if (v == "latest") return true;
  if (v.size() != 10 || v[4] != '-' || v[7] != '-') return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i != 4 && i != 7 && (v[i] < '0' || v[i] > '9')) return false;
  }
  return true;
}

}  // namespace

Status CheckModelVersion(const QueryParams& query) {
  std::optional<std::string> v = query.Get("model-version");
  if (!v) v = query.Get("modelVersion");
  if (!v) return Status::Ok();
  if (ToLower(*v) == "latest" || *v == kModelPackVersion) return Status::Ok();
  if (!IsWellFormedModelVersion(*v)) {
    return BadArgument("The model-version '" + *v +
                       "' is malformed: use 'latest' or a date as YYYY-MM-DD.");
  }
  return BadArgument("The model-version '" + *v + "' is not available. Available: 'latest', '" +
                     std::string(kModelPackVersion) + "'.");
}

StatusOr<AnalysisRequest> ParseAnalyzeV40(const QueryParams& query) {
  AnalysisRequest req;
  req.api = ApiVersion::kV40;
  static const std::map<std::string, Feature> kFeatures = {
      {"tags", Feature::kTags},       {"caption", Feature::kCaption},
      {"densecaptions", Feature::kDenseCaptions}, {"objects", Feature::kObjects},
      {"read", Feature::kRead},       {"smartcrops", Feature::kSmartCrops},
      {"people", Feature::kPeople}};
  if (!query.Has("features")) {
    return InvalidArgument("The 'features' query parameter is required: at least one of tags, "
                           "caption, denseCaptions, objects, read, smartCrops, people.");
  }
  std::vector<std::string> names = query.GetList("features");
  if (names.empty()) {
    return InvalidArgument("Analyze query is invalid: 'features' is empty.",
                           "NotSupportedVisualFeature");
  }
  for (const std::string& name : names) {
    auto it = kFeatures.find(ToLower(name));
    if (it == kFeatures.end()) {
      return InvalidArgument("Analyze query is invalid. The feature '" + name +
                                 "' is not supported.",
                             "NotSupportedVisualFeature");
    }
    req.features.insert(it->second);
  }
  if (std::optional<std::string> lang = query.Get("language")) {
    if (lang->size() < 2) return BadArgument("The parameter 'language' is too short.");
    req.language = *lang;
  }
  OCULAR_RETURN_IF_ERROR(CheckLanguage(req));
  OCULAR_ASSIGN_OR_RETURN(req.gender_neutral_caption,
                          ParseBoolParam(query, "gender-neutral-caption", false));
  for (const std::string& item : query.GetList("smartcrops-aspect-ratios")) {
    char* end = nullptr;
    double r = std::strtod(item.c_str(), &end);
    if (end == item.c_str() || *end != '\0' || !(r >= 0.75 && r <= 1.8)) {
      return BadArgument("The aspect ratio '" + item +
                         "' is not valid: smart crop aspect ratios must be numbers in [0.75, 1.8].");
    }
    req.smart_crop_ratios.push_back(r);
  }
  OCULAR_RETURN_IF_ERROR(CheckModelVersion(query));
  return req;
}

StatusOr<AnalysisRequest> ParseV32(V32Operation op, const QueryParams& query) {
  AnalysisRequest req;
  req.api = ApiVersion::kV32;
  switch (op) {
    case V32Operation::kAnalyze: {
      static const std::map<std::string, Feature> kVisual = {
          {"categories", Feature::kCategories}, {"tags", Feature::kTags},
          {"description", Feature::kDescription}, {"faces", Feature::kFaces},
          {"imagetype", Feature::kImageType}, {"color", Feature::kColor},
          {"adult", Feature::kAdult},           {"objects", Feature::kObjects},
          {"brands", Feature::kBrands}};
      std::vector<std::string> names = query.GetList("visualFeatures");
      if (names.empty()) names = {"Categories"};
      for (const std::string& name : names) {
        auto it = kVisual.find(ToLower(name));
        if (it == kVisual.end()) {
          return InvalidArgument("The visual feature '" + name + "' is not valid.",
                                 "NotSupportedVisualFeature");
        }
        req.features.insert(it->second);
      }
      for (const std::string& d : query.GetList("details")) {
        std::string l = ToLower(d);
        if (l == "celebrities") {
          req.features.insert(Feature::kCelebrities);
        } else if (l == "landmarks") {
          req.features.insert(Feature::kLandmarks);
        } else {
          return InvalidArgument("The detail '" + d + "' is not valid: use Celebrities or "
                                 "Landmarks.", "InvalidDetails");
        }
      }
      if (req.features.count(Feature::kCelebrities) || req.features.count(Feature::kLandmarks)) {
        req.features.insert(Feature::kCategories);
      }
      break;
    }
    case V32Operation::kDescribe: req.features = {Feature::kDescription}; break;
    case V32Operation::kDetect: req.features = {Feature::kObjects}; break;
    case V32Operation::kTag: req.features = {Feature::kTags}; break;
    case V32Operation::kAreaOfInterest:
    case V32Operation::kThumbnail: req.features = {Feature::kSmartCrops}; break;
    case V32Operation::kCelebrities: req.features = {Feature::kCelebrities}; break;
    case V32Operation::kLandmarks: req.features = {Feature::kLandmarks}; break;
  }
  for (const std::string& d : query.GetList("descriptionExclude")) {
    std::string l = ToLower(d);
    if (l != "celebrities" && l != "landmarks") {
      return InvalidArgument("The descriptionExclude value '" + d + "' is not valid.",
                             "BadArgument");
    }
  }
  if (std::optional<std::string> lang = query.Get("language")) req.language = *lang;
  OCULAR_RETURN_IF_ERROR(CheckLanguage(req));
  if (std::optional<std::string> mc = query.Get("maxCandidates")) {
    char* end = nullptr;
    long n = std::strtol(mc->c_str(), &end, 10);
    if (end == mc->c_str() || *end != '\0' || n < 1 || n > 100) {
      return BadArgument("The parameter 'maxCandidates' must be an integer from 1 to 100.");
    }
    req.max_candidates = static_cast<int>(n);
  }
  OCULAR_RETURN_IF_ERROR(CheckModelVersion(query));
  return req;
}

}  // namespace ocular::api
