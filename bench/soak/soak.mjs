// Soak test of `ocular serve` (issue 16; docs/reliability.md "Soak test"). Not part of CI.
//
//   node bench/soak/soak.mjs [--minutes 30] [--connections 16] [--warmup-minutes 5]
//                            [--out results.json] [--serve-arg=--flag ...]
//
// Starts the Release `ocular serve` (default model pack, plain HTTP on 127.0.0.1, URL fetching
// allowed to 127.0.0.1/32 only) and a loopback fixture web server that serves test images, then
// keeps --connections clients busy for --minutes with a weighted mix:
//   vision40   4.0 analyze, every vision feature (tags, caption, denseCaptions, objects, people,
//              smartCrops) on a photo
//   vision32   v3.2 analyze, every available visualFeature (+ details) on a photo
//   read40     4.0 analyze features=read on a document page
//   read32     v3.2 async Read: POST /read/analyze, then poll the operation until it finishes
//   url        4.0 analyze of {"url": <fixture>} (a photo; 1 in 8 a fixture 404)
//   malformed  truncated, bit-flipped and garbage image bytes (expect 400)
//   slow       a request whose body trickles in over ~3 s (within the 30 s read deadline)
//   disconnect a client that sends its request (whole, or only part of the body) and leaves
// Reports: 5xx other than 503 (client side and the server's /metrics; goal 0), p50/p99 per
// scenario, RSS every minute (drift after warm-up; goal <= 10%), open file descriptors and
// threads at the start and at the end (goal: the same), the machine's load average, and the
// server's cancellation counters. Only loopback addresses are contacted.
// Env: OCULAR_BIN (default build/ocular), OCULAR_MODEL_REPO (default models),
//      OCULAR_SHARED_DIR (default ../shared: the test photos).
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { values: opt } = parseArgs({
  options: {
    minutes: { type: "string", default: "30" },
    connections: { type: "string", default: "16" },
    "warmup-minutes": { type: "string", default: "5" },
    out: { type: "string", default: "" },
    "serve-arg": { type: "string", multiple: true, default: [] },
  },
});
const MINUTES = Number(opt.minutes);
const CONNS = Number(opt.connections);
const WARMUP_MIN = Math.min(Number(opt["warmup-minutes"]), MINUTES / 2);
const BIN = process.env.OCULAR_BIN || path.join(ROOT, "build", "ocular");
const REPO = process.env.OCULAR_MODEL_REPO || path.join(ROOT, "models");
const SHARED = process.env.OCULAR_SHARED_DIR || path.join(ROOT, "..", "shared");
const IMAGES = path.join(SHARED, "testdata", "images");
const KEY = `soak-key-${process.pid}-${Date.now()}`;
const REQUEST_TIMEOUT_MS = 180000;

const read = (f) => fs.readFileSync(path.join(IMAGES, f));
const PHOTOS = ["faces_group_selfie.jpg", "animal_dog_bicycle.jpg", "indoor_kitchen.jpg",
  "food_pizza.jpg", "object_motorcycle.png", "landmark_eiffel_1.jpg"].map((f) => read(f));
const DOCS = ["doc_page.png", "doc_printed_paragraph.png"].map((f) => read(f));
const pick = (a) => a[Math.floor(Math.random() * a.length)];

// Malformed inputs: truncated photos, bit-flipped bodies, garbage, a lying PNG header.
function malformed() {
  const src = pick(PHOTOS);
  switch (Math.floor(Math.random() * 4)) {
    case 0: return src.subarray(0, 64 + Math.floor(Math.random() * (src.length / 2)));
    case 1: {
      const b = Buffer.from(src);
      for (let i = 0; i < 64; i++) b[64 + Math.floor(Math.random() * (b.length - 64))] ^= 0xff;
      return b;
    }
    case 2: return Buffer.from(Array.from({ length: 4096 }, () => Math.floor(Math.random() * 256)));
    default: {
      const b = Buffer.from(DOCS[0].subarray(0, 33));  // signature + IHDR only
      return Buffer.concat([b, Buffer.alloc(100)]);
    }
  }
}

// ---- the server and the fixture -------------------------------------------------------------
function startFixture() {
  const srv = http.createServer((req, res) => {
    const m = req.url.match(/^\/img\/(\d+)$/);
    if (!m || Number(m[1]) >= PHOTOS.length) { res.writeHead(404); res.end("no"); return; }
    res.writeHead(200, { "content-type": "image/jpeg" });
    res.end(PHOTOS[Number(m[1])]);
  });
  return new Promise((r) => srv.listen(0, "127.0.0.1", () => r(srv)));
}

