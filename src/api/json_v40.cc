// 4.0 writer (spec §1.4). Every inner field the spec marks required is always written.
#include "api/json_writers.h"

namespace ocular::api {

using nlohmann::json;

json BoxJson(const Rect& r) { return {{"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}}; }

namespace {

json TagJson(const Tag& t) { return {{"name", t.name}, {"confidence", t.confidence}}; }

json CaptionJson(const Caption& c, bool with_box) {
  json j = {{"text", c.text}, {"confidence", c.confidence}};
  if (with_box) j["boundingBox"] = BoxJson(c.box);
  return j;
}

}  // namespace

json ToJsonV40(const AnalysisResult& r) {
  json out = {{"modelVersion", r.model_version},
              {"metadata", {{"width", r.image.width}, {"height", r.image.height}}}};
  if (r.caption) out["captionResult"] = CaptionJson(*r.caption, false);
  if (r.dense_captions) {
    json values = json::array();
    for (const Caption& c : *r.dense_captions) values.push_back(CaptionJson(c, true));
    out["denseCaptionsResult"] = {{"values", values}};
  }
  if (r.objects) {
    json values = json::array();
    for (const DetectedObject& o : *r.objects) {
      values.push_back({{"boundingBox", BoxJson(o.box)},
                        {"tags", json::array({TagJson(Tag{o.name, o.confidence, {}})})}});
    }
    out["objectsResult"] = {{"values", values}};
  }
  if (r.people) {
    json values = json::array();
    for (const DetectedPerson& p : *r.people) {
      values.push_back({{"boundingBox", BoxJson(p.box)}, {"confidence", p.confidence}});
    }
    out["peopleResult"] = {{"values", values}};
  }
  if (r.read) out["readResult"] = ReadResultToJsonV40(*r.read);
  if (r.smart_crops) {
    json values = json::array();
    for (const SmartCrop& c : *r.smart_crops) {
      values.push_back({{"aspectRatio", std::round(c.aspect_ratio * 100.0) / 100.0},
                        {"boundingBox", BoxJson(c.box)}});
    }
    out["smartCropsResult"] = {{"values", values}};
  }
  if (r.tags) {
    json values = json::array();
    for (const Tag& t : *r.tags) values.push_back(TagJson(t));
    out["tagsResult"] = {{"values", values}};
  }
  return out;
}

}  // namespace ocular::api
