// Brands evaluation (docs/accuracy.md "Galleries", Brands): runs the product Brands analyzer
// (Engine, API 3.2, SIFT + the colour/silhouette path of brand_shape.h) with a gallery folder on
// every image of the given folders, and prints one line per image that has a brand:
//   <file>\t<Name>(confidence)[x,y,w,h] ...
// then the totals. Expected brands (from the shared image names): logo_mcdonalds_* ->
// McDonald's, sports_baseball_nikon (and its COCO copy 000000000544) -> Nikon; every other brand
// counts as false.
// --near X additionally prints, per image, the shape-path components scoring >= X (below the
// shipped threshold too) for every shape model of the gallery: the margin of that threshold.
//   brands_eval --galleries DIR [--near X] [--gate] IMAGE_DIR...
// Exit status 0; 1 on a setup error; with --gate (the CTest accuracy.brands) 3 when an expected
// brand is missed or any false brand is returned, 77 (skipped) when DIR has no .index or an
// IMAGE_DIR is missing. Reads the images only; writes nothing.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "analyzers/galleries/brand_shape.h"
#include "analyzers/engine.h"
#include "analyzers/galleries/gallery_holder.h"
#include "analyzers/galleries/gallery_index.h"
#include "bench_files.h"

namespace fs = std::filesystem;
using namespace ocular;

namespace {

std::string Expected(const std::string& file) {
  if (file.starts_with("logo_mcdonalds_")) return "McDonald's";
  if (file.starts_with("sports_baseball_nikon")) return "Nikon";
  // The same bytes as sports_baseball_nikon.jpg (MANIFEST.tsv: COCO train2017 000000000544).
  if (file == "000000000544.jpg") return "Nikon";
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  std::string galleries;
  double near = -1;
  bool gate = false;
  std::vector<fs::path> dirs;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--galleries" && i + 1 < argc) {
      galleries = argv[++i];
    } else if (a == "--gate") {
      gate = true;
    } else if (a == "--near" && i + 1 < argc) {
      near = std::stod(argv[++i]);
    } else {
      dirs.push_back(a);
    }
  }
  if (galleries.empty() || dirs.empty()) {
    std::cerr << "usage: brands_eval --galleries DIR [--near X] IMAGE_DIR...\n";
    return 1;
  }
  if (gate) {
    bool missing = !fs::exists(fs::path(galleries) / ".index");
    for (const fs::path& d : dirs) missing = missing || !fs::is_directory(d);
    if (missing) return std::cout << "skipped: no gallery index or image folder\n", 77;
  }
  EngineOptions eo;
  eo.galleries_dir = galleries;
  eo.model_repo = "/nonexistent";  // brands need no model
  StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(eo);
  if (!engine.ok()) {
    std::cerr << "engine: " << engine.status().ToString() << "\n";
    return 1;
  }
  StatusOr<gallery::GalleryIndex> index = gallery::ReadIndexFile(galleries);
  if (!index.ok()) {
    std::cerr << "gallery: " << index.status().ToString() << "\n";
    return 1;
  }
  const auto shapes = gallery::BrandShapes(*index);
  for (const auto& [name, m] : shapes) {
    std::cout << "# shape model: " << name << " solidity " << m.solidity << " elongation "
              << m.elongation << "\n";
  }
  int images = 0, expected = 0, found_expected = 0, false_brands = 0, false_images = 0;
  for (const fs::path& dir : dirs) {
    for (const fs::path& f : bench::ImageFiles(dir)) {
      const std::vector<std::uint8_t> bytes = bench::ReadFileBytes(f);
      AnalysisRequest req;
      req.api = ApiVersion::kV32;
      req.features = {Feature::kBrands};
      StatusOr<AnalysisResult> r = (*engine)->Analyze(bytes, req);
      if (!r.ok()) continue;  // not an image the service decodes (same as a 400)
      ++images;
      const std::string name = f.filename().string();
      const std::string want = Expected(name);
      if (!want.empty()) ++expected;
      std::ostringstream line;
      bool hit = false, wrong = false;
      for (const Brand& b : r->brands.value_or(std::vector<Brand>{})) {
        line << " " << b.name << "(" << std::fixed << std::setprecision(2) << b.confidence << ")["
             << b.box.x << "," << b.box.y << "," << b.box.w << "," << b.box.h << "]";
        if (b.name == want) {
          hit = true;
        } else {
          ++false_brands;
          wrong = true;
        }
      }
      if (hit) ++found_expected;
      if (wrong) ++false_images;
      if (near >= 0 && !shapes.empty()) {
        cv::Mat img = cv::imread(f.string(), cv::IMREAD_COLOR);
        StatusOr<gallery::ShapeQuery> q =
            img.empty() ? StatusOr<gallery::ShapeQuery>(InvalidArgument("undecodable"))
                        : gallery::PrepareShapeQuery(img);
        for (const auto& [sname, model] : shapes) {
          if (!q.ok()) break;
          StatusOr<std::vector<gallery::ShapeHit>> h = gallery::FindShape(*q, model, near);
          if (!h.ok()) continue;
          for (const gallery::ShapeHit& s : *h) {
            line << " [near " << sname << " " << std::fixed << std::setprecision(3) << s.score
                 << "]";
          }
        }
      }
      const std::string text = line.str();
      if (!text.empty() || !want.empty()) {
        std::cout << name << "\t" << (want.empty() ? "" : "expect " + want + ":") << text << "\n";
      }
    }
  }
  std::cout << "images " << images << ", expected brands found " << found_expected << "/"
            << expected << ", false brands " << false_brands << " (on " << false_images
            << " images)\n";
  if (gate && (found_expected < expected || false_brands > 0)) return 3;
  return 0;
}
