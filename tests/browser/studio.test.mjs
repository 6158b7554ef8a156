// The Ocular Studio in a real browser: Debian's chromium driven by puppeteer-core (which never
// downloads a browser), against a real `ocular serve` over TLS with the development certificate.
// The page is checked against the API's own JSON for the same request; axe-core finds no serious
// or critical violation; the layout works at 375 px. Screenshots go to build/studio-screenshots/
// (desktop, mobile, one per overlay kind) for people to look at.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import puppeteer from "puppeteer-core";

import { BIN, MODEL_REPO, ROOT, devCert, request, startServer, tmpDir } from "../integration/harness.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const IMAGES = process.env.OCULAR_TEST_IMAGES || path.resolve(ROOT, "../shared/testdata/images");
const SHOTS = process.env.OCULAR_SCREENSHOT_DIR || path.join(ROOT, "build", "studio-screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const KEY = "studio-test-key";
const img = (name) => path.join(IMAGES, name);

let server;
let galleries;
let browser;
let page;
const violations = [];  // CSP violations and page errors, checked at the end

// The SPKI pin of the development certificate: chromium accepts exactly this certificate
// (--ignore-certificate-errors-spki-list), so the page really loads over TLS.
function spkiPin(certFile) {
  const cert = new crypto.X509Certificate(fs.readFileSync(certFile));
  const der = cert.publicKey.export({ type: "spki", format: "der" });
  return crypto.createHash("sha256").update(der).digest("base64");
}

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  // A gallery with one celebrity and one landmark (from the shared photos) next to the default
  // brand gallery of setup, so that every overlay kind has something to show.
  galleries = tmpDir("ocular-studio-gallery-");
  const enroll = (kind, name, file) => {
    fs.mkdirSync(path.join(galleries, kind, name), { recursive: true });
    fs.copyFileSync(img(file), path.join(galleries, kind, name, file));
  };
  enroll("celebrities", "Barack Obama", "portrait_obama.jpg");
  enroll("landmarks", "Taj Mahal", "landmark_taj_mahal_1.jpg");
  // The Nikon mark of setup's default brand gallery (scripts/setup.d/60-galleries.sh) only:
  // building the whole default gallery would take most of this suite's time.
  const nikon = path.join(ROOT, "galleries", "brands", "Nikon");
  assert.ok(fs.existsSync(nikon), `${nikon} is missing: run scripts/setup.sh`);
  fs.mkdirSync(path.join(galleries, "brands"));
  fs.symlinkSync(nikon, path.join(galleries, "brands", "Nikon"));
  const built = spawnSync(BIN, ["gallery", "build", "--galleries", galleries, "--repo", MODEL_REPO],
                          { encoding: "utf8" });
  assert.equal(built.status, 0, built.stderr);
  server = await startServer({ tls: true, keys: [KEY],
                               args: ["--enable-celebrities", "--galleries", galleries] });
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--no-first-run", "--disable-gpu",
           `--ignore-certificate-errors-spki-list=${spkiPin(devCert().cert)}`],
  });
  page = await browser.newPage();
  // Analyses can be slow on a loaded CI machine (2 cores shared by every suite): wait generously.
  page.setDefaultTimeout(180000);
  await page.setViewport({ width: 1440, height: 1000 });
  await page.evaluateOnNewDocument(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__violations = window.__violations || [];
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on("pageerror", (e) => violations.push(`pageerror: ${e.message}`));
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (galleries) fs.rmSync(galleries, { recursive: true, force: true });
});

