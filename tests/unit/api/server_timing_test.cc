#include "api/server_timing.h"

#include <gtest/gtest.h>

namespace ocular::api {
namespace {

TEST(ServerTiming, AppendsEntriesToOneHeader) {
  Response r;
  AddServerTiming(&r, "decode", 1.26);
  AddServerTiming(&r, "objects", 40);
  AddServerTiming(&r, "total", 52.04);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Server-Timing");
  EXPECT_EQ(r.headers[0].second, "decode;dur=1.3, objects;dur=40.0, total;dur=52.0");
}

TEST(ServerTiming, NamesAreTokens) {
  Response r;
  AddServerTiming(&r, "smart crops;x", -3);
  EXPECT_EQ(r.headers[0].second, "smart_crops_x;dur=0.0");
}

}  // namespace
}  // namespace ocular::api
