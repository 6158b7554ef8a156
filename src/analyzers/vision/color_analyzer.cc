#include "analyzers/vision/color_analyzer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>

#include <opencv2/imgproc.hpp>

namespace ocular {

namespace {

constexpr int kWorkLongSide = 256;       // colour statistics are computed at this size
constexpr double kBorderFraction = 0.12;  // background band per side
constexpr double kDominantShare = 0.10;   // a dominant colour covers at least this share
constexpr int kMaxDominant = 3;
constexpr int kBwChroma = 24;            // max-min of R,G,B below this is achromatic
constexpr double kBwShare = 0.98;        // share of achromatic pixels for isBWImg
constexpr int kHueBins = 36;
constexpr double kAccentMinShare = 0.005;

cv::Mat WorkingCopy(const cv::Mat& bgr) {
  int long_side = std::max(bgr.cols, bgr.rows);
  if (long_side <= kWorkLongSide) return bgr;
  double f = double(kWorkLongSide) / long_side;
  cv::Mat small;
  cv::resize(bgr, small, cv::Size(), f, f, cv::INTER_AREA);
  return small;
}

// HSV hue in degrees [0, 360) of an RGB colour. REQUIRES: the colour is not achromatic.
double HueDegrees(int r, int g, int b) {
  int mx = std::max({r, g, b}), mn = std::min({r, g, b});
  double d = mx - mn;
  double h = mx == r ? 60.0 * std::fmod((g - b) / d, 6.0)
             : mx == g ? 60.0 * ((b - r) / d + 2.0)
                       : 60.0 * ((r - g) / d + 4.0);
  return h < 0 ? h + 360.0 : h;
}

std::string MostFrequent(const std::map<std::string, int>& counts) {
  std::string best;
  int n = -1;
  for (const auto& [name, c] : counts) {
    if (c > n) best = name, n = c;
  }
  return best;
}

}  // namespace

std::string NameColor(int r, int g, int b) {
  int mx = std::max({r, g, b}), mn = std::min({r, g, b});
  double v = mx / 255.0;
  double s = mx == 0 ? 0 : double(mx - mn) / mx;
  if (v < 0.18) return "Black";
  if (mx - mn < 24 || s < 0.15) {
    if (v > 0.82) return "White";
    if (v < 0.30) return "Black";
    return "Gray";
  }
  double h = HueDegrees(r, g, b);
  // Warm hues with low value are brown; light, weakly saturated reds/magentas are pink.
  if (h >= 8 && h < 45 && v < 0.62) return "Brown";
  if ((h < 12 || h >= 330) && s < 0.45 && v > 0.7) return "Pink";
  if (h < 12 || h >= 345) return "Red";
  if (h < 42) return "Orange";
  if (h < 70) return "Yellow";
  if (h < 160) return "Green";
  if (h < 195) return "Teal";
  if (h < 255) return "Blue";
  if (h < 290) return "Purple";
  return "Pink";
}

ColorResult AnalyzeColors(const cv::Mat& input) {
  cv::Mat img = WorkingCopy(input);
  const int w = img.cols, h = img.rows;
  const int bx = std::max(1, int(w * kBorderFraction)), by = std::max(1, int(h * kBorderFraction));
  std::map<std::string, int> all, border, center;
  long achromatic = 0;
  struct Bin {
    long n = 0;
    double r = 0, g = 0, b = 0, vivid = 0;
  };
  std::array<Bin, kHueBins> bins{};
  double sr = 0, sg = 0, sb = 0;
  for (int y = 0; y < h; ++y) {
    const cv::Vec3b* row = img.ptr<cv::Vec3b>(y);
    for (int x = 0; x < w; ++x) {
      int b = row[x][0], g = row[x][1], r = row[x][2];
      sr += r, sg += g, sb += b;
      std::string name = NameColor(r, g, b);
      ++all[name];
      if (x < bx || x >= w - bx || y < by || y >= h - by) ++border[name];
      if (x >= w / 4 && x < w - w / 4 && y >= h / 4 && y < h - h / 4) ++center[name];
      int mx = std::max({r, g, b}), mn = std::min({r, g, b});
      if (mx - mn < kBwChroma) {
        ++achromatic;
        continue;
      }
      double hue = HueDegrees(r, g, b);
      Bin& bin = bins[std::min(kHueBins - 1, int(hue / (360.0 / kHueBins)))];
      ++bin.n;
      bin.r += r, bin.g += g, bin.b += b;
      bin.vivid += double(mx - mn) / 255.0 * (mx / 255.0);
    }
  }
  const double total = double(w) * h;
  ColorResult out;
  out.dominant_background = MostFrequent(border);
  out.dominant_foreground = center.empty() ? out.dominant_background : MostFrequent(center);
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto& [name, c] : all) ranked.emplace_back(c, name);
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (const auto& [c, name] : ranked) {
    if (int(out.dominant_colors.size()) >= kMaxDominant) break;
    if (c >= kDominantShare * total || out.dominant_colors.empty()) out.dominant_colors.push_back(name);
  }
  out.is_bw = achromatic >= kBwShare * total;
  // Accent: the most vivid hue bin with enough support.
  const Bin* best = nullptr;
  double best_score = -1;
  for (const Bin& bin : bins) {
    if (bin.n < kAccentMinShare * total) continue;
    double score = bin.vivid / bin.n;
    if (score > best_score) best_score = score, best = &bin;
  }
  double ar = sr / total, ag = sg / total, ab = sb / total;
  if (best != nullptr) ar = best->r / best->n, ag = best->g / best->n, ab = best->b / best->n;
  char hex[8];
  std::snprintf(hex, sizeof(hex), "%02X%02X%02X", int(std::lround(ar)), int(std::lround(ag)),
                int(std::lround(ab)));
  out.accent_color = hex;
  return out;
}

namespace {

class ColorAnalyzer final : public Analyzer {
 public:
  std::string_view name() const override { return "color"; }
  std::vector<Feature> features() const override { return {Feature::kColor}; }
  int min_long_side() const override { return 512; }
  Status Analyze(AnalysisContext& context, AnalysisResult& result) const override {
    result.color = AnalyzeColors(context.image().bgr);
    return Status::Ok();
  }
};

}  // namespace

StatusOr<std::unique_ptr<Analyzer>> CreateColorAnalyzer(const AnalyzerEnv& /*env*/) {
  return std::unique_ptr<Analyzer>(std::make_unique<ColorAnalyzer>());
}

}  // namespace ocular
