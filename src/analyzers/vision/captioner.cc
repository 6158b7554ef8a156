#include "analyzers/vision/captioner.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <opencv2/imgproc.hpp>

#include "analyzers/vision/color_analyzer.h"

namespace ocular {

std::string CaptionNoun(const std::string& label) {
  static const std::map<std::string, std::string> kNouns = {
      {"tv", "television"},          {"remote", "remote control"}, {"sports ball", "ball"},
      {"dining table", "table"},     {"hair drier", "hair dryer"}, {"skis", "pair of skis"},
      {"cell phone", "cell phone"},  {"donut", "donut"},           {"couch", "couch"},
      {"motorcycle", "motorcycle"},  {"mouse", "computer mouse"},  {"keyboard", "keyboard"}};
  auto it = kNouns.find(label);
  return it != kNouns.end() ? it->second : label;
}

std::string Plural(const std::string& noun) {
  static const std::map<std::string, std::string> kIrregular = {
      {"person", "people"},   {"sheep", "sheep"},   {"scissors", "scissors"},
      {"knife", "knives"},    {"computer mouse", "computer mice"},
      {"pair of skis", "pairs of skis"},           {"wine glass", "wine glasses"}};
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

std::string CountPhrase(const std::string& noun, int count) {
  static const char* kWords[] = {"zero", "one", "two", "three", "four", "five",
                                 "six",  "seven", "eight", "nine"};
  if (count <= 1) return Article(noun) + " " + noun;
  if (count < 10) return std::string(kWords[count]) + " " + Plural(noun);
  return noun == "person" ? "a group of people" : "many " + Plural(noun);
}

namespace {

struct Group {
  std::string label;
  std::vector<Detection> items;
  double salience = 0;  // sum of score * sqrt(area share)
  double top_score = 0;
  double x1 = 1e18, y1 = 1e18, x2 = -1e18, y2 = -1e18;  // union box
};

std::vector<Group> Groups(const Evidence& e) {
  std::map<std::string, Group> by_label;
  const double area = std::max(1.0, double(e.width) * e.height);
  for (const Detection& d : Confident(e)) {
    Group& g = by_label[d.label];
    g.label = d.label;
    g.items.push_back(d);
    double share = (d.x2 - d.x1) * (d.y2 - d.y1) / area;
    g.salience += d.score * std::sqrt(std::max(0.0, share)) * (d.label == "person" ? 1.5 : 1.0);
    g.top_score = std::max(g.top_score, d.score);
    g.x1 = std::min(g.x1, d.x1), g.y1 = std::min(g.y1, d.y1);
    g.x2 = std::max(g.x2, d.x2), g.y2 = std::max(g.y2, d.y2);
  }
  std::vector<Group> out;
  for (auto& [l, g] : by_label) out.push_back(std::move(g));
  std::sort(out.begin(), out.end(),
            [](const Group& a, const Group& b) { return a.salience > b.salience; });
  return out;
}

double MeanScore(const Group& g) {
  double s = 0;
  for (const Detection& d : g.items) s += d.calibrated;
  return g.items.empty() ? 0 : s / g.items.size();
}

// Things a subject can be "on".
bool IsSupport(const std::string& l) {
  static const std::set<std::string> k = {"couch", "bed", "chair", "bench", "dining table",
                                          "motorcycle", "bicycle", "horse", "surfboard",
                                          "skateboard", "boat", "elephant", "toilet"};
  return k.count(l) > 0;
}

// The relation of group a (subject) to group b, from their union boxes.
std::string Relation(const Group& a, const Group& b) {
  double ix = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
  double iy = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
  double area_a = (a.x2 - a.x1) * (a.y2 - a.y1);
  double inter = (ix > 0 && iy > 0) ? ix * iy : 0.0;
  double a_cy = (a.y1 + a.y2) / 2;
  if (IsSupport(b.label) && inter > 0.3 * area_a && a_cy < (b.y1 + b.y2) / 2 + 1e-9) return "on";
  if (inter <= 0.1 * area_a) return "next to";
  // Overlapping, and the subject reaches lower in the frame: it stands between camera and b.
  if (a.y2 > b.y2 + 0.05 * (b.y2 - b.y1)) return "in front of";
  return "with";
}

std::string Setting(const Evidence& e, const std::vector<Tag>& tags) {
  (void)e;
  auto conf = [&](const char* w) {
    for (const Tag& t : tags) {
      if (t.name == w) return t.confidence;
    }
    return 0.0;
  };
  if (conf("kitchen") >= 0.6) return "in a kitchen";
  if (conf("street") >= 0.6) return "on a street";
  return "";
}

class RuleCaptioner final : public Captioner {
 public:
  std::vector<Caption> Describe(const Evidence& e, int max_candidates) const override {
    std::vector<Caption> cands;
    std::vector<Group> groups = Groups(e);
    std::vector<Tag> tags = ComputeTags(e);
    std::string setting = Setting(e, tags);
    // A support (couch, bed, horse, ...) is the setting of a smaller subject, not the subject.
    if (groups.size() >= 2 && IsSupport(groups[0].label) && !IsSupport(groups[1].label)) {
      std::swap(groups[0], groups[1]);
    }
    if (!groups.empty()) {
      const Group& a = groups[0];
      std::string subject = CountPhrase(CaptionNoun(a.label), int(a.items.size()));
      double sa = MeanScore(a);
      if (groups.size() >= 2) {
        const Group& b = groups[1];
        std::string object = CountPhrase(CaptionNoun(b.label), int(b.items.size()));
        std::string s = subject + " " + Relation(a, b) + " " + object;
        double c = 0.9 * std::sqrt(sa * MeanScore(b));
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
    std::stable_sort(cands.begin(), cands.end(),
                     [](const Caption& x, const Caption& y) { return x.confidence > y.confidence; });
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
    const double area = std::max(1.0, double(e.width) * e.height);
    std::stable_sort(dets.begin(), dets.end(), [&](const Detection& a, const Detection& b) {
      return a.score * std::sqrt(a.box.area() / area) > b.score * std::sqrt(b.box.area() / area);
    });
    for (const Detection& d : dets) {
      if (out.size() >= 10) break;
      std::string noun = CaptionNoun(d.label);
      std::string colour = RegionColour(d, bgr, scale);
      std::string text = d.label == "person"
                             ? (colour.empty() ? "a person" : "a person in " + colour)
                             : (colour.empty() ? Article(noun) + " " + noun
                                               : Article(colour) + " " + colour + " " + noun);
      out.push_back({text, d.calibrated, d.box});
    }
    return out;
  }

 private:
  // The colour name of the central half of the region, from its median pixel; "" when the
  // region is too small to say.
  static std::string RegionColour(const Detection& d, const cv::Mat& bgr, double scale) {
    int x = int(d.box.x * scale + d.box.w * scale / 4), y = int(d.box.y * scale + d.box.h * scale / 4);
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
