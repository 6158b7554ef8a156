// Black-box tests of `ocular serve` (issue 7): transport limits, auth on every analysis route,
// admin routes, TLS versions, SSRF guard, and the privacy evidence. Runs the real binary on
// 127.0.0.1 only. Run: node --test tests/integration/ (OCULAR_BIN=build-x/ocular to pick a build).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { ANALYSIS_ROUTES, MODEL_REPO, UUID_RE, devCert, listFiles, png, rawExchange, request, startFixture,
         startServer, tmpDir } from "./harness.mjs";

const KEY = "test-key-1";
const KEY2 = "test-key-2";
const analyze40 = (features = "tags") =>
  `/computervision/imageanalysis:analyze?api-version=2023-10-01&features=${features}`;

function assertCommonHeaders(r) {
  assert.match(r.headers["apim-request-id"] ?? "", UUID_RE);
  assert.equal(r.headers["x-content-type-options"], "nosniff");
}

describe("plain HTTP on loopback", () => {
  let srv;
  before(async () => { srv = await startServer({ args: ["--read-timeout", "1"] }); });
  after(async () => { await srv?.stop(); });

  test("GET /health, /ready, /metrics", async () => {
    const h = await request(`${srv.url}/health`);
    assert.equal(h.status, 200);
    assert.equal(h.headers["content-type"], "application/json; charset=utf-8");
    assert.deepEqual(h.json, { status: "ok" });
    assertCommonHeaders(h);
    const r = await request(`${srv.url}/ready`);
    assert.equal(r.status, 200);
    assert.equal(r.json.status, "ready");
    const m = await request(`${srv.url}/metrics`);
    assert.equal(m.status, 200);
    assert.match(m.headers["content-type"], /^text\/plain; version=0\.0\.4/);
    assert.match(m.text, /ocular_http_requests_total\{route="\/health",status="200"\} \d+/);
    assert.match(m.text, /ocular_http_request_duration_seconds_bucket\{route="\/ready",le="\+Inf"\} \d+/);
    assert.match(m.text, /^ocular_worker_queue_depth \d+$/m);
    assert.match(m.text, /^ocular_ready 1$/m);
  });

  // docs/reliability.md "Memory budget": the server re-executes itself once with
  // glibc.malloc.hugetlb=1 unless the kernel has transparent huge pages off.
  test("malloc huge pages: on by default, through GLIBC_TUNABLES", () => {
    const thp = fs.readFileSync("/sys/kernel/mm/transparent_hugepage/enabled", "utf8");
    const line = srv.logs.find((l) => /malloc: transparent huge pages/.test(l));
    assert.ok(line, "startup logs the huge-page state");
    const environ = fs.readFileSync(`/proc/${srv.proc.pid}/environ`, "utf8").split("\0");
    if (/\[never\]/.test(thp)) {
      assert.match(line, /huge pages off/);
    } else {
      assert.match(line, /huge pages on \(GLIBC_TUNABLES=.*glibc\.malloc\.hugetlb=1/);
      assert.ok(environ.some((e) => /^GLIBC_TUNABLES=.*glibc\.malloc\.hugetlb=1/.test(e)), environ.join(" "));
    }
  });

  test("unknown routes get the spec's 404 body", async () => {
    for (const p of ["/", "/nope", "/vision/v3.1/analyze", "/computervision/imageanalysis:segment?api-version=2023-10-01"]) {
      const r = await request(`${srv.url}${p}`, { method: "POST", headers: { "ocp-apim-subscription-key": KEY } });
      assert.equal(r.status, 404, p);
      assert.deepEqual(r.json, { error: { code: "404", message: "Resource not found" } }, p);
      assertCommonHeaders(r);
    }
  });

  test("every analysis route answers 401 without a key, and with a wrong key", async () => {
    const img = png(64, 64);
    for (const [method, p] of ANALYSIS_ROUTES) {
      const body = method === "POST" ? img : undefined;
      const headers = method === "POST" ? { "content-type": "application/octet-stream" } : {};
      const none = await request(`${srv.url}${p}`, { method, headers, body });
      assert.equal(none.status, 401, `${method} ${p}`);
      assert.equal(none.json.error.code, "401");
      assert.match(none.json.error.message, /missing subscription key/);
      assert.match(none.headers["www-authenticate"] ?? "", /AzureApiManagementKey/);
      assert.equal(none.headers["content-type"], "application/json; charset=utf-8");
      assertCommonHeaders(none);
      const wrong = await request(`${srv.url}${p}`, { method, body,
        headers: { ...headers, "ocp-apim-subscription-key": "not-the-key" } });
      assert.equal(wrong.status, 401, `${method} ${p}`);
      assert.match(wrong.json.error.message, /invalid subscription key/);
      // Header names are case-insensitive; both rotation keys work.
      for (const k of [KEY, KEY2]) {
        const ok = await request(`${srv.url}${p}`, { method, body,
          headers: { ...headers, "Ocp-Apim-Subscription-Key": k } });
        assert.notEqual(ok.status, 401, `${method} ${p}`);
        assert.ok(ok.status < 500, `${method} ${p}: ${ok.status} ${ok.text}`);
      }
    }
  });

  test("an oversized body is refused from its Content-Length, before it is sent", async () => {
    const t0 = Date.now();
    const r = await rawExchange(srv.port,
      `POST ${analyze40()} HTTP/1.1\r\nHost: 127.0.0.1\r\nOcp-Apim-Subscription-Key: ${KEY}\r\n` +
      "Content-Type: application/octet-stream\r\nContent-Length: 30000000\r\n\r\n", 5000);
    assert.match(r.text, /^HTTP\/1\.1 400 /);
    assert.match(r.text, /"code":"InvalidRequest"/);
    assert.match(r.text, /20971520 bytes/);
    assert.ok(Date.now() - t0 < 4000);
    const v32 = await rawExchange(srv.port,
      `POST /vision/v3.2/tag HTTP/1.1\r\nHost: 127.0.0.1\r\nOcp-Apim-Subscription-Key: ${KEY}\r\n` +
      "Content-Type: application/octet-stream\r\nContent-Length: 30000000\r\n\r\n", 5000);
    assert.match(v32.text, /^HTTP\/1\.1 400 /);
    assert.match(v32.text, /InvalidImageSize/);
  });

  test("an oversized body actually sent still gets the 400 answer", async () => {
    const big = Buffer.alloc(22 * 1024 * 1024 + 5, 7);
    const r = await request(`${srv.url}${analyze40()}`, { method: "POST", body: big,
      headers: { "ocp-apim-subscription-key": KEY, "content-type": "application/octet-stream" } })
      .catch((e) => ({ error: e }));
    assert.ok(!r.error, `client saw ${r.error}`);
    assert.equal(r.status, 400);
    assert.match(r.json.error.message, /20971520/);
  });

  test("huge headers are refused with 431", async () => {
    const r = await rawExchange(srv.port,
      `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ${"a".repeat(20000)}\r\n\r\n`, 5000);
    assert.match(r.text, /^HTTP\/1\.1 431 /);
  });

  test("a slow client is dropped at the read deadline and blocks nobody", async () => {
    const stalled = rawExchange(srv.port, `POST ${analyze40()} HTTP/1.1\r\nHost: 127.0.0.1\r\n`, 8000);
    const meanwhile = await request(`${srv.url}/health`);
    assert.equal(meanwhile.status, 200);
    const r = await stalled;
    assert.ok(r.closed, "connection should be closed by the server");
    assert.equal(r.text, "");
    assert.ok(r.ms >= 800 && r.ms < 4000, `dropped after ${r.ms} ms`);
    // beast closes the socket when the timer fires and only then runs the handler that counts
    // the timeout, so the client can see the close first: poll the counter (bounded).
    const re = /ocular_http_connection_errors_total\{reason="read_timeout_header"\} [1-9]/;
    let m = await request(`${srv.url}/metrics`);
    for (let i = 0; i < 40 && !re.test(m.text); ++i) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      m = await request(`${srv.url}/metrics`);
    }
    assert.match(m.text, re);
  });

  test("URL inputs that resolve to blocked addresses are refused (SSRF)", async () => {
    const fixture = await startFixture({ "/img.png": (req, res) => { res.writeHead(200, { "content-type": "image/png" }); res.end(png(80, 80)); } });
    try {
      for (const url of [`http://127.0.0.2:${fixture.port}/img.png?sig=TOPSECRET`,
                         `http://localhost:${fixture.port}/img.png?sig=TOPSECRET`,
                         `http://[::1]:${fixture.port}/img.png?sig=TOPSECRET`,
                         `http://0.0.0.0:${fixture.port}/img.png?sig=TOPSECRET`,
                         `ftp://127.0.0.1/img.png`, "file:///etc/passwd", "not a url"]) {
        // Features that need no model, so the URL is reached whatever models are installed.
        for (const p of [analyze40("smartCrops"), "/vision/v3.2/analyze?visualFeatures=Color",
                         "/vision/v3.2/generateThumbnail?width=60&height=60"]) {
          const r = await request(`${srv.url}${p}`, { method: "POST", body: JSON.stringify({ url }),
            headers: { "ocp-apim-subscription-key": KEY, "content-type": "application/json" } });
          assert.equal(r.status, 400, `${url}: ${r.text}`);
          assert.equal(r.json.error.innererror?.code, "InvalidImageUrl", `${url}: ${r.text}`);
          assert.ok(!r.text.includes("TOPSECRET") && !r.text.includes("img.png"), r.text);
        }
      }
      assert.deepEqual(fixture.hits, [], "the fixture must never be contacted");
    } finally {
      await fixture.close();
    }
    assert.ok(!srv.logs.some((l) => l.includes("TOPSECRET") || l.includes("img.png")));
  });

  test("STS tokens work as bearer credentials", async () => {
    const none = await request(`${srv.url}/sts/v1.0/issueToken`, { method: "POST" });
    assert.equal(none.status, 401);
    const t = await request(`${srv.url}/sts/v1.0/issueToken`, { method: "POST", headers: { "ocp-apim-subscription-key": KEY2 } });
    assert.equal(t.status, 200);
    assert.match(t.text, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const withToken = await request(`${srv.url}/vision/v3.2/models`, { headers: { authorization: `Bearer ${t.text}` } });
    assert.notEqual(withToken.status, 401);
    const forged = await request(`${srv.url}/vision/v3.2/models`, { headers: { authorization: `Bearer ${t.text}x` } });
    assert.equal(forged.status, 401);
  });

  test("401s, 404s and 400s are counted in /metrics by route template", async () => {
    const m = await request(`${srv.url}/metrics`);
    assert.match(m.text, /ocular_http_requests_total\{route="\/vision\/v3\.2\/tag",status="401"\} [1-9]/);
    assert.match(m.text, /ocular_http_requests_total\{route="other",status="404"\} [1-9]/);
    assert.match(m.text, /route="\/vision\/v3\.2\/read\/analyzeResults\/\{id\}"/);
    assert.ok(!m.text.includes("2f1b6d6c"), "ids never become labels");
  });

  test("per-analyzer latency and model inference time are in /metrics", async () => {
    const body = png(200, 160, 7);
    for (const features of ["Color,ImageType", "Objects"]) {
      const r = await request(`${srv.url}/vision/v3.2/analyze?visualFeatures=${features}`, {
        method: "POST", body,
        headers: { "content-type": "application/octet-stream", "ocp-apim-subscription-key": KEY } });
      assert.ok(r.status === 200 || r.status === 400, r.text);
    }
    const m = await request(`${srv.url}/metrics`);
    assert.match(m.text, /ocular_analyzer_duration_seconds_count\{analyzer="color"\} [1-9]/);
    assert.match(m.text, /ocular_analyzer_duration_seconds_count\{analyzer="imageType"\} [1-9]/);
    // The objects model is the default detector tier's: yolov8s when installed, else CenterNet.
    const detector = fs.existsSync(path.join(MODEL_REPO, "yolov8s")) ? "yolov8s"
        : fs.existsSync(path.join(MODEL_REPO, "centernet")) ? "centernet" : null;
    if (detector) {
      assert.match(m.text,
          new RegExp(`ocular_model_inference_seconds_count\\{model="${detector}"\\} [1-9]`));
    }
  });
});

describe("startup policy", () => {
  // Run where no development credentials exist (.deps/devcert/ is the fallback of a bare serve).
  const bare = fs.mkdtempSync(path.join(os.tmpdir(), "ocular-bare-"));
  const bin = path.resolve(process.env.OCULAR_BIN || "build/ocular");
  test("refuses to start without a key", async () => {
    const r = spawnSync(bin, ["serve", "--plain-http", "--listen", "127.0.0.1:0"],
      { cwd: bare, env: { ...process.env, OCULAR_API_KEYS: "" }, encoding: "utf8", timeout: 30000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /no API key configured/);
  });
  test("refuses plain HTTP beyond loopback", async () => {
    const r = spawnSync(process.env.OCULAR_BIN || "build/ocular",
      ["serve", "--plain-http", "--listen", "0.0.0.0:0", "--api-key", "x"],
      { encoding: "utf8", timeout: 30000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /plain HTTP is only allowed on a loopback address/);
  });
  test("refuses TLS without a certificate", async () => {
    const r = spawnSync(bin, ["serve", "--listen", "127.0.0.1:0", "--api-key", "x"],
      { cwd: bare, encoding: "utf8", timeout: 30000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--tls-cert/);
  });
});

describe("rate limit and admin listener", () => {
  test("per-key token bucket answers 429 with Retry-After", async () => {
    const srv = await startServer({ args: ["--rate-limit", "0.01", "--rate-burst", "2"] });
    try {
      const call = (k) => request(`${srv.url}/vision/v3.2/models`, { headers: { "ocp-apim-subscription-key": k } });
      assert.notEqual((await call(KEY)).status, 429);
      assert.notEqual((await call(KEY)).status, 429);
      const limited = await call(KEY);
      assert.equal(limited.status, 429);
      assert.equal(limited.json.error.code, "429");
      assert.ok(Number(limited.headers["retry-after"]) >= 1);
      assert.notEqual((await call(KEY2)).status, 429, "the other key has its own bucket");
    } finally { await srv.stop(); }
  });

  test("--admin-listen moves /health, /ready and /metrics", async () => {
    const srv = await startServer({ args: ["--admin-listen", "127.0.0.1:0", "--malloc-hugepages=false"] });
    try {
      // (and --malloc-hugepages=false keeps the process as it was started)
      assert.ok(srv.logs.some((l) => /huge pages off \(--malloc-hugepages=false\)/.test(l)), srv.logs.join("\n"));
      const environ = fs.readFileSync(`/proc/${srv.proc.pid}/environ`, "utf8");
      assert.doesNotMatch(environ, /glibc\.malloc\.hugetlb/);
      const line = srv.logs.find((l) => /\(admin\)/.test(l));
      const port = Number(line.match(/127\.0\.0\.1:(\d+)/)[1]);
      assert.equal((await request(`http://127.0.0.1:${port}/metrics`)).status, 200);
      assert.equal((await request(`http://127.0.0.1:${port}/ready`)).status, 200);
      assert.equal((await request(`${srv.url}/metrics`)).status, 404);
      const r = await request(`http://127.0.0.1:${port}/vision/v3.2/models`, { headers: { "ocp-apim-subscription-key": KEY } });
      assert.equal(r.status, 404, "the admin listener serves no analysis route");
    } finally { await srv.stop(); }
  });
});

describe("TLS", () => {
  let srv;
  before(async () => { srv = await startServer({ tls: true }); });
  after(async () => { await srv?.stop(); });

  test("HTTPS with the development CA", async () => {
    const r = await request(`${srv.url}/health`, { ca: srv.ca });
    assert.equal(r.status, 200);
    assert.match(r.headers["strict-transport-security"] ?? "", /max-age=\d+/);
    const denied = await request(`${srv.url}/vision/v3.2/tag`, { method: "POST", ca: srv.ca, body: "x" });
    assert.equal(denied.status, 401);
  });

  const sClient = (flags) => spawnSync("openssl",
    ["s_client", "-connect", `127.0.0.1:${srv.port}`, "-servername", "localhost",
     "-CAfile", devCert().ca, ...flags], { input: "", encoding: "utf8", timeout: 20000 });

  test("TLS 1.2 and 1.3 are accepted", () => {
    for (const v of ["-tls1_2", "-tls1_3"]) {
      const r = sClient([v]);
      assert.equal(r.status, 0, `${v}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /Verify return code: 0 \(ok\)/);
      assert.match(r.stdout, v === "-tls1_3" ? /TLSv1\.3/ : /TLSv1\.2/);
    }
  });

  test("TLS 1.1 and 1.0 are refused by the server", () => {
    // @SECLEVEL=0 lets this client offer TLS 1.1/1.0 at all, so a refusal comes from the server.
    for (const v of ["-tls1_1", "-tls1"]) {
      const r = sClient([v, "-cipher", "DEFAULT:@SECLEVEL=0"]);
      assert.notEqual(r.status, 0, `${v} must fail`);
      assert.doesNotMatch(r.stdout, /Cipher is (?!\(NONE\))/, r.stdout);
      assert.match(r.stdout + r.stderr, /alert protocol version|unsupported protocol|wrong version number/i,
        `${v}: ${r.stdout}${r.stderr}`);
    }
  });

  test("plain HTTP to the TLS port gets no answer", async () => {
    const r = await rawExchange(srv.port, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", 4000);
    assert.doesNotMatch(r.text, /HTTP\/1\.1 200/);
  });
});

describe("privacy", () => {
  test("N analyses leave no file behind and no request data in the logs", async () => {
    const home = tmpDir("ocular-home-"), tmp = tmpDir("ocular-tmp-"), cwd = tmpDir("ocular-cwd-");
    const img = png(320, 240, 7);
    const fixture = await startFixture({
      "/private-album-8d1f/holiday.png": (req, res) => { res.writeHead(200, { "content-type": "image/png" }); res.end(img); } });
    const srv = await startServer({ cwd, env: { HOME: home, TMPDIR: tmp },
      args: ["--allow-url-cidr", "127.0.0.1/32", "--log-level", "debug"] });
    const N = 12;
    try {
      const statuses = [];
      for (let i = 0; i < N; i++) {
        const bytes = await request(`${srv.url}${analyze40(i % 2 ? "smartCrops" : "tags,objects,read,smartCrops,people,caption")}`, {
          method: "POST", body: img,
          headers: { "ocp-apim-subscription-key": KEY, "content-type": "application/octet-stream" } });
        const byUrl = await request(`${srv.url}/vision/v3.2/analyze?visualFeatures=Color,ImageType`, {
          method: "POST",
          body: JSON.stringify({ url: `${fixture.base}/private-album-8d1f/holiday.png?sig=SECRETSIG${i}` }),
          headers: { "ocp-apim-subscription-key": KEY, "content-type": "application/json" } });
        statuses.push(bytes.status, byUrl.status);
      }
      assert.ok(statuses.every((s) => s < 500), `statuses: ${statuses}`);
      assert.ok(fixture.hits.length >= N, `the URL path was exercised (${fixture.hits.length} fetches)`);
    } finally {
      await srv.stop();
      await fixture.close();
    }
    for (const d of [home, tmp, cwd]) assert.deepEqual(listFiles(d), [], `files created in ${d}`);
    const logs = srv.logs.join("\n") + srv.stdout;
    assert.ok(srv.logs.some((l) => /route=\/vision\/v3\.2\/analyze status=\d+/.test(l)), "access log present");
    for (const secret of ["private-album-8d1f", "holiday.png", "SECRETSIG", "127.0.0.1:" + fixture.port, KEY]) {
      assert.ok(!logs.includes(secret), `logs contain ${secret}`);
    }
    // Image bytes in any common encoding: a 24-byte run from the middle of the file.
    const run = img.subarray(img.length >> 1, (img.length >> 1) + 24);
    for (const enc of [run.toString("latin1"), run.toString("hex"), run.toString("base64").slice(4, 28)]) {
      assert.ok(!logs.includes(enc), "logs contain image bytes");
    }
    for (const d of [home, tmp, cwd]) fs.rmSync(d, { recursive: true, force: true });
  });
});

describe("cancellation", () => {
  test("the queued work of clients that disconnect is skipped; the next request is served", async () => {
    // One worker: the first request runs, the others wait in the queue until their clients leave.
    const srv = await startServer({ args: ["--workers", "1", "--queue", "16"] });
    const N = 6;
    const body = png(1024, 768, 5);
    const metric = async (re) => Number((await request(`${srv.url}/metrics`)).text.match(re)?.[1] ?? NaN);
    try {
      const head = `POST ${analyze40("tags,objects,caption,denseCaptions,people,smartCrops")} HTTP/1.1\r\n` +
        `Host: 127.0.0.1\r\nOcp-Apim-Subscription-Key: ${KEY}\r\n` +
        `Content-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\n\r\n`;
      // Each client sends its whole request, then disconnects without waiting for the answer.
      await Promise.all(Array.from({ length: N }, () => rawExchange(srv.port, Buffer.concat([Buffer.from(head), body]), 300)));
      const t0 = Date.now();
      const next = await request(`${srv.url}${analyze40("tags")}`, {
        method: "POST", body: png(200, 160, 3),
        headers: { "ocp-apim-subscription-key": KEY, "content-type": "application/octet-stream" } });
      const waited = Date.now() - t0;
      assert.equal(next.status, 200, next.text);
      const queued = await metric(/^ocular_requests_cancelled_total\{stage="queued"\} (\d+)$/m);
      const running = await metric(/^ocular_requests_cancelled_total\{stage="running"\} (\d+)$/m);
      // At most the first request (and one more, if the first finished before its client left)
      // reached the engine; the others never started.
      assert.ok(queued >= N - 2, `cancelled queued=${queued} running=${running}, next waited ${waited} ms`);
      assert.ok(queued + running <= N);
      assert.ok(srv.logs.filter((l) => / status=499 /.test(l)).length >= N - 2, "499s in the access log");
    } finally { await srv.stop(); }
  });
});
