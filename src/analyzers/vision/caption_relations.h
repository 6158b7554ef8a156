// Relations between two detections, from their box geometry, for the rule-based captions
// (captioner.h): "a person riding a horse", "a person holding a tennis racket", "a person wearing
// a tie", "a person sitting on a couch", "a cup on a table", "two people in front of a bus".
//
// Only the label pair and the boxes decide; scores are the caller's business (captions only
// relate confident detections, detector.h). Every relation has a label whitelist, so a geometry
// coincidence never yields "a cup riding a table":
//   riding     person over a horse, elephant, bicycle, motorcycle, skateboard (head above the
//              ridden thing's top, feet inside it, centres aligned)
//   on board   person on a surfboard, skis or a snowboard (the board under the feet)
//   wearing    a tie or backpack inside the person's box, its top above the box's bottom fifth
//   holding    a small hand-held object (tennis racket, umbrella, cell phone, bat, cup, ...)
//              overlapping the person's box grown by a fifth, and much smaller than the person
//   sitting on person whose lower half overlaps a chair, couch, bench, bed or toilet
//   on         a table-top object whose bottom edge lies on a table (or an animal on furniture)
//   in front   a person or animal overlapping a vehicle (or a parked bicycle) and reaching lower
//              in the frame
//   next to    boxes that do not overlap but are close, at the same height
// Anything else is kNone: the caption then joins the two with "and".
#pragma once

#include <string>

#include "analyzers/detection/detector.h"

namespace ocular {

enum class Relation {
  kNone = 0,
  kNextTo,
  kInFrontOf,
  kOn,
  kSittingOn,
  kHolding,
  kWearing,
  kOnBoard,
  kRiding,
};

// The relation of `subject` to `object` (kNone when no rule applies). Higher enum values are
// more specific; a caption prefers the most specific relation it finds.
Relation Relate(const Detection& subject, const Detection& object);

// The words between the subject and the object: "riding", "holding", "wearing", "sitting on",
// "on", "in front of", "next to"; "and" for kNone.
std::string RelationWords(Relation r);

// The object phrase after a relation: "a horse", "skis" (not "a pair of skis"), "horses" when
// `count` > 1 (related objects are not counted: "two people riding horses").
std::string RelatedObjectPhrase(const std::string& label, int count);

// True for labels that a relation treats as things a person can ride or stand on.
bool IsRideable(const std::string& label);

}  // namespace ocular
