#include "analyzers/vision/captioner.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <opencv2/imgproc.hpp>

#include "analyzers/vision/caption_relations.h"
#include "analyzers/vision/color_analyzer.h"

namespace ocular {

std::string CaptionNoun(const std::string& label) {
  static const std::map<std::string, std::string> kNouns = {
      {"tv", "television"},         {"remote", "remote control"}, {"sports ball", "ball"},
      {"dining table", "table"},    {"hair drier", "hair dryer"}, {"skis", "pair of skis"},
      {"cell phone", "cell phone"}, {"donut", "donut"},           {"couch", "couch"},
      {"motorcycle", "motorcycle"}, {"mouse", "computer mouse"},  {"keyboard", "keyboard"}};
  auto it = kNouns.find(label);
  return it != kNouns.end() ? it->second : label;
}

std::string Plural(const std::string& noun) {
  static const std::map<std::string, std::string> kIrregular = {{"person", "people"},
                                                                {"sheep", "sheep"},
                                                                {"scissors", "scissors"},
                                                                {"knife", "knives"},
                                                                {"computer mouse", "computer mice"},
                                                                {"pair of skis", "pairs of skis"},
                                                                {"wine glass", "wine glasses"}};
  if (auto it = kIrregular.find(noun); it != kIrregular.end()) return it->second;
  auto ends = [&](const std::string& s) {
    return noun.size() >= s.size() && noun.compare(noun.size() - s.size(), s.size(), s) == 0;
  };
  if (ends("s") || ends("x") || ends("ch") || ends("sh")) return noun + "es";
  if (noun.size() >= 2 && noun.back() == 'y' &&
      std::string("aeiou").find(noun[noun.size() - 2]) == std::string::npos) {
    return noun.substr(0, noun.size() - 1) + "ies";
  }
  return noun + "s";
}

std::string Article(const std::string& noun) {
  if (noun.empty()) return "a";
  char c = static_cast<char>(std::tolower(static_cast<unsigned char>(noun[0])));
  // "u" words spoken with a "you" sound ("umbrella" is not one of them).
  if (noun.rfind("uni", 0) == 0 || noun.rfind("use", 0) == 0) return "a";
  return std::string("aeiou").find(c) != std::string::npos ? "an" : "a";
}

std::string NumberWord(int n) {
  static const char* kWords[] = {"zero", "one", "two",   "three", "four",
                                 "five", "six", "seven", "eight", "nine"};
  return n >= 0 && n < 10 ? kWords[n] : std::to_string(n);
}

std::string CountPhrase(const std::string& noun, int count) {
  if (count <= 1) return Article(noun) + " " + noun;
  if (count < 10) return NumberWord(count) + " " + Plural(noun);
  return noun == "person" ? "a group of people" : "many " + Plural(noun);
}

namespace {

// All confident detections of one label.
struct Group {
  std::string label;
  std::vector<Detection> items;
  double salience = 0;      // sum of calibrated * sqrt(area share) * centrality
  bool count_known = true;  // no likely-real unconfident instance besides the counted ones
};

double IoU(const Detection& a, const Detection& b) {
  double ix = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
  double iy = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
  if (ix <= 0 || iy <= 0) return 0;
  double i = ix * iy;
  return i / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - i);
}

// Salience of one detection: calibrated score, size and closeness to the image centre.
double Salience(const Detection& d, const Evidence& e) {
  const double area = std::max(1.0, double(e.width) * e.height);
  double share = std::max(0.0, (d.x2 - d.x1) * (d.y2 - d.y1) / area);
  double dx = ((d.x1 + d.x2) / 2 - e.width / 2.0) / std::max(1, e.width);
  double dy = ((d.y1 + d.y2) / 2 - e.height / 2.0) / std::max(1, e.height);
  double centrality = 1.0 - 0.6 * std::min(1.0, std::sqrt(dx * dx + dy * dy) / 0.7071);
  return d.calibrated * std::sqrt(share) * centrality;
}

std::vector<Group> Groups(const Evidence& e) {
  std::map<std::string, Group> by_label;
  for (const Detection& d : Confident(e)) {
    Group& g = by_label[d.label];
    g.label = d.label;
    g.items.push_back(d);
    g.salience += Salience(d, e);
  }
  // A count is only stated when nothing else of the label is probably there too: an unconfident
  // instance that is more likely right than wrong (calibrated >= 0.5) and is not a duplicate of a
  // counted box makes the count unknown.
  for (const Detection& d : e.detections) {
    auto it = by_label.find(d.label);
    if (d.confident || it == by_label.end() || d.calibrated < 0.5) continue;
    bool duplicate = false;
    for (const Detection& c : it->second.items) duplicate = duplicate || IoU(c, d) >= 0.5;
    if (!duplicate) it->second.count_known = false;
  }
  std::vector<Group> out;
  for (auto& [l, g] : by_label) out.push_back(std::move(g));
  std::sort(out.begin(), out.end(),
            [](const Group& a, const Group& b) { return a.salience > b.salience; });
  return out;
}

double MeanScore(const std::vector<Detection>& items) {
  double s = 0;
  for (const Detection& d : items) s += d.calibrated;
  return items.empty() ? 0 : s / items.size();
}

}  // namespace

