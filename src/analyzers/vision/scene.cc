#include "analyzers/vision/scene.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include <opencv2/imgproc.hpp>

#include "analyzers/detection/nms.h"
#include "analyzers/vision/image_type_analyzer.h"
#include "analyzers/vision/wordnet_chains.h"

namespace ocular {

namespace {

// Scene words inferred from objects: the word, the rule's weight, and the trigger labels.
struct SceneRule {
  const char* word;
  double weight;
  std::vector<std::string> triggers;
};

const std::vector<SceneRule>& SceneRules() {
  static const std::vector<SceneRule> kRules = {
      // Parked bicycles and motorcycles are also found in garages and shops: no outdoor evidence.
      {"outdoor", 0.9, {"car", "bus", "truck", "train", "airplane", "boat",
                        "traffic light", "fire hydrant", "stop sign", "parking meter", "horse",
                        "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "kite", "skis",
                        "snowboard", "surfboard"}},
      {"street", 0.8, {"car", "bus", "truck", "traffic light", "fire hydrant", "stop sign",
                       "parking meter"}},
      {"indoor", 0.9, {"couch", "bed", "tv", "dining table", "toilet", "sink", "refrigerator",
                       "microwave", "oven", "toaster", "laptop", "keyboard", "mouse", "remote"}},
      {"kitchen", 0.8, {"refrigerator", "microwave", "oven", "toaster", "sink"}},
      // A couch is living-room furniture; a tv alone is not (bedrooms, offices, shops).
      {"living room", 0.75, {"couch"}},
      {"sport", 0.8, {"sports ball", "tennis racket", "baseball bat", "baseball glove", "skis",
                      "snowboard", "surfboard", "skateboard", "frisbee"}},
      {"tennis", 0.9, {"tennis racket"}},
      {"baseball", 0.9, {"baseball bat", "baseball glove"}},
  };
  return kRules;
}

double GrayShare(const cv::Mat& bgr) {
  cv::Mat small = bgr;
  int long_side = std::max(bgr.cols, bgr.rows);
  if (long_side > 256) {
    double f = 256.0 / long_side;
    cv::resize(bgr, small, cv::Size(), f, f, cv::INTER_AREA);
  }
  long gray = 0;
  for (int y = 0; y < small.rows; ++y) {
    const cv::Vec3b* row = small.ptr<cv::Vec3b>(y);
    for (int x = 0; x < small.cols; ++x) {
      int b = row[x][0], g = row[x][1], r = row[x][2];
      if (std::max({r, g, b}) - std::min({r, g, b}) < 24) ++gray;
    }
  }
  return small.total() ? double(gray) / double(small.total()) : 0.0;
}

}  // namespace

double SkyShare(const cv::Mat& bgr) {
  if (bgr.empty()) return 0;
  cv::Mat small;
  double f = 128.0 / bgr.cols;
  cv::resize(bgr, small, cv::Size(128, std::max(3, int(std::lround(bgr.rows * f)))), 0, 0,
             cv::INTER_AREA);
  cv::Mat gray, gx, gy, mag;
  cv::cvtColor(small, gray, cv::COLOR_BGR2GRAY);
  cv::Sobel(gray, gx, CV_32F, 1, 0);
  cv::Sobel(gray, gy, CV_32F, 0, 1);
  cv::magnitude(gx, gy, mag);
  const int rows = std::max(1, small.rows / 3);
  long sky = 0;
  for (int y = 0; y < rows; ++y) {
    const cv::Vec3b* row = small.ptr<cv::Vec3b>(y);
    const float* m = mag.ptr<float>(y);
    for (int x = 0; x < small.cols; ++x) {
      int b = row[x][0], g = row[x][1], r = row[x][2];
      bool colour = (b > r + 15 && b > g) || (b > g + 15 && r > g);
      if (m[x] < 24 && colour) ++sky;
    }
  }
  return double(sky) / (double(rows) * small.cols);
}

double WaterShare(const cv::Mat& bgr) {
  if (bgr.empty()) return 0;
  cv::Mat small;
  double f = 128.0 / bgr.cols;
  cv::resize(bgr, small, cv::Size(128, std::max(3, int(std::lround(bgr.rows * f)))), 0, 0,
             cv::INTER_AREA);
  const int first = small.rows - std::max(1, small.rows / 3);
  long water = 0;
  for (int y = first; y < small.rows; ++y) {
    const cv::Vec3b* row = small.ptr<cv::Vec3b>(y);
    for (int x = 0; x < small.cols; ++x) {
      int b = row[x][0], g = row[x][1], r = row[x][2];
      if (b > r + 20 && g >= r && b >= 60) ++water;
    }
  }
  return double(water) / (double(small.rows - first) * small.cols);
}

double NoisyOr(const std::vector<double>& scores) {
  double p = 1.0;
  for (double s : scores) p *= 1.0 - std::clamp(s, 0.0, 1.0);
  return 1.0 - p;
}

std::vector<Detection> Confident(const Evidence& evidence) {
  std::vector<Detection> out;
  for (const Detection& d : evidence.detections) {
    if (d.confident) out.push_back(d);
  }
  return out;
}

namespace {

double ContainedShare(const Rect& inner, const Detection& outer) {
  const double ix = std::min<double>(inner.x + inner.w, outer.x2) - std::max<double>(inner.x, outer.x1);
  const double iy = std::min<double>(inner.y + inner.h, outer.y2) - std::max<double>(inner.y, outer.y1);
  const double area = std::max(1.0, double(inner.w) * inner.h);
  return ix > 0 && iy > 0 ? ix * iy / area : 0.0;
}

}  // namespace

void CleanEvidence(Evidence& e, bool line_drawing) {
  // Line drawings: the detectors were trained on photos, and on drawings they name strokes as
  // birds and kites; only near-certain boxes count there.
  if (line_drawing) {
    for (Detection& d : e.detections) d.confident = d.confident && d.calibrated >= kDrawingEvidence;
  }
  // One object, two classes (a motorcycle also seen as a bicycle): the detectors' NMS is
  // class-wise, so the weaker of two confident boxes that nearly coincide is not evidence.
  for (std::size_t i = 0; i < e.detections.size(); ++i) {
    Detection& d = e.detections[i];
    if (!d.confident) continue;
    for (std::size_t k = 0; k < i; ++k) {
      const Detection& s = e.detections[k];
      if (!s.confident || s.label == d.label || s.score < d.score) continue;
      ScoredBox a{d.x1, d.y1, d.x2, d.y2, 0, 0}, b{s.x1, s.y1, s.x2, s.y2, 0, 0};
      if (BoxIoU(a, b) >= kSameObjectIoU) d.confident = false;
    }
  }
  // A "face" lying inside a confident object that is not a person (a headlight, a carving) and
  // inside no person box is the face detector's mistake, not a person.
  std::vector<FaceBox> faces;
  for (const FaceBox& f : e.faces) {
    bool in_object = false, in_person = false;
    for (const Detection& d : e.detections) {
      if (!d.confident && d.label != "person") continue;
      const double share = ContainedShare(f.box, d);
      if (d.label == "person" && share >= 0.5) in_person = true;
      if (d.label != "person" && share >= 0.8) in_object = true;
    }
    if (!in_object || in_person) faces.push_back(f);
  }
  e.faces = std::move(faces);
}

StatusOr<Evidence> GatherEvidence(AnalysisContext& context, const VisionModels& models,
                                  const AnalysisResult& result) {
  Evidence e;
  e.width = context.info().width;
  e.height = context.info().height;
  if (models.objects) {
    OCULAR_ASSIGN_OR_RETURN(auto d, SharedDetections(context, *models.objects));
    e.detections = *d;
  }
  if (models.faces) {
    OCULAR_ASSIGN_OR_RETURN(auto f, SharedFaces(context, *models.faces));
    e.faces = *f;
    e.faces_known = true;
  }
  if (models.nsfw) {
    OCULAR_ASSIGN_OR_RETURN(auto n, SharedNsfw(context, *models.nsfw));
    e.nsfw = *n;
  }
  OCULAR_ASSIGN_OR_RETURN(auto gray, context.Shared<double>("gray_share", [&]() -> StatusOr<double> {
    return GrayShare(context.image().bgr);
  }));
  e.gray_share = *gray;
  OCULAR_ASSIGN_OR_RETURN(auto sky, context.Shared<double>("sky_share", [&]() -> StatusOr<double> {
    return SkyShare(context.image().bgr);
  }));
  e.sky_share = *sky;
  OCULAR_ASSIGN_OR_RETURN(auto water,
                          context.Shared<double>("water_share", [&]() -> StatusOr<double> {
                            return WaterShare(context.image().bgr);
                          }));
  e.water_share = *water;
  // Line drawings are ink on paper: only a nearly colourless image pays for the image-type metrics.
  bool line_drawing = false;
  if (e.gray_share >= kDrawingGrayShare) {
    OCULAR_ASSIGN_OR_RETURN(auto drawing, context.Shared<bool>("line_drawing", [&]() -> StatusOr<bool> {
      return ClassifyImageType(MeasureImageType(context.image().bgr)).line_drawing_type > 0;
    }));
    line_drawing = *drawing;
  }
  CleanEvidence(e, line_drawing);
  if (result.read) {
    double sum = 0;
    int n = 0;
    for (const TextBlock& b : result.read->blocks) {
      for (const TextLine& l : b.lines) {
        for (const TextWord& w : l.words) {
          sum += w.confidence;
          ++n;
        }
      }
    }
    if (n > 0) e.text_confidence = std::clamp(sum / n, 0.0, 1.0);
  }
  return e;
}

std::vector<Tag> ComputeTags(const Evidence& e) {
  std::map<std::string, std::vector<double>> support;
  std::map<std::string, double> label_conf;
  {
    for (const Detection& d : Confident(e)) {
      double& best = label_conf[d.label];
      best = std::max(best, d.calibrated);
    }
  }
  const auto& chains = WordNetParentChains();
  for (const auto& [label, conf] : label_conf) {
    support[label].push_back(conf);
    if (auto it = chains.find(label); it != chains.end()) {
      for (const std::string& p : it->second) support[p].push_back(conf);
    }
  }
  for (const SceneRule& rule : SceneRules()) {
    for (const std::string& t : rule.triggers) {
      if (auto it = label_conf.find(t); it != label_conf.end()) {
        support[rule.word].push_back(it->second * rule.weight);
      }
    }
  }
  if (!e.faces.empty()) {
    std::vector<double> s;
    for (const FaceBox& f : e.faces) s.push_back(f.score);
    support["human face"].push_back(NoisyOr(s));
    support["person"].push_back(NoisyOr(s));
  }
  if (e.nsfw && e.nsfw->drawing >= kDrawingThreshold) support["drawing"].push_back(e.nsfw->drawing);
  if (e.sky_share >= kSkyShare) {
    double s = std::min(1.0, 0.5 + e.sky_share);
    support["sky"].push_back(s);
    support["outdoor"].push_back(0.9 * s);
  }
  if (e.gray_share >= kBlackAndWhiteShare) support["black and white"].push_back(e.gray_share);
  if (e.text_confidence) support["text"].push_back(*e.text_confidence);

  std::vector<Tag> tags;
  for (const auto& [name, s] : support) {
    double conf = NoisyOr(s);
    if (conf >= kTagThreshold) tags.push_back({name, conf, {}});
  }
  std::sort(tags.begin(), tags.end(), [](const Tag& a, const Tag& b) {
    return a.confidence != b.confidence ? a.confidence > b.confidence : a.name < b.name;
  });
  return tags;
}

std::vector<std::string> TagVocabulary() {
  std::set<std::string> v(CocoLabels().begin(), CocoLabels().end());
  for (const auto& [label, chain] : WordNetParentChains()) v.insert(chain.begin(), chain.end());
  for (const SceneRule& r : SceneRules()) v.insert(r.word);
  for (const char* w : {"human face", "person", "drawing", "black and white", "text", "sky"}) v.insert(w);
  return {v.begin(), v.end()};
}

}  // namespace ocular
