// v3.2 categories: the evidence mapped onto the 86-category taxonomy (spec §2.4), with scores.
// Only categories the evidence supports are returned (possibly none), by descending score,
// those scoring >= kCategoryThreshold:
//   - people_*: person boxes (>= 0.4): one person whose box covers >= 25% of the image ->
//     people_portrait; 2-4 -> people_group; 5-9 -> people_many; >= 10 -> people_crowd;
//     otherwise people_. Score: the mean person score times the share rule's weight.
//   - animal_{cat,dog,horse,bird}, animal_ (other animals); food_pizza, food_fastfood (hot dog,
//     sandwich, donut), food_ (other food); drink_ (cup, bottle, wine glass as main subject);
//     trans_{bicycle,bus,car} (car, truck); outdoor_street (street tag), indoor_room (couch,
//     bed, tv); text_ (OCR text or text-like drawing); abstract_ (NSFW Drawing without objects).
//   Score of an object-driven category: the label's combined confidence times
//   sqrt(area share of its boxes) normalised so a box covering 1/4 of the image scores fully.
#pragma once

#include <vector>

#include "analyzers/vision/scene.h"
#include "core/result.h"

namespace ocular {

inline constexpr double kCategoryThreshold = 0.30;

std::vector<Category> ComputeCategories(const Evidence& evidence);

}  // namespace ocular
