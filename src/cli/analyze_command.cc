// `ocular analyze PATH|URL|FOLDER... [options]`: runs the same api::Service the HTTP server runs,
// in-process, so the JSON printed is exactly the JSON the API returns for that API version.
//
// Output: one input -> the response body as pretty JSON (--output json, the default for one
// input). Several inputs or a folder -> JSONL, one line per image:
//   {"source":"<path or url>","status":200,"result":{...API body...}}
//   {"source":"...","status":400,"error":{...Azure error...}}
// Batch across machines: --shard K/N and --skip-done FILE (cli/batch_select.h).
// Exit codes: 0 all succeeded; 2 usage error; 3 some input failed; 1 the engine failed to start.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "api/service.h"
#include "cli/batch_select.h"
#include "cli/command.h"
#include "cli/common_options.h"
#include "cli/gallery_options.h"
#include "server/url_fetcher.h"

namespace ocular::cli {

namespace {

namespace fs = std::filesystem;

struct AnalyzeOptions {
  std::vector<std::string> inputs;
  std::string api = "4.0";         // 4.0 or 3.2
  std::string features;            // CSV; empty = the API's default (see AddOptions)
  std::string details;             // v3.2 details (Celebrities,Landmarks)
  std::string language = "en";
  std::string model_version = "latest";
  std::string output;              // json | jsonl; empty = json for one input, jsonl for more
  bool gender_neutral = false;
  std::string aspect_ratios;       // 4.0 smartcrops-aspect-ratios
  std::string repo;
  std::string galleries;           // --galleries (cli/gallery_options.h)
  bool enable_celebrities = false;
  std::string detector;  // --detector (common_options.h)
  long long max_decode_pixels = 12'000'000;  // AddMaxDecodePixelsOption
  std::vector<std::string> allow_cidrs;
  std::string shard;      // "K/N": only the inputs at sorted positions K mod N; "" = all
  std::string skip_done;  // JSONL file of an earlier run: skip the sources it already has
};

// Folder enumeration takes these extensions (the format itself is always read from the bytes).
bool LooksLikeImageFile(const fs::path& p) {
  static const std::set<std::string> kExt = {".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".gif",
                                             ".bmp", ".dib", ".webp", ".tif", ".tiff", ".ico",
                                             ".mpo"};
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  return kExt.count(ext) > 0;
}

bool IsUrl(const std::string& s) { return s.starts_with("http://") || s.starts_with("https://"); }

// Expands folders (sorted, non-recursive) into their image files.
std::vector<std::string> ExpandInputs(const std::vector<std::string>& inputs, std::string* error) {
  std::vector<std::string> out;
  for (const std::string& in : inputs) {
    std::error_code ec;
    if (!IsUrl(in) && fs::is_directory(in, ec)) {
      std::vector<std::string> files;
      for (const auto& entry : fs::directory_iterator(in, ec)) {
        if (entry.is_regular_file() && LooksLikeImageFile(entry.path())) {
          files.push_back(entry.path().string());
        }
      }
      std::sort(files.begin(), files.end());
      out.insert(out.end(), files.begin(), files.end());
    } else if (!IsUrl(in) && !fs::exists(in, ec)) {
      *error = "no such file or folder: " + in;
      return {};
    } else {
      out.push_back(in);
    }
  }
  return out;
}

std::string UrlEncodeComponent(const std::string& s) {
  std::ostringstream out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ',') {
      out << c;
    } else {
      out << '%' << "0123456789ABCDEF"[c >> 4] << "0123456789ABCDEF"[c & 15];
    }
  }
  return out.str();
}

// The 4.0 features this server can compute now (the default of --features for 4.0).
std::string AvailableV40Features(const api::Service& service) {
  static const std::pair<Feature, const char*> kV40[] = {
      {Feature::kTags, "tags"},       {Feature::kCaption, "caption"},
      {Feature::kDenseCaptions, "denseCaptions"}, {Feature::kObjects, "objects"},
      {Feature::kRead, "read"},       {Feature::kSmartCrops, "smartCrops"},
      {Feature::kPeople, "people"}};
  std::map<Feature, std::string> status = service.FeatureStatus();
  std::string out;
  for (const auto& [f, name] : kV40) {
    if (status[f] != "ok") continue;
    if (!out.empty()) out += ",";
    out += name;
  }
  return out;
}

