// Multi-instance test (docs/deploy.md): Debian nginx round-robin in front of 3 `ocular serve`
// instances sharing one redis-server (--read-store) and one --cluster-secret-file, all started
// here on free loopback ports, every file (nginx prefix, pid, logs, secret) in a temp dir.
// Checks: the official v3.2 client's readInStream + getReadResult through nginx with GETs on
// every instance; an STS token from one instance accepted by the others; Redis holds neither
// the recognised text nor the operation ids; kill -9 of one instance under load (failures
// counted and printed); rolling restart by SIGTERM under load (0 failures); Redis stopped
// mid-test (503 on async POSTs, other routes fine, recovery). Measured figures are printed as
// "SCALEOUT <name>=<value>" lines.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { after, before, test } from "node:test";

import { BIN, MODEL_REPO, ROOT, png, request, tmpDir } from "../integration/harness.mjs";

const require = createRequire(path.join(ROOT, "tests/contract/package.json"));
const { ComputerVisionClient } = require("@azure/cognitiveservices-computervision");
const { ApiKeyCredentials } = require("@azure/ms-rest-js");

const KEY = "scaleout-key-1";
const SHARED = process.env.OCULAR_SHARED_DIR || path.join(ROOT, "../shared");  // read-only test data
const PHOTO = fs.readFileSync(path.join(SHARED, "testdata/images/doc_printed_paragraph.png"));
const TINY = png(96, 64, 5);  // small but above the 50-px minimum
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const figures = {};
const report = (name, value) => { figures[name] = value; console.log(`SCALEOUT ${name}=${value}`); };

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

function which(bin) {
  for (const d of ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]) if (fs.existsSync(path.join(d, bin))) return path.join(d, bin);
  return null;
}

let dir, redis, nginx, lbUrl, redisPort, secretFile;
const instances = [];  // {port, proc, logs, exited}

function startRedis() {
  const proc = spawn(which("redis-server"), ["--port", String(redisPort), "--bind", "127.0.0.1",
    "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning", "--dir", dir],
    { stdio: "ignore" });
  return { proc, exited: new Promise((r) => proc.on("exit", r)) };
}

async function waitFor(fn, ms, what) {
  const t0 = Date.now();
  for (;;) {
    try { if (await fn()) return; } catch { /* not yet */ }
    if (Date.now() - t0 > ms) throw new Error(`timeout waiting for ${what}`);
    await sleep(100);
  }
}

function redisCli(...args) {
  return spawnSync(which("redis-cli"), ["-h", "127.0.0.1", "-p", String(redisPort), ...args], { encoding: "latin1" });
}

