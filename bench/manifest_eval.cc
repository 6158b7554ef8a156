// Checks the MANIFEST `expect` entries of shared/testdata/images that the vision features cover,
// by running the engine (both API shapes' features) on every listed image.
//
//   manifest_eval [--images DIR] [--models DIR] [--debug]
//
// Covered expectations: faces=N, faces>=N (v3.2 faces); object:X, object:X>=N (objects at the
// default threshold; "tie(bow ties)" means tie); grayscale, black and white (colour isBWImg or
// the "black and white" tag); outdoor, indoor, street, food, scene:kitchen, sport:tennis,
// sport:baseball (tags); line drawing (imageType lineDrawingType); clipart, cartoon/clipart,
// clipart/graphic (imageType clipArtType >= 2); and no image may be flagged adult or racy.
// Everything else (formats, landmarks, logos, text, ...) belongs to other features and is
// skipped. Prints one row per covered expectation: image, expectation, ok/MISS, what was found.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "analyzers/engine.h"

namespace fs = std::filesystem;
using namespace ocular;

namespace {

std::string Trim(std::string s) {
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

bool HasTag(const AnalysisResult& r, const std::string& name) {
  if (!r.tags) return false;
  for (const Tag& t : *r.tags) {
    if (t.name == name) return true;
  }
  return false;
}

int CountObjects(const AnalysisResult& r, const std::string& name) {
  int n = 0;
  if (r.objects) {
    for (const DetectedObject& o : *r.objects) n += o.name == name;
  }
  return n;
}

std::string TagList(const AnalysisResult& r) {
  std::string s;
  if (r.tags) {
    for (const Tag& t : *r.tags) s += (s.empty() ? "" : ",") + t.name;
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::string images = "/work/shared/testdata/images", models = "models";
  bool debug = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--debug") debug = true;
    if (i + 1 >= argc) break;
    if (std::string(argv[i]) == "--images") images = argv[i + 1];
    if (std::string(argv[i]) == "--models") models = argv[i + 1];
  }
  EngineOptions eo;
  eo.model_repo = models;
  auto engine = Engine::Create(eo);
  if (!engine.ok()) return std::fprintf(stderr, "%s\n", engine.status().message().c_str()), 1;
  std::ifstream manifest(fs::path(images) / "MANIFEST.tsv");
  std::string line;
  std::getline(manifest, line);  // header
  int covered = 0, met = 0;
  std::printf("image\texpectation\tresult\tfound\n");
  while (std::getline(manifest, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string c;
    while (std::getline(ss, c, '\t')) cols.push_back(c);
    if (cols.size() < 6) continue;
    const std::string file = cols[0];
    std::ifstream in(fs::path(images) / file, std::ios::binary);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    AnalysisRequest req;
    req.api = ApiVersion::kV32;
    req.features = {Feature::kTags, Feature::kObjects, Feature::kFaces, Feature::kAdult,
                    Feature::kColor, Feature::kImageType};
    auto r = (*engine)->Analyze(bytes, req);
    if (!r.ok()) {
      std::printf("%s\t-\tERROR\t%s\n", file.c_str(), r.status().message().c_str());
      continue;
    }
    if (debug && r->objects) {
      std::string objs;
      for (const DetectedObject& o : *r->objects) {
        objs += o.name + ":" + std::to_string(o.confidence).substr(0, 4) + " ";
      }
      std::printf("# %s %dx%d objects: %s\n", file.c_str(), r->image.width, r->image.height,
                  objs.c_str());
    }
    auto check = [&](const std::string& what, bool ok, const std::string& found) {
      ++covered;
      met += ok;
      std::printf("%s\t%s\t%s\t%s\n", file.c_str(), what.c_str(), ok ? "ok" : "MISS", found.c_str());
    };
    std::stringstream es(cols[5]);
    std::string e;
    while (std::getline(es, e, ';')) {
      e = Trim(e);
      auto p = e.find('(');
      if (p != std::string::npos && e.rfind("faces", 0) != 0) e = Trim(e.substr(0, p));
      int faces = r->faces ? int(r->faces->size()) : -1;
      if (e.rfind("faces=", 0) == 0 || e.rfind("faces>=", 0) == 0) {
        bool ge = e[5] == '>';
        int n = std::stoi(e.substr(ge ? 7 : 6));
        check(e, ge ? faces >= n : faces == n, "faces=" + std::to_string(faces));
      } else if (e.rfind("object:", 0) == 0) {
        std::string name = e.substr(7);
        int n = 1;
        if (auto q = name.find(">="); q != std::string::npos) {
          n = std::stoi(name.substr(q + 2));
          name = name.substr(0, q);
        }
        int got = CountObjects(*r, name);
        check(e, got >= n, name + "=" + std::to_string(got));
      } else if (e.rfind("grayscale", 0) == 0 || e == "black and white") {
        bool bw = (r->color && r->color->is_bw) || HasTag(*r, "black and white");
        check(e, bw, std::string("isBWImg=") + (r->color && r->color->is_bw ? "1" : "0") +
                         " tags=" + TagList(*r));
      } else if (e == "outdoor" || e == "indoor" || e == "street" || e == "food") {
        check(e, HasTag(*r, e), "tags=" + TagList(*r));
      } else if (e.rfind("scene:", 0) == 0 || e.rfind("sport:", 0) == 0) {
        check(e, HasTag(*r, e.substr(6)), "tags=" + TagList(*r));
      } else if (e == "line drawing") {
        check(e, r->image_type && r->image_type->line_drawing_type == 1,
              "lineDrawingType=" + std::to_string(r->image_type ? r->image_type->line_drawing_type : -1));
      } else if (e == "clipart" || e == "cartoon/clipart" || e == "clipart/graphic") {
        check(e, r->image_type && r->image_type->clip_art_type >= 2,
              "clipArtType=" + std::to_string(r->image_type ? r->image_type->clip_art_type : -1));
      }
    }
    if (r->adult) {
      check("safe (not adult, not racy)", !r->adult->is_adult && !r->adult->is_racy,
            "adult=" + std::to_string(r->adult->adult_score) +
                " racy=" + std::to_string(r->adult->racy_score));
    }
  }
  std::printf("covered\t%d\tmet\t%d\thit rate\t%.1f%%\n", covered, met,
              100.0 * met / std::max(1, covered));
  return 0;
}
