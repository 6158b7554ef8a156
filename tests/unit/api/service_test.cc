// api::Service end to end, in process, with an empty model repository: routing, the error
// boundary and bodies of both APIs for the model-free features.
#include "api/service.h"

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/version.h"
#include "tests/unit/core/image_test_util.h"

namespace ocular::api {
namespace {

using nlohmann::json;

class ServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    repo_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                      ("ocular-empty-repo-" + std::to_string(::getpid())));
    std::filesystem::create_directories(*repo_);
    ServiceOptions options;
    options.model_repo = repo_->string();
    StatusOr<std::unique_ptr<Service>> s = Service::Create(options);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    service_ = std::move(s).value().release();
  }
  static void TearDownTestSuite() {
    delete service_;
    std::filesystem::remove_all(*repo_);
    delete repo_;
  }

  static Response Post(const std::string& path, const std::string& query, const std::string& body,
                       const std::string& content_type = "application/octet-stream") {
    Request r;
    r.method = "POST";
    r.path = path;
    r.query = query;
    r.body = body;
    r.request_id = "11111111-2222-4333-8444-555555555555";
    if (!content_type.empty()) r.headers["content-type"] = content_type;
    return service_->Handle(r);
  }
  static std::string Image(const std::string& name) {
    testing::ByteVec v = testing::ReadTestImage(name);
    return std::string(v.begin(), v.end());
  }
  static json Body(const Response& r) { return json::parse(r.body); }

  static Service* service_;
  static std::filesystem::path* repo_;
};
Service* ServiceTest::service_ = nullptr;
std::filesystem::path* ServiceTest::repo_ = nullptr;

