// Decode cost of the decompression bombs (bench/bombs/make_bombs.py) without models: per file,
// ProbeImage + CheckDimensions + DecodeImage as the engine calls them for the vision features
// (min_long_side 1024, the largest any vision analyzer asks for) and for read (full resolution),
// each under the default pixel budget when the library has one. Prints seconds, the decoded
// size and the process's peak RSS growth during the decode (VmHWM, reset through
// /proc/self/clear_refs before each). Built against the current tree by CMake, and by hand
// against an older checkout for before/after tables (docs/reliability.md).
//
// Usage: decode_bench FILE...
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/image.h"

namespace {

long PeakRssKb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

long RssKb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

void ResetPeak() { std::ofstream("/proc/self/clear_refs") << "5"; }

// The default budget of EngineOptions, where DecodeOptions has the field (generic lambda: an
// older tree without it still compiles).
constexpr long long kBudget = 12'000'000;
const auto SetBudget = [](auto& options) {
  if constexpr (requires { options.max_pixels; }) options.max_pixels = kBudget;
};

}  // namespace

int main(int argc, char** argv) {
  std::printf("file\tbytes\tuse\tstatus\tdecoded\tseconds\tpeak_rss_growth_mb\n");
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                          std::istreambuf_iterator<char>());
    for (const char* use : {"vision", "read"}) {
      ocular::DecodeOptions options;
      options.min_long_side = std::string(use) == "vision" ? 1024 : 0;
      SetBudget(options);
      ResetPeak();
      const long base = RssKb();
      const auto t0 = std::chrono::steady_clock::now();
      std::string status = "ok", decoded = "-";
      auto info = ocular::ProbeImage(bytes);
      if (info.ok()) {
        const ocular::Status limits =
            ocular::CheckDimensions(*info, ocular::ImageLimits::ForApi(ocular::ApiVersion::kV40));
        if (!limits.ok()) {
          status = limits.ToString();
        } else {
          auto image = ocular::DecodeImage(bytes, *info, options);
          if (image.ok()) {
            decoded = std::to_string(image->bgr.cols) + "x" + std::to_string(image->bgr.rows);
          } else {
            status = image.status().ToString();
          }
        }
      } else {
        status = info.status().ToString();
      }
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::printf("%s\t%zu\t%s\t%s\t%s\t%.3f\t%.0f\n", argv[i], bytes.size(), use, status.c_str(),
                  decoded.c_str(), s, (PeakRssKb() - base) / 1024.0);
    }
  }
  return 0;
}