function startServer() {
  const args = ["serve", "--plain-http", "--listen", "127.0.0.1:0", "--repo", REPO,
    "--allow-url-cidr", "127.0.0.1/32", ...opt["serve-arg"]];
  const proc = spawn(BIN, args, { cwd: ROOT, env: { ...process.env, OCULAR_API_KEYS: KEY },
    stdio: ["ignore", "ignore", "pipe"] });
  const log = { lines: 0, errors: 0, last: [] };
  let pending = "";
  return new Promise((resolve, reject) => {
    let port = 0;
    proc.stderr.on("data", (d) => {
      pending += d.toString("utf8");
      let i;
      while ((i = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, i);
        pending = pending.slice(i + 1);
        ++log.lines;
        if (/\] \[(error|critical)\]| error | critical /.test(line)) {
          ++log.errors;
          log.last.push(line);
          if (log.last.length > 20) log.last.shift();
        }
        const m = line.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
        if (m && !port) port = Number(m[1]);
        if (/ready: analysis service loaded/.test(line)) resolve({ proc, port, log });
      }
    });
    proc.on("exit", (code) => reject(new Error(`ocular serve exited (${code}) before it was ready`)));
  });
}

// ---- process probes (/proc) ------------------------------------------------------------------
function probe(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (f) => Number(status.match(new RegExp(`^${f}:\\s+(\\d+)`, "m"))?.[1] ?? NaN);
  return { rss_mb: +(field("VmRSS") / 1024).toFixed(1), hwm_mb: +(field("VmHWM") / 1024).toFixed(1),
    threads: field("Threads"), fds: fs.readdirSync(`/proc/${pid}/fd`).length,
    load1: +os.loadavg()[0].toFixed(2) };
}

// ---- clients ---------------------------------------------------------------------------------
let BASE = "";
const stats = {};  // scenario -> {lat: [], status: {code: n}, errors: {what: n}}
const S = (name) => (stats[name] ??= { lat: [], status: {}, errors: {} });
const count = (name, code) => { const s = S(name); s.status[code] = (s.status[code] ?? 0) + 1; };
const fail = (name, what) => { const s = S(name); s.errors[what] = (s.errors[what] ?? 0) + 1; };

