// Raw ONNX Runtime time of one model, outside Ocular: a session with the server's settings
// (runtime/session.cc: intra-op threads = one per logical core unless given, inter-op 1,
// sequential, ORT_ENABLE_ALL, no spinning), one input filled with 0.5 (dynamic dimensions: batch
// 1, others 640), one warm-up run, then RUNS timed Session::Run calls. Prints one JSON line
// {"model", "input", "runs", "ms_mean", "ms_median", "ms_min"}. bench/custom_models_bench.mjs
// runs it on the same model.onnx as the custom detector it measures.
//
//   build/ocular_ort_run_bench MODEL.onnx [RUNS=20] [INTRA_OP_THREADS=0]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <onnxruntime_cxx_api.h>
#include <onnxruntime_session_options_config_keys.h>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s MODEL.onnx [RUNS=20] [INTRA_OP_THREADS=0]\n", argv[0]);
    return 2;
  }
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 20;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 0;
  try {
    Ort::Env env(ORT_LOGGING_LEVEL_WARNING, "ort_run_bench");
    Ort::SessionOptions so;
    so.SetIntraOpNumThreads(
        threads > 0 ? threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    so.SetInterOpNumThreads(1);
    so.SetExecutionMode(ExecutionMode::ORT_SEQUENTIAL);
    so.SetGraphOptimizationLevel(GraphOptimizationLevel::ORT_ENABLE_ALL);
    so.AddConfigEntry(kOrtSessionOptionsConfigAllowIntraOpSpinning, "0");
    so.AddConfigEntry(kOrtSessionOptionsConfigAllowInterOpSpinning, "0");
    Ort::Session session(env, argv[1], so);
    Ort::AllocatorWithDefaultOptions alloc;
    std::vector<int64_t> shape = session.GetInputTypeInfo(0).GetTensorTypeAndShapeInfo().GetShape();
    for (std::size_t i = 0; i < shape.size(); ++i) {
      if (shape[i] <= 0) shape[i] = i == 0 ? 1 : 640;
    }
    std::size_t n = 1;
    for (int64_t d : shape) n *= static_cast<std::size_t>(d);
    std::vector<float> data(n, 0.5f);
    Ort::MemoryInfo mem = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
    Ort::Value input =
        Ort::Value::CreateTensor<float>(mem, data.data(), n, shape.data(), shape.size());
    const std::string in_name = session.GetInputNameAllocated(0, alloc).get();
    std::vector<std::string> out_names;
    for (std::size_t i = 0; i < session.GetOutputCount(); ++i) {
      out_names.push_back(session.GetOutputNameAllocated(i, alloc).get());
    }
    std::vector<const char*> outs;
    for (const std::string& s : out_names) outs.push_back(s.c_str());
    const char* ins[] = {in_name.c_str()};
    auto run = [&] {
      return session.Run(Ort::RunOptions{nullptr}, ins, &input, 1, outs.data(), outs.size());
    };
    run();  // warm-up
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
      const auto t = std::chrono::steady_clock::now();
      run();
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count());
    }
    double sum = 0;
    for (double m : ms) sum += m;
    std::sort(ms.begin(), ms.end());
    std::string shape_text;
    for (int64_t d : shape) shape_text += (shape_text.empty() ? "" : "x") + std::to_string(d);
    std::printf(
        "{\"model\":\"%s\",\"input\":\"%s\",\"runs\":%d,\"ms_mean\":%.1f,\"ms_median\":%.1f,"
        "\"ms_min\":%.1f}\n",
        argv[1], shape_text.c_str(), runs, sum / runs, ms[ms.size() / 2], ms.front());
  } catch (const Ort::Exception& e) {
    std::fprintf(stderr, "onnxruntime: %s\n", e.what());
    return 1;
  }
  return 0;
}
