// Genuine/impostor face similarity on the shared test photos, for choosing the celebrity
// embedder and threshold (docs/accuracy.md, "Celebrities").
//
//   celebrity_eval [--models DIR] [--embedder mobilefacenet|faceres]... [--zoom Z]...
//                  [--min-face PX] [--list] [DIR]
//
// Every face the detector finds in DIR (default /work/shared/testdata/images) is aligned and
// embedded. Identities: the face in portrait_obama.jpg and the left-most face of
// faces_two_people.jpg (the photo shows Obama left, Biden right) are "obama"; the faces of the
// Grace Hopper photos (format_hopper.*, format_exif_orientation6.jpg; one photo in four encodings)
// are "hopper"; every other face is its own identity. Genuine pairs: same identity in
// different files; impostor pairs: all other pairs of faces. Printed per embedder and zoom: the
// genuine similarities, the impostor distribution (max, quantiles, the closest pairs), FAR and
// FRR over a range of thresholds, and the gallery run: portrait_obama.jpg and format_hopper.bmp
// enrolled, every face of every other file matched (best name, similarity).
// Faces smaller than --min-face (default kMinRecognizedFace) are left out, as the analyzer does.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "analyzers/galleries/celebrity_faces.h"
#include "analyzers/galleries/face_embedder.h"
#include "analyzers/vision/vision.h"
#include "bench_files.h"
#include "core/image.h"
#include "runtime/model_repository.h"

namespace fs = std::filesystem;
using namespace ocular;

namespace {

struct Face {
  std::string file;
  std::string identity;
  FaceBox box;
  std::vector<float> embedding;
};

std::string Str(const Rect& r) {
  return std::to_string(r.x) + "," + std::to_string(r.y) + "," + std::to_string(r.w) + "x" +
         std::to_string(r.h);
}

bool IsHopper(const std::string& f) {
  return f.rfind("format_hopper.", 0) == 0 || f == "format_exif_orientation6.jpg";
}

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * double(v.size() - 1) + 0.5)];
}

}  // namespace