// The API's own answer for the request the page sent (same path, query and body).
async function apiJson(apiPath, file) {
  const r = await request(`${server.url}${apiPath}`, {
    method: "POST", ca: server.ca, body: fs.readFileSync(file),
    headers: { "Ocp-Apim-Subscription-Key": KEY, "Content-Type": "application/octet-stream" },
  });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// Sets the API radio, uploads `file`, clicks Analyze and waits for the outcome. Returns the path
// + query the page requested.
async function analyzeInPage(file, api, { features } = {}) {
  await page.click(`input[name=api][value="${api}"]`);
  if (features) {
    const name = api === "4.0" ? "f40" : "f32";
    await page.$$eval(`input[name=${name}]`, (boxes, want) => {
      for (const b of boxes) if (b.checked !== want.includes(b.value)) b.click();
    }, features);
  }
  const input = await page.$("#file-input");
  await input.uploadFile(file);
  await page.waitForFunction(() => !document.querySelector("#analyze").disabled);
  const sent = page.waitForRequest((r) => r.method() === "POST");
  const answered = page.waitForResponse((r) => r.request().method() === "POST");
  await page.click("#analyze");
  const req = await sent;
  const res = await answered;
  await page.waitForFunction(() => /Done|^$/.test(document.querySelector("#status").textContent) &&
    !document.querySelector("#analyze").classList.contains("busy"));
  const u = new URL(req.url());
  return { pathAndQuery: u.pathname + u.search, status: res.status(), headers: res.headers(),
           url: req.url() };
}

async function count(selector) {
  return page.$$eval(selector, (els) => els.length);
}

// Shows only `kind` and screenshots the image with its boxes.
async function shootKind(kind) {
  await page.$$eval(".toggle", (buttons, k) => {
    for (const b of buttons) {
      const want = b.dataset.kind === k;
      if ((b.getAttribute("aria-pressed") === "true") !== want) b.click();
    }
  }, kind);
  const stage = await page.$("#stage-inner");
  await stage.screenshot({ path: path.join(SHOTS, `kind-${kind}.png`) });
  await page.$$eval(".toggle", (buttons) => {
    for (const b of buttons) if (b.getAttribute("aria-pressed") !== "true" && b.dataset.kind !== "readWords") b.click();
  });
}

test("the studio loads over TLS without a key, with a strict CSP", async () => {
  const r = await request(`${server.url}/studio/`, { ca: server.ca });
  assert.equal(r.status, 200);
  assert.match(r.headers["content-type"], /^text\/html/);
  const csp = r.headers["content-security-policy"];
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(r.headers["x-content-type-options"], "nosniff");
  assert.ok(r.headers.etag);
  const again = await request(`${server.url}/studio/`, { ca: server.ca, headers: { "If-None-Match": r.headers.etag } });
  assert.equal(again.status, 304);
  const js = await request(`${server.url}/studio/js/app.js`, { ca: server.ca });
  assert.match(js.headers["content-type"], /^text\/javascript/);
  const config = await request(`${server.url}/studio/config.json`, { ca: server.ca });
  assert.equal(config.json.ready, true);
  assert.equal(config.json.celebrities, true);
  assert.doesNotMatch(config.text, new RegExp(KEY));

  await page.goto(`${server.url}/studio/`, { waitUntil: "networkidle0" });
  assert.match(page.url(), /^https:\/\//);
  await page.waitForFunction(() => /Model /.test(document.querySelector("#server-facts").textContent));
  assert.ok(await count("#samples .sample") >= 5, "bundled samples are listed");
});

test("a wrong key shows the service's 401 message", async () => {
  await page.type("#api-key", "not-the-key");
  const sent = await analyzeInPage(img("animal_dog_bicycle.jpg"), "4.0", { features: ["tags"] });
  assert.equal(sent.status, 401);
  const message = await page.$eval("#error", (e) => (e.hidden ? "" : e.textContent));
  assert.match(message, /^401/);
  assert.match(message, /subscription key|access denied|key/i);
  assert.equal(await count("#overlay [data-kind]"), 0);
});

test("an unsupported image shows the service's error message", async () => {
  await page.$eval("#api-key", (e) => { e.value = ""; });
  await page.type("#api-key", KEY);
  const bad = path.join(galleries, "not-an-image.jpg");
  fs.writeFileSync(bad, "this is text, not a JPEG");
  const sent = await analyzeInPage(bad, "4.0", { features: ["tags"] });
  assert.equal(sent.status, 400);
  const message = await page.$eval("#error", (e) => (e.hidden ? "" : e.textContent));
  assert.match(message, /^400 InvalidRequest \(InvalidImageFormat\): ./, message);
});

test("drag and drop, paste and the bundled samples put an image on the stage", async () => {
  const dropped = await page.evaluate(async () => {
    const blob = await (await fetch("samples/animal_horses.jpg")).blob();
    const dt = new DataTransfer();
    dt.items.add(new File([blob], "dropped.jpg", { type: "image/jpeg" }));
    document.querySelector("#drop-zone").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    return document.querySelector("#stage-caption").textContent;
  });
  assert.equal(dropped, "dropped.jpg");
  const pasted = await page.evaluate(async () => {
    const blob = await (await fetch("samples/animal_horses.jpg")).blob();
    const dt = new DataTransfer();
    dt.items.add(new File([blob], "pasted.jpg", { type: "image/jpeg" }));
    document.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
    return document.querySelector("#stage-caption").textContent;
  });
  assert.equal(pasted, "pasted.jpg");
  await page.click("#samples .sample");
  await page.waitForFunction(() => document.querySelector("#stage-caption").textContent === "faces_group_selfie.jpg");
  assert.equal(await page.$eval("#analyze", (b) => b.disabled), false);
});

test("4.0: boxes, caption, tags and timing match the API's own JSON", async () => {
  const all = ["caption", "denseCaptions", "tags", "objects", "people", "read", "smartCrops"];
  const sent = await analyzeInPage(img("animal_dog_bicycle.jpg"), "4.0", { features: all });
  assert.equal(sent.status, 200);
  assert.ok(!sent.url.includes(KEY), "the key never goes in the URL");
  assert.match(sent.headers["server-timing"], /objects;dur=[\d.]+.*total;dur=[\d.]+/);
  const json = await apiJson(sent.pathAndQuery, img("animal_dog_bicycle.jpg"));
  assert.ok(json.objectsResult.values.length > 0, "the photo has objects");
  assert.equal(await count("#overlay [data-kind=objects]"), json.objectsResult.values.length);
  assert.equal(await count("#overlay [data-kind=people]"), json.peopleResult.values.length);
  assert.equal(await count("#overlay [data-kind=denseCaptions]"), json.denseCaptionsResult.values.length);
  assert.equal(await count("#overlay [data-kind=smartCrops]"), json.smartCropsResult.values.length);
  const lines = json.readResult.blocks.flatMap((b) => b.lines);
  assert.equal(await count("#overlay [data-kind=read]"), lines.length);
  assert.equal(await page.$eval("#caption-text", (e) => e.textContent), json.captionResult.text);
  assert.equal(await count("#tags-list li"), json.tagsResult.values.length);
  // Each box has a <title> with its label and confidence.
  const firstObject = json.objectsResult.values[0].tags[0];
  const titles = await page.$$eval("#overlay [data-kind=objects] > title", (t) => t.map((x) => x.textContent));
  assert.ok(titles.includes(`${firstObject.name} (${(firstObject.confidence * 100).toFixed(1)}%)`), titles.join("|"));
  // Timing view lists each analyzer from Server-Timing.
  await page.click("#tab-timing");
  const timing = await page.$eval("#timing-list", (e) => e.textContent);
  assert.match(timing, /objects/);
  assert.match(timing, /total \(server\)/);
  await page.click("#tab-results");
  // Hovering a row highlights its box, and hovering a box highlights its row.
  const id = await page.$eval("#overlay [data-kind=objects]", (g) => g.dataset.box);
  await page.hover(`#results-body .row[data-box="${id}"]`);
  assert.equal(await page.$eval(`#overlay [data-box="${id}"]`, (g) => g.classList.contains("hot")), true);
  await page.mouse.move(0, 0);
  assert.equal(await page.$eval(`#overlay [data-box="${id}"]`, (g) => g.classList.contains("hot")), false);
  await page.$eval(`#overlay [data-box="${id}"] .line`,
                   (e) => e.dispatchEvent(new MouseEvent("mouseover", { bubbles: true })));
  assert.equal(await page.$eval(`#results-body .row[data-box="${id}"]`, (r) => r.classList.contains("hot")), true);
  await page.$eval(`#overlay [data-box="${id}"] .line`,
                   (e) => e.dispatchEvent(new MouseEvent("mouseout", { bubbles: true })));
  await page.$eval("#view-results", (v) => { v.scrollTop = 0; });
  await page.screenshot({ path: path.join(SHOTS, "desktop-4.0.png"), fullPage: true });
  for (const kind of ["objects", "people", "denseCaptions", "smartCrops"]) await shootKind(kind);

  // Toggling a kind off hides its boxes.
  await page.click(".toggle[data-kind=objects]");
  const shown = await page.$$eval("#overlay [data-kind=objects]", (els) =>
    els.filter((e) => getComputedStyle(e).display !== "none").length);
  assert.equal(shown, 0);
  assert.ok(await count("#overlay [data-kind=people]") === 0 ||
    await page.$eval("#overlay [data-kind=people]", (e) => getComputedStyle(e).display !== "none"));
  await page.click(".toggle[data-kind=objects]");

  // The raw view is the response, the code view holds a placeholder, never the key.
  const raw = JSON.parse(await page.$eval("#raw-json", (e) => e.textContent));
  assert.deepEqual(raw, json);
  await page.click("#tab-code");
  for (const lang of ["curl", "python", "js"]) {
    await page.click(`input[name=code-lang][value=${lang}]`);
    const code = await page.$eval("#code-snippet", (e) => e.textContent);
    assert.match(code, /<your-key>/);
    assert.ok(!code.includes(KEY));
  }
  await page.screenshot({ path: path.join(SHOTS, "desktop-code.png") });
  await page.click("#tab-results");
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, "nothing kept unless asked");
});

test("4.0 read: text lines and words on a sign", async () => {
  const sent = await analyzeInPage(img("text_sign_no_litter.jpg"), "4.0", { features: ["read"] });
  const json = await apiJson(sent.pathAndQuery, img("text_sign_no_litter.jpg"));
  const lines = json.readResult.blocks.flatMap((b) => b.lines);
  assert.ok(lines.length > 0);
  assert.equal(await count("#overlay [data-kind=read]"), lines.length);
  assert.equal(await count("#overlay [data-kind=readWords]"), lines.flatMap((l) => l.words).length);
  assert.equal(await page.$eval("#ocr-text", (e) => e.textContent), lines.map((l) => l.text).join("\n"));
  await shootKind("read");
  await shootKind("readWords");
});

test("v3.2: faces, brands, celebrities and landmarks match the API", async () => {
  const details = { Landmarks: true, Celebrities: true };
  await page.click('input[name=api][value="3.2"]');
  await page.$$eval("input[name=d32]", (boxes, want) => {
    for (const b of boxes) if (!b.disabled && b.checked !== Boolean(want[b.value])) b.click();
  }, details);
  const all = ["Description", "Tags", "Categories", "Objects", "Faces", "Brands", "Adult", "Color"];
  const celebs = (j) => new Set(j.categories.flatMap((c) => c.detail?.celebrities ?? [])
    .map((p) => `${p.name}:${JSON.stringify(p.faceRectangle)}`)).size;
  const marks = (j) => new Set(j.categories.flatMap((c) => c.detail?.landmarks ?? []).map((l) => l.name)).size;
  const cases = [
    ["faces_group_selfie.jpg", "faces", (j) => j.faces.length, all],
    ["sports_baseball_nikon.jpg", "brands", (j) => j.brands.length, ["Description", "Faces", "Brands"]],
    ["faces_two_people.jpg", "celebrities", celebs, ["Description", "Categories", "Faces"]],
    ["landmark_taj_mahal_2.jpg", "landmarks", marks, ["Description", "Categories", "Faces"]],
  ];
  for (const [file, kind, expected, features] of cases) {
    const sent = await analyzeInPage(img(file), "3.2", { features });
    assert.equal(sent.status, 200);
    const json = await apiJson(sent.pathAndQuery, img(file));
    assert.ok(expected(json) > 0, `the API finds ${kind} on ${file}`);
    assert.equal(await count(`#overlay [data-kind=${kind}]`), expected(json), `${kind} on ${file}`);
    assert.equal(await count("#overlay [data-kind=faces]"), json.faces.length);
    assert.equal(await count("#overlay [data-kind=objects]"), json.objects?.length ?? 0);
    assert.equal(await page.$eval("#caption-text", (e) => e.textContent), json.description.captions[0].text);
    await shootKind(kind);
    if (file === "faces_group_selfie.jpg") {
      assert.match(await page.$eval("#gore-note", (e) => e.textContent), /unsupported/);
      assert.ok(await count(".swatches .swatch-item") > 0, "colour swatches");
      await page.screenshot({ path: path.join(SHOTS, "desktop-3.2.png"), fullPage: true });
    }
  }
});

test("batch: every file gets a card, progress reaches the end, JSONL is offered", async () => {
  await page.click('input[name=api][value="4.0"]');
  const files = ["animal_horses.jpg", "food_pizza.jpg", "animal_cat.png"].map(img);
  await page.$$eval("input[name=f40]", (boxes) => {
    for (const b of boxes) if (b.checked !== ["caption", "tags"].includes(b.value)) b.click();
  });
  const input = await page.$("#file-input");
  await input.uploadFile(...files);
  await page.waitForFunction((n) => document.querySelector("#batch-progress").value === n, { timeout: 120000 }, files.length);
  assert.equal(await count("#batch-grid .batch-card"), files.length);
  assert.equal(await count("#batch-grid .batch-card.ok"), files.length);
  assert.equal(await page.$eval("#batch-download", (b) => b.disabled), false);
  // One click downloads every result as JSONL, one line per file in order.
  const downloads = tmpDir("ocular-studio-dl-");
  const cdp = await page.createCDPSession();
  await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloads });
  await page.click("#batch-download");
  const jsonl = path.join(downloads, "ocular-batch.jsonl");
  for (let i = 0; i < 100 && !fs.existsSync(jsonl); i++) await new Promise((r) => setTimeout(r, 100));
  const lines = fs.readFileSync(jsonl, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  fs.rmSync(downloads, { recursive: true, force: true });
  assert.deepEqual(lines.map((l) => l.file), files.map((f) => path.basename(f)));
  for (const l of lines) assert.equal(typeof l.result.captionResult.text, "string");
  const captions = await page.$$eval(".batch-caption", (c) => c.map((x) => x.textContent));
  for (const c of captions) assert.ok(c.length > 0 && !/Waiting|Analyzing/.test(c), c);
  await page.screenshot({ path: path.join(SHOTS, "desktop-batch.png"), fullPage: true });
  await page.click("#batch-close");
});

