// Custom detection request time against raw ORT time of the same model (issue 13), one run:
// yolov8n added with `ocular models add` as a custom detector, N sequential requests of one photo
// on the Custom Vision route and on 4.0 model-name over loopback; the server's own /metrics give
// the ONNX Runtime time inside those requests (ocular_model_inference_seconds{model=...}); then,
// with the server stopped, build/ocular_ort_run_bench times N raw Session::Run calls of the same
// model.onnx with the server's session settings. Prints one JSON line, with the load averages.
//   node bench/custom_models_bench.mjs [N=20]   (OCULAR_SHARED_DIR: default ../shared)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BIN, MODEL_REPO, ROOT, request, startServer, tmpDir } from "../tests/integration/harness.mjs";

const N = Number(process.argv[2] ?? 20);
const shared = process.env.OCULAR_SHARED_DIR ?? path.join(ROOT, "..", "shared");
const img = fs.readFileSync(path.join(shared, "testdata/images/animal_dog_bicycle.jpg"));
const y = path.join(MODEL_REPO, "yolov8n");
const v = path.join(y, fs.readdirSync(y).sort().at(-1));
const repo = tmpDir("ocular-cv-bench-");
const P = "2a4c6e8f-0b1d-4f3a-8c5e-7a9b1d3f5a7c";
const a = spawnSync(BIN, ["models", "add", "--repo", repo, "--name", "bench-detector", "--task", "object-detection",
  "--project-id", P, "--model", path.join(v, "model.onnx"), "--labels", path.join(v, "labels.txt")], { encoding: "utf8" });
if (a.status !== 0) throw new Error(a.stderr);
const srv = await startServer({ repo, keys: ["k"] });
const url = `${srv.url}/customvision/v3.0/Prediction/${P}/detect/iterations/bench-detector/image`;
const url40 = `${srv.url}/computervision/imageanalysis:analyze?api-version=2023-04-01-preview&model-name=bench-detector`;
const send40 = () => request(url40, { method: "POST", body: img, headers: { "ocp-apim-subscription-key": "k", "content-type": "application/octet-stream" } });
const send = () => request(url, { method: "POST", body: img, headers: { "prediction-key": "k", "content-type": "application/octet-stream" } });
const load0 = os.loadavg();
await send();  // warm-up, excluded below
const metric = (text, name) => Number((text.match(new RegExp(`^ocular_model_inference_seconds_${name}\\{model="bench-detector"\\} ([0-9.e+-]+)`, "m")) ?? [0, 0])[1]);
async function measure(fn) {
  const m0 = (await request(`${srv.url}/metrics`)).text;
  const times = [];
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    const r = await fn();
    if (r.status !== 200) throw new Error(r.text);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const m1 = (await request(`${srv.url}/metrics`)).text;
  const ortMs = (metric(m1, "sum") - metric(m0, "sum")) * 1000 / (metric(m1, "count") - metric(m0, "count"));
  times.sort((p, q) => p - q);
  const mean = times.reduce((a, t) => a + t, 0) / N;
  return { request_ms_mean: +mean.toFixed(1), request_ms_median: +times[N >> 1].toFixed(1),
    ort_in_server_ms_mean: +ortMs.toFixed(1), overhead_ms_mean: +(mean - ortMs).toFixed(1) };
}
const customVision = await measure(send);
const modelName40 = await measure(send40);
await srv.stop();
const rawBin = path.join(path.dirname(BIN), "ocular_ort_run_bench");
const raw = spawnSync(rawBin, [path.join(v, "model.onnx"), String(N)], { encoding: "utf8" });
if (raw.status !== 0) throw new Error(`${rawBin}: ${raw.stderr}`);
const rawOrt = JSON.parse(raw.stdout);
console.log(JSON.stringify({ requests: N, image: "animal_dog_bicycle.jpg", custom_vision: customVision,
  model_name_40: modelName40, raw_ort: { ms_mean: rawOrt.ms_mean, ms_median: rawOrt.ms_median, input: rawOrt.input },
  request_over_raw_ort_ms: +(customVision.request_ms_mean - rawOrt.ms_mean).toFixed(1),
  loadavg_before: load0.map((x) => +x.toFixed(2)), loadavg_after: os.loadavg().map((x) => +x.toFixed(2)),
  cpus: os.cpus().length }));
fs.rmSync(repo, { recursive: true, force: true });
