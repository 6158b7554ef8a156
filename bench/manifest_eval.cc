// Checks the MANIFEST `expect` entries of shared/testdata/images that the vision features cover,
// through the CLI in both API shapes: it runs
//   ocular analyze --api 3.2 --features Tags,Objects,Faces,Adult,Color,ImageType --output jsonl DIR
//   ocular analyze --api 4.0 --features tags,objects,people --output jsonl DIR
// and reads their JSON, exactly what a user gets.
//
//   manifest_eval [--ocular BIN] [--images DIR] [--models DIR] [--detector TIER]
//                 [--min-hit-rate PCT] [--quiet]
// --detector: the object detector tier (`ocular analyze --detector`); default: ocular's default.
//
// Covered expectations (v3.2 JSON): faces=N, faces>=N (faces); object:X, object:X>=N (objects at
// the default threshold; "tie(bow ties)" means tie); grayscale, black and white (color.isBWImg or
// the "black and white" tag); outdoor, indoor, street, food, scene:X, sport:X (tags); line
// drawing (imageType.lineDrawingType); clipart, cartoon/clipart, clipart/graphic
// (imageType.clipArtType >= 2); and no image may be flagged adult or racy. Everything else
// (formats, landmarks, logos, text, ...) belongs to other features and is skipped. The object
// and tag expectations are checked again on the 4.0 JSON (objectsResult, tagsResult), which must
// agree with v3.2 (one engine behind both writers).
//
// Prints one row per covered expectation (image, expectation, ok/MISS, what was found), then the
// v3.2 hit rate and the number of 4.0 rows that disagree. Exit status: 0; 1 when the CLI fails;
// 3 when --min-hit-rate is given and not reached, or when a 4.0 row disagrees (a CTest gate);
// 77 (skipped) when DIR has no MANIFEST.tsv.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string Trim(std::string s) {
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// Runs `command` and returns each JSONL result by image file name; false when it fails.
bool RunCli(const std::string& command, std::map<std::string, json>* out) {
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return false;
  std::string text;
  char buf[65536];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) text.append(buf, n);
  const int status = pclose(p);
  std::stringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("source")) continue;
    (*out)[fs::path(j["source"].get<std::string>()).filename().string()] = j;
  }
  // Exit 2 = some images were refused (corrupt/unsupported): still a usable run.
  return status != -1 && WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 2);
}

// The analysis result of one image, or null when the image got an error.
const json* Result(const std::map<std::string, json>& runs, const std::string& file) {
  auto it = runs.find(file);
  if (it == runs.end() || !it->second.contains("result")) return nullptr;
  return &it->second["result"];
}