std::string SubjectPhrase(const std::string& label, int count, bool count_known) {
  std::string noun = CaptionNoun(label);
  if (count <= 1) return Article(noun) + " " + noun;
  if (count_known) return CountPhrase(noun, count);
  return label == "person" ? "people" : "some " + Plural(noun);
}

namespace {

// The best relation of the subject group to the object group, the subject instances that hold
// it and the number of object instances they relate to.
struct PairRelation {
  Relation relation = Relation::kNone;
  std::vector<Detection> subjects;
  int objects = 0;
};

PairRelation RelateGroups(const Group& a, const Group& b) {
  PairRelation best;
  for (const Detection& x : a.items) {
    for (const Detection& y : b.items) best.relation = std::max(best.relation, Relate(x, y));
  }
  if (best.relation == Relation::kNone) return best;
  std::vector<bool> used(b.items.size(), false);
  for (const Detection& x : a.items) {
    bool holds = false;
    for (std::size_t j = 0; j < b.items.size(); ++j) {
      if (Relate(x, b.items[j]) == best.relation) holds = true, used[j] = true;
    }
    if (holds) best.subjects.push_back(x);
  }
  best.objects = int(std::count(used.begin(), used.end(), true));
  // One held or worn thing belongs to one person, even when several boxes contain it.
  if (best.relation == Relation::kHolding || best.relation == Relation::kWearing) {
    best.subjects.resize(std::min(best.subjects.size(), std::size_t(best.objects)));
  }
  return best;
}

// Specific relations describe the subject instances that hold them ("a person riding a horse"
// among three people); the loose ones (next to, in front of) describe the whole group.
bool Specific(Relation r) { return r >= Relation::kOn; }

bool HasConfident(const Evidence& e, const std::set<std::string>& labels) {
  for (const Detection& d : Confident(e)) {
    if (labels.count(d.label)) return true;
  }
  return false;
}

// The setting, only from evidence: the kitchen/street tags, or water (a confident surfboard or
// boat plus a water-coloured bottom third).
std::string Setting(const Evidence& e, const std::vector<Tag>& tags) {
  auto conf = [&](const char* w) {
    for (const Tag& t : tags) {
      if (t.name == w) return t.confidence;
    }
    return 0.0;
  };
  if (HasConfident(e, {"surfboard", "boat"}) && e.water_share >= kWaterShare) return "in the water";
  if (conf("kitchen") >= 0.6) return "in a kitchen";
  if (conf("street") >= 0.6) return "on a street";
  return "";
}

// Labels a caption may treat as the place of a smaller subject rather than the subject.
bool IsSupport(const std::string& l) {
  static const std::set<std::string> k = {"couch", "bed",          "chair",
                                          "bench", "dining table", "toilet"};
  return k.count(l) > 0 || IsRideable(l);
}

bool IsAnimal(const std::string& l) {
  static const std::set<std::string> k = {"bird", "cat",      "dog",  "horse", "sheep",
                                          "cow",  "elephant", "bear", "zebra", "giraffe"};
  return k.count(l) > 0;
}

// Puts the subject first: people when they are reasonably salient (a quarter of the most
// salient group), then animals; else the most salient group, unless it is a support (table, couch,
// horse, ...) that a smaller group is on: then that group ("a cup on a table", not "a table with a
// cup").
void OrderSubjectFirst(std::vector<Group>& groups) {
  for (bool people : {true, false}) {
    for (std::size_t i = 0; i < groups.size(); ++i) {
      bool living = people ? groups[i].label == "person" : IsAnimal(groups[i].label);
      if (living && groups[i].salience >= 0.25 * groups[0].salience) {
        std::rotate(groups.begin(), groups.begin() + i, groups.begin() + i + 1);
        return;
      }
    }
  }
  if (!IsSupport(groups[0].label)) return;
  for (std::size_t i = 1; i < groups.size(); ++i) {
    if (!IsSupport(groups[i].label) && Specific(RelateGroups(groups[i], groups[0]).relation)) {
      std::rotate(groups.begin(), groups.begin() + i, groups.begin() + i + 1);
      return;
    }
  }
}

class RuleCaptioner final : public Captioner {
 public:
  std::vector<Caption> Describe(const Evidence& e, int max_candidates) const override {
    std::vector<Caption> cands;
    std::vector<Group> groups = Groups(e);
    std::vector<Tag> tags = ComputeTags(e);
    std::string setting = Setting(e, tags);
    if (!groups.empty()) {
      OrderSubjectFirst(groups);
      const Group& a = groups[0];
      std::string subject = SubjectPhrase(a.label, int(a.items.size()), a.count_known);
      double sa = MeanScore(a.items);
      // The object: the other group with the most specific relation; else the most salient one
      // when it is salient enough to be worth naming.
      int bi = -1;
      PairRelation rel;
      for (std::size_t i = 1; i < groups.size(); ++i) {
        PairRelation r = RelateGroups(a, groups[i]);
        if (bi < 0 || r.relation > rel.relation) bi = int(i), rel = std::move(r);
      }
      if (bi > 0 && rel.relation == Relation::kNone && groups[bi].salience < 0.3 * a.salience) {
        bi = -1;
      }
      if (bi > 0) {
        const Group& b = groups[bi];
        std::string s;
        double c;
        if (Specific(rel.relation)) {
          // All of the group hold the relation: "two people wearing ties"; some of them: "six
          // people, three wearing ties" / "a group of people, one holding a cell phone".
          const int k = int(rel.subjects.size());
          std::string rest =
              RelationWords(rel.relation) + " " + RelatedObjectPhrase(b.label, rel.objects);
          s = k >= int(a.items.size())
                  ? SubjectPhrase(a.label, k, a.count_known) + " " + rest
                  : subject + ", " + (k < 10 ? NumberWord(k) : std::string("some")) + " " + rest;
          c = 0.9 * std::sqrt(MeanScore(rel.subjects) * MeanScore(b.items));
        } else {
          s = subject + " " + RelationWords(rel.relation) + " " +
              SubjectPhrase(b.label, int(b.items.size()), b.count_known);
          c = 0.9 * std::sqrt(sa * MeanScore(b.items));
        }
        if (!setting.empty()) cands.push_back({s + " " + setting, c * 0.95, {}});
        cands.push_back({s, c * 0.93, {}});
      }
      if (!setting.empty()) cands.push_back({subject + " " + setting, 0.9 * sa * 0.9, {}});
      cands.push_back({subject, 0.9 * sa * 0.85, {}});
    } else {
      // No confident object: describe what the pixel-level evidence supports.
      if (e.nsfw && e.nsfw->drawing >= kDrawingThreshold) {
        cands.push_back({"a drawing", e.nsfw->drawing * 0.8, {}});
      }
      if (e.text_confidence) cands.push_back({"text on a page", *e.text_confidence * 0.6, {}});
      if (e.gray_share >= kBlackAndWhiteShare) {
        cands.push_back({"a black and white image", e.gray_share * 0.5, {}});
      }
      if (!e.faces.empty()) {
        cands.push_back({CountPhrase("person", int(e.faces.size())), e.faces[0].score * 0.6, {}});
      }
      if (cands.empty()) cands.push_back({"an image", 0.1, {}});
    }
    // Candidates are in order of preference (the most informative sentence first); a later,
    // shorter candidate never claims more confidence than the one before it.
    if (groups.empty()) {
      std::stable_sort(cands.begin(), cands.end(), [](const Caption& x, const Caption& y) {
        return x.confidence > y.confidence;
      });
    }
    for (std::size_t i = 1; i < cands.size(); ++i) {
      cands[i].confidence = std::min(cands[i].confidence, cands[i - 1].confidence);
    }
    std::vector<Caption> out;
    std::set<std::string> seen;
    for (Caption& c : cands) {
      if (int(out.size()) >= std::max(1, max_candidates)) break;
      if (!seen.insert(c.text).second) continue;
      c.confidence = std::clamp(c.confidence, 0.0, 1.0);
      c.box = Rect{0, 0, e.width, e.height};
      out.push_back(std::move(c));
    }
    return out;
  }

