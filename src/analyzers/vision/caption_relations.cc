#include "analyzers/vision/caption_relations.h"

#include <algorithm>
#include <set>

#include "analyzers/vision/captioner.h"

namespace ocular {

namespace {

bool In(const std::set<std::string>& s, const std::string& l) { return s.count(l) > 0; }

const std::set<std::string>& Ridden() {
  static const std::set<std::string> k = {"horse", "elephant", "bicycle", "motorcycle",
                                          "skateboard"};
  return k;
}
const std::set<std::string>& Boards() {
  static const std::set<std::string> k = {"surfboard", "skis", "snowboard"};
  return k;
}
const std::set<std::string>& Worn() {
  static const std::set<std::string> k = {"tie", "backpack"};
  return k;
}
const std::set<std::string>& HandHeld() {
  static const std::set<std::string> k = {
      "tennis racket", "umbrella",   "cell phone", "baseball bat", "baseball glove", "frisbee",
      "cup",           "wine glass", "bottle",     "remote",       "book",           "knife",
      "fork",          "spoon",      "toothbrush", "hair drier",   "scissors",       "teddy bear",
      "banana",        "donut",      "hot dog",    "sandwich",     "pizza",          "kite"};
  return k;
}
const std::set<std::string>& Seats() {
  static const std::set<std::string> k = {"chair", "couch", "bench", "bed", "toilet"};
  return k;
}
// Things found on a table top.
const std::set<std::string>& TableTop() {
  static const std::set<std::string> k = {
      "cup",      "bowl",   "bottle",       "wine glass", "fork",       "knife",
      "spoon",    "pizza",  "cake",         "donut",      "sandwich",   "hot dog",
      "apple",    "banana", "orange",       "broccoli",   "carrot",     "laptop",
      "keyboard", "mouse",  "book",         "vase",       "cell phone", "remote",
      "scissors", "clock",  "potted plant", "teddy bear", "toaster",    "microwave"};
  return k;
}
const std::set<std::string>& Animals() {
  static const std::set<std::string> k = {"cat", "dog", "bird", "teddy bear"};
  return k;
}
// Things a person or an animal is "in front of" when it overlaps them and reaches lower.
const std::set<std::string>& Backdrops() {
  static const std::set<std::string> k = {"bus",      "truck", "train",   "car",
                                          "airplane", "boat",  "bicycle", "motorcycle"};
  return k;
}

double W(const Detection& d) { return std::max(0.0, d.x2 - d.x1); }
double H(const Detection& d) { return std::max(0.0, d.y2 - d.y1); }
double Area(const Detection& d) { return W(d) * H(d); }
double Cx(const Detection& d) { return (d.x1 + d.x2) / 2; }
double Cy(const Detection& d) { return (d.y1 + d.y2) / 2; }

// Intersection area of a and b, b grown by `grow` times its size on every side.
double Inter(const Detection& a, const Detection& b, double grow = 0) {
  double gx = grow * W(b), gy = grow * H(b);
  double ix = std::min(a.x2, b.x2 + gx) - std::max(a.x1, b.x1 - gx);
  double iy = std::min(a.y2, b.y2 + gy) - std::max(a.y1, b.y1 - gy);
  return (ix > 0 && iy > 0) ? ix * iy : 0.0;
}

// Share of a's width that lies over b's width.
double XOverlap(const Detection& a, const Detection& b) {
  double ix = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
  return W(a) > 0 ? std::max(0.0, ix) / W(a) : 0.0;
}

bool Riding(const Detection& p, const Detection& o) {
  // Centres aligned (the person's centre over the ridden thing), head above its top, the
  // person's lower body inside it, and the person not far below its centre.
  bool aligned = Cx(p) > o.x1 && Cx(p) < o.x2 && XOverlap(p, o) >= 0.5;
  bool above = p.y1 < o.y1 - 0.1 * H(o) && Cy(p) < Cy(o);
  bool feet_in = p.y2 > o.y1 + 0.25 * H(o) && p.y2 < o.y2 + 0.25 * H(p);
  return aligned && above && feet_in;
}

bool OnBoard(const Detection& p, const Detection& o) {
  // The board lies under the person's lower third (skis and boards stick out sideways).
  bool aligned = Cx(o) > p.x1 - 0.5 * W(p) && Cx(o) < p.x2 + 0.5 * W(p) &&
                 std::min(p.x2, o.x2) > std::max(p.x1, o.x1);
  bool under = Cy(o) > p.y1 + 0.6 * H(p) && o.y1 < p.y2 + 0.1 * H(p) && Cy(o) > Cy(p);
  return aligned && under;
}

bool Wearing(const Detection& p, const Detection& o) {
  if (Area(o) <= 0 || Area(o) > 0.5 * Area(p)) return false;
  if (Inter(o, p) < 0.7 * Area(o)) return false;
  // Worn on the body, not lying at the feet (boxes of people cut off by the frame end at the
  // chest, so "upper half" would be too strict).
  return o.y1 < p.y1 + 0.8 * H(p) && Cx(o) > p.x1 && Cx(o) < p.x2;
}

bool Holding(const Detection& p, const Detection& o) {
  if (Area(o) <= 0 || Area(o) > 0.6 * Area(p)) return false;
  // Held things stick out of the person's box (rackets, umbrellas): grow it by a fifth.
  return Inter(o, p, 0.2) >= 0.5 * Area(o) && Cy(o) < p.y2 - 0.1 * H(p);
}

bool SittingOn(const Detection& p, const Detection& s) {
  Detection lower = p;
  lower.y1 = Cy(p);
  bool overlap = Inter(lower, s) >= 0.3 * Area(lower) || Inter(lower, s) >= 0.3 * Area(s);
  return overlap && p.y1 < s.y1 + 0.3 * H(s) && Cy(p) < Cy(s) + 0.25 * H(s);
}

bool OnSurface(const Detection& o, const Detection& t) {
  // The object's bottom edge lies on the surface (below its top edge, not below its bottom) and
  // its centre is over it; a close-up dish may fill the table's whole box ("a pizza on a table").
  if (Area(o) >= 1.2 * Area(t)) return false;
  bool inside_x = Cx(o) > t.x1 && Cx(o) < t.x2;
  bool bottom_on = o.y2 > t.y1 + 0.1 * H(t) && o.y2 <= t.y2 + 0.02 * H(t);
  return inside_x && bottom_on && Cy(o) <= Cy(t) + 0.1 * H(t);
}

bool NextTo(const Detection& a, const Detection& b) {
  if (Inter(a, b) > 0) return false;
  double gap = std::max({b.x1 - a.x2, a.x1 - b.x2, 0.0});
  double iy = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
  return gap < 0.5 * std::max(W(a), W(b)) && iy > 0.3 * std::min(H(a), H(b));
}

}  // namespace

bool IsRideable(const std::string& label) { return In(Ridden(), label) || In(Boards(), label); }

Relation Relate(const Detection& a, const Detection& b) {
  const std::string& s = a.label;
  const std::string& o = b.label;
  if (s == "person") {
    if (In(Ridden(), o) && Riding(a, b)) return Relation::kRiding;
    if (In(Boards(), o) && OnBoard(a, b)) return Relation::kOnBoard;
    if (In(Worn(), o) && Wearing(a, b)) return Relation::kWearing;
    if (In(HandHeld(), o) && Holding(a, b)) return Relation::kHolding;
    if (In(Seats(), o) && SittingOn(a, b)) return Relation::kSittingOn;
  }
  if (In(TableTop(), s) && o == "dining table" && OnSurface(a, b)) return Relation::kOn;
  if (In(Animals(), s) && (In(Seats(), o) || o == "dining table") && Inter(a, b) >= 0.5 * Area(a) &&
      Cy(a) < Cy(b)) {
    return Relation::kOn;
  }
  if ((s == "person" || In(Animals(), s)) && In(Backdrops(), o) && Inter(a, b) > 0.1 * Area(a) &&
      a.y2 > b.y2 + 0.05 * H(b)) {
    return Relation::kInFrontOf;
  }
  if (NextTo(a, b)) return Relation::kNextTo;
  return Relation::kNone;
}

std::string RelationWords(Relation r) {
  switch (r) {
    case Relation::kRiding:
      return "riding";
    case Relation::kOnBoard:
      return "on";
    case Relation::kWearing:
      return "wearing";
    case Relation::kHolding:
      return "holding";
    case Relation::kSittingOn:
      return "sitting on";
    case Relation::kOn:
      return "on";
    case Relation::kInFrontOf:
      return "in front of";
    case Relation::kNextTo:
      return "next to";
    case Relation::kNone:
      break;
  }
  return "and";
}

std::string RelatedObjectPhrase(const std::string& label, int count) {
  if (label == "skis") return "skis";
  std::string noun = CaptionNoun(label);
  return count > 1 ? Plural(noun) : Article(noun) + " " + noun;
}

}  // namespace ocular
