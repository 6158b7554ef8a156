#include "analyzers/galleries/celebrity_faces.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>

namespace ocular {

StatusOr<std::vector<float>> EmbedFace(const FaceEmbedder& embedder, const DecodedImage& image,
                                       const FaceBox& face) {
  const float s = static_cast<float>(image.scale());
  std::array<cv::Point2f, kFaceKeypoints> kp = face.keypoints;
  for (cv::Point2f& p : kp) p *= s;  // original -> decoded pixels
  return embedder.Embed(image.bgr, kp);
}

std::optional<std::size_t> PickEnrollmentFace(const std::vector<FaceBox>& faces,
                                              std::string* skip) {
  if (faces.empty()) {
    *skip = "no face found: use a clear, frontal portrait";
    return std::nullopt;
  }
  std::vector<std::size_t> order(faces.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto side = [&](std::size_t i) { return std::min(faces[i].box.w, faces[i].box.h); };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return side(a) > side(b); });
  const std::size_t best = order[0];
  if (side(best) < kMinRecognizedFace) {
    *skip = "face too small (" + std::to_string(side(best)) + " px < " +
            std::to_string(kMinRecognizedFace) + " px): use a larger portrait";
    return std::nullopt;
  }
  if (order.size() > 1 && side(best) < kDominantFaceRatio * side(order[1])) {
    *skip = std::to_string(faces.size()) + " faces of similar size (" + std::to_string(side(best)) +
            " and " + std::to_string(side(order[1])) + " px): crop the image to the one person";
    return std::nullopt;
  }
  return best;
}

StatusOr<std::vector<float>> EnrollPortrait(const FaceDetector& detector,
                                            const FaceEmbedder& embedder, const DecodedImage& image,
                                            std::string* skip) {
  OCULAR_ASSIGN_OR_RETURN(std::vector<FaceBox> faces,
                          detector.Detect(image.bgr, image.info.width, image.info.height));
  std::optional<std::size_t> pick = PickEnrollmentFace(faces, skip);
  if (!pick) return std::vector<float>{};
  return EmbedFace(embedder, image, faces[*pick]);
}

StatusOr<std::vector<float>> EnrollPortraitFile(const FaceDetector& detector,
                                                const FaceEmbedder& embedder,
                                                const std::filesystem::path& file,
                                                std::string* skip) {
  std::ifstream in(file, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
  if (!in.good() && !in.eof()) {
    *skip = "cannot read the file";
    return std::vector<float>{};
  }
  std::span<const std::uint8_t> span(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                     bytes.size());
  StatusOr<ImageInfo> info = ProbeImage(span);
  if (!info.ok()) {
    *skip = info.status().message();
    return std::vector<float>{};
  }
  DecodeOptions options;
  options.min_long_side = kCelebrityDecodeSide;
  StatusOr<DecodedImage> image = DecodeImage(span, *info, options);
  if (!image.ok()) {
    *skip = image.status().message();
    return std::vector<float>{};
  }
  return EnrollPortrait(detector, embedder, *image, skip);
}

StatusOr<std::vector<Category::Celebrity>> RecognizeCelebrities(
    const std::vector<FaceBox>& faces, const DecodedImage& image, const FaceEmbedder& embedder,
    const gallery::CelebrityMatcher& matcher) {
  std::map<std::string, std::pair<double, Category::Celebrity>> best;  // name -> (similarity, c)
  for (const FaceBox& f : faces) {
    if (std::min(f.box.w, f.box.h) < kMinRecognizedFace) continue;
    OCULAR_ASSIGN_OR_RETURN(std::vector<float> e, EmbedFace(embedder, image, f));
    std::optional<gallery::FaceMatch> m = matcher.Match(e);
    if (!m) continue;
    auto it = best.find(m->name);
    if (it == best.end() || m->similarity > it->second.first) {
      best[m->name] = {m->similarity, Category::Celebrity{m->name, m->confidence, f.box}};
    }
  }
  std::vector<Category::Celebrity> out;
  for (auto& [name, v] : best) out.push_back(std::move(v.second));
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.confidence > b.confidence; });
  return out;
}

}  // namespace ocular