  std::vector<Caption> DenseCaptions(const Evidence& e, const cv::Mat& bgr,
                                     double scale) const override {
    std::vector<Caption> out = Describe(e, 1);
    std::vector<Detection> dets = Confident(e);
    std::stable_sort(dets.begin(), dets.end(), [&](const Detection& a, const Detection& b) {
      return Salience(a, e) > Salience(b, e);
    });
    std::set<const Detection*> held;
    for (const Detection& d : dets) {
      if (out.size() >= 10) break;
      std::string noun = CaptionNoun(d.label);
      std::string colour = RegionColour(d, bgr, scale);
      // "a person in blue", "a red car", "a car" (appends only: GCC 12 -Wrestrict misfires on
      // literal + std::string temporaries at -O3).
      std::string text;
      if (d.label == "person") {
        text = "a person";
        if (!colour.empty()) text.append(" in ").append(colour);
      } else {
        text = Article(colour.empty() ? noun : colour);
        if (!colour.empty()) text.append(" ").append(colour);
        text.append(" ").append(noun);
      }
      Rect box = d.box;
      double conf = d.calibrated;
      // The region's most specific relation to another confident detection, if any.
      const Detection* other = nullptr;
      Relation best = Relation::kNone;
      for (const Detection& o : dets) {
        if (&o == &d || held.count(&o)) continue;
        Relation r = Relate(d, o);
        if (Specific(r) && r > best) best = r, other = &o;
      }
      // A held or worn thing is described once, with the most salient person holding it.
      if (best == Relation::kHolding || best == Relation::kWearing) held.insert(other);
      if (other) {
        text += " " + RelationWords(best) + " " + RelatedObjectPhrase(other->label, 1);
        conf = std::min(conf, other->calibrated);
        // Riding, boards and seats describe both things: the region is their union.
        if (best == Relation::kRiding || best == Relation::kOnBoard ||
            best == Relation::kSittingOn) {
          box = ClampRect(std::min(d.x1, other->x1), std::min(d.y1, other->y1),
                          std::max(d.x2, other->x2), std::max(d.y2, other->y2), e.width, e.height);
        }
      }
      out.push_back({text, conf, box});
    }
    return out;
  }

