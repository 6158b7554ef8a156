#include "api/route_params.h"

#include <gtest/gtest.h>

namespace ocular::api {
namespace {

TEST(ReadPagesTest, Syntax) {
  EXPECT_TRUE(*ParseReadPages("1"));
  EXPECT_TRUE(*ParseReadPages("1-3,5"));
  EXPECT_TRUE(*ParseReadPages(" 1 , 4-"));
  EXPECT_TRUE(*ParseReadPages("-4"));
  EXPECT_TRUE(*ParseReadPages("1-"));
  StatusOr<bool> last = ParseReadPages("999999999-");  // the largest page, open: no overflow
  ASSERT_TRUE(last.ok());
  EXPECT_FALSE(*last);
  EXPECT_FALSE(*ParseReadPages("2-"));
  EXPECT_FALSE(*ParseReadPages("2,3-4"));
  for (const char* bad : {"", " ", "0", "a", "3-1", "1,,2", "-", "1-2-3", "1,", ",1", "1000000000",
                          "99999999999999999999-", "+1", "1 2"}) {
    auto r = ParseReadPages(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().inner_code(), "InvalidPageRange") << bad;
    }
  }
}

TEST(RouteParamsTest, BoolParam) {
  QueryParams q = QueryParams::Parse("a=TRUE&b=false&c=&d=yes");
  EXPECT_TRUE(*ParseBoolParam(q, "a", false));
  EXPECT_FALSE(*ParseBoolParam(q, "b", true));
  EXPECT_TRUE(*ParseBoolParam(q, "c", true));  // empty: the default
  EXPECT_FALSE(*ParseBoolParam(q, "absent", false));
  StatusOr<bool> bad = ParseBoolParam(q, "d", false);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().inner_code(), "BadArgument");
  EXPECT_NE(bad.status().message().find("'d'"), std::string::npos);
}

TEST(RouteParamsTest, ReadingOrder) {
  EXPECT_EQ(*ParseReadingOrder(QueryParams::Parse("")), "basic");
  EXPECT_EQ(*ParseReadingOrder(QueryParams::Parse("readingorder=Natural")), "natural");
  StatusOr<std::string> bad = ParseReadingOrder(QueryParams::Parse("readingOrder=columns"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().inner_code(), "InvalidReadingOrder");
}

TEST(RouteParamsTest, ThumbnailSide) {
  QueryParams q = QueryParams::Parse("width=1&height=1024");
  EXPECT_EQ(*ParseThumbnailSide(q, "width"), 1);
  EXPECT_EQ(*ParseThumbnailSide(q, "height"), 1024);
  for (const char* query : {"", "width=", "width=0", "width=1025", "width=12px", "width=-5",
                            "width=99999999999999999999", "width=%20"}) {
    StatusOr<int> r = ParseThumbnailSide(QueryParams::Parse(query), "width");
    EXPECT_FALSE(r.ok()) << query;
    if (!r.ok()) {
      EXPECT_EQ(r.status().inner_code(), "InvalidThumbnailSize") << query;
    }
  }
}

}  // namespace
}  // namespace ocular::api
