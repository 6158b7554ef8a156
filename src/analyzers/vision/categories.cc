#include "analyzers/vision/categories.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace ocular {

std::vector<Category> ComputeCategories(const Evidence& e) {
  std::map<std::string, double> score;
  auto add = [&](const std::string& name, double s) {
    score[name] = std::max(score[name], std::clamp(s, 0.0, 1.0));
  };
  const double area = std::max(1.0, double(e.width) * e.height);
  std::map<std::string, std::vector<Detection>> by_label;
  for (const Detection& d : Confident(e)) by_label[d.label].push_back(d);
  auto prominence = [&](const std::vector<Detection>& ds) {
    double a = 0, s = 0;
    for (const Detection& d : ds) {
      a += d.box.area() / area;
      s = std::max(s, d.calibrated);
    }
    return s * std::min(1.0, std::sqrt(std::min(1.0, a)) / 0.5);
  };

  // People.
  if (auto it = by_label.find("person"); it != by_label.end()) {
    const auto& p = it->second;
    double mean = 0, largest = 0;
    for (const Detection& d : p) {
      mean += d.calibrated;
      largest = std::max(largest, d.box.area() / area);
    }
    mean /= p.size();
    if (p.size() == 1 && largest >= 0.25) {
      add("people_portrait", mean);
    } else if (p.size() >= 10) {
      add("people_crowd", mean);
    } else if (p.size() >= 5) {
      add("people_many", mean);
    } else if (p.size() >= 2) {
      add("people_group", mean);
    } else {
      add("people_", prominence(p));
    }
  }
  static const std::map<std::string, std::string> kDirect = {
      {"cat", "animal_cat"},     {"dog", "animal_dog"},       {"horse", "animal_horse"},
      {"bird", "animal_bird"},   {"pizza", "food_pizza"},     {"hot dog", "food_fastfood"},
      {"sandwich", "food_fastfood"}, {"donut", "food_fastfood"}, {"bicycle", "trans_bicycle"},
      {"bus", "trans_bus"},      {"car", "trans_car"},        {"truck", "trans_car"},
      {"sheep", "animal_"},      {"cow", "animal_"},          {"elephant", "animal_"},
      {"bear", "animal_"},       {"zebra", "animal_"},        {"giraffe", "animal_"},
      {"cake", "food_"},         {"banana", "food_"},         {"apple", "food_"},
      {"orange", "food_"},       {"broccoli", "food_"},       {"carrot", "food_"},
      {"cup", "drink_"},         {"wine glass", "drink_"},    {"bottle", "drink_"},
      {"tv", "object_screen"},   {"laptop", "object_screen"}};
  for (const auto& [label, ds] : by_label) {
    if (auto it = kDirect.find(label); it != kDirect.end()) add(it->second, prominence(ds));
  }
  // Scenes.
  for (const Tag& t : ComputeTags(e)) {
    if (t.name == "street") add("outdoor_street", t.confidence * 0.9);
  }
  {
    std::vector<double> room;
    for (const char* l : {"couch", "bed", "tv"}) {
      if (auto it = by_label.find(l); it != by_label.end()) room.push_back(it->second[0].calibrated);
    }
    if (!room.empty()) add("indoor_room", NoisyOr(room) * 0.9);
  }
  if (e.text_confidence) add("text_", *e.text_confidence * 0.8);
  if (by_label.empty() && e.nsfw && e.nsfw->drawing >= kDrawingThreshold) {
    add("abstract_", e.nsfw->drawing * 0.6);
  }

  std::vector<Category> out;
  for (const auto& [name, s] : score) {
    if (s >= kCategoryThreshold) {
      Category c;
      c.name = name;
      c.score = s;
      out.push_back(std::move(c));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Category& a, const Category& b) { return a.score > b.score; });
  return out;
}

}  // namespace ocular
