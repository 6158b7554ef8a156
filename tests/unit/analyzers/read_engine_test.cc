// Read (OCR) engine: accuracy on the shared test images, geometry, orientation, languages,
// scale mapping, and concurrent use of the Tesseract pool.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "analyzers/read/read_engine.h"
#include "analyzers/read/read_languages.h"
#include "analyzers/read/read_ppocr.h"
#include "read_test_util.h"

namespace ocular {
namespace {

using testing_read::AllText;
using testing_read::AsBytes;
using testing_read::Cer;
using testing_read::ImagesDir;
using testing_read::InsideQuad;
using testing_read::ReadBytes;

constexpr const char* kParagraph =
    "Men may seem detestable as joint\n"
    "stock-companies and nations; knaves,\n"
    "fools, and murderers there may be;\n"
    "men may have mean and meagre\n"
    "faces; but, man, in the ideal, is so\n"
    "noble and so sparkling, such a grand\n"
    "and glowing creature, that over any\n"
    "ignominious blemish in him all his\n"
    "fellows should run to throw their\n"
    "costliest robes.";

constexpr const char* kScannedPage =
    "Region-based segmentation\n"
    "Let us first determine markers of the coins and the\n"
    "background. These markers are pixels that we can label\n"
    "unambiguously as either object or background. Here,\n"
    "the markers are found at the two extreme parts of the\n"
    "histogram of grey values:\n"
    ">>> markers = np.zeros_like(coins)";

class ReadEngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto e = ReadEngine::Create(testing_read::TestEngineOptions());
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(e).value().release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }

  static DecodedImage Load(const char* file) {
    std::string bytes = ReadBytes(ImagesDir() / file);
    EXPECT_FALSE(bytes.empty()) << file;
    auto img = IngestImage(AsBytes(bytes), ApiVersion::kV40);
    EXPECT_TRUE(img.ok()) << img.status().ToString();
    return std::move(img).value();
  }