function call(agent, method, urlPath, { body, type = "application/octet-stream", url } = {}) {
  return new Promise((resolve, reject) => {
    const headers = { "ocp-apim-subscription-key": KEY };
    if (body !== undefined) { headers["content-type"] = type; headers["content-length"] = body.length; }
    // agent undefined: a fresh connection closed after the answer (probes must leave no socket).
    const req = http.request(url ?? `${BASE}${urlPath}`, { method, headers, agent: agent ?? false, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(body);
  });
}

async function timed(name, fn) {
  const t0 = performance.now();
  try {
    const r = await fn();
    if (r.status !== 0) S(name).lat.push(performance.now() - t0);  // 0: the client left on purpose
    count(name, r.status);
    return r;
  } catch (e) {
    fail(name, e.message.slice(0, 60));
    return null;
  }
}

const A40 = "/computervision/imageanalysis:analyze?api-version=2024-02-01&features=";
const VISION40 = `${A40}tags,caption,denseCaptions,objects,people,smartCrops&gender-neutral-caption=true`;
let VISION32 = "";  // set after probing what the pack offers

const scenarios = {
  vision40: (agent) => timed("vision40", () => call(agent, "POST", VISION40, { body: pick(PHOTOS) })),
  vision32: (agent) => timed("vision32", () => call(agent, "POST", VISION32, { body: pick(PHOTOS) })),
  read40: (agent) => timed("read40", () => call(agent, "POST", `${A40}read`, { body: pick(DOCS) })),
  read32: async (agent) => {
    const t0 = performance.now();
    const r = await timed("read32.post", () => call(agent, "POST", "/vision/v3.2/read/analyze", { body: pick(DOCS) }));
    if (!r || r.status !== 202) return;
    const loc = r.headers["operation-location"];
    for (let i = 0; i < 600; i++) {
      await new Promise((res) => setTimeout(res, 500));
      const g = await timed("read32.get", () => call(agent, "GET", "", { url: loc }));
      if (!g || g.status !== 200) return;
      const st = JSON.parse(g.body.toString("utf8")).status;
      if (st === "succeeded" || st === "failed") {
        S("read32.operation").lat.push(performance.now() - t0);
        count("read32.operation", st === "succeeded" ? 200 : 500);
        return;
      }
    }
    fail("read32.operation", "never finished");
  },
  url: (agent) => {
    const missing = Math.random() < 0.125;
    const target = `${FIXTURE}/img/${missing ? 999 : Math.floor(Math.random() * PHOTOS.length)}`;
    return timed(missing ? "url.404" : "url", () => call(agent, "POST", `${A40}tags,objects,caption`,
      { body: Buffer.from(JSON.stringify({ url: target })), type: "application/json" }));
  },
  malformed: (agent) => timed("malformed", () => call(agent, "POST", `${A40}tags,objects,read`, { body: malformed() })),
  slow: () => timed("slow", () => rawRequest(pick(PHOTOS), { trickleMs: 3000 })),
  disconnect: () => {
    const partial = Math.random() < 0.5;
    return timed(partial ? "disconnect.midbody" : "disconnect.afterbody",
      () => rawRequest(pick(PHOTOS), { leaveAfterMs: Math.floor(Math.random() * (partial ? 1000 : 12000)), partial }));
  },
};
// Relative weights of the mix.
const MIX = [["vision40", 20], ["vision32", 10], ["read40", 8], ["read32", 5], ["url", 10],
  ["malformed", 10], ["slow", 7], ["disconnect", 10]];

// A raw HTTP/1.1 exchange on its own socket: trickles the body, or leaves early (then resolves
// with status 0 = "left on purpose").
function rawRequest(body, { trickleMs = 0, leaveAfterMs = -1, partial = false }) {
  return new Promise((resolve, reject) => {
    const head = `POST ${VISION40} HTTP/1.1\r\nHost: 127.0.0.1\r\nOcp-Apim-Subscription-Key: ${KEY}\r\n` +
      `Content-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    const s = net.connect(PORT, "127.0.0.1");
    const chunks = [];
    let done = false;
    const finish = (v, err) => { if (done) return; done = true; s.destroy(); err ? reject(err) : resolve(v); };
    s.setTimeout(REQUEST_TIMEOUT_MS, () => finish(null, new Error("timeout")));
    s.on("error", (e) => finish(null, e));
    s.on("data", (c) => chunks.push(c));
    s.on("end", () => {
      const m = Buffer.concat(chunks).toString("latin1").match(/^HTTP\/1\.1 (\d{3})/);
      m ? finish({ status: Number(m[1]) }) : finish(null, new Error("no HTTP answer"));
    });
    s.on("connect", async () => {
      s.write(head);
      if (leaveAfterMs >= 0) {
        s.write(partial ? body.subarray(0, body.length >> 1) : body);
        setTimeout(() => finish({ status: 0 }), leaveAfterMs);
        return;
      }
      const parts = 10;
      for (let i = 0; i < parts && !done; i++) {
        s.write(body.subarray(Math.floor(i * body.length / parts), Math.floor((i + 1) * body.length / parts)));
        await new Promise((r) => setTimeout(r, trickleMs / parts));
      }
    });
  });
}

let PORT = 0, FIXTURE = "";

async function client(deadline) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const total = MIX.reduce((a, [, w]) => a + w, 0);
  while (Date.now() < deadline) {
    let x = Math.random() * total;
    const [name] = MIX.find(([, w]) => (x -= w) < 0) ?? MIX[0];
    await scenarios[name](agent);
  }
  agent.destroy();
}

const metricsText = async () => (await call(undefined, "GET", "/metrics")).body.toString("utf8");
const sumMetric = (text, re) => text.split("\n").filter((l) => re.test(l))
  .reduce((a, l) => a + Number(l.split(" ").pop()), 0);
const pct = (a, p) => {
  if (!a.length) return NaN;
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1)];
};
const median = (a) => pct(a, 50);
// Least-squares slope of [x, y] points (MB per minute for [minute, rss_mb]); NaN for < 2 points.
const slopePerMinute = (points) => {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, [x]) => a + x, 0) / n, my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx ? sxy / sxx : NaN;
};

async function main() {
  const fixture = await startFixture();
  FIXTURE = `http://127.0.0.1:${fixture.address().port}`;
  const server = await startServer();
  PORT = server.port;
  BASE = `http://127.0.0.1:${PORT}`;
  const pid = server.proc.pid;

  // v3.2: every visual feature the installed pack serves (Brands/Celebrities/Landmarks need
  // galleries; celebrities are opt-in).
  const want = ["Categories", "Tags", "Description", "Faces", "ImageType", "Color", "Adult", "Objects", "Brands"];
  const have = [];
  for (const f of want) {
    const r = await call(undefined, "POST", `/vision/v3.2/analyze?visualFeatures=${f}`, { body: PHOTOS[0] });
    if (r.status === 200) have.push(f);
  }
  const details = (await call(undefined, "POST", "/vision/v3.2/analyze?visualFeatures=Tags&details=Landmarks",
    { body: PHOTOS[0] })).status === 200 ? "&details=Landmarks" : "";
  VISION32 = `/vision/v3.2/analyze?visualFeatures=${have.join(",")}${details}`;
  // Prime what loads lazily (per-worker engines, thread pools) so that "start" is comparable with
  // "end": a few of every kind of request at once, then a pause.
  await Promise.all(["vision40", "vision32", "read40", "read32", "url"].flatMap((n) =>
    [0, 1, 2, 3].map(() => scenarios[n](undefined))));
  for (const k of Object.keys(stats)) delete stats[k];
  await new Promise((r) => setTimeout(r, 3000));
  const start = probe(pid);
  const started = new Date();
  console.log(`soak: ${MINUTES} min, ${CONNS} connections, warm-up ${WARMUP_MIN} min; ocular pid ${pid} on ${BASE}; ` +
    `${os.cpus().length} cores; v3.2 features: ${have.join(",")}${details}`);
  console.log(`start: ${JSON.stringify(start)}`);

  const samples = [];
  const t0 = Date.now();
  const deadline = t0 + MINUTES * 60000;
  const sampler = setInterval(() => {
    const s = { minute: Math.round((Date.now() - t0) / 60000), ...probe(pid) };
    samples.push(s);
    console.log(`minute ${s.minute}: ${JSON.stringify(s)}`);
  }, 60000);
  await Promise.all(Array.from({ length: CONNS }, () => client(deadline)));
  clearInterval(sampler);

  // Let the server settle: no open client connection, nothing queued or running.
  let settled = "";
  for (let i = 0; i < 240; i++) {
    const m = await metricsText();
    const active = sumMetric(m, /^ocular_http_connections_active /);
    const busy = sumMetric(m, /^ocular_worker_busy /) + sumMetric(m, /^ocular_worker_queue_depth /);
    if (active <= 1 && busy === 0) { settled = `${i / 2} s after the load stopped`; break; }
    await new Promise((r) => setTimeout(r, 500));
  }
  await new Promise((r) => setTimeout(r, 2000));
  const end = probe(pid);
  const m = await metricsText();
  const alive = server.proc.exitCode === null;
  server.proc.kill("SIGTERM");
  const exit = await new Promise((r) => server.proc.on("exit", (code) => r(code)));
  fixture.close();

  // ---- report --------------------------------------------------------------------------------
  const byStatus = m.split("\n").filter((l) => l.startsWith("ocular_http_requests_total"));
  const server5xx = byStatus.filter((l) => /status="5\d\d"/.test(l) && !/status="503"/.test(l));
  const client5xx = Object.entries(stats).flatMap(([n, s]) => Object.entries(s.status)
    .filter(([c]) => c >= 500 && c < 600 && c !== "503").map(([c, k]) => `${n}:${c}x${k}`));
  const warm = samples.filter((s) => s.minute >= WARMUP_MIN);
  const base = warm[0];
  const last = samples[samples.length - 1];
  // With --malloc-trim the RSS of one instant is the working set of the requests in flight then
  // (it swung 320-570 MB from minute to minute in the 2026-12-06 run), so one sample against
  // another measures the load at two instants, not growth. Drift compares the median of the
  // first 5 samples after the warm-up with the median of the last 5; the floor (minimum) of
  // each window and the least-squares slope over the whole post-warm-up series are reported too.
  const windowOf = (xs) => xs.map((s) => s.rss_mb);
  const early = windowOf(warm.slice(1, 6)), late = windowOf(warm.slice(-5));
  const baseMedian = median(early), endMedian = median(late);
  const drift = early.length && late.length ? (endMedian - baseMedian) / baseMedian * 100 : NaN;
  const maxDrift = base ? Math.max(...warm.map((s) => (s.rss_mb - baseMedian) / baseMedian * 100)) : NaN;
  const slope = slopePerMinute(warm.slice(1).map((s) => [s.minute, s.rss_mb]));
  const routes = Object.entries(stats).sort().map(([name, s]) => ({
    scenario: name, n: s.lat.length, p50_ms: Math.round(pct(s.lat, 50)), p99_ms: Math.round(pct(s.lat, 99)),
    status: s.status, client_errors: s.errors }));
  const report = {
    started: started.toISOString(), minutes: MINUTES, connections: CONNS, warmup_minutes: WARMUP_MIN,
    cores: os.cpus().length, load_average_end: os.loadavg().map((x) => +x.toFixed(2)),
    start, end, settled, samples, rss_drift_pct: +drift.toFixed(1), rss_max_drift_pct: +maxDrift.toFixed(1),
    rss_window_medians_mb: [baseMedian, endMedian], rss_window_floors_mb: [Math.min(...early), Math.min(...late)],
    rss_slope_mb_per_minute: +slope.toFixed(2), rss_single_sample_drift_pct:
      base && last ? +((last.rss_mb - base.rss_mb) / base.rss_mb * 100).toFixed(1) : NaN,
    client_5xx_not_503: client5xx, server_5xx_not_503: server5xx,
    cancelled: m.split("\n").filter((l) => l.startsWith("ocular_requests_cancelled_total")),
    connection_errors: m.split("\n").filter((l) => l.startsWith("ocular_http_connection_errors_total")),
    worker_rejected: sumMetric(m, /^ocular_worker_rejected_total /),
    server_requests: byStatus, server_alive_at_end: alive, exit_code_after_sigterm: exit,
    error_log_lines: server.log.errors, last_error_lines: server.log.last, routes };
  if (opt.out) fs.writeFileSync(opt.out, JSON.stringify(report, null, 2));

  console.log("\n== soak summary");
  console.log(`started ${report.started}; ${MINUTES} min at ${CONNS} connections on ${report.cores} cores; ` +
    `load average at end ${report.load_average_end.join(" ")}`);
  console.log(`server alive at end: ${alive}; exit code after SIGTERM: ${exit}; settled ${settled || "NOT within 120 s"}`);
  console.log(`5xx other than 503: client ${client5xx.length ? client5xx.join(" ") : 0}; server ${server5xx.length ? server5xx.join("; ") : 0}`);
  console.log(`RSS median of the 5 minutes after warm-up ${baseMedian} MB -> of the last 5 ${endMedian} MB: ` +
    `drift ${report.rss_drift_pct}% (max sample ${report.rss_max_drift_pct}%); floors ${Math.min(...early)} -> ` +
    `${Math.min(...late)} MB; slope ${report.rss_slope_mb_per_minute} MB/min; single samples minute ` +
    `${base?.minute} ${base?.rss_mb} MB -> end ${last?.rss_mb} MB (${report.rss_single_sample_drift_pct}%); peak ${end.hwm_mb} MB`);
  console.log(`fds start ${start.fds} -> end ${end.fds}; threads start ${start.threads} -> end ${end.threads}`);
  console.log(`cancelled: ${report.cancelled.join("; ")}; worker 429s: ${report.worker_rejected}`);
  console.log(`connection errors: ${report.connection_errors.join("; ") || "none"}`);
  console.log(`error log lines: ${server.log.errors}`);
  console.log("scenario\tn\tp50_ms\tp99_ms\tstatuses\tclient errors");
  for (const r of routes) {
    console.log(`${r.scenario}\t${r.n}\t${r.p50_ms}\t${r.p99_ms}\t${JSON.stringify(r.status)}\t${JSON.stringify(r.client_errors)}`);
  }
  console.log("RSS per minute (MB): " + samples.map((s) => `${s.minute}:${s.rss_mb}`).join(" "));
  const ok = alive && !client5xx.length && !server5xx.length && end.fds === start.fds &&
    end.threads === start.threads && !(report.rss_drift_pct > 10);
  console.log(ok ? "SOAK PASS" : "SOAK FAIL (see above)");
  process.exit(ok ? 0 : 1);
}

main().catch((e) => { console.error(e); process.exit(2); });
