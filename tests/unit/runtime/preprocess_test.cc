#include "runtime/preprocess.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ocular::runtime {
namespace {

using ::testing::HasSubstr;

// A 4x2 BGR image whose every channel value is distinct: B = 10y + x, G = 100 + 10y + x,
// R = 200 + 10y + x.
cv::Mat Synthetic() {
  cv::Mat image(2, 4, CV_8UC3);
  for (int y = 0; y < 2; ++y) {
    for (int x = 0; x < 4; ++x) {
      const int v = 10 * y + x;
      image.at<cv::Vec3b>(y, x) = cv::Vec3b(v, 100 + v, 200 + v);
    }
  }
  return image;
}

InputConfig ImageInput(Layout layout, ColorOrder color, std::vector<std::int64_t> shape,
                       DataType dtype = DataType::kFloat32) {
  InputConfig in;
  in.name = "img";
  in.dtype = dtype;
  in.shape = std::move(shape);
  in.layout = layout;
  in.color = color;
  in.mean.assign(ColorChannels(color), 0.0f);
  in.std.assign(ColorChannels(color), 1.0f);
  return in;
}

TEST(PreprocessTest, NchwRgbWithMeanAndStd) {
  InputConfig in = ImageInput(Layout::kNCHW, ColorOrder::kRGB, {1, 3, 2, 4});
  in.mean = {1, 2, 3};  // per RGB channel
  in.std = {2, 4, 8};
  auto out = PreprocessImage(Synthetic(), in);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const Tensor& t = out->tensor;
  EXPECT_EQ(t.name, "img");
  EXPECT_EQ(t.dtype, DataType::kFloat32);
  EXPECT_EQ(t.shape, (std::vector<std::int64_t>{1, 3, 2, 4}));
  ASSERT_EQ(t.floats.size(), 24u);
  for (int y = 0; y < 2; ++y) {
    for (int x = 0; x < 4; ++x) {
      const int v = 10 * y + x;
      const int i = y * 4 + x;
      EXPECT_FLOAT_EQ(t.floats[0 * 8 + i], (200 + v - 1) / 2.0f) << "R at " << x << "," << y;
      EXPECT_FLOAT_EQ(t.floats[1 * 8 + i], (100 + v - 2) / 4.0f) << "G at " << x << "," << y;
      EXPECT_FLOAT_EQ(t.floats[2 * 8 + i], (v - 3) / 8.0f) << "B at " << x << "," << y;
    }
  }
  EXPECT_DOUBLE_EQ(out->transform.scale_x, 1.0);
  EXPECT_EQ(out->transform.input_width, 4);
  EXPECT_EQ(out->transform.image_height, 2);
}

TEST(PreprocessTest, NhwcBgrUint8KeepsRawPixels) {
  InputConfig in = ImageInput(Layout::kNHWC, ColorOrder::kBGR, {1, 2, 4, 3}, DataType::kUint8);
  auto out = PreprocessImage(Synthetic(), in);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const Tensor& t = out->tensor;
  EXPECT_EQ(t.dtype, DataType::kUint8);
  EXPECT_EQ(t.shape, (std::vector<std::int64_t>{1, 2, 4, 3}));
  ASSERT_EQ(t.bytes.size(), 24u);
  EXPECT_TRUE(t.floats.empty());
  for (int y = 0; y < 2; ++y) {
    for (int x = 0; x < 4; ++x) {
      const int v = 10 * y + x;
      const int i = (y * 4 + x) * 3;
      EXPECT_EQ(t.bytes[i + 0], v);
      EXPECT_EQ(t.bytes[i + 1], 100 + v);
      EXPECT_EQ(t.bytes[i + 2], 200 + v);
    }
  }
}

TEST(PreprocessTest, NhwcRgbFloat) {
  InputConfig in = ImageInput(Layout::kNHWC, ColorOrder::kRGB, {1, 2, 4, 3});
  in.mean = {127.5f, 127.5f, 127.5f};
  in.std = {127.5f, 127.5f, 127.5f};
  auto out = PreprocessImage(Synthetic(), in);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const Tensor& t = out->tensor;
  // Pixel (x=3, y=1): v = 13 -> R 213, G 113, B 13.
  const int i = (1 * 4 + 3) * 3;
  EXPECT_FLOAT_EQ(t.floats[i + 0], (213 - 127.5f) / 127.5f);
  EXPECT_FLOAT_EQ(t.floats[i + 1], (113 - 127.5f) / 127.5f);
  EXPECT_FLOAT_EQ(t.floats[i + 2], (13 - 127.5f) / 127.5f);
}

TEST(PreprocessTest, GrayAndBgraSources) {
  cv::Mat red(2, 2, CV_8UC3, cv::Scalar(0, 0, 255));
  InputConfig gray = ImageInput(Layout::kNCHW, ColorOrder::kGray, {1, 1, 2, 2});
  auto out = PreprocessImage(red, gray);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->tensor.shape, (std::vector<std::int64_t>{1, 1, 2, 2}));
  EXPECT_FLOAT_EQ(out->tensor.floats[0], 76.0f);  // round(0.299 * 255)

