#include "analyzers/vision/translations.h"

#include <gtest/gtest.h>

#include "analyzers/vision/scene.h"

namespace ocular {
namespace {

TEST(TranslationsTest, EveryVocabularyWordInAllFiveLanguages) {
  std::vector<std::string> vocab = TagVocabulary();
  ASSERT_GT(vocab.size(), 100u);
  for (const std::string& word : vocab) {
    for (const char* lang : {"en", "es", "ja", "pt", "zh"}) {
      std::optional<std::string> t = TranslateTag(word, lang);
      ASSERT_TRUE(t.has_value()) << word << " in " << lang;
      EXPECT_FALSE(t->empty()) << word << " in " << lang;
    }
    EXPECT_EQ(*TranslateTag(word, "en"), word);
  }
}

TEST(TranslationsTest, KnownWordsAndLanguageVariants) {
  EXPECT_EQ(*TranslateTag("dog", "es"), "perro");
  EXPECT_EQ(*TranslateTag("dog", "pt"), "cachorro");
  EXPECT_EQ(*TranslateTag("dog", "ja"), "犬");
  EXPECT_EQ(*TranslateTag("dog", "zh"), "狗");
  EXPECT_EQ(*TranslateTag("dog", "ES"), "perro");
  EXPECT_EQ(*TranslateTag("cat", "zh-Hans"), "猫");
  EXPECT_FALSE(TranslateTag("dog", "fr").has_value());
  EXPECT_FALSE(TranslateTag("not a tag", "en").has_value());
  EXPECT_EQ(TranslatedTagLanguages().size(), 5u);
}

}  // namespace
}  // namespace ocular