// The route and query string the options stand for.
void BuildRoute(const AnalyzeOptions& o, std::string* path, std::string* query) {
  auto add = [&](const std::string& name, const std::string& value) {
    if (value.empty()) return;
    if (!query->empty()) *query += "&";
    *query += name + "=" + UrlEncodeComponent(value);
  };
  std::string lower = o.features;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  if (o.api == "3.2") {
    if (lower == "ocr") {
      *path = "/vision/v3.2/ocr";
      add("language", o.language == "en" ? "unk" : o.language);
      add("detectOrientation", "true");
    } else {
      *path = "/vision/v3.2/analyze";
      add("visualFeatures", o.features);
      add("details", o.details);
      add("language", o.language);
    }
  } else {
    *path = "/computervision/imageanalysis:analyze";
    add("api-version", "2023-10-01");
    add("features", o.features);
    add("language", o.language);
    if (o.gender_neutral) add("gender-neutral-caption", "true");
    add("smartcrops-aspect-ratios", o.aspect_ratios);
  }
  add("model-version", o.model_version);
}

std::string NewRequestId() {
  static std::atomic<unsigned> counter{0};
  char buf[40];
  std::snprintf(buf, sizeof(buf), "00000000-0000-4000-8000-%012x", counter.fetch_add(1) + 1);
  return buf;
}

// Reads a local file fully into memory.
bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  *out = ss.str();
  return true;
}

void DrawProgress(size_t done, size_t total, size_t failed) {
  const int width = 30;
  int filled = total ? static_cast<int>(width * done / total) : width;
  std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, '.') << "] "
            << done << "/" << total;
  if (failed) std::cerr << " (" << failed << " failed)";
  std::cerr << std::flush;
  if (done == total) std::cerr << "\n";
}

int Run(const AnalyzeOptions& o) {
  if (o.api != "4.0" && o.api != "3.2") {
    std::cerr << "ocular analyze: --api must be 4.0 or 3.2\n";
    return kExitUsage;
  }
  if (!o.output.empty() && o.output != "json" && o.output != "jsonl") {
    std::cerr << "ocular analyze: --output must be json or jsonl\n";
    return kExitUsage;
  }
  std::string error;
  std::vector<std::string> inputs = ExpandInputs(o.inputs, &error);
  if (!error.empty()) {
    std::cerr << "ocular analyze: " << error << "\n";
    return kExitUsage;
  }
  if (inputs.empty()) {
    std::cerr << "ocular analyze: no image files found in the given folders\n";
    return kExitUsage;
  }
  if (!o.shard.empty()) {
    StatusOr<Shard> shard = ParseShard(o.shard);
    if (!shard.ok()) {
      std::cerr << "ocular analyze: " << shard.status().message() << "\n";
      return kExitUsage;
    }
    inputs = SelectShard(std::move(inputs), *shard);
  }
  if (!o.skip_done.empty()) {
    StatusOr<std::set<std::string>> done = ReadDoneSources(o.skip_done);
    if (!done.ok()) {
      std::cerr << "ocular analyze: " << done.status().message() << "\n";
      return kExitUsage;
    }
    std::erase_if(inputs, [&](const std::string& s) { return done->count(s) > 0; });
  }
  if (inputs.empty()) return kExitOk;  // this shard has nothing (left) to do
  server::UrlFetchOptions fetch;
  StatusOr<server::AddressPolicy> policy = server::AddressPolicy::FromStrings(o.allow_cidrs);
  if (!policy.ok()) {
    std::cerr << "ocular analyze: " << policy.status().message() << "\n";
    return kExitUsage;
  }
  fetch.policy = *policy;
  api::ServiceOptions service_options;
  service_options.model_repo = o.repo;
  service_options.galleries_dir = o.galleries;
  service_options.enable_celebrities = o.enable_celebrities;
  service_options.detector = o.detector;
  service_options.max_decode_pixels = o.max_decode_pixels;
  service_options.fetcher = server::MakeUrlFetcher(fetch);
  StatusOr<std::unique_ptr<api::Service>> service = api::Service::Create(service_options);
  if (!service.ok()) {
    std::cerr << "ocular analyze: " << service.status().ToString() << "\n";
    return kExitFailure;
  }
  AnalyzeOptions resolved = o;
  if (o.api == "4.0" && o.features.empty()) {
    resolved.features = AvailableV40Features(**service);
    if (resolved.features.empty()) {
      std::cerr << "ocular analyze: no 4.0 feature is available: the models are not installed in '"
                << o.repo << "' (run scripts/setup.sh). Model-free features: --api 3.2 "
                   "--features Color,ImageType\n";
      return kExitFailure;
    }
  }
  std::string path, query;
  BuildRoute(resolved, &path, &query);
  // Batch runs (--shard, --skip-done) always write JSONL: their outputs are concatenated.
  const bool jsonl = o.output == "jsonl" ||
                     (o.output.empty() && (inputs.size() > 1 || !o.shard.empty() ||
                                           !o.skip_done.empty()));
  const bool progress = inputs.size() > 1 && isatty(STDERR_FILENO);
  size_t failed = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string& source = inputs[i];
    api::Request req;
    req.method = "POST";
    req.path = path;
    req.query = query;
    req.request_id = NewRequestId();
    if (IsUrl(source)) {
      req.headers["content-type"] = "application/json";
      req.body = nlohmann::json{{"url", source}}.dump();
    } else {
      req.headers["content-type"] = "application/octet-stream";
      if (!ReadFile(source, &req.body)) {
        std::cerr << "ocular analyze: cannot read " << source << "\n";
        ++failed;
        continue;
      }
    }
    api::Response resp = (*service)->Handle(req);
    nlohmann::json body = nlohmann::json::parse(resp.body, nullptr, false);
    bool ok = resp.status == 200;
    if (!ok) ++failed;
    if (jsonl) {
      nlohmann::json line = {{"source", source}, {"status", resp.status}};
      if (ok) {
        line["result"] = body;
      } else {
        line["error"] = body.contains("error") ? body["error"] : body;
      }
      std::cout << line.dump() << "\n" << std::flush;
    } else {
      std::cout << body.dump(2) << "\n";
    }
    if (progress) DrawProgress(i + 1, inputs.size(), failed);
  }
  return failed ? kExitInputFailed : kExitOk;
}

