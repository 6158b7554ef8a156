// The v3.2 /ocr and asynchronous Read handlers, called directly with a real Engine (Tesseract;
// no model repository needed for printed documents).
#include "api/read_routes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "api/errors.h"

namespace ocular::api {
namespace {

using nlohmann::json;

std::string TestImage(const std::string& name) {
  std::filesystem::path dir = "/work/shared/testdata/images";
  if (const char* src = std::getenv("OCULAR_SOURCE_DIR"); src != nullptr) {
    std::filesystem::path p = std::filesystem::path(src) / ".." / "shared" / "testdata" / "images";
    if (std::filesystem::exists(p / name)) dir = p;
  }
  std::ifstream in(dir / name, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string Header(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return {};
}

// Store options whose queued work never runs (the tests drive the store by hand).
ReadOperationStoreOptions NoWorkers() {
  ReadOperationStoreOptions o;
  o.workers = 0;
  return o;
}

class ReadRoutesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    EngineOptions o;
    o.model_repo = "/nonexistent-ocular-models";
    auto e = Engine::Create(o);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(e).value().release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }

  Response Call(Response (*handler)(const RouteContext&), const std::string& query,
                const std::string& body, const std::string& param = {}) {
    Request r;
    r.method = "POST";
    r.query = query;
    r.body = body;
    r.request_id = "11111111-2222-4333-8444-555555555555";
    r.headers["content-type"] = "application/octet-stream";
    r.headers["host"] = "ocular.test:8080";
    QueryParams q = QueryParams::Parse(query);
    RouteContext ctx{r, q, *engine_, options_, &store_, ApiVersion::kV32, param};
    return handler(ctx);
  }

  static Engine* engine_;
  ServiceOptions options_;
  ReadOperationStore store_{NoWorkers()};
};
Engine* ReadRoutesTest::engine_ = nullptr;

TEST_F(ReadRoutesTest, OcrReturnsRegionsLinesWords) {
  Response r = Call(&HandleOcrV32, "detectOrientation=true&language=unk&model-version=latest",
                    TestImage("doc_printed_paragraph.png"));
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  EXPECT_EQ(j["language"], "en");
  EXPECT_EQ(j["orientation"], "Up");
  EXPECT_TRUE(j["textAngle"].is_number());
  ASSERT_FALSE(j["regions"].empty());
  const json& word = j["regions"][0]["lines"][0]["words"][0];
  EXPECT_EQ(word["text"], "Men");
  ASSERT_TRUE(word["boundingBox"].is_string());
  const std::string box = word["boundingBox"].get<std::string>();
  EXPECT_EQ(std::count(box.begin(), box.end(), ','), 3) << box;
}

TEST_F(ReadRoutesTest, OcrRejectsBadParameters) {
  const std::string img = TestImage("doc_deslant.tif");
  Response lang = Call(&HandleOcrV32, "language=xx", img);
  EXPECT_EQ(lang.status, 400);
  EXPECT_EQ(json::parse(lang.body)["error"]["innererror"]["code"], "NotSupportedLanguage");
  Response orient = Call(&HandleOcrV32, "detectOrientation=maybe", img);
  EXPECT_EQ(orient.status, 400);
  Response bad_image = Call(&HandleOcrV32, "", "not an image");
  EXPECT_EQ(bad_image.status, 400);
}

TEST_F(ReadRoutesTest, AsyncReadLifecycle) {
  Response post = Call(&HandleReadAnalyzeV32, "language=en&readingOrder=natural&pages=1",
                       TestImage("doc_deslant.tif"));
  ASSERT_EQ(post.status, 202) << post.body;
  EXPECT_TRUE(post.body.empty());
  EXPECT_TRUE(post.content_type.empty());
  const std::string location = Header(post, "Operation-Location");
  const std::string prefix = "http://ocular.test:8080/vision/v3.2/read/analyzeResults/";
  ASSERT_EQ(location.rfind(prefix, 0), 0u) << location;
  const std::string id = location.substr(prefix.size());
  EXPECT_TRUE(IsUuid(id));

  Response pending = Call(&HandleReadResultV32, "", "", id);
  ASSERT_EQ(pending.status, 200);
  EXPECT_EQ(json::parse(pending.body)["status"], "notStarted");
  EXPECT_FALSE(json::parse(pending.body).contains("analyzeResult"));

  EXPECT_EQ(store_.RunQueued(), 1);
  Response done = Call(&HandleReadResultV32, "", "", id);
  ASSERT_EQ(done.status, 200);
  json j = json::parse(done.body);
  EXPECT_EQ(j["status"], "succeeded");
  EXPECT_TRUE(j["createdDateTime"].is_string());
  EXPECT_TRUE(j["lastUpdatedDateTime"].is_string());
  const json& ar = j["analyzeResult"];
  EXPECT_EQ(ar["version"], kReadResultVersion);
  EXPECT_EQ(ar["modelVersion"], engine_->model_version());
  ASSERT_EQ(ar["readResults"].size(), 1u);
  const json& page = ar["readResults"][0];
  EXPECT_EQ(page["page"], 1);
  EXPECT_EQ(page["width"], 238);
  EXPECT_EQ(page["height"], 171);
  EXPECT_EQ(page["unit"], "pixel");
  ASSERT_EQ(page["lines"].size(), 3u);
  EXPECT_EQ(page["lines"][0]["text"], "test");
  EXPECT_EQ(page["lines"][0]["boundingBox"].size(), 8u);
  EXPECT_EQ(page["lines"][2]["words"][0]["text"], "correction");
}

TEST_F(ReadRoutesTest, AsyncReadValidation) {
  const std::string img = TestImage("doc_deslant.tif");
  Response order = Call(&HandleReadAnalyzeV32, "readingOrder=random", img);
  EXPECT_EQ(order.status, 400);
  EXPECT_EQ(json::parse(order.body)["error"]["innererror"]["code"], "InvalidReadingOrder");
  Response pages = Call(&HandleReadAnalyzeV32, "pages=0-x", img);
  EXPECT_EQ(pages.status, 400);
  EXPECT_EQ(json::parse(pages.body)["error"]["innererror"]["code"], "InvalidPageRange");
  Response lang = Call(&HandleReadAnalyzeV32, "language=tlh", img);
  EXPECT_EQ(lang.status, 400);
  EXPECT_EQ(json::parse(lang.body)["error"]["innererror"]["code"], "NotSupportedLanguage");
  Response image = Call(&HandleReadAnalyzeV32, "", "garbage");
  EXPECT_EQ(image.status, 400);
  EXPECT_EQ(store_.size(), 0u);  // nothing was queued
}

TEST_F(ReadRoutesTest, UnknownOrMalformedIdIs404) {
  Response bad = Call(&HandleReadResultV32, "", "", "not-a-uuid");
  EXPECT_EQ(bad.status, 404);
  EXPECT_TRUE(json::parse(bad.body).contains("error"));
  Response unknown = Call(&HandleReadResultV32, "", "", "123e4567-e89b-42d3-a456-426614174000");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(json::parse(unknown.body)["error"]["code"], "NotFound");
}

TEST_F(ReadRoutesTest, FullStoreIs429) {
  ReadOperationStoreOptions one = NoWorkers();
  one.max_operations = 1;
  ReadOperationStore tiny(one);
  Request r;
  r.method = "POST";
  r.body = TestImage("doc_deslant.tif");
  r.headers["content-type"] = "application/octet-stream";
  QueryParams q = QueryParams::Parse("");
  RouteContext ctx{r, q, *engine_, options_, &tiny, ApiVersion::kV32, {}};
  EXPECT_EQ(HandleReadAnalyzeV32(ctx).status, 202);
  Response full = HandleReadAnalyzeV32(ctx);
  EXPECT_EQ(full.status, 429);
  EXPECT_EQ(Header(full, "Retry-After"), "1");
}

}  // namespace
}  // namespace ocular::api
