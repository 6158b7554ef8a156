// Relation-aware captions on synthetic evidence (caption_relations.h, captioner.h).
#include "analyzers/vision/caption_relations.h"

#include <gtest/gtest.h>

#include "analyzers/vision/captioner.h"

namespace ocular {
namespace {

Detection Det(const std::string& label, double x1, double y1, double x2, double y2, double s,
              bool confident = true) {
  Detection d;
  d.x1 = x1, d.y1 = y1, d.x2 = x2, d.y2 = y2;
  d.box = ClampRect(x1, y1, x2, y2, 1000, 1000);
  d.score = s;
  d.calibrated = s;
  d.confident = confident;
  d.label = label;
  return d;
}

Evidence Scene(std::vector<Detection> dets) {
  Evidence e;
  e.width = e.height = 1000;
  e.detections = std::move(dets);
  return e;
}

std::string Caption1(const Evidence& e) { return MakeCaptioner()->Describe(e, 1)[0].text; }

TEST(CaptionRelationTest, PersonRidingAHorse) {
  Detection p = Det("person", 420, 150, 580, 600, 0.9);
  Detection h = Det("horse", 300, 350, 750, 900, 0.9);
  EXPECT_EQ(Relate(p, h), Relation::kRiding);
  EXPECT_EQ(Caption1(Scene({p, h})), "a person riding a horse");
  // The same person standing beside the horse is not riding it.
  Detection beside = Det("person", 60, 300, 220, 900, 0.9);
  EXPECT_NE(Relate(beside, h), Relation::kRiding);
  EXPECT_EQ(Caption1(Scene({beside, h})), "a person next to a horse");
}

TEST(CaptionRelationTest, RidingBicycleAndMotorcycleButNeverACup) {
  Detection p = Det("person", 400, 100, 560, 700, 0.9);
  EXPECT_EQ(Relate(p, Det("bicycle", 300, 400, 700, 850, 0.9)), Relation::kRiding);
  EXPECT_EQ(Relate(p, Det("motorcycle", 300, 400, 700, 850, 0.9)), Relation::kRiding);
  EXPECT_NE(Relate(p, Det("dining table", 300, 400, 700, 850, 0.9)), Relation::kRiding);
  EXPECT_NE(Relate(Det("dog", 400, 100, 560, 700, 0.9), Det("horse", 300, 400, 700, 850, 0.9)),
            Relation::kRiding);
}

TEST(CaptionRelationTest, SurferInTheWaterOnlyWithWaterEvidence) {
  Evidence e =
      Scene({Det("person", 400, 300, 560, 700, 0.9), Det("surfboard", 330, 660, 700, 740, 0.8)});
  e.water_share = 0.8;
  EXPECT_EQ(Caption1(e), "a person on a surfboard in the water");
  e.water_share = 0.05;  // a surfboard in a shop: no water claimed
  EXPECT_EQ(Caption1(e), "a person on a surfboard");
  // Water-coloured pixels alone do not make a setting.
  Evidence pool = Scene({Det("person", 400, 300, 560, 700, 0.9)});
  pool.water_share = 0.9;
  EXPECT_EQ(Caption1(pool), "a person");
}

TEST(CaptionRelationTest, WornTieIsWornNotNextTo) {
  Evidence e =
      Scene({Det("person", 100, 100, 450, 1000, 0.9), Det("person", 550, 100, 900, 1000, 0.9),
             Det("tie", 250, 300, 300, 550, 0.8), Det("tie", 700, 300, 750, 550, 0.8)});
  EXPECT_EQ(Caption1(e), "two people wearing ties");
  Evidence one =
      Scene({Det("person", 300, 100, 700, 1000, 0.9), Det("tie", 480, 300, 530, 550, 0.8)});
  EXPECT_EQ(Caption1(one), "a person wearing a tie");
  // A portrait cut off at the chest: the tie reaches the bottom of the person's box.
  EXPECT_EQ(Relate(Det("person", 10, 60, 990, 1000, 0.9), Det("tie", 380, 750, 560, 1000, 0.7)),
            Relation::kWearing);
  // A tie at the person's feet is not worn.
  EXPECT_NE(Relate(Det("person", 300, 100, 700, 1000, 0.9), Det("tie", 480, 900, 530, 990, 0.8)),
            Relation::kWearing);
}

TEST(CaptionRelationTest, SomeOfTheGroupHoldTheRelation) {
  // Three people, only the middle one wears a tie; a handbag at someone's feet is not worn.
  Evidence e =
      Scene({Det("person", 50, 100, 300, 1000, 0.9), Det("person", 380, 100, 620, 1000, 0.9),
             Det("person", 700, 100, 950, 1000, 0.9), Det("tie", 480, 300, 520, 500, 0.8),
             Det("handbag", 720, 850, 800, 950, 0.8)});
  EXPECT_EQ(Caption1(e), "three people, one wearing a tie");
}

TEST(CaptionRelationTest, HoldingASmallObject) {
  Detection p = Det("person", 300, 100, 500, 900, 0.9);
  // The racket sticks out of the person's box; it is still held.
  Detection racket = Det("tennis racket", 470, 300, 580, 420, 0.85);
  EXPECT_EQ(Relate(p, racket), Relation::kHolding);
  EXPECT_EQ(Caption1(Scene({p, racket, Det("sports ball", 700, 350, 720, 370, 0.8)})),
            "a person holding a tennis racket");
  // Far away it is not.
  EXPECT_NE(Relate(p, Det("tennis racket", 850, 300, 960, 420, 0.85)), Relation::kHolding);
  EXPECT_EQ(Relate(p, Det("umbrella", 250, 20, 560, 250, 0.8)), Relation::kHolding);
}

TEST(CaptionRelationTest, SittingOnACouch) {
  Detection p = Det("person", 400, 200, 600, 750, 0.9);
  Detection couch = Det("couch", 100, 400, 900, 900, 0.9);
  EXPECT_EQ(Relate(p, couch), Relation::kSittingOn);
  EXPECT_EQ(Caption1(Scene({p, couch})), "a person sitting on a couch");
}

TEST(CaptionRelationTest, CupsOnATableNeverWithATable) {
  Evidence e = Scene({Det("dining table", 0, 500, 1000, 1000, 0.9),
                      Det("cup", 300, 400, 400, 560, 0.8), Det("cup", 600, 420, 690, 570, 0.8)});
  EXPECT_EQ(Caption1(e), "two cups on a table");
  for (const Caption& c : MakeCaptioner()->Describe(e, 5)) {
    EXPECT_EQ(c.text.find("with a table"), std::string::npos) << c.text;
  }
  // A cup floating above the table is not on it.
  EXPECT_NE(
      Relate(Det("cup", 300, 100, 400, 200, 0.8), Det("dining table", 0, 500, 1000, 1000, 0.9)),
      Relation::kOn);
}

TEST(CaptionRelationTest, CloseUpDishOnATableAndAnimalsBeforeThings) {
  // The dish fills the frame and so does the table: still "on a table".
  Evidence pizza =
      Scene({Det("pizza", 0, 60, 1000, 985, 0.6), Det("dining table", 2, 4, 998, 998, 0.5)});
  EXPECT_EQ(Caption1(pizza), "a pizza on a table");
  // A dog sitting in front of a larger bicycle is the subject.
  Evidence dog =
      Scene({Det("bicycle", 150, 250, 750, 730, 0.9), Det("dog", 150, 380, 400, 930, 0.9)});
  EXPECT_EQ(Caption1(dog), "a dog in front of a bicycle");
}

TEST(CaptionRelationTest, HeldThingBelongsToOnePerson) {
  // A remote inside two overlapping people's boxes is held by one of them.
  Evidence e = Scene({Det("person", 250, 10, 700, 990, 0.9), Det("person", 0, 400, 430, 960, 0.9),
                      Det("remote", 250, 500, 340, 540, 0.7)});
  EXPECT_EQ(Caption1(e), "two people, one holding a remote control");
  cv::Mat img(1000, 1000, CV_8UC3, cv::Scalar(128, 128, 128));
  std::vector<Caption> dense = MakeCaptioner()->DenseCaptions(e, img, 1.0);
  int holding = 0;  // among the regions (dense[0] is the whole image)
  for (std::size_t i = 1; i < dense.size(); ++i) {
    holding += dense[i].text.find("holding") != std::string::npos;
  }
  EXPECT_EQ(holding, 1);
}

TEST(CaptionRelationTest, PeopleComeFirstEvenWhenSmaller) {
  // A big bus and a smaller (but clearly salient) person: the person is the subject.
  Evidence e = Scene({Det("bus", 0, 100, 1000, 800, 0.9), Det("person", 400, 400, 550, 950, 0.9)});
  EXPECT_EQ(Caption1(e).rfind("a person", 0), 0u) << Caption1(e);
  // A tiny, far-off person does not take the subject from a large central dog.
  Evidence dog = Scene({Det("dog", 250, 250, 750, 750, 0.9), Det("person", 0, 0, 20, 40, 0.6)});
  EXPECT_EQ(Caption1(dog).rfind("a dog", 0), 0u) << Caption1(dog);
}

TEST(CaptionRelationTest, CountsOnlyWhenKnown) {
  EXPECT_EQ(SubjectPhrase("person", 3, true), "three people");
  EXPECT_EQ(SubjectPhrase("person", 3, false), "people");
  EXPECT_EQ(SubjectPhrase("cup", 2, false), "some cups");
  EXPECT_EQ(SubjectPhrase("cup", 1, false), "a cup");
  // A third person that is probably there (calibrated 0.6) but not confident: no count word.
  Evidence e =
      Scene({Det("person", 100, 300, 250, 900, 0.9), Det("person", 400, 300, 550, 900, 0.9),
             Det("person", 700, 300, 850, 900, 0.6, /*confident=*/false)});
  EXPECT_EQ(Caption1(e), "people");
  // An unlikely one (calibrated 0.2) or a duplicate box does not change the count.
  e.detections[2].calibrated = 0.2;
  EXPECT_EQ(Caption1(e), "two people");
  e.detections[2] = Det("person", 110, 310, 250, 900, 0.6, false);
  EXPECT_EQ(Caption1(e), "two people");
}

TEST(CaptionRelationTest, UnrelatedThingsAreJoinedWithAnd) {
  Evidence e =
      Scene({Det("giraffe", 50, 50, 400, 950, 0.9), Det("zebra", 700, 500, 980, 900, 0.9)});
  EXPECT_EQ(Caption1(e), "a giraffe and a zebra");
}

TEST(CaptionRelationTest, NeverClaimsAnUnconfidentPersonOrAnimal) {
  Evidence e =
      Scene({Det("person", 300, 100, 700, 900, 0.45, /*confident=*/false),
             Det("horse", 200, 400, 800, 950, 0.4, false), Det("chair", 100, 600, 300, 900, 0.9)});
  for (const Caption& c : MakeCaptioner()->Describe(e, 5)) {
    EXPECT_EQ(c.text.find("person"), std::string::npos) << c.text;
    EXPECT_EQ(c.text.find("horse"), std::string::npos) << c.text;
  }
  cv::Mat img(1000, 1000, CV_8UC3, cv::Scalar(128, 128, 128));
  for (const Caption& c : MakeCaptioner()->DenseCaptions(e, img, 1.0)) {
    EXPECT_EQ(c.text.find("person"), std::string::npos) << c.text;
  }
}

TEST(DenseCaptionRelationTest, RegionsUseRelationPhrases) {
  Detection p = Det("person", 420, 150, 580, 600, 0.9);
  Detection h = Det("horse", 300, 350, 750, 900, 0.8);
  cv::Mat img(1000, 1000, CV_8UC3, cv::Scalar(128, 128, 128));
  std::vector<Caption> d = MakeCaptioner()->DenseCaptions(Scene({p, h}), img, 1.0);
  ASSERT_GE(d.size(), 3u);
  bool found = false;
  for (const Caption& c : d) {
    if (c.text == "a person in gray riding a horse") {
      found = true;
      EXPECT_EQ(c.box, (Rect{300, 150, 450, 750}));  // the union of rider and horse
      EXPECT_NEAR(c.confidence, 0.8, 1e-9);          // the weaker of the two
    }
  }
  EXPECT_TRUE(found) << d[1].text;
}

}  // namespace
}  // namespace ocular