CommandRegistrar registrar(
    "analyze", "Analyze images (files, folders or URLs) and print the API's JSON",
    [](CLI::App& cmd) -> RunFn {
      auto o = std::make_shared<AnalyzeOptions>();
      cmd.add_option("inputs", o->inputs, "Image files, folders (their image files) or URLs")
          ->required()
          ->type_name("PATH|URL");
      cmd.add_option("--api", o->api, "Wire format of the output: 4.0 or 3.2")
          ->envname("OCULAR_API")
          ->capture_default_str();
      cmd.add_option("--features", o->features,
                     "Comma-separated features. 4.0: tags, caption, denseCaptions, objects, "
                     "read, smartCrops, people (default: every one whose models are installed). 3.2: Categories, Tags, "
                     "Description, Faces, ImageType, Color, Adult, Objects, Brands (default: "
                     "Categories), or 'ocr' for the /ocr operation")
          ->type_name("LIST");
      cmd.add_option("--details", o->details, "3.2 details: Celebrities,Landmarks")
          ->type_name("LIST");
      cmd.add_option("--language", o->language, "Output language (tags; 3.2 OCR language)")
          ->envname("OCULAR_LANGUAGE")
          ->capture_default_str();
      cmd.add_option("--model-version", o->model_version, "latest or the pack's YYYY-MM-DD")
          ->capture_default_str();
      cmd.add_option("--output", o->output,
                     "json (pretty, one input) or jsonl (one line per image; default for "
                     "several inputs)");
      cmd.add_flag("--gender-neutral-caption", o->gender_neutral,
                   "4.0: gender-neutral captions");
      cmd.add_option("--aspect-ratios", o->aspect_ratios,
                     "4.0 smart-crop aspect ratios, comma-separated, each in [0.75, 1.8]");
      cmd.add_option("--allow-url-cidr", o->allow_cidrs,
                     "Allow fetching URLs that resolve into this CIDR (repeatable; default: "
                     "public addresses only)")
          ->type_name("CIDR");
      cmd.add_option("--shard", o->shard,
                     "Process only the inputs whose position in sorted order is K mod N "
                     "(0 <= K < N; N runs with K = 0..N-1 cover every input once). Default: all")
          ->envname("OCULAR_SHARD")
          ->type_name("K/N");
      cmd.add_option("--skip-done", o->skip_done,
                     "Skip the sources that already have a line in this JSONL file (an earlier "
                     "run's output; a cut-off last line is removed), to resume with >> FILE")
          ->envname("OCULAR_SKIP_DONE")
          ->type_name("FILE");
      AddModelRepoOption(cmd, &o->repo);
      AddMaxDecodePixelsOption(cmd, &o->max_decode_pixels);
      AddGalleriesOption(cmd, &o->galleries);
      AddEnableCelebritiesOption(cmd, &o->enable_celebrities);
      AddDetectorOption(cmd, &o->detector);
      return [o]() { return Run(*o); };
    });

}  // namespace

}  // namespace ocular::cli
