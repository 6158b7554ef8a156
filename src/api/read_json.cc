#include "api/read_json.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ocular::api {
namespace {

constexpr double kPi = 3.14159265358979323846;

long Round(double v) { return std::lround(std::max(0.0, v)); }

double Round3(double v) { return std::round(v * 1000.0) / 1000.0; }

nlohmann::json PolygonV40(const Quad& q) {
  nlohmann::json pts = nlohmann::json::array();
  for (const PointF& p : q) pts.push_back({{"x", Round(p.x)}, {"y", Round(p.y)}});
  return pts;
}

nlohmann::json Polygon8(const Quad& q) {
  nlohmann::json pts = nlohmann::json::array();
  for (const PointF& p : q) {
    pts.push_back(Round(p.x));
    pts.push_back(Round(p.y));
  }
  return pts;
}

struct Box {
  double x0 = std::numeric_limits<double>::max(), y0 = std::numeric_limits<double>::max();
  double x1 = std::numeric_limits<double>::lowest(), y1 = std::numeric_limits<double>::lowest();
  void Add(const Quad& q) {
    for (const PointF& p : q) {
      x0 = std::min(x0, p.x);
      y0 = std::min(y0, p.y);
      x1 = std::max(x1, p.x);
      y1 = std::max(y1, p.y);
    }
  }
  // "x,y,w,h" with integer pixels (outward rounding).
  std::string ToString() const {
    if (x1 < x0) return "0,0,0,0";
    long x = std::lround(std::floor(std::max(0.0, x0))),
         y = std::lround(std::floor(std::max(0.0, y0)));
    long w = std::max(0L, std::lround(std::ceil(x1)) - x),
         h = std::max(0L, std::lround(std::ceil(y1)) - y);
    return std::to_string(x) + "," + std::to_string(y) + "," + std::to_string(w) + "," +
           std::to_string(h);
  }
};

int OrientationDegrees(const std::string& orientation) {
  if (orientation == "Right") return 90;
  if (orientation == "Down") return 180;
  if (orientation == "Left") return -90;
  return 0;
}

}  // namespace

nlohmann::json ReadResultToJsonV40(const ReadResult& read) {
  nlohmann::json lines = nlohmann::json::array();
  for (const TextBlock& block : read.blocks) {
    for (const TextLine& line : block.lines) {
      nlohmann::json words = nlohmann::json::array();
      for (const TextWord& w : line.words) {
        words.push_back({{"text", w.text},
                         {"boundingPolygon", PolygonV40(w.polygon)},
                         {"confidence", Round3(std::clamp(w.confidence, 0.0, 1.0))}});
      }
      lines.push_back(
          {{"text", line.text}, {"boundingPolygon", PolygonV40(line.polygon)}, {"words", words}});
    }
  }
  nlohmann::json blocks = nlohmann::json::array();
  if (!lines.empty()) blocks.push_back({{"lines", lines}});
  return {{"blocks", blocks}};
}

nlohmann::json OcrResultToJsonV32(const ReadResult& read, const std::string& model_version) {
  nlohmann::json regions = nlohmann::json::array();
  for (const TextBlock& block : read.blocks) {
    Box region_box;
    nlohmann::json lines = nlohmann::json::array();
    for (const TextLine& line : block.lines) {
      Box line_box;
      line_box.Add(line.polygon);
      nlohmann::json words = nlohmann::json::array();
      for (const TextWord& w : line.words) {
        Box word_box;
        word_box.Add(w.polygon);
        line_box.Add(w.polygon);
        words.push_back({{"boundingBox", word_box.ToString()}, {"text", w.text}});
      }
      region_box.Add({PointF{line_box.x0, line_box.y0}, PointF{line_box.x1, line_box.y0},
                      PointF{line_box.x1, line_box.y1}, PointF{line_box.x0, line_box.y1}});
      lines.push_back({{"boundingBox", line_box.ToString()}, {"words", words}});
    }
    if (lines.empty()) continue;
    regions.push_back({{"boundingBox", region_box.ToString()}, {"lines", lines}});
  }
  nlohmann::json out = {{"language", read.language.empty() ? "unk" : read.language}};
  if (read.text_angle_radians) out["textAngle"] = Round3(*read.text_angle_radians) + 0.0;
  out["orientation"] = read.orientation.empty() ? "NotDetected" : read.orientation;
  out["regions"] = regions;
  out["modelVersion"] = model_version;
  return out;
}

double ReadPageAngleDegrees(const ReadResult& read) {
  double angle = OrientationDegrees(read.orientation);
  if (read.text_angle_radians) angle -= *read.text_angle_radians * 180.0 / kPi;
  angle = std::fmod(angle + 180.0, 360.0);
  if (angle < 0) angle += 360.0;
  return Round3(angle - 180.0) + 0.0;
}

nlohmann::json ReadPageToJsonV32(const ReadResult& read, int page, int width, int height) {
  nlohmann::json lines = nlohmann::json::array();
  for (const TextBlock& block : read.blocks) {
    for (const TextLine& line : block.lines) {
      nlohmann::json words = nlohmann::json::array();
      for (const TextWord& w : line.words) {
        words.push_back({{"boundingBox", Polygon8(w.polygon)},
                         {"text", w.text},
                         {"confidence", Round3(std::clamp(w.confidence, 0.0, 1.0))}});
      }
      lines.push_back(
          {{"boundingBox", Polygon8(line.polygon)}, {"text", line.text}, {"words", words}});
    }
  }
  nlohmann::json out = {{"page", page}};
  if (!read.language.empty()) out["language"] = read.language;
  out["angle"] = ReadPageAngleDegrees(read);
  out["width"] = width;
  out["height"] = height;
  out["unit"] = "pixel";
  out["lines"] = lines;
  return out;
}

}  // namespace ocular::api
