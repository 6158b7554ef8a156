#include "server/studio_routes.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "studio/studio_assets.h"

namespace ocular::server {
namespace {

api::Request Get(std::string path) {
  api::Request r;
  r.method = "GET";
  r.path = std::move(path);
  return r;
}

std::string Header(const api::Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST(StudioRoutes, MatchesOnlyTheStudioPrefix) {
  EXPECT_TRUE(IsStudioPath("/studio"));
  EXPECT_TRUE(IsStudioPath("/studio/"));
  EXPECT_TRUE(IsStudioPath("/studio/js/app.js"));
  EXPECT_FALSE(IsStudioPath("/studios"));
  EXPECT_FALSE(IsStudioPath("/vision/v3.2/analyze"));
  EXPECT_FALSE(IsStudioPath("/"));
}

TEST(StudioRoutes, ServesTheEmbeddedPageWithStrictHeaders) {
  api::Response r = StudioResponse(Get("/studio/"), nullptr);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<title>Ocular Studio</title>"), std::string::npos);
  const std::string csp = Header(r, "Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(Header(r, "Cache-Control"), "no-cache");
  ASSERT_FALSE(Header(r, "ETag").empty());

  api::Request again = Get("/studio/index.html");
  again.headers["if-none-match"] = Header(r, "ETag");
  api::Response cached = StudioResponse(again, nullptr);
  EXPECT_EQ(cached.status, 304);
  EXPECT_TRUE(cached.body.empty());
}

TEST(StudioRoutes, ContentTypesRedirectAndNotFound) {
  EXPECT_EQ(StudioResponse(Get("/studio/js/app.js"), nullptr).content_type,
            "text/javascript; charset=utf-8");
  EXPECT_EQ(StudioResponse(Get("/studio/css/studio.css"), nullptr).content_type,
            "text/css; charset=utf-8");
  api::Response redirect = StudioResponse(Get("/studio"), nullptr);
  EXPECT_EQ(redirect.status, 308);
  EXPECT_EQ(Header(redirect, "Location"), "/studio/");
  EXPECT_EQ(StudioResponse(Get("/studio/nope.js"), nullptr).status, 404);
  EXPECT_EQ(StudioResponse(Get("/studio/../CMakeLists.txt"), nullptr).status, 404);
  api::Request post = Get("/studio/");
  post.method = "POST";
  EXPECT_EQ(StudioResponse(post, nullptr).status, 405);
}

TEST(StudioRoutes, ConfigSaysNotReadyWhileLoading) {
  api::Response r = StudioResponse(Get("/studio/config.json"), nullptr);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Header(r, "Cache-Control"), "no-store");
  nlohmann::json j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["ready"], false);
  EXPECT_EQ(j["celebrities"], false);
  EXPECT_EQ(j["apiVersions"]["4.0"].size(), 2u);
}

TEST(StudioAssets, EveryPageFileIsEmbedded) {
  for (const char* path :
       {"index.html", "css/studio.css", "js/app.js", "js/api.js", "js/boxes.js", "js/overlay.js",
        "js/panels.js", "js/batch.js", "samples/samples.json", "samples/LICENSES.txt"}) {
    const studio::Asset* a = studio::FindAsset(path);
    ASSERT_NE(a, nullptr) << path;
    EXPECT_FALSE(a->bytes.empty()) << path;
  }
  EXPECT_EQ(studio::FindAsset(""), nullptr);
  EXPECT_EQ(studio::ContentTypeFor("a.png"), "image/png");
  EXPECT_EQ(studio::ContentTypeFor("a.unknown"), "application/octet-stream");
}

}  // namespace
}  // namespace ocular::server
