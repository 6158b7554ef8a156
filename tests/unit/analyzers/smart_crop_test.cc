#include "analyzers/vision/smart_crop.h"

#include <gtest/gtest.h>

namespace ocular {
namespace {

bool Inside(const Rect& inner, const Rect& outer) {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
         inner.y + inner.h <= outer.y + outer.h;
}

CropInputs Flat(int w, int h) {
  CropInputs in;
  in.width = w, in.height = h;
  in.importance = cv::Mat::zeros(16, 16, CV_32F);
  return in;
}

TEST(SmartCropTest, RatioAndBounds) {
  for (double ratio : {0.75, 1.0, 1.33, 1.8}) {
    for (auto [w, h] : {std::pair{1000, 500}, std::pair{400, 900}, std::pair{640, 640}}) {
      Rect r = CropForRatio(Flat(w, h), ratio);
      EXPECT_TRUE(Inside(r, Rect{0, 0, w, h})) << ratio;
      EXPECT_NEAR(double(r.w) / r.h, ratio, 0.02 * ratio) << w << "x" << h << " " << ratio;
      EXPECT_TRUE(r.w == w || r.h == h);  // the largest box of that ratio
    }
  }
}

TEST(SmartCropTest, FlatImageCropIsCentred) {
  Rect r = CropForRatio(Flat(1000, 500), 1.0);
  EXPECT_EQ(r, (Rect{250, 0, 500, 500}));
}

TEST(SmartCropTest, FollowsImportance) {
  CropInputs in = Flat(1000, 500);
  in.importance(cv::Rect(13, 0, 3, 16)).setTo(1.0f);  // right edge
  Rect r = CropForRatio(in, 1.0);
  EXPECT_GE(r.x + r.w, 1000 - 1000 / 16);  // within one importance cell of the right edge
}

TEST(SmartCropTest, KeepsTheFacesWhenTheyFit) {
  CropInputs in = Flat(1000, 500);
  in.importance(cv::Rect(0, 0, 3, 16)).setTo(5.0f);  // saliency pulls left
  in.faces = {Rect{600, 100, 80, 80}, Rect{700, 120, 70, 70}};
  Rect r = CropForRatio(in, 1.0);
  for (const Rect& f : in.faces) EXPECT_TRUE(Inside(f, r));
  // Faces too far apart to fit together: the largest one is kept whole.
  in.faces = {Rect{10, 100, 100, 100}, Rect{900, 100, 60, 60}};
  r = CropForRatio(in, 0.75);
  EXPECT_TRUE(Inside(in.faces[0], r));
}

TEST(SmartCropTest, AreaOfInterestHoldsTheSubjectsWithinRatioLimits) {
  CropInputs in = Flat(1000, 800);
  std::vector<Rect> subjects = {Rect{100, 100, 50, 400}};  // tall narrow subject
  Rect r = AreaOfInterest(in, subjects);
  EXPECT_TRUE(Inside(subjects[0], r));
  EXPECT_TRUE(Inside(r, Rect{0, 0, 1000, 800}));
  double ratio = double(r.w) / r.h;
  EXPECT_GE(ratio, 0.49);
  EXPECT_LE(ratio, 2.01);
  EXPECT_EQ(AreaOfInterest(Flat(300, 200), {}), (Rect{0, 0, 300, 200}));
}

}  // namespace
}  // namespace ocular