int main(int argc, char** argv) {
  std::string models = "models", dir = "/work/shared/testdata/images";
  std::vector<std::string> embedders;
  std::vector<double> zooms;
  int min_face = kMinRecognizedFace;
  bool list = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--models" && i + 1 < argc)
      models = argv[++i];
    else if (a == "--embedder" && i + 1 < argc)
      embedders.push_back(argv[++i]);
    else if (a == "--zoom" && i + 1 < argc)
      zooms.push_back(std::stod(argv[++i]));
    else if (a == "--min-face" && i + 1 < argc)
      min_face = std::stoi(argv[++i]);
    else if (a == "--list")
      list = true;
    else
      dir = a;
  }
  if (embedders.empty()) embedders = {"mobilefacenet", "faceres"};
  if (zooms.empty()) zooms = {1.0};
  auto repo = runtime::ModelRepository::Open(models);
  if (!repo.ok()) return std::fprintf(stderr, "%s\n", repo.status().message().c_str()), 1;
  auto detector = FaceDetector::Create(repo->get());
  if (!detector.ok()) return std::fprintf(stderr, "%s\n", detector.status().message().c_str()), 1;

  // Decode and detect once.
  struct Image {
    std::string file;
    DecodedImage image;
    std::vector<FaceBox> faces;
  };
  std::vector<Image> images;
  for (const fs::path& f : bench::ImageFiles(dir)) {
    const std::vector<std::uint8_t> bytes = bench::ReadFileBytes(f);
    std::span<const std::uint8_t> span(bytes);
    auto info = ProbeImage(span);
    if (!info.ok()) continue;
    DecodeOptions opt;
    opt.min_long_side = kCelebrityDecodeSide;
    auto img = DecodeImage(span, *info, opt);
    if (!img.ok()) continue;
    auto faces = (*detector)->Detect(img->bgr, img->info.width, img->info.height);
    if (!faces.ok()) return std::fprintf(stderr, "%s\n", faces.status().message().c_str()), 1;
    images.push_back({f.filename().string(), std::move(*img), std::move(*faces)});
  }

  for (const std::string& model : embedders) {
    for (double zoom : zooms) {
      FaceEmbedderOptions eo;
      eo.model = model;
      eo.zoom = zoom;
      auto embedder = FaceEmbedder::Create(repo->get(), eo);
      if (!embedder.ok()) {
        std::fprintf(stderr, "%s\n", embedder.status().message().c_str());
        continue;
      }
      std::vector<Face> faces;
      int small = 0;
      for (const Image& im : images) {
        // The left-most face of faces_two_people.jpg is Obama (Biden stands right).
        int obama = -1;
        if (im.file == "faces_two_people.jpg") {
          for (std::size_t k = 0; k < im.faces.size(); ++k) {
            if (obama < 0 || im.faces[k].box.x < im.faces[static_cast<std::size_t>(obama)].box.x) {
              obama = static_cast<int>(k);
            }
          }
        }
        for (std::size_t k = 0; k < im.faces.size(); ++k) {
          const FaceBox& fb = im.faces[k];
          if (std::min(fb.box.w, fb.box.h) < min_face) {
            ++small;
            continue;
          }
          auto e = EmbedFace(**embedder, im.image, fb);
          if (!e.ok()) return std::fprintf(stderr, "%s\n", e.status().message().c_str()), 1;
          std::string id = im.file + "#" + std::to_string(k);
          if (im.file == "portrait_obama.jpg" || static_cast<int>(k) == obama) id = "obama";
          if (IsHopper(im.file)) id = "hopper";
          faces.push_back({im.file, id, fb, std::move(*e)});
        }
      }
      std::printf("== embedder %s (%d-d), zoom %.2f: %zu faces >= %d px (%d smaller left out)\n",
                  model.c_str(), (*embedder)->dim(), zoom, faces.size(), min_face, small);
      std::vector<double> genuine, impostor, cross;  // cross: impostors from different files
      std::vector<std::pair<double, std::string>> closest;
      for (std::size_t i = 0; i < faces.size(); ++i) {
        for (std::size_t j = i + 1; j < faces.size(); ++j) {
          const double s = CosineSimilarity(faces[i].embedding, faces[j].embedding);
          const bool same = faces[i].identity == faces[j].identity;
          if (same && faces[i].file == faces[j].file) continue;
          const std::string pair = faces[i].file + " " + Str(faces[i].box.box) + " ~ " +
                                   faces[j].file + " " + Str(faces[j].box.box);
          if (same) {
            genuine.push_back(s);
            std::printf("genuine\t%.4f\t%s\t%s\n", s, faces[i].identity.c_str(), pair.c_str());
          } else {
            impostor.push_back(s);
            if (faces[i].file != faces[j].file) cross.push_back(s);
            closest.push_back({s, pair});
          }
        }
      }
      std::sort(closest.rbegin(), closest.rend());
      std::printf("impostor pairs %zu: max %.4f, p99.9 %.4f, p99 %.4f, p95 %.4f, median %.4f\n",
                  impostor.size(), Quantile(impostor, 1.0), Quantile(impostor, 0.999),
                  Quantile(impostor, 0.99), Quantile(impostor, 0.95), Quantile(impostor, 0.5));
      std::printf(
          "impostor pairs from different files %zu: max %.4f, p99 %.4f, p95 %.4f, "
          "median %.4f\n",
          cross.size(), Quantile(cross, 1.0), Quantile(cross, 0.99), Quantile(cross, 0.95),
          Quantile(cross, 0.5));
      for (std::size_t k = 0; k < closest.size() && k < 5; ++k) {
        std::printf("closest impostor\t%.4f\t%s\n", closest[k].first, closest[k].second.c_str());
      }
      std::printf("threshold\tFAR (all impostor pairs)\tFAR (different files)\tFRR\n");
      std::vector<double> thresholds;
      for (int k = 30; k <= 80; k += 5) thresholds.push_back(k / 100.0);
      thresholds.push_back(gallery::kCelebrityThreshold);
      std::sort(thresholds.begin(), thresholds.end());
      for (double t : thresholds) {
        std::size_t fa = 0, fc = 0, fr = 0;
        for (double s : impostor) fa += s >= t;
        for (double s : cross) fc += s >= t;
        for (double s : genuine) fr += s < t;
        std::printf("%.2f%s\t%zu/%zu\t%zu/%zu\t%zu/%zu\n", t,
                    t == gallery::kCelebrityThreshold ? " (shipped)" : "", fa, impostor.size(), fc,
                    cross.size(), fr, genuine.size());
      }
      // Gallery run: two enrolled faces, every face of every other file matched.
      std::vector<std::pair<std::string, std::vector<float>>> gallery;
      for (const Face& f : faces) {
        if (f.file == "portrait_obama.jpg") gallery.push_back({"Obama", f.embedding});
        if (f.file == "format_hopper.bmp") gallery.push_back({"Hopper", f.embedding});
      }
      std::printf("gallery run (enrolled: portrait_obama.jpg, format_hopper.bmp)\n");
      for (const Face& f : faces) {
        if (f.file == "portrait_obama.jpg" || f.file == "format_hopper.bmp") continue;
        double best = -1;
        std::string name;
        for (const auto& [n, e] : gallery) {
          double s = CosineSimilarity(f.embedding, e);
          if (s > best) best = s, name = n;
        }
        const bool genuine_face = f.identity == "obama" || f.identity == "hopper";
        if (list || genuine_face || best >= gallery::kCelebrityThreshold) {
          std::printf("%s\t%s\tbest %s %.4f\t%s\t%s\n", f.file.c_str(), Str(f.box.box).c_str(),
                      name.c_str(), best, genuine_face ? "genuine" : "impostor",
                      best >= gallery::kCelebrityThreshold ? "MATCH" : "-");
        }
      }
    }
  }
  return 0;
}
