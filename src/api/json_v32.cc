// v3.2 writers (spec §2.3). Property names are case-sensitive for the ms-rest-js client.
#include "api/json_writers.h"

namespace ocular::api {

using nlohmann::json;

json FaceRectangleJson(const Rect& r) {
  return {{"left", r.x}, {"top", r.y}, {"width", r.w}, {"height", r.h}};
}

json V32Metadata(const AnalysisResult& r) {
  return {{"width", r.image.width},
          {"height", r.image.height},
          {"format", std::string(ImageFormatName(r.image.format))}};
}

namespace {

json Envelope(const AnalysisResult& r, const std::string& request_id) {
  return {{"requestId", request_id}, {"metadata", V32Metadata(r)},
          {"modelVersion", r.model_version}};
}

json TagsJson(const std::vector<Tag>& tags) {
  json arr = json::array();
  for (const Tag& t : tags) {
    json j = {{"name", t.name}, {"confidence", t.confidence}};
    if (!t.hint.empty()) j["hint"] = t.hint;
    arr.push_back(j);
  }
  return arr;
}

json ParentJson(const std::vector<ObjectParent>& parents, size_t i) {
  json j = {{"object", parents[i].name}, {"confidence", parents[i].confidence}};
  if (i + 1 < parents.size()) j["parent"] = ParentJson(parents, i + 1);
  return j;
}

json ObjectsJson(const std::vector<DetectedObject>& objects) {
  json arr = json::array();
  for (const DetectedObject& o : objects) {
    json j = {{"rectangle", BoxJson(o.box)}, {"object", o.name}, {"confidence", o.confidence}};
    if (!o.parents.empty()) j["parent"] = ParentJson(o.parents, 0);
    arr.push_back(j);
  }
  return arr;
}

json DescriptionJson(const AnalysisResult& r) {
  json tags = json::array();
  if (r.description_tags) {
    for (const std::string& t : *r.description_tags) tags.push_back(t);
  } else if (r.tags) {
    for (const Tag& t : *r.tags) tags.push_back(t.name);
  }
  json captions = json::array();
  if (r.caption_candidates) {
    for (const Caption& c : *r.caption_candidates) {
      captions.push_back({{"text", c.text}, {"confidence", c.confidence}});
    }
  }
  return {{"tags", tags}, {"captions", captions}};
}

json CelebritiesJson(const std::vector<Category::Celebrity>& celebs) {
  json arr = json::array();
  for (const auto& c : celebs) {
    arr.push_back({{"name", c.name}, {"confidence", c.confidence},
                   {"faceRectangle", FaceRectangleJson(c.face)}});
  }
  return arr;
}

json LandmarksJson(const std::vector<Category::Landmark>& marks) {
  json arr = json::array();
  for (const auto& l : marks) arr.push_back({{"name", l.name}, {"confidence", l.confidence}});
  return arr;
}

}  // namespace

json ToJsonV32Analyze(const AnalysisResult& r, const std::string& request_id) {
  json out = Envelope(r, request_id);
  if (r.categories) {
    json arr = json::array();
    for (const Category& c : *r.categories) {
      json j = {{"name", c.name}, {"score", c.score}};
      json detail = json::object();
      if (!c.celebrities.empty()) detail["celebrities"] = CelebritiesJson(c.celebrities);
      if (!c.landmarks.empty()) detail["landmarks"] = LandmarksJson(c.landmarks);
      if (!detail.empty()) j["detail"] = detail;
      arr.push_back(j);
    }
    out["categories"] = arr;
  }
  if (r.adult) {
    const AdultResult& a = *r.adult;
    json j = {{"isAdultContent", a.is_adult}, {"isRacyContent", a.is_racy},
              {"adultScore", a.adult_score}, {"racyScore", a.racy_score}};
    if (a.gore_score) {
      j["goreScore"] = *a.gore_score;
      j["isGoryContent"] = *a.gore_score >= 0.5;
    } else {
      // No installed model computes gore: the fields are left out (they are optional in the
      // schema) and named here, rather than reported as a made-up 0.
      j["unsupported"] = json::array({"goreScore", "isGoryContent"});
    }
    out["adult"] = j;
  }
  if (r.color) {
    const ColorResult& c = *r.color;
    out["color"] = {{"dominantColorForeground", c.dominant_foreground},
                    {"dominantColorBackground", c.dominant_background},
                    {"dominantColors", c.dominant_colors},
                    {"accentColor", c.accent_color},
                    {"isBWImg", c.is_bw},
                    {"isBwImg", c.is_bw}};
  }
  if (r.image_type) {
    out["imageType"] = {{"clipArtType", r.image_type->clip_art_type},
                        {"lineDrawingType", r.image_type->line_drawing_type}};
  }
  if (r.tags) out["tags"] = TagsJson(*r.tags);
  if (r.caption_candidates) out["description"] = DescriptionJson(r);
  if (r.faces) {
    json arr = json::array();
    for (const DetectedFace& f : *r.faces) arr.push_back({{"faceRectangle", FaceRectangleJson(f.box)}});
    out["faces"] = arr;
  }
  if (r.objects) out["objects"] = ObjectsJson(*r.objects);
  if (r.brands) {
    json arr = json::array();
    for (const Brand& b : *r.brands) {
      arr.push_back({{"name", b.name}, {"confidence", b.confidence}, {"rectangle", BoxJson(b.box)}});
    }
    out["brands"] = arr;
  }
  return out;
}

json ToJsonV32Describe(const AnalysisResult& r, const std::string& request_id) {
  json out = Envelope(r, request_id);
  out["description"] = DescriptionJson(r);
  return out;
}

json ToJsonV32Detect(const AnalysisResult& r, const std::string& request_id) {
  json out = Envelope(r, request_id);
  out["objects"] = r.objects ? ObjectsJson(*r.objects) : json::array();
  return out;
}

json ToJsonV32Tag(const AnalysisResult& r, const std::string& request_id) {
  json out = Envelope(r, request_id);
  out["tags"] = r.tags ? TagsJson(*r.tags) : json::array();
  return out;
}

json ToJsonV32AreaOfInterest(const AnalysisResult& r, const std::string& request_id) {
  json out = Envelope(r, request_id);
  Rect box{0, 0, r.image.width, r.image.height};
  if (r.smart_crops && !r.smart_crops->empty()) box = r.smart_crops->front().box;
  out["areaOfInterest"] = BoxJson(box);
  return out;
}

json ToJsonV32Domain(const AnalysisResult& r, bool celebrities, const std::string& request_id) {
  std::vector<Category::Celebrity> celebs;
  std::vector<Category::Landmark> marks;
  if (r.categories) {
    for (const Category& c : *r.categories) {
      celebs.insert(celebs.end(), c.celebrities.begin(), c.celebrities.end());
      marks.insert(marks.end(), c.landmarks.begin(), c.landmarks.end());
    }
  }
  json out = Envelope(r, request_id);
  out["result"] = celebrities ? json{{"celebrities", CelebritiesJson(celebs)}}
                              : json{{"landmarks", LandmarksJson(marks)}};
  return out;
}

}  // namespace ocular::api
