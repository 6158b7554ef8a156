#include "api/query.h"

#include <gtest/gtest.h>

namespace ocular::api {
namespace {

TEST(QueryTest, NamesAreCaseInsensitiveAndValuesDecodedBeforeSplitting) {
  QueryParams q = QueryParams::Parse("Features=caption%2CRead&api-version=2023-10-01&x");
  EXPECT_EQ(q.Get("features").value(), "caption,Read");
  EXPECT_EQ(q.GetList("FEATURES"), (std::vector<std::string>{"caption", "Read"}));
  EXPECT_EQ(q.Get("API-VERSION").value(), "2023-10-01");
  EXPECT_TRUE(q.Has("x"));
  EXPECT_EQ(q.Get("x").value(), "");
  EXPECT_FALSE(q.Has("language"));
}

TEST(QueryTest, ListsDropBlanksAndTrim) {
  QueryParams q = QueryParams::Parse("visualFeatures=Categories,%20Tags,,Color");
  EXPECT_EQ(q.GetList("visualfeatures"), (std::vector<std::string>{"Categories", "Tags", "Color"}));
}

TEST(QueryTest, PercentDecodeKeepsInvalidEscapes) {
  EXPECT_EQ(PercentDecode("a%3Ab"), "a:b");
  EXPECT_EQ(PercentDecode("100%"), "100%");
  EXPECT_EQ(PercentDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(PercentDecode("a+b"), "a+b");
}

TEST(QueryTest, FirstOfDuplicateNamesWins) {
  QueryParams q = QueryParams::Parse("language=en&Language=fr");
  EXPECT_EQ(q.Get("language").value(), "en");
}

}  // namespace
}  // namespace ocular::api
