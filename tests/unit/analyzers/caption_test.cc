#include "analyzers/vision/captioner.h"

#include <gtest/gtest.h>

namespace ocular {
namespace {

Detection Det(const std::string& label, double x1, double y1, double x2, double y2, double s) {
  Detection d;
  d.x1 = x1, d.y1 = y1, d.x2 = x2, d.y2 = y2;
  d.box = ClampRect(x1, y1, x2, y2, 1000, 1000);
  d.score = s;
  d.calibrated = s;
  d.confident = true;
  d.label = label;
  return d;
}

TEST(CaptionGrammarTest, ArticlesAndPlurals) {
  EXPECT_EQ(Article("dog"), "a");
  EXPECT_EQ(Article("apple"), "an");
  EXPECT_EQ(Article("umbrella"), "an");
  EXPECT_EQ(Article("unicycle"), "a");
  EXPECT_EQ(Plural("dog"), "dogs");
  EXPECT_EQ(Plural("bus"), "buses");
  EXPECT_EQ(Plural("couch"), "couches");
  EXPECT_EQ(Plural("person"), "people");
  EXPECT_EQ(Plural("sheep"), "sheep");
  EXPECT_EQ(Plural("knife"), "knives");
  EXPECT_EQ(Plural("pair of skis"), "pairs of skis");
}

TEST(CaptionGrammarTest, Counts) {
  EXPECT_EQ(CountPhrase("dog", 1), "a dog");
  EXPECT_EQ(CountPhrase("orange", 1), "an orange");
  EXPECT_EQ(CountPhrase("person", 2), "two people");
  EXPECT_EQ(CountPhrase("horse", 4), "four horses");
  EXPECT_EQ(CountPhrase("person", 12), "a group of people");
  EXPECT_EQ(CountPhrase("donut", 11), "many donuts");
  EXPECT_EQ(CaptionNoun("tv"), "television");
  EXPECT_EQ(CountPhrase(CaptionNoun("sports ball"), 1), "a ball");
}

TEST(CaptionTest, TwoPeopleNextToABusOnAStreet) {
  Evidence e;
  e.width = e.height = 1000;
  e.detections = {Det("person", 100, 400, 200, 900, 0.9), Det("person", 220, 420, 320, 900, 0.8),
                  Det("bus", 400, 200, 950, 800, 0.9)};
  std::vector<Caption> c = MakeCaptioner()->Describe(e, 3);
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(c[0].text, "two people next to a bus on a street");
  for (std::size_t i = 1; i < c.size(); ++i) EXPECT_LE(c[i].confidence, c[i - 1].confidence);
  EXPECT_GT(c[0].confidence, 0.5);
  EXPECT_LE(c[0].confidence, 1.0);
}

TEST(CaptionTest, PeopleInFrontOfABus) {
  Evidence e;
  e.width = e.height = 1000;
  e.detections = {Det("person", 100, 400, 250, 950, 0.9), Det("person", 500, 420, 650, 950, 0.8),
                  Det("bus", 50, 200, 950, 800, 0.9)};
  EXPECT_EQ(MakeCaptioner()->Describe(e, 1)[0].text, "two people in front of a bus on a street");
}

TEST(CaptionTest, SubjectOnASupport) {
  Evidence e;
  e.width = e.height = 1000;
  e.detections = {Det("cat", 300, 300, 600, 550, 0.9), Det("couch", 100, 250, 900, 900, 0.8)};
  EXPECT_EQ(MakeCaptioner()->Describe(e, 1)[0].text, "a cat on a couch");
}

TEST(CaptionTest, NeverGuessesGenderAndAlwaysSaysSomething) {
  Evidence e;
  e.width = e.height = 1000;
  e.detections = {Det("person", 100, 100, 900, 900, 0.95)};
  for (const Caption& c : MakeCaptioner()->Describe(e, 5)) {
    for (const char* w : {"man", "woman", "boy", "girl", "lady", "guy"}) {
      EXPECT_EQ((" " + c.text + " ").find(std::string(" ") + w + " "), std::string::npos) << c.text;
    }
  }
  Evidence empty;
  empty.width = empty.height = 100;
  std::vector<Caption> c = MakeCaptioner()->Describe(empty, 1);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_FALSE(c[0].text.empty());
  EXPECT_LT(c[0].confidence, 0.5);
}

TEST(DenseCaptionTest, WholeImageFirstThenColouredRegions) {
  Evidence e;
  e.width = 200, e.height = 100;
  e.detections = {Det("car", 100, 0, 200, 100, 0.9)};
  cv::Mat img(100, 200, CV_8UC3, cv::Scalar(255, 255, 255));
  img(cv::Rect(100, 0, 100, 100)).setTo(cv::Scalar(30, 20, 220));  // red in BGR
  std::vector<Caption> d = MakeCaptioner()->DenseCaptions(e, img, 1.0);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].box, (Rect{0, 0, 200, 100}));
  EXPECT_EQ(d[1].text, "a red car");
  EXPECT_EQ(d[1].box, (Rect{100, 0, 100, 100}));
}

}  // namespace
}  // namespace ocular