  cv::Mat bgra(2, 2, CV_8UC4, cv::Scalar(1, 2, 3, 4));
  InputConfig rgb = ImageInput(Layout::kNCHW, ColorOrder::kRGB, {1, 3, 2, 2});
  out = PreprocessImage(bgra, rgb);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_FLOAT_EQ(out->tensor.floats[0], 3.0f);  // R plane first
  EXPECT_FLOAT_EQ(out->tensor.floats[4], 2.0f);
  EXPECT_FLOAT_EQ(out->tensor.floats[8], 1.0f);
}

TEST(PreprocessTest, StretchResizesToTheInputSize) {
  cv::Mat image(50, 70, CV_8UC3, cv::Scalar(10, 20, 30));
  InputConfig in = ImageInput(Layout::kNCHW, ColorOrder::kBGR, {1, 3, 8, 8});
  auto out = PreprocessImage(image, in);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->tensor.floats.size(), 192u);
  for (int i = 0; i < 64; ++i) {
    ASSERT_FLOAT_EQ(out->tensor.floats[i], 10.0f);
    ASSERT_FLOAT_EQ(out->tensor.floats[64 + i], 20.0f);
    ASSERT_FLOAT_EQ(out->tensor.floats[128 + i], 30.0f);
  }
  EXPECT_DOUBLE_EQ(out->transform.scale_x, 8.0 / 70);
  EXPECT_DOUBLE_EQ(out->transform.scale_y, 8.0 / 50);
  const cv::Point2f p = out->transform.ToImage(4, 4);
  EXPECT_FLOAT_EQ(p.x, 35.0f);
  EXPECT_FLOAT_EQ(p.y, 25.0f);
}

TEST(PreprocessTest, LetterboxPadsAndMapsBack) {
  cv::Mat image(2, 4, CV_8UC3, cv::Scalar(10, 20, 30));  // 4 wide, 2 high
  InputConfig in = ImageInput(Layout::kNCHW, ColorOrder::kRGB, {1, 3, 4, 4});
  in.mean = {5, 5, 5};
  PreprocessOptions opts;
  opts.resize = ResizeMode::kLetterbox;
  opts.pad_value = 5;  // pads to exactly the mean -> 0 after normalisation
  auto out = PreprocessImage(image, in, opts);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::vector<float>& f = out->tensor.floats;
  // Centred: rows 0 and 3 are padding, rows 1 and 2 the image (R = 30 - 5 = 25).
  for (int x = 0; x < 4; ++x) {
    EXPECT_FLOAT_EQ(f[0 * 4 + x], 0.0f);
    EXPECT_FLOAT_EQ(f[1 * 4 + x], 25.0f);
    EXPECT_FLOAT_EQ(f[2 * 4 + x], 25.0f);
    EXPECT_FLOAT_EQ(f[3 * 4 + x], 0.0f);
  }
  EXPECT_DOUBLE_EQ(out->transform.pad_top, 1.0);
  EXPECT_DOUBLE_EQ(out->transform.pad_left, 0.0);
  EXPECT_DOUBLE_EQ(out->transform.scale_x, 1.0);
  cv::Point2f p = out->transform.ToImage(2, 2);
  EXPECT_FLOAT_EQ(p.x, 2.0f);
  EXPECT_FLOAT_EQ(p.y, 1.0f);
  p = out->transform.ToInput(p.x, p.y);
  EXPECT_FLOAT_EQ(p.y, 2.0f);

  opts.letterbox_center = false;
  out = PreprocessImage(image, in, opts);
  ASSERT_TRUE(out.ok());
  EXPECT_FLOAT_EQ(out->tensor.floats[0], 25.0f);  // row 0 is image
  EXPECT_FLOAT_EQ(out->tensor.floats[12], 0.0f);  // row 3 is padding
  EXPECT_DOUBLE_EQ(out->transform.pad_top, 0.0);
}

TEST(PreprocessTest, DynamicSizeNeedsOptions) {
  InputConfig in = ImageInput(Layout::kNCHW, ColorOrder::kRGB, {-1, 3, -1, -1});
  auto out = PreprocessImage(Synthetic(), in);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInternal);
  EXPECT_THAT(out.status().message(), HasSubstr("dynamic dimension"));
  PreprocessOptions opts;
  opts.width = 6;
  opts.height = 5;
  out = PreprocessImage(Synthetic(), in, opts);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->tensor.shape, (std::vector<std::int64_t>{1, 3, 5, 6}));
  EXPECT_EQ(out->tensor.floats.size(), 90u);
}

TEST(PreprocessTest, RejectsBadArguments) {
  InputConfig in = ImageInput(Layout::kNCHW, ColorOrder::kRGB, {1, 3, 2, 4});
  EXPECT_EQ(PreprocessImage(cv::Mat(), in).status().code(), StatusCode::kInternal);
  EXPECT_EQ(PreprocessImage(cv::Mat(2, 4, CV_16UC3), in).status().code(), StatusCode::kInternal);
  InputConfig plain;
  plain.name = "n";
  plain.shape = {1};
  EXPECT_EQ(PreprocessImage(Synthetic(), plain).status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace ocular::runtime