  static ReadResult Read(const cv::Mat& bgr, double scale = 1.0, const std::string& lang = "en",
                         bool orientation = true) {
    ReadOptions o;
    o.language = lang;
    o.detect_orientation = orientation;
    auto r = engine_->Read(bgr, scale, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : ReadResult{};
  }

  // Every line inside the image, every word inside its line, confidences in [0, 1].
  static void ExpectGeometry(const ReadResult& r, int width, int height) {
    int lines = 0;
    for (const TextBlock& b : r.blocks) {
      EXPECT_FALSE(b.lines.empty());
      for (const TextLine& l : b.lines) {
        ++lines;
        EXPECT_FALSE(l.text.empty());
        EXPECT_FALSE(l.words.empty());
        for (const PointF& p : l.polygon) {
          EXPECT_GE(p.x, 0);
          EXPECT_GE(p.y, 0);
          EXPECT_LE(p.x, width);
          EXPECT_LE(p.y, height);
        }
        for (const TextWord& w : l.words) {
          EXPECT_FALSE(w.text.empty());
          EXPECT_GE(w.confidence, 0.0);
          EXPECT_LE(w.confidence, 1.0);
          for (const PointF& p : w.polygon) {
            EXPECT_TRUE(InsideQuad(p, l.polygon, 2.0))
                << "word '" << w.text << "' point (" << p.x << "," << p.y << ") outside line '"
                << l.text << "'";
          }
        }
      }
    }
    EXPECT_GT(lines, 0);
  }

  static ReadEngine* engine_;
};
ReadEngine* ReadEngineTest::engine_ = nullptr;

TEST_F(ReadEngineTest, PrintedParagraphCerAtMost3Percent) {
  DecodedImage img = Load("doc_printed_paragraph.png");
  ReadResult r = Read(img.bgr);
  EXPECT_LE(Cer(AllText(r), kParagraph), 0.03) << AllText(r);
  EXPECT_EQ(r.language, "en");
  EXPECT_EQ(r.orientation, "Up");
  ExpectGeometry(r, img.info.width, img.info.height);
}

TEST_F(ReadEngineTest, ScannedPageCerAtMost3Percent) {
  DecodedImage img = Load("doc_page.png");
  ReadResult r = Read(img.bgr);
  EXPECT_LE(Cer(AllText(r), kScannedPage), 0.03) << AllText(r);
  ExpectGeometry(r, img.info.width, img.info.height);
}

TEST_F(ReadEngineTest, DeslantTiff) {
  DecodedImage img = Load("doc_deslant.tif");
  ReadResult r = Read(img.bgr);
  EXPECT_EQ(testing_read::Utf32Normalized(AllText(r)), U"test deslant correction") << AllText(r);
  ExpectGeometry(r, img.info.width, img.info.height);
}

TEST_F(ReadEngineTest, NoLitterSign) {
  ASSERT_TRUE(engine_->has_detector()) << "PP-OCR detection model not installed (run setup)";
  DecodedImage img = Load("text_sign_no_litter.jpg");
  ReadResult r = Read(img.bgr);
  EXPECT_NE(AllText(r).find("NO LITTER"), std::string::npos) << AllText(r);
  ExpectGeometry(r, img.info.width, img.info.height);
}

TEST_F(ReadEngineTest, LouvreSigns) {
  ASSERT_TRUE(engine_->has_detector()) << "PP-OCR detection model not installed (run setup)";
  DecodedImage img = Load("text_signs_louvre.jpg");
  ReadResult r = Read(img.bgr, 1.0, "fr");
  const std::string text = AllText(r);
  EXPECT_NE(text.find("LOUVRE"), std::string::npos) << text;
  EXPECT_NE(text.find("Palais"), std::string::npos) << text;
  ExpectGeometry(r, img.info.width, img.info.height);
  // The signs are tilted: some line polygons are not axis-aligned.
  bool tilted = false;
  for (const auto& b : r.blocks)
    for (const auto& l : b.lines) tilted |= std::abs(l.polygon[1].y - l.polygon[0].y) > 2;
  EXPECT_TRUE(tilted);
}

TEST_F(ReadEngineTest, RotatedPagesAreDetectedAndRead) {
  DecodedImage img = Load("doc_printed_paragraph.png");
  struct Case {
    cv::RotateFlags flag;
    const char* orientation;
  };
  for (Case c : {Case{cv::ROTATE_90_CLOCKWISE, "Right"}, Case{cv::ROTATE_180, "Down"},
                 Case{cv::ROTATE_90_COUNTERCLOCKWISE, "Left"}}) {
    cv::Mat rotated;
    cv::rotate(img.bgr, rotated, c.flag);
    ReadResult r = Read(rotated);
    EXPECT_EQ(r.orientation, c.orientation);
    EXPECT_LE(Cer(AllText(r), kParagraph), 0.03) << c.orientation << ": " << AllText(r);
    ExpectGeometry(r, rotated.cols, rotated.rows);
    ASSERT_FALSE(r.blocks.empty());
    // The first line ("Men may seem...") is at the top of the upright text: on the right edge
    // after a clockwise turn, at the bottom when upside down, on the left after a
    // counter-clockwise turn. Its polygon starts at the text's own top-left corner.
    const TextLine& first = r.blocks.front().lines.front();
    double cx = 0, cy = 0;
    for (const PointF& p : first.polygon) {
      cx += p.x / 4;
      cy += p.y / 4;
    }
    if (c.flag == cv::ROTATE_90_CLOCKWISE) {
      EXPECT_GT(cx, rotated.cols * 0.75);
      EXPECT_LT(first.polygon[0].y, first.polygon[1].y);  // text runs downwards
    } else if (c.flag == cv::ROTATE_180) {
      EXPECT_GT(cy, rotated.rows * 0.75);
      EXPECT_GT(first.polygon[0].x, first.polygon[1].x);  // text runs right to left
    } else {
      EXPECT_LT(cx, rotated.cols * 0.25);
      EXPECT_GT(first.polygon[0].y, first.polygon[1].y);  // text runs upwards
    }
  }
}

TEST_F(ReadEngineTest, SkewedPageIsReadWithTiltedPolygonsAndTextAngle) {
  ASSERT_TRUE(engine_->has_detector()) << "PP-OCR detection model not installed (run setup)";
  DecodedImage img = Load("doc_printed_paragraph.png");
  cv::Mat padded, skewed;
  cv::copyMakeBorder(img.bgr, padded, 60, 60, 60, 60, cv::BORDER_CONSTANT,
                     cv::Scalar(255, 255, 255));
  // OpenCV's negative angle turns the page clockwise by 4 degrees (lines run down to the right).
  cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(padded.cols / 2.f, padded.rows / 2.f), -4, 1);
  cv::warpAffine(padded, skewed, m, padded.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar(255, 255, 255));
  ReadResult r = Read(skewed);
  EXPECT_LE(Cer(AllText(r), kParagraph), 0.03) << AllText(r);
  ExpectGeometry(r, skewed.cols, skewed.rows);
  ASSERT_TRUE(r.text_angle_radians.has_value());
  // Azure textAngle: rotating the image clockwise by it levels the lines -> about -4 degrees.
  EXPECT_NEAR(*r.text_angle_radians, -4 * 3.14159265 / 180, 0.02);
  const TextLine& first = r.blocks.front().lines.front();
  EXPECT_GT(first.polygon[1].y - first.polygon[0].y, 15);  // the top edge runs downhill
}

