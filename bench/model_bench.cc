// Model benchmark and converter coverage check (issue 3). Reads what tools/reference/bench.js
// wrote (TF.js CPU outputs and TF.js timings per model), converts each model with
// ocular_convert, runs it in ONNX Runtime with 1 and 2 intra-op threads on the same input, and
// prints one Markdown table row per model:
//   model | input | conversion | max abs diff vs TF.js CPU (output range) | pass | ORT 1t | ORT 2t |
//   tfjs-wasm | tfjs-cpu
// exact = max abs diff <= max(1e-3 x the output range, 1e-6) for every output (the golden bar,
// with an absolute floor for near-constant outputs).
//
//   build/ocular_model_bench DIR [RUNS]     (bench/models.sh runs both halves)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <onnxruntime_cxx_api.h>

#include "tools/convert/converter.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<float> ReadFloats(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<float> v(bytes.size() / 4);
  std::memcpy(v.data(), bytes.data(), v.size() * 4);
  return v;
}

std::string Ms(double ms) {
  char b[32];
  std::snprintf(b, sizeof(b), ms < 100 ? "%.1f ms" : "%.0f ms", ms);
  return b;
}

struct OrtRun {
  std::vector<std::vector<float>> outputs;
  double ms = 0;
};

OrtRun RunOrt(Ort::Env& env, const std::string& onnx, int threads, const std::string& in_name,
              std::vector<float>& input, const std::vector<int64_t>& shape,
              const std::vector<std::string>& names, int runs) {
  Ort::SessionOptions so;
  so.SetIntraOpNumThreads(threads);
  so.SetInterOpNumThreads(1);
  Ort::Session s(env, onnx.data(), onnx.size(), so);
  Ort::MemoryInfo mem = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
  Ort::Value x = Ort::Value::CreateTensor<float>(mem, input.data(), input.size(), shape.data(), shape.size());
  const char* in = in_name.c_str();
  std::vector<const char*> outs;
  for (const auto& n : names) outs.push_back(n.c_str());
  OrtRun r;
  auto once = [&] { return s.Run(Ort::RunOptions{nullptr}, &in, &x, 1, outs.data(), outs.size()); };
  std::vector<Ort::Value> first = once();
  for (auto& v : first) {
    auto info = v.GetTensorTypeAndShapeInfo();
    std::vector<float> f(info.GetElementCount());
    if (info.GetElementType() == ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT)
      std::copy_n(v.GetTensorData<float>(), f.size(), f.begin());
    else if (info.GetElementType() == ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32)
      std::transform(v.GetTensorData<int32_t>(), v.GetTensorData<int32_t>() + f.size(), f.begin(),
                     [](int32_t i) { return static_cast<float>(i); });
    r.outputs.push_back(std::move(f));
  }
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < runs; ++i) once();
  r.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / runs;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s TFJS_DIR [RUNS]\n", argv[0]);
    return 2;
  }
  const fs::path dir = argv[1];
  const int runs = argc > 2 ? std::atoi(argv[2]) : 20;
  const fs::path root = OCULAR_SOURCE_DIR;
  std::vector<fs::path> metas;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") metas.push_back(e.path());
  std::sort(metas.begin(), metas.end());
  Ort::Env env(ORT_LOGGING_LEVEL_ERROR, "bench");
  std::printf("| model | input | conversion | max abs diff vs tfjs-cpu (output range) | exact | ORT 1 thread | ORT 2 threads | tfjs-wasm | tfjs-cpu |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  int failures = 0;
  for (const fs::path& mp : metas) {
    json meta = json::parse(std::ifstream(mp));
    const std::string name = meta["name"];
    auto cell = [&](const char* be) {
      return meta["backends"].contains(be) ? Ms(meta["backends"][be].get<double>()) : std::string("-");
    };
    if (meta.contains("error")) {
      std::printf("| %s | - | - | tfjs: %s | - | - | - | - | - |\n", name.c_str(), meta["error"].get<std::string>().c_str());
      continue;
    }
    ocular::convert::ConvertOptions opts;
    opts.input_shape = meta["input_shape"].get<std::vector<int64_t>>();
    for (const json& o : meta["outputs"]) opts.outputs.push_back(o["tf"]);
    if (meta["source"].get<std::string>().ends_with(".js")) opts.outputs.clear();  // layers model
    auto r = ocular::convert::ConvertTfjs(root / meta["source"].get<std::string>(), opts);
    if (!r.ok()) {
      std::printf("| %s | %s | FAIL: %s | - | no | - | - | %s | %s |\n", name.c_str(), meta["input"].get<std::string>().c_str(),
                  r.status().message().c_str(), cell("wasm").c_str(), cell("cpu").c_str());
      ++failures;
      continue;
    }
    std::vector<float> input = ReadFloats(dir / (name + ".input.bin"));
    std::vector<std::string> names;
    for (const auto& o : r->outputs) names.push_back(o.name);
    try {
      OrtRun one = RunOrt(env, r->onnx, 1, r->inputs[0].name, input, opts.input_shape, names, runs);
      OrtRun two = RunOrt(env, r->onnx, 2, r->inputs[0].name, input, opts.input_shape, names, runs);
      std::string diffs;
      bool exact = true;
      for (size_t k = 0; k < meta["outputs"].size(); ++k) {
        std::vector<float> want = ReadFloats(dir / (name + "." + std::to_string(k) + ".bin"));
        const std::vector<float>& got = one.outputs.at(k);
        double md = 0, mn = INFINITY, mx = -INFINITY;
        if (want.size() != got.size()) {
          exact = false;
          diffs += "size mismatch; ";
          continue;
        }
        for (size_t i = 0; i < want.size(); ++i) {
          md = std::max(md, static_cast<double>(std::fabs(got[i] - want[i])));
          mn = std::min(mn, static_cast<double>(want[i]));
          mx = std::max(mx, static_cast<double>(want[i]));
        }
        // The golden bar, with an absolute floor of 1e-6 for (near-)constant outputs.
        const double tol = std::max(1e-3 * (mx > mn ? mx - mn : std::fabs(mx)), 1e-6);
        if (!(md <= tol)) exact = false;
        char b[96];
        std::snprintf(b, sizeof(b), "%s%.2g (%.3g)", diffs.empty() ? "" : ", ", md, mx - mn);
        diffs += b;
      }
      if (!exact) ++failures;
      std::printf("| %s | %s | ok | %s | %s | %s | %s | %s | %s |\n", name.c_str(),
                  meta["input"].get<std::string>().c_str(), diffs.c_str(), exact ? "yes" : "NO",
                  Ms(one.ms).c_str(), Ms(two.ms).c_str(), cell("wasm").c_str(), cell("cpu").c_str());
    } catch (const Ort::Exception& e) {
      std::printf("| %s | %s | ok | ORT error: %s | no | - | - | %s | %s |\n", name.c_str(),
                  meta["input"].get<std::string>().c_str(), e.what(), cell("wasm").c_str(), cell("cpu").c_str());
      ++failures;
    }
    std::fflush(stdout);
  }
  return failures ? 3 : 0;
}