async function startInstance(i) {
  const inst = instances[i];
  const env = { ...process.env, OCULAR_API_KEYS: KEY };
  const proc = spawn(BIN, ["serve", "--plain-http", "--listen", `127.0.0.1:${inst.port}`, "--repo", MODEL_REPO,
    "--read-store", `redis://127.0.0.1:${redisPort}`, "--cluster-secret-file", secretFile,
    "--shutdown-delay", "1", "--shutdown-grace", "30", "--workers", "1", "--io-threads", "1"],
  { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
  inst.proc = proc;
  inst.logs = [];
  proc.stderr.on("data", (d) => inst.logs.push(...d.toString("utf8").split("\n").filter(Boolean)));
  inst.exited = new Promise((r) => proc.on("exit", (code, signal) => r({ code, signal })));
  await waitFor(async () => (await request(`http://127.0.0.1:${inst.port}/ready`, { timeoutMs: 2000 })).status === 200,
    240000, `instance ${i} ready`);
}

before(async () => {
  for (const bin of ["redis-server", "redis-cli", "nginx"]) assert.ok(which(bin), `${bin} is not installed (deps/apt-packages.txt)`);
  dir = tmpDir("ocular-scaleout-");
  secretFile = path.join(dir, "cluster.secret");
  fs.writeFileSync(secretFile, spawnSync("openssl", ["rand", "-base64", "48"], { encoding: "utf8" }).stdout, { mode: 0o600 });
  redisPort = await freePort();
  redis = startRedis();
  await waitFor(() => redisCli("PING").stdout.includes("PONG"), 10000, "redis");
  for (let i = 0; i < 3; i++) instances.push({ port: await freePort() });
  // One at a time: three model loads at once would only fight for the cores.
  for (let i = 0; i < 3; i++) await startInstance(i);

  const lbPort = await freePort();
  const conf = fs.readFileSync(path.join(ROOT, "tests/scaleout/nginx.conf.in"), "utf8")
    .replaceAll("@DIR@", dir).replaceAll("@LISTEN@", `127.0.0.1:${lbPort}`)
    .replace("@UPSTREAMS@", instances.map((x) => `    server 127.0.0.1:${x.port} max_fails=0;`).join("\n"));
  fs.writeFileSync(path.join(dir, "nginx.conf"), conf);
  nginx = spawn(which("nginx"), ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-e", path.join(dir, "nginx-error.log")], { stdio: "inherit" });
  lbUrl = `http://127.0.0.1:${lbPort}`;
  await waitFor(async () => (await request(`${lbUrl}/health`, { timeoutMs: 2000 })).status === 200, 10000, "nginx");
});

after(async () => {
  nginx?.kill("SIGTERM");
  for (const x of instances) x.proc?.kill("SIGKILL");
  redis?.proc.kill("SIGKILL");
  await sleep(200);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  console.log(`SCALEOUT summary ${JSON.stringify(figures)}`);
});

const client = () => new ComputerVisionClient(
  new ApiKeyCredentials({ inHeader: { "Ocp-Apim-Subscription-Key": KEY } }), lbUrl, { noRetryPolicy: true });
const opId = (loc) => loc.substring(loc.lastIndexOf("/") + 1);

test("readInStream + getReadResult through nginx: GETs on every instance, all succeed", async () => {
  const cv = client();
  const upstreams = new Set();
  const ids = [];
  let gets = 0;
  for (let n = 0; n < 3; n++) {
    const posted = await cv.readInStream(PHOTO);
    const id = opId(posted.operationLocation);
    ids.push(id);
    assert.match(id, /^[0-9a-f-]{36}$/);
    let result;
    for (let k = 0; k < 600; k++) {
      result = await cv.getReadResult(id);
      gets++;
      upstreams.add(result._response.headers.get("x-upstream"));
      if (result.status === "succeeded" || result.status === "failed") break;
      await sleep(100);
    }
    // A few more GETs after success so that every instance answers for the finished result.
    for (let k = 0; k < 6; k++) {
      const again = await cv.getReadResult(id);
      gets++;
      upstreams.add(again._response.headers.get("x-upstream"));
      assert.equal(again.status, "succeeded");
    }
    assert.equal(result.status, "succeeded");
    const text = result.analyzeResult.readResults[0].lines.map((l) => l.text).join(" ");
    assert.match(text, /detestable/i);
  }
  report("read_gets", gets);
  report("read_gets_instances", upstreams.size);
  assert.equal(upstreams.size, 3, `GETs landed on ${[...upstreams].join(", ")}`);

  // Redis holds neither the text nor the operation ids.
  const keys = redisCli("--scan").stdout.split("\n").filter(Boolean);
  assert.ok(keys.length >= 3, `keys: ${keys.length}`);
  let values = "";
  for (const k of keys) values += redisCli("GET", k).stdout;
  const all = keys.join("\n") + values;
  for (const word of ["detestable", "Men may", "readResults", "succeeded"]) assert.ok(!all.includes(word), word);
  for (const id of ids) { assert.ok(!all.includes(id)); assert.ok(!all.includes(id.slice(0, 8))); }
  const ttl = Number(redisCli("TTL", keys[0]).stdout.trim());
  assert.ok(ttl > 0 && ttl <= 600, `ttl ${ttl}`);
  report("redis_keys_checked", keys.length);
  report("redis_plaintext_or_uuid_found", 0);
});

test("an STS token from one instance works on the others", async () => {
  const [a, b, c] = instances.map((x) => `http://127.0.0.1:${x.port}`);
  const t = await request(`${a}/sts/v1.0/issueToken`, { method: "POST", headers: { "ocp-apim-subscription-key": KEY } });
  assert.equal(t.status, 200);
  for (const base of [a, b, c]) {
    const r = await request(`${base}/vision/v3.2/models`, { headers: { authorization: `Bearer ${t.text}` } });
    assert.equal(r.status, 200, `${base}: ${r.text}`);
  }
  const forged = await request(`${b}/vision/v3.2/models`, { headers: { authorization: `Bearer ${t.text}x` } });
  assert.equal(forged.status, 401);
});

// Bounded load through nginx: `workers` loops of cheap requests (models list, Read result GETs,
// and small async Read POSTs) until stop() is called. Counts non-2xx answers and errors.
function load(workers, id) {
  const stats = { ok: 0, failed: 0, statuses: {} };
  let running = true;
  const one = async (k) => {
    // 1 in 8 is an async Read POST (keeps analyses queued during restarts without starving
    // the model loads of the restarting instances of CPU); 2 in 8 read a Read result.
    const kind = k % 8;
    const headers = { "ocp-apim-subscription-key": KEY };
    if (kind === 3) {
      return request(`${lbUrl}/vision/v3.2/read/analyze`, { method: "POST", body: TINY,
        headers: { ...headers, "content-type": "application/octet-stream" }, timeoutMs: 30000 });
    }
    if (kind === 1 || kind === 5) return request(`${lbUrl}/vision/v3.2/read/analyzeResults/${id}`, { headers, timeoutMs: 30000 });
    return request(`${lbUrl}/vision/v3.2/models`, { headers, timeoutMs: 30000 });
  };
  const loops = Array.from({ length: workers }, async (_, w) => {
    for (let k = w; running; k++) {
      try {
        const r = await one(k);
        if (r.status >= 200 && r.status < 300) stats.ok++;
        else { stats.failed++; stats.statuses[r.status] = (stats.statuses[r.status] || 0) + 1; }
      } catch (e) {
        stats.failed++;
        stats.statuses[e.code || e.message] = (stats.statuses[e.code || e.message] || 0) + 1;
      }
      await sleep(20);
    }
  });
  return { stats, stop: async () => { running = false; await Promise.all(loops); return stats; } };
}

async function someOperation() {
  const posted = await request(`${lbUrl}/vision/v3.2/read/analyze`, { method: "POST", body: TINY,
    headers: { "ocp-apim-subscription-key": KEY, "content-type": "application/octet-stream" } });
  assert.equal(posted.status, 202, posted.text);
  return opId(posted.headers["operation-location"]);
}

test("kill -9 of one instance under load: failures counted", async () => {
  const id = await someOperation();
  const l = load(4, id);
  await sleep(1500);
  instances[1].proc.kill("SIGKILL");
  await instances[1].exited;
  await sleep(2000);
  const s = await l.stop();
  report("kill9_requests", s.ok + s.failed);
  report("kill9_failed", s.failed);
  console.log(`SCALEOUT kill9_failure_kinds=${JSON.stringify(s.statuses)}`);
  assert.ok(s.ok > 0);
  // Only requests in flight on the killed instance may fail (nginx retries connection errors).
  assert.ok(s.failed <= 4, `failed ${s.failed}: ${JSON.stringify(s.statuses)}`);
  await startInstance(1);
});

test("rolling restart with SIGTERM under load: 0 failed requests, exit 0", async () => {
  const id = await someOperation();
  const l = load(4, id);
  const t0 = Date.now();
  for (let i = 0; i < 3; i++) {
    await sleep(500);
    instances[i].proc.kill("SIGTERM");
    const { code } = await instances[i].exited;
    assert.equal(code, 0, instances[i].logs.slice(-5).join("\n"));
    await startInstance(i);
  }
  await sleep(500);
  const s = await l.stop();
  report("rolling_restart_seconds", ((Date.now() - t0) / 1000).toFixed(1));
  report("rolling_restart_requests", s.ok + s.failed);
  report("rolling_restart_failed", s.failed);
  console.log(`SCALEOUT rolling_failure_kinds=${JSON.stringify(s.statuses)}`);
  assert.equal(s.failed, 0, JSON.stringify(s.statuses));
});

test("SIGTERM: /ready turns 503 at once while the listener still serves; a second one exits now", async () => {
  const inst = instances[2];
  const base = `http://127.0.0.1:${inst.port}`;
  inst.proc.kill("SIGTERM");
  await sleep(200);
  const ready = await request(`${base}/ready`);
  assert.equal(ready.status, 503);
  const health = await request(`${base}/health`);
  assert.equal(health.status, 200);
  // Still inside --shutdown-delay (1 s): a second SIGTERM cuts the drain short with code 1.
  const t0 = Date.now();
  inst.proc.kill("SIGTERM");
  const { code } = await inst.exited;
  assert.equal(code, 1);
  assert.ok(Date.now() - t0 < 900, `exit took ${Date.now() - t0} ms`);
  await startInstance(2);
});

test("Redis stopped: 503 on async POSTs, other routes fine, recovery after restart", async () => {
  redis.proc.kill("SIGKILL");
  await redis.exited;
  const headers = { "ocp-apim-subscription-key": KEY };
  const post = await request(`${lbUrl}/vision/v3.2/read/analyze`, { method: "POST", body: TINY,
    headers: { ...headers, "content-type": "application/octet-stream" } });
  assert.equal(post.status, 503, post.text);
  assert.equal(post.json.error.code, "ServiceUnavailable");
  assert.match(post.json.error.message, /Read result store/);
  const get = await request(`${lbUrl}/vision/v3.2/read/analyzeResults/00000000-0000-4000-8000-000000000000`, { headers });
  assert.equal(get.status, 503);
  const models = await request(`${lbUrl}/vision/v3.2/models`, { headers });
  assert.equal(models.status, 200);
  const ocr = await request(`${lbUrl}/vision/v3.2/ocr`, { method: "POST", body: TINY,
    headers: { ...headers, "content-type": "application/octet-stream" } });
  assert.equal(ocr.status, 200, ocr.text);
  for (const x of instances) assert.equal((await request(`http://127.0.0.1:${x.port}/ready`)).status, 200);

  redis = startRedis();
  await waitFor(() => redisCli("PING").stdout.includes("PONG"), 10000, "redis restart");
  const t0 = Date.now();
  let id;
  await waitFor(async () => { id = await someOperation(); return true; }, 10000, "recovery");
  report("redis_recovery_ms", Date.now() - t0);
  let status;
  await waitFor(async () => {
    const r = await request(`${lbUrl}/vision/v3.2/read/analyzeResults/${id}`, { headers });
    status = r.json?.status;
    return status === "succeeded";
  }, 60000, "read after recovery");
});