TEST_F(ReadEngineTest, WithoutOrientationDetectionReportsNotDetected) {
  DecodedImage img = Load("doc_deslant.tif");
  ReadResult r = Read(img.bgr, 1.0, "en", /*orientation=*/false);
  EXPECT_EQ(r.orientation, "NotDetected");
  EXPECT_FALSE(r.text_angle_radians.has_value());
  EXPECT_FALSE(r.blocks.empty());
}

TEST_F(ReadEngineTest, ReducedDecodeMapsBackToOriginalPixels) {
  DecodedImage img = Load("doc_printed_paragraph.png");
  ReadResult full = Read(img.bgr);
  cv::Mat half;
  cv::resize(img.bgr, half, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
  ReadResult reduced = Read(half, 0.5);
  ASSERT_FALSE(full.blocks.empty());
  ASSERT_FALSE(reduced.blocks.empty());
  const TextLine& a = full.blocks.front().lines.front();
  const TextLine& b = reduced.blocks.front().lines.front();
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(a.polygon[i].x, b.polygon[i].x, 12);
    EXPECT_NEAR(a.polygon[i].y, b.polygon[i].y, 12);
  }
  ExpectGeometry(reduced, img.info.width, img.info.height);
}

TEST_F(ReadEngineTest, AutoLanguageDetectsLatin) {
  DecodedImage img = Load("doc_printed_paragraph.png");
  ReadResult r = Read(img.bgr, 1.0, "unk");
  EXPECT_EQ(r.language, "en");
  EXPECT_LE(Cer(AllText(r), kParagraph), 0.03);
}

TEST_F(ReadEngineTest, UnsupportedLanguageIsNotSupportedLanguage) {
  DecodedImage img = Load("doc_deslant.tif");
  ReadOptions o;
  o.language = "xx";
  auto r = engine_->Read(img.bgr, 1.0, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().inner_code(), "NotSupportedLanguage");
}

TEST_F(ReadEngineTest, BlankImageHasNoBlocks) {
  cv::Mat white(200, 300, CV_8UC3, cv::Scalar(255, 255, 255));
  ReadResult r = Read(white);
  EXPECT_TRUE(r.blocks.empty());
  EXPECT_EQ(r.orientation, "NotDetected");
}

