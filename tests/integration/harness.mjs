// Shared helpers of the black-box suites (tests/integration, tests/contract): start the real
// `ocular serve` on loopback, talk to it, serve fixture images from 127.0.0.1, make PNGs.
// Only loopback addresses are ever contacted.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = process.env.OCULAR_BIN || path.join(ROOT, "build", "ocular");
export const DEVCERT = path.join(ROOT, ".deps", "devcert");
export const MODEL_REPO = process.env.OCULAR_MODEL_REPO || path.join(ROOT, "models");

// The development CA and server pair (made by scripts/setup.d/50-devcert.sh if missing).
export function devCert() {
  const files = { ca: "ca.pem", cert: "server.pem", key: "server.key" };
  if (!fs.existsSync(path.join(DEVCERT, files.cert))) {
    const r = spawnSync("bash", [path.join(ROOT, "scripts/setup.d/50-devcert.sh")], {
      env: { ...process.env, OCULAR_ROOT: ROOT }, stdio: "inherit" });
    if (r.status !== 0) throw new Error("50-devcert.sh failed");
  }
  const out = {};
  for (const [k, f] of Object.entries(files)) out[k] = path.join(DEVCERT, f);
  return out;
}

export function tmpDir(prefix = "ocular-test-") {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// Starts `ocular serve` on 127.0.0.1 with an ephemeral port. Resolves once it listens (and, with
// waitReady, once the analysis service is loaded). Logs (stderr) are collected in `logs`.
export async function startServer({ args = [], env = {}, cwd = ROOT, tls = false,
                                    keys = ["test-key-1", "test-key-2"], waitReady = true,
                                    timeoutMs = 180000, repo = MODEL_REPO } = {}) {
  const cert = tls ? devCert() : null;
  const argv = ["serve", "--listen", "127.0.0.1:0", "--repo", repo];
  if (tls) argv.push("--tls-cert", cert.cert, "--tls-key", cert.key);
  else argv.push("--plain-http");
  argv.push(...args);
  const childEnv = { ...process.env, ...env };
  delete childEnv.OCULAR_API_KEYS;
  if (keys.length) childEnv.OCULAR_API_KEYS = keys.join(",");
  const proc = spawn(BIN, argv, { cwd, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  const server = { proc, logs: [], stdout: "", url: null, port: 0, ca: cert ? fs.readFileSync(cert.ca) : null };
  let pending = "";
  const waiters = [];
  const onLine = (line) => {
    server.logs.push(line);
    for (const w of [...waiters]) w(line);
  };
  proc.stderr.on("data", (d) => {
    pending += d.toString("utf8");
    let i;
    while ((i = pending.indexOf("\n")) >= 0) { onLine(pending.slice(0, i)); pending = pending.slice(i + 1); }
  });
  proc.stdout.on("data", (d) => { server.stdout += d.toString("utf8"); });
  server.exited = new Promise((resolve) => proc.on("exit", (code, signal) => {
    if (pending) onLine(pending);
    resolve({ code, signal });
  }));
  server.waitFor = (re, ms = timeoutMs) => new Promise((resolve, reject) => {
    const hit = server.logs.find((l) => re.test(l));
    if (hit) return resolve(hit);
    const timer = setTimeout(() => reject(new Error(`timeout waiting for ${re}; logs:\n${server.logs.join("\n")}`)), ms);
    const w = (line) => { if (re.test(line)) { clearTimeout(timer); waiters.splice(waiters.indexOf(w), 1); resolve(line); } };
    waiters.push(w);
    server.exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`ocular exited (${code}) before ${re}; logs:\n${server.logs.join("\n")}`)); });
  });
  server.stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 15000);
    const r = await server.exited;
    clearTimeout(timer);
    return r;
  };
  const line = await server.waitFor(/listening on (https?):\/\/127\.0\.0\.1:(\d+)/);
  const m = line.match(/listening on (https?):\/\/127\.0\.0\.1:(\d+)/);
  server.port = Number(m[2]);
  server.url = `${m[1]}://127.0.0.1:${server.port}`;
  if (waitReady) await server.waitFor(/ready: analysis service loaded/);
  return server;
}

// One HTTP(S) request; resolves with {status, headers, body (Buffer), text, json}.
export function request(url, { method = "GET", headers = {}, body, ca, agent = false, timeoutMs = 60000 } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === "https:" ? https : http;
    const req = mod.request(u, { method, headers, ca, agent, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const buf = Buffer.concat(chunks);
        let json;
        try { json = JSON.parse(buf.toString("utf8")); } catch { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, body: buf, text: buf.toString("utf8"), json });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("request timeout")));
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// A raw TCP exchange: sends `data`, collects what comes back until close or `ms`.
export function rawExchange(port, data, ms = 5000) {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    const chunks = [];
    let closed = false;
    const t0 = Date.now();
    const finish = () => resolve({ text: Buffer.concat(chunks).toString("latin1"), closed, ms: Date.now() - t0 });
    const timer = setTimeout(() => { s.destroy(); finish(); }, ms);
    s.on("connect", () => { if (data) s.write(data); });
    s.on("data", (c) => chunks.push(c));
    s.on("error", () => {});
    s.on("close", () => { closed = true; clearTimeout(timer); finish(); });
  });
}

// A fixture web server on 127.0.0.1: `routes` maps a path (no query) to a handler (req, res).
export async function startFixture(routes) {
  const hits = [];
  const srv = http.createServer((req, res) => {
    const p = req.url.split("?")[0];
    hits.push(req.url);
    const h = routes[p];
    if (!h) { res.writeHead(404); res.end("no"); return; }
    h(req, res);
  });
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  const port = srv.address().port;
  return { port, base: `http://127.0.0.1:${port}`, hits, close: () => new Promise((r) => srv.close(r)) };
}

// A valid RGB PNG (w x h) with a deterministic pattern that depends on `seed`.
export function png(w, h, seed = 1) {
  const crcTable = new Int32Array(256).map((_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c;
  });
  const crc = (buf) => {
    let c = -1;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ -1) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const raw = Buffer.alloc((w * 3 + 1) * h);
  let x = seed * 2654435761 >>> 0;
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let i = 0; i < w * 3; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      raw[y * (w * 3 + 1) + 1 + i] = ((i + y) * 3 + (x >>> 24) % 32) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

// Every file below `dir` (recursive), relative paths.
export function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      out.push(path.relative(dir, p));
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// Every analysis route of both APIs (method, path) — all must refuse requests without a key.
export const ANALYSIS_ROUTES = [
  ["POST", "/computervision/imageanalysis:analyze?api-version=2023-10-01&features=tags"],
  ["POST", "/computervision/imageanalysis%3Aanalyze?api-version=2024-02-01&features=caption"],
  ["POST", "/vision/v3.2/analyze?visualFeatures=Tags"],
  ["POST", "/vision/v3.2/describe"],
  ["POST", "/vision/v3.2/detect"],
  ["POST", "/vision/v3.2/tag"],
  ["GET", "/vision/v3.2/models"],
  ["POST", "/vision/v3.2/models/celebrities/analyze"],
  ["POST", "/vision/v3.2/models/landmarks/analyze"],
  ["POST", "/vision/v3.2/areaOfInterest"],
  ["POST", "/vision/v3.2/generateThumbnail?width=100&height=100"],
  ["POST", "/vision/v3.2/ocr?detectOrientation=true"],
  ["POST", "/vision/v3.2/read/analyze"],
  ["GET", "/vision/v3.2/read/analyzeResults/2f1b6d6c-0c54-4b0e-9d4b-7a8a4c7c1b11"],
];