 private:
  // The colour name of the central half of the region, from its median pixel; "" when the
  // region is too small to say.
  static std::string RegionColour(const Detection& d, const cv::Mat& bgr, double scale) {
    int x = int(d.box.x * scale + d.box.w * scale / 4),
        y = int(d.box.y * scale + d.box.h * scale / 4);
    int w = int(d.box.w * scale / 2), h = int(d.box.h * scale / 2);
    cv::Rect r = cv::Rect(x, y, w, h) & cv::Rect(0, 0, bgr.cols, bgr.rows);
    if (r.width < 2 || r.height < 2) return "";
    cv::Mat roi = bgr(r);
    std::vector<cv::Mat> ch;
    cv::split(roi, ch);
    int med[3];
    for (int c = 0; c < 3; ++c) {
      cv::Mat flat = ch[c].clone().reshape(1, 1);
      std::vector<uchar> v(flat.begin<uchar>(), flat.end<uchar>());
      std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
      med[c] = v[v.size() / 2];
    }
    std::string name = NameColor(med[2], med[1], med[0]);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char ch2) { return static_cast<char>(std::tolower(ch2)); });
    return name;
  }
};

}  // namespace

std::unique_ptr<Captioner> MakeCaptioner() { return std::make_unique<RuleCaptioner>(); }

}  // namespace ocular
