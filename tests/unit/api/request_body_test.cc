// The pure request parsers: {"url": ...} bodies, multipart imageData, Custom Vision paths.
#include "api/request_body.h"

#include <gtest/gtest.h>

#include "api/customvision_path.h"

namespace ocular::api {
namespace {

TEST(MediaType, LowerCasesAndDropsParameters) {
  EXPECT_EQ(MediaType(" Multipart/Form-Data ; boundary=x"), "multipart/form-data");
  EXPECT_EQ(MediaType("application/json"), "application/json");
  EXPECT_EQ(MediaType(""), "");
}

TEST(ParseImageUrlBody, TakesTheStringUrl) {
  StatusOr<std::string> url = ParseImageUrlBody(R"({"url": "https://example.test/a.jpg"})");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(*url, "https://example.test/a.jpg");
}

TEST(ParseImageUrlBody, RejectsEverythingElseAsInvalidImageUrl) {
  for (const char* body : {"", "{", "[]", "{\"url\": 3}", "{\"URL\": \"x\"}", "{\"url\": \"\"}",
                           "\"https://x\"", "{\"url\": null}"}) {
    StatusOr<std::string> url = ParseImageUrlBody(body);
    ASSERT_FALSE(url.ok()) << body;
    EXPECT_EQ(url.status().code(), StatusCode::kInvalidArgument) << body;
    EXPECT_EQ(url.status().inner_code(), "InvalidImageUrl") << body;
  }
}

std::string Part(const std::string& headers, const std::string& content) {
  return "--XyZ\r\n" + headers + "\r\n" + content + "\r\n";
}

TEST(ExtractMultipartImage, PrefersTheImageDataPart) {
  const std::string body =
      Part("Content-Disposition: form-data; name=\"other\"\r\n", "not this") +
      Part(
          "content-disposition: form-data; filename=\"x.jpg\"; name=imageData\r\n"
          "Content-Type: application/octet-stream\r\n",
          std::string("\xff\xd8\r\n--Xy\0z", 10)) +
      "--XyZ--\r\n";
  StatusOr<std::string> part = ExtractMultipartImage("multipart/form-data; boundary=\"XyZ\"", body);
  ASSERT_TRUE(part.ok()) << part.status().message();
  EXPECT_EQ(*part, std::string("\xff\xd8\r\n--Xy\0z", 10));
}

TEST(ExtractMultipartImage, FallsBackToTheFirstPart) {
  const std::string body = "preamble\r\n" +
                           Part("Content-Disposition: form-data; name=\"a\"\r\n", "A") +
                           Part("", "B") + "--XyZ--";
  StatusOr<std::string> part = ExtractMultipartImage("multipart/form-data; boundary=XyZ", body);
  ASSERT_TRUE(part.ok()) << part.status().message();
  EXPECT_EQ(*part, "A");
  // A part without headers at all.
  part = ExtractMultipartImage("multipart/form-data;boundary=XyZ", Part("", "only") + "--XyZ--");
  ASSERT_TRUE(part.ok()) << part.status().message();
  EXPECT_EQ(*part, "only");
}

TEST(ExtractMultipartImage, MalformedBodiesAreInvalidImageFormat) {
  const std::string ok = Part("", "x") + "--XyZ--";
  const std::pair<std::string, std::string> cases[] = {
      {"multipart/form-data", ok},                     // no boundary
      {"multipart/form-data; boundary=", ok},          // empty boundary
      {"multipart/form-data; boundary=Other", ok},     // boundary absent from the body
      {"multipart/form-data; boundary=XyZ", "--XyZ"},  // truncated
      {"multipart/form-data; boundary=XyZ", "--XyZ\r\nh: v\r\n\r\nno end"},  // unterminated
      {"multipart/form-data; boundary=XyZ", "--XyZ--"},                      // no part
  };
  for (const auto& [type, body] : cases) {
    StatusOr<std::string> part = ExtractMultipartImage(type, body);
    ASSERT_FALSE(part.ok()) << type << " | " << body;
    EXPECT_EQ(part.status().inner_code(), "InvalidImageFormat") << type << " | " << body;
  }
}

TEST(ParseCustomVisionPath, ParsesBothSpellingsAndNostore) {
  StatusOr<CustomVisionRoute> r = ParseCustomVisionPath(
      "/customvision/v3.0/Prediction/6B1F3C52-2f0e-4d7e-9a51-3f2a8c0d9e11/detect/iterations/"
      "Hard%20Hats/image");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->project_id, "6b1f3c52-2f0e-4d7e-9a51-3f2a8c0d9e11");
  EXPECT_TRUE(r->detect);
  EXPECT_FALSE(r->url);
  EXPECT_EQ(r->published_name, "Hard Hats");
  EXPECT_FALSE(r->nostore);
  r = ParseCustomVisionPath(
      "/customvision/v3.1/prediction/6b1f3c52-2f0e-4d7e-9a51-3f2a8c0d9e11/classify/iterations/m/"
      "url/nostore/");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->detect);
  EXPECT_TRUE(r->url);
  EXPECT_TRUE(r->nostore);
}

TEST(ParseCustomVisionPath, OtherPathsAreNotFoundAndBadIdsInvalid) {
  const std::string p = "6b1f3c52-2f0e-4d7e-9a51-3f2a8c0d9e11";
  for (const std::string& path :
       {std::string("/customvision"),
        "/customvision/v3.2/prediction/" + p + "/detect/iterations/m/image",
        "/customvision/v3.0/training/" + p + "/detect/iterations/m/image",
        "/customvision/v3.0/prediction/" + p + "/segment/iterations/m/image",
        "/customvision/v3.0/prediction/" + p + "/detect/iterations/m/file",
        "/customvision/v3.0/prediction/" + p + "/detect/iterations/m/image/store",
        "/customvision/v3.0/prediction/" + p + "/detect/iterations/m/image/nostore/x"}) {
    StatusOr<CustomVisionRoute> r = ParseCustomVisionPath(path);
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_EQ(r.status().code(), StatusCode::kNotFound) << path;
  }
  StatusOr<CustomVisionRoute> r =
      ParseCustomVisionPath("/customvision/v3.0/prediction/not-a-uuid/detect/iterations/m/image");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().inner_code(), "BadRequestInvalidIds");
}

}  // namespace
}  // namespace ocular::api
