#include "analyzers/vision/image_type_analyzer.h"

#include <algorithm>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace ocular {

namespace {
constexpr int kWorkLongSide = 512;
}  // namespace

ImageTypeMetrics MeasureImageType(const cv::Mat& input) {
  cv::Mat img = input;
  int long_side = std::max(input.cols, input.rows);
  if (long_side > kWorkLongSide) {
    double f = double(kWorkLongSide) / long_side;
    // Nearest neighbour keeps flat areas exactly flat (area averaging would keep them flat too,
    // but would blur strokes into mid greys).
    cv::resize(input, img, cv::Size(), f, f, cv::INTER_NEAREST);
  }
  ImageTypeMetrics m;
  const double total = double(img.cols) * img.rows;

  // Flatness: max - min over each 3x3 neighbourhood, per channel, all zero.
  cv::Mat dil, ero, range;
  cv::dilate(img, dil, cv::Mat());
  cv::erode(img, ero, cv::Mat());
  cv::absdiff(dil, ero, range);
  std::vector<cv::Mat> ch;
  cv::split(range, ch);
  cv::Mat maxr = cv::max(cv::max(ch[0], ch[1]), ch[2]);
  m.flat_share = cv::countNonZero(maxr == 0) / total;

  // Colour bins (5 bits per channel).
  std::vector<int> hist(1 << 15, 0);
  long chromatic = 0;
  for (int y = 0; y < img.rows; ++y) {
    const cv::Vec3b* row = img.ptr<cv::Vec3b>(y);
    for (int x = 0; x < img.cols; ++x) {
      int b = row[x][0], g = row[x][1], r = row[x][2];
      ++hist[((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3)];
      if (std::max({r, g, b}) - std::min({r, g, b}) >= 40) ++chromatic;
    }
  }
  std::sort(hist.begin(), hist.end(), std::greater<int>());
  long covered = 0;
  for (int n : hist) {
    if (covered >= 0.9 * total) break;
    covered += n;
    ++m.colors_90;
  }
  m.chromatic_share = chromatic / total;

  // Ink on paper.
  cv::Mat gray;
  cv::cvtColor(img, gray, cv::COLOR_BGR2GRAY);
  cv::Mat ink = gray < 100;
  int ink_n = cv::countNonZero(ink);
  m.ink_share = ink_n / total;
  m.paper_share = cv::countNonZero(gray > 200) / total;
  m.mid_share = std::max(0.0, 1.0 - m.ink_share - m.paper_share);
  if (ink_n > 0) {
    cv::Mat labels, stats, centroids;
    int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
    int largest = 0;
    for (int i = 1; i < n; ++i) largest = std::max(largest, stats.at<int>(i, cv::CC_STAT_AREA));
    m.largest_ink_component = double(largest) / ink_n;
  }
  return m;
}

ImageTypeResult ClassifyImageType(const ImageTypeMetrics& m) {
  ImageTypeResult r;
  bool ink_on_paper = m.paper_share >= 0.55 && m.ink_share >= 0.005 && m.ink_share <= 0.35 &&
                      m.mid_share <= 0.12 && m.chromatic_share <= 0.03;
  if (ink_on_paper) {
    // Black strokes on white: a drawing when the strokes connect, text when they are glyphs.
    // Neither is clip art; a line drawing is reported as ambiguous clip art.
    r.line_drawing_type = m.largest_ink_component >= 0.25 ? 1 : 0;
    r.clip_art_type = r.line_drawing_type;
    return r;
  }
  if (m.flat_share >= 0.55 && m.colors_90 <= 64) {
    r.clip_art_type = 3;
  } else if ((m.flat_share >= 0.40 && m.colors_90 <= 256) ||
             (m.flat_share >= 0.20 && m.colors_90 <= 100)) {
    r.clip_art_type = 2;
  } else if (m.flat_share >= 0.25) {
    r.clip_art_type = 1;
  }
  return r;
}

namespace {

class ImageTypeAnalyzer final : public Analyzer {
 public:
  std::string_view name() const override { return "imageType"; }
  std::vector<Feature> features() const override { return {Feature::kImageType}; }
  // Flatness is a pixel-level statistic on a 512-px copy; decoding at >= 1024 keeps JPEG DCT
  // scaling (which smooths sensor noise) from making large photos look flat.
  int min_long_side() const override { return 1024; }
  Status Analyze(AnalysisContext& context, AnalysisResult& result) const override {
    result.image_type = ClassifyImageType(MeasureImageType(context.image().bgr));
    return Status::Ok();
  }
};

}  // namespace

StatusOr<std::unique_ptr<Analyzer>> CreateImageTypeAnalyzer(const AnalyzerEnv& /*env*/) {
  return std::unique_ptr<Analyzer>(std::make_unique<ImageTypeAnalyzer>());
}

}  // namespace ocular