TEST_F(ReadEngineTest, ConcurrentReadsShareThePool) {
  DecodedImage img = Load("doc_deslant.tif");
  std::vector<std::string> texts(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      ReadOptions o;
      auto r = engine_->Read(img.bgr, 1.0, o);
      if (r.ok()) texts[i] = AllText(*r);
    });
  }
  for (auto& t : threads) t.join();
  for (const std::string& t : texts) {
    EXPECT_EQ(testing_read::Utf32Normalized(t), U"test deslant correction");
  }
}

TEST(ReadLanguagesTest, MapsAzureCodesToInstalledPacks) {
  const std::filesystem::path dir = kDefaultTessdataDir;
  auto de = ResolveOcrLanguage("de", dir);
  ASSERT_TRUE(de.ok());
  EXPECT_EQ(de->pack, "deu");
  auto zh = ResolveOcrLanguage("ZH-hans", dir);
  ASSERT_TRUE(zh.ok());
  EXPECT_EQ(zh->pack, "chi_sim");
  EXPECT_TRUE(zh->cjk);
  for (const char* code : {"en", "de", "es", "fr", "it", "pt", "ja", "ko", "zh-Hans"}) {
    EXPECT_TRUE(ResolveOcrLanguage(code, dir).ok()) << code;
  }
  auto bad = ResolveOcrLanguage("klingon", dir);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().inner_code(), "NotSupportedLanguage");
  // Known code, pack not installed.
  EXPECT_FALSE(ResolveOcrLanguage("de", "/nonexistent").ok());
  EXPECT_TRUE(IsAutoLanguage("unk"));
  EXPECT_TRUE(IsAutoLanguage(""));
  EXPECT_FALSE(IsAutoLanguage("en"));
  EXPECT_EQ(AutoLanguageForScript("Han", dir).pack, "chi_sim");
  EXPECT_EQ(AutoLanguageForScript("Latin", dir).pack, "eng");
  EXPECT_EQ(AutoLanguageForScript("Klingon", dir).pack, "eng");
}

TEST(ReadTesseractTest, UnrotatePointInvertsRotateClockwise) {
  cv::Mat m = cv::Mat::zeros(30, 50, CV_8UC1);  // width 50, height 30
  m.at<uchar>(5, 40) = 255;                     // (x=40, y=5)
  for (int deg : {0, 90, 180, 270}) {
    cv::Mat r = RotateClockwise(m, deg);
    cv::Point loc;
    cv::minMaxLoc(r, nullptr, nullptr, nullptr, &loc);
    // Pixel centres: map the centre and compare with the original centre.
    PointF back = UnrotatePoint({loc.x + 0.5, loc.y + 0.5}, deg, 50, 30);
    EXPECT_NEAR(back.x, 40.5, 1e-9) << deg;
    EXPECT_NEAR(back.y, 5.5, 1e-9) << deg;
  }
}

TEST(ReadTesseractTest, MissingPackIsUnavailable) {
  TesseractPool pool(TesseractPoolOptions{.tessdata_dir = "/nonexistent"});
  auto lease = pool.Acquire("eng");
  ASSERT_FALSE(lease.ok());
  EXPECT_EQ(lease.status().code(), StatusCode::kUnavailable);
  // The failed slot is released: a second try fails the same way instead of blocking.
  EXPECT_FALSE(pool.Acquire("eng").ok());
}

}  // namespace
}  // namespace ocular

namespace ocular {
namespace {

// The text models' inference metrics are labelled with their model names, like every other
// model's (runtime/session.h takes the quoted name of the label).
TEST(PpOcrModelLabel, IsTheRepositoryName) {
  EXPECT_EQ(PpOcrModelLabel("models/ppocr-det/2026-11-26/model.onnx"),
            "model 'ppocr-det' 2026-11-26");
  EXPECT_EQ(PpOcrModelLabel("/srv/repo/ppocr-rec/2026-11-26/model.onnx"),
            "model 'ppocr-rec' 2026-11-26");
  EXPECT_EQ(PpOcrModelLabel(".deps/npm/x/assets/ch_PP-OCRv4_det_infer.onnx"),
            "model 'ch_PP-OCRv4_det_infer'");
}

}  // namespace
}  // namespace ocular