test("axe-core: no serious or critical accessibility violations", async () => {
  await page.evaluate(AXE_SOURCE);  // DevTools evaluation: not subject to the page's CSP
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length,
                                      target: v.nodes[0]?.target?.join(" ") }));
  });
  const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad, [], JSON.stringify(bad, null, 2));
});

test("375-pixel viewport: no horizontal scrolling, controls reachable", async () => {
  // "Remember for this tab" keeps the key in sessionStorage (never localStorage) across a reload.
  await page.click("#remember-key");
  await page.setViewport({ width: 375, height: 812, isMobile: true, hasTouch: true });
  await page.reload({ waitUntil: "networkidle0" });
  assert.equal(await page.$eval("#api-key", (e) => e.value), KEY);
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  await page.click("#remember-key");
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await analyzeInPage(img("faces_group_selfie.jpg"), "4.0", { features: ["caption", "objects", "people", "tags"] });
  const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
  assert.ok(widths.doc <= widths.view, `page is ${widths.doc}px wide in a ${widths.view}px viewport`);
  for (const id of ["#analyze", "#api-key", "#drop-zone", "#results-body"]) {
    const box = await (await page.$(id)).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 375 + 0.5, `${id} fits: ${JSON.stringify(box)}`);
  }
  await page.screenshot({ path: path.join(SHOTS, "mobile-375.png"), fullPage: true });
  const csp = await page.evaluate(() => window.__violations || []);
  assert.deepEqual(csp, [], "no Content-Security-Policy violations");
  assert.deepEqual(violations, []);
});

// Last of the page tests: its 23 MB upload fills DevTools' network buffer, which would evict the
// response bodies the other tests read.
test("a file over the size limit shows the service's error message", async () => {
  // Over the 4.0 limit (20 MiB) and the transport's body limit: refused before it is read, and
  // the page still shows the service's message.
  const big = path.join(galleries, "too-big.jpg");
  fs.writeFileSync(big, Buffer.alloc(23 * 1000 * 1000, 7));
  const refused = await analyzeInPage(big, "4.0", { features: ["tags"] });
  assert.equal(refused.status, 400);
  const tooLarge = await page.$eval("#error", (e) => (e.hidden ? "" : e.textContent));
  assert.match(tooLarge, /^400 InvalidRequest.*20971520 bytes/, tooLarge);
  fs.rmSync(big);
});

test("--studio=false turns the studio off", async () => {
  const off = await startServer({ tls: true, keys: [KEY], args: ["--studio=false"], waitReady: false });
  try {
    const r = await request(`${off.url}/studio/`, { ca: off.ca });
    assert.equal(r.status, 404);
  } finally {
    await off.stop();
  }
});