TEST_F(ServiceTest, V32ColorAndImageType) {
  Response r = Post("/vision/v3.2/analyze", "visualFeatures=Color,ImageType", Image("food_coffee.png"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  json b = Body(r);
  EXPECT_EQ(b["requestId"], "11111111-2222-4333-8444-555555555555");
  EXPECT_EQ(b["modelVersion"], kModelPackVersion);
  EXPECT_EQ(b["metadata"]["format"], "Png");
  EXPECT_GT(b["metadata"]["width"].get<int>(), 50);
  ASSERT_TRUE(b.contains("color"));
  EXPECT_TRUE(b["color"]["isBWImg"].is_boolean());
  EXPECT_EQ(b["color"]["isBWImg"], b["color"]["isBwImg"]);
  EXPECT_EQ(b["color"]["accentColor"].get<std::string>().size(), 6u);
  EXPECT_TRUE(b["imageType"]["clipArtType"].is_number_integer());
  EXPECT_FALSE(b.contains("categories"));
}

TEST_F(ServiceTest, PathsAndFeaturesAreCaseInsensitive) {
  Response r = Post("/vision/v3.2/Analyze/", "VisualFeatures=color", Image("format_hopper.bmp"));
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(ServiceTest, MissingModelIsAnExplicitError) {
  Response r = Post("/computervision/imageanalysis:analyze", "api-version=2023-10-01&features=objects",
                    Image("street_bus.jpg"));
  EXPECT_EQ(r.status, 400);
  json b = Body(r);
  EXPECT_EQ(b["error"]["code"], "InvalidRequest");
  EXPECT_EQ(b["error"]["innererror"]["code"], "NotSupportedFeature");
  EXPECT_NE(b["error"]["message"].get<std::string>().find("objects"), std::string::npos);
}

TEST_F(ServiceTest, V40RoutingErrors) {
  const std::string img = Image("format_hopper.bmp");
  EXPECT_EQ(Post("/computervision/imageanalysis:analyze", "api-version=2099-01-01&features=tags", img).status, 404);
  EXPECT_EQ(Post("/computervision/imageanalysis:analyze", "features=tags", img).status, 404);
  EXPECT_EQ(Post("/computervision/imageanalysis:analyze", "api-version=2023-02-01-preview&features=tags", img).status, 410);
  Response nf = Post("/computervision/imageanalysis%3Asegment", "api-version=2023-10-01", img);
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(Body(nf)["error"]["code"], "404");
  EXPECT_EQ(Body(nf)["error"]["message"], "Resource not found");
  Response bad = Post("/computervision/imageanalysis%3Aanalyze", "api-version=2024-02-01&features=faces", img);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Body(bad)["error"]["innererror"]["code"], "NotSupportedVisualFeature");
}

TEST_F(ServiceTest, ContentTypes) {
  const std::string img = Image("format_hopper.bmp");
  Response v40 = Post("/computervision/imageanalysis:analyze", "api-version=2023-10-01&features=tags",
                      img, "text/plain");
  EXPECT_EQ(v40.status, 400);
  Response v32 = Post("/vision/v3.2/analyze", "visualFeatures=Color", img, "text/plain");
  EXPECT_EQ(v32.status, 415);
  EXPECT_EQ(Body(v32)["error"]["innererror"]["code"], "UnsupportedMediaType");
  // No fetcher configured: a URL body is refused with InvalidImageUrl.
  Response url = Post("/vision/v3.2/analyze", "visualFeatures=Color",
                      R"({"url":"https://example.com/a.jpg"})", "application/json");
  EXPECT_EQ(url.status, 400);
  EXPECT_EQ(Body(url)["error"]["innererror"]["code"], "InvalidImageUrl");
  Response bad_json = Post("/vision/v3.2/analyze", "visualFeatures=Color", "{nope", "application/json");
  EXPECT_EQ(bad_json.status, 400);
}

TEST_F(ServiceTest, MultipartBody) {
  const std::string img = Image("format_hopper.bmp");
  std::string body = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bmp\"\r\n"
                     "Content-Type: image/bmp\r\n\r\n" + img + "\r\n--XyZ--\r\n";
  Response r = Post("/vision/v3.2/analyze", "visualFeatures=Color", body,
                    "multipart/form-data; boundary=XyZ");
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(ServiceTest, BadImagesGetAzureErrors) {
  Response empty = Post("/vision/v3.2/analyze", "visualFeatures=Color", "");
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(Body(empty)["error"]["innererror"]["code"], "InvalidImageSize");
  Response junk = Post("/vision/v3.2/analyze", "visualFeatures=Color", "this is not an image");
  EXPECT_EQ(Body(junk)["error"]["innererror"]["code"], "InvalidImageFormat");
  Response empty40 = Post("/computervision/imageanalysis:analyze", "api-version=2023-10-01&features=read", "");
  // read may be unavailable in this build: either way a 400 with a clear body.
  EXPECT_EQ(empty40.status, 400);
}

TEST_F(ServiceTest, ThumbnailIsJpegOfRequestedSize) {
  Response r = Post("/vision/v3.2/generateThumbnail", "width=64&height=32", Image("street_bus.jpg"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "image/jpeg");
  std::vector<std::uint8_t> bytes(r.body.begin(), r.body.end());
  cv::Mat thumb = cv::imdecode(bytes, cv::IMREAD_COLOR);
  EXPECT_EQ(thumb.cols, 64);
  EXPECT_EQ(thumb.rows, 32);
  EXPECT_EQ(Body(Post("/vision/v3.2/generateThumbnail", "width=0&height=32", Image("street_bus.jpg")))
                ["error"]["innererror"]["code"], "InvalidThumbnailSize");
  EXPECT_EQ(Body(Post("/vision/v3.2/generateThumbnail", "width=2000&height=32", Image("street_bus.jpg")))
                ["error"]["innererror"]["code"], "InvalidThumbnailSize");
}

TEST_F(ServiceTest, ListModelsIsHonest) {
  Request r;
  r.method = "GET";
  r.path = "/vision/v3.2/models";
  Response resp = service_->Handle(r);
  ASSERT_EQ(resp.status, 200);
  // No gallery is installed in an empty repository: no domain model is listed.
  EXPECT_TRUE(Body(resp)["models"].empty());
}

// 4.0 custom models (api/custom_model_routes.h) with an empty repository: routing, api-versions
// and errors. Predictions with real models: tests/integration/custom_models.test.mjs.
TEST_F(ServiceTest, CustomModelNameRouting) {
  const std::string analyze = "/computervision/imageanalysis:analyze";
  const std::string img = Image("street_bus.jpg");
  for (const char* v : {"2023-02-01-preview", "2023-04-01-preview", "2023-10-01", "2024-02-01"}) {
    Response r = Post(analyze, std::string("api-version=") + v + "&model-name=nope", img);
    EXPECT_EQ(r.status, 404) << v;
    EXPECT_EQ(Body(r)["error"]["innererror"]["code"], "InvalidModel") << v;
  }
  Response both = Post(analyze, "api-version=2023-10-01&model-name=nope&features=tags", img);
  EXPECT_EQ(both.status, 400);
  EXPECT_EQ(Body(both)["error"]["code"], "InvalidRequest");
  EXPECT_EQ(Body(both)["error"]["innererror"]["code"], "BadArgument");
  EXPECT_NE(Body(both)["error"]["message"].get<std::string>().find("features"), std::string::npos);
  EXPECT_EQ(Post(analyze, "api-version=2023-10-01&model-name=", img).status, 400);
  // Previews without custom models stay retired; unknown versions stay unknown.
  EXPECT_EQ(Post(analyze, "api-version=2022-10-12-preview&model-name=nope", img).status, 410);
  EXPECT_EQ(Post(analyze, "api-version=2023-04-01-preview&features=tags", img).status, 410);
  EXPECT_EQ(Post(analyze, "api-version=2099-01-01&model-name=nope", img).status, 404);
}

TEST_F(ServiceTest, CustomModelListV40) {
  Request r;
  r.method = "GET";
  r.path = "/computervision/models";
  r.query = "api-version=2023-02-01-preview&skip=0&top=10";
  Response resp = service_->Handle(r);
  ASSERT_EQ(resp.status, 200) << resp.body;
  EXPECT_EQ(Body(resp), json::array());
  r.query = "api-version=2023-10-01&top=-1";
  EXPECT_EQ(service_->Handle(r).status, 400);
  r.query = "api-version=2022-10-12-preview";
  EXPECT_EQ(service_->Handle(r).status, 410);
  r.query = "api-version=2099-01-01";
  EXPECT_EQ(service_->Handle(r).status, 404);
  r.method = "POST";
  r.query = "api-version=2023-10-01";
  EXPECT_EQ(service_->Handle(r).status, 404);
}

TEST_F(ServiceTest, UnknownModelAndMethod) {
  EXPECT_EQ(Post("/vision/v3.2/models/cars/analyze", "", Image("format_hopper.bmp")).status, 404);
  Request r;
  r.method = "GET";
  r.path = "/vision/v3.2/analyze";
  EXPECT_EQ(service_->Handle(r).status, 404);
  EXPECT_TRUE(service_->Handles("/vision/v3.2/anything"));
  EXPECT_FALSE(service_->Handles("/health"));
}

}  // namespace
}  // namespace ocular::api