std::vector<std::string> TagsV32(const json& r) {
  std::vector<std::string> v;
  for (const json& t : r.value("tags", json::array())) v.push_back(t.value("name", ""));
  return v;
}
std::vector<std::string> TagsV40(const json& r) {
  std::vector<std::string> v;
  for (const json& t : r.value("tagsResult", json::object()).value("values", json::array())) {
    v.push_back(t.value("name", ""));
  }
  return v;
}
int ObjectsV32(const json& r, const std::string& name) {
  int n = 0;
  for (const json& o : r.value("objects", json::array())) n += o.value("object", "") == name;
  return n;
}
int ObjectsV40(const json& r, const std::string& name) {
  int n = 0;
  for (const json& o : r.value("objectsResult", json::object()).value("values", json::array())) {
    const json tags = o.value("tags", json::array());
    n += !tags.empty() && tags[0].value("name", "") == name;
  }
  return n;
}
bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::string images = "/work/shared/testdata/images", models = "models", ocular = "build/ocular";
  std::string detector;
  double min_hit_rate = -1;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quiet") quiet = true;
    if (i + 1 >= argc) break;
    if (a == "--images") images = argv[i + 1];
    if (a == "--models") models = argv[i + 1];
    if (a == "--ocular") ocular = argv[i + 1];
    if (a == "--detector") detector = argv[i + 1];
    if (a == "--min-hit-rate") min_hit_rate = std::atof(argv[i + 1]);
  }
  if (!fs::exists(fs::path(images) / "MANIFEST.tsv")) {
    std::printf("skipped: no %s\n", (fs::path(images) / "MANIFEST.tsv").c_str());
    return 77;  // CTest SKIP_RETURN_CODE
  }
  const std::string common = " --repo '" + models + "'" +
                             (detector.empty() ? "" : " --detector '" + detector + "'") +
                             " --output jsonl '" + images + "' 2>/dev/null";
  std::map<std::string, json> v32, v40;
  if (!RunCli(ocular + " analyze --api 3.2 --features Tags,Objects,Faces,Adult,Color,ImageType" +
                  common, &v32) ||
      !RunCli(ocular + " analyze --api 4.0 --features tags,objects,people" + common, &v40)) {
    std::fprintf(stderr, "manifest_eval: `%s analyze` failed\n", ocular.c_str());
    return 1;
  }
  std::ifstream manifest(fs::path(images) / "MANIFEST.tsv");
  std::string line;
  std::getline(manifest, line);  // header
  int covered = 0, met = 0, disagree = 0;
  if (!quiet) std::printf("image\texpectation\tresult\tfound\n");
  while (std::getline(manifest, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, '\t');) cols.push_back(c);
    if (cols.size() < 6) continue;
    const std::string file = cols[0];
    const json* r = Result(v32, file);
    const json* r4 = Result(v40, file);
    if (r == nullptr || r4 == nullptr) {
      std::printf("%s\t-\tERROR\tno result from the CLI\n", file.c_str());
      ++covered;
      continue;
    }
    auto check = [&](const std::string& what, bool ok, const std::string& found) {
      ++covered;
      met += ok;
      if (!quiet || !ok) {
        std::printf("%s\t%s\t%s\t%s\n", file.c_str(), what.c_str(), ok ? "ok" : "MISS", found.c_str());
      }
    };
    auto agree = [&](const std::string& what, bool v32_ok, bool v40_ok) {
      if (v32_ok != v40_ok) {
        ++disagree;
        std::printf("%s\t%s\t4.0 DISAGREES\t3.2 %s, 4.0 %s\n", file.c_str(), what.c_str(),
                    v32_ok ? "ok" : "miss", v40_ok ? "ok" : "miss");
      }
    };
    const std::vector<std::string> tags = TagsV32(*r), tags4 = TagsV40(*r4);
    std::stringstream es(cols[5]);
    for (std::string e; std::getline(es, e, ';');) {
      e = Trim(e);
      auto p = e.find('(');
      if (p != std::string::npos && e.rfind("faces", 0) != 0) e = Trim(e.substr(0, p));
      const int faces = r->contains("faces") ? int((*r)["faces"].size()) : -1;
      if (e.rfind("faces=", 0) == 0 || e.rfind("faces>=", 0) == 0) {
        const bool ge = e[5] == '>';
        const int n = std::stoi(e.substr(ge ? 7 : 6));
        check(e, ge ? faces >= n : faces == n, "faces=" + std::to_string(faces));
      } else if (e.rfind("object:", 0) == 0) {
        std::string name = e.substr(7);
        int n = 1;
        if (auto q = name.find(">="); q != std::string::npos) {
          n = std::stoi(name.substr(q + 2));
          name = name.substr(0, q);
        }
        const int got = ObjectsV32(*r, name);
        check(e, got >= n, name + "=" + std::to_string(got));
        agree(e, got >= n, ObjectsV40(*r4, name) >= n);
      } else if (e.rfind("grayscale", 0) == 0 || e == "black and white") {
        const bool bw = r->value("color", json::object()).value("isBWImg", false);
        check(e, bw || Has(tags, "black and white"),
              std::string("isBWImg=") + (bw ? "1" : "0") + " tags=" + Join(tags));
      } else if (e == "outdoor" || e == "indoor" || e == "street" || e == "food" ||
                 e.rfind("scene:", 0) == 0 || e.rfind("sport:", 0) == 0) {
        const std::string word = e.find(':') != std::string::npos ? e.substr(e.find(':') + 1) : e;
        check(e, Has(tags, word), "tags=" + Join(tags));
        agree(e, Has(tags, word), Has(tags4, word));
      } else if (e == "line drawing") {
        const int t = r->value("imageType", json::object()).value("lineDrawingType", -1);
        check(e, t == 1, "lineDrawingType=" + std::to_string(t));
      } else if (e == "clipart" || e == "cartoon/clipart" || e == "clipart/graphic") {
        const int t = r->value("imageType", json::object()).value("clipArtType", -1);
        check(e, t >= 2, "clipArtType=" + std::to_string(t));
      }
    }
    if (r->contains("adult")) {
      const json& a = (*r)["adult"];
      check("safe (not adult, not racy)",
            !a.value("isAdultContent", true) && !a.value("isRacyContent", true),
            "adult=" + std::to_string(a.value("adultScore", -1.0)) +
                " racy=" + std::to_string(a.value("racyScore", -1.0)));
    }
  }
  const double rate = 100.0 * met / std::max(1, covered);
  std::printf("covered\t%d\tmet\t%d\thit rate\t%.1f%%\t4.0 disagreements\t%d\n", covered, met, rate,
              disagree);
  if (disagree > 0 || (min_hit_rate >= 0 && rate < min_hit_rate)) return 3;
  return 0;
}
