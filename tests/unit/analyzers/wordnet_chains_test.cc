#include "analyzers/vision/wordnet_chains.h"

#include <gtest/gtest.h>

#include "analyzers/vision/vision.h"

namespace ocular {
namespace {

using Chain = std::vector<std::string>;

TEST(WordNetChainsTest, EveryDetectorLabelHasAnEntry) {
  const auto& chains = WordNetParentChains();
  for (const std::string& label : CocoLabels()) {
    EXPECT_TRUE(chains.count(label)) << label;
  }
}

TEST(WordNetChainsTest, ChainsAreShortReadableAndNearestFirst) {
  const auto& chains = WordNetParentChains();
  EXPECT_EQ(chains.at("dog"), (Chain{"mammal", "animal"}));
  EXPECT_EQ(chains.at("cat"), (Chain{"mammal", "animal"}));
  EXPECT_EQ(chains.at("bird"), (Chain{"animal"}));
  EXPECT_EQ(chains.at("car"), (Chain{"motor vehicle", "vehicle"}));
  EXPECT_EQ(chains.at("chair"), (Chain{"seat", "furniture"}));
  EXPECT_EQ(chains.at("pizza"), (Chain{"food"}));
  EXPECT_TRUE(chains.at("person").empty());  // "organism", "living thing" are not readable
  for (const auto& [label, chain] : chains) {
    EXPECT_LE(chain.size(), 3u) << label;
    for (const std::string& p : chain) {
      EXPECT_NE(p, label);
      EXPECT_EQ(p.find('_'), std::string::npos) << p;
    }
  }
}

TEST(WordNetChainsTest, SensesAreTheDetectorMeanings) {
  const auto& chains = WordNetParentChains();
  // mouse: the computer device, not the rodent; orange: the fruit, not the colour.
  EXPECT_EQ(chains.at("mouse"), (Chain{"electronic device"}));
  EXPECT_EQ(chains.at("orange"), (Chain{"edible fruit", "food"}));
  EXPECT_EQ(chains.at("microwave"), (Chain{"kitchen appliance", "home appliance"}));
}

}  // namespace
}  // namespace ocular
