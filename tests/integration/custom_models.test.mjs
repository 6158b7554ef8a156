// Custom models through `ocular serve` (issue 13): `ocular models add` into a repository the
// server is running on, SIGHUP, then predictions on the Custom Vision Prediction routes; a model
// broken on disk is refused at reload while the previous set keeps serving; 401, unknown
// iteration/project, wrong route kind and a corrupt image answer Custom Vision {code, message}.
// The same models on Image Analysis 4.0 `model-name` (customModelResult, the nsfw classifier
// added as a custom classifier), in the 4.0 and v3.2 model listings and in /metrics; and a
// broken custom model at start fails the start with a message naming it.
// Needs the pack's yolov8n, nsfw-mobilenet-v2 and ../shared/testdata/images; skipped otherwise.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { BIN, MODEL_REPO, ROOT, request, startServer, tmpDir } from "./harness.mjs";

const KEY = "test-key-1";
const PROJECT = "6b1f3c52-2f0e-4d7e-9a51-3f2a8c0d9e11";
const IMAGES = path.join(process.env.OCULAR_SHARED_DIR ?? path.join(ROOT, "..", "shared"), "testdata", "images");
const YOLO = path.join(MODEL_REPO, "yolov8n");
const NSFW = path.join(MODEL_REPO, "nsfw-mobilenet-v2");
const missing = !fs.existsSync(IMAGES) ? `no shared test images at ${IMAGES}`
  : !fs.existsSync(YOLO) ? `no yolov8n model in ${MODEL_REPO}`
  : !fs.existsSync(NSFW) ? `no nsfw-mobilenet-v2 model in ${MODEL_REPO}` : null;

function newest(dir) {
  return path.join(dir, fs.readdirSync(dir).filter((v) => !v.startsWith(".")).sort().at(-1));
}

function add(repo, name, extra = []) {
  const v = newest(YOLO);
  return spawnSync(BIN, ["models", "add", "--repo", repo, "--name", name, "--task", "object-detection",
    "--model", path.join(v, "model.onnx"), "--labels", path.join(v, "labels.txt"), ...extra], { encoding: "utf8" });
}

function addClassifier(repo, name) {
  const v = newest(NSFW);
  return spawnSync(BIN, ["models", "add", "--repo", repo, "--name", name, "--task", "image-classification",
    "--model", path.join(v, "model.onnx"), "--labels", path.join(v, "labels.txt"), "--version", "1"],
    { encoding: "utf8" });
}

const analyze40 = (srv, query, body, key = KEY) => request(
  `${srv.url}/computervision/imageanalysis:analyze?${query}`,
  { method: "POST", body, headers: { "ocp-apim-subscription-key": key, "content-type": "application/octet-stream" } });

const detectUrl = (srv, name, project = PROJECT, tail = "image") =>
  `${srv.url}/customvision/v3.0/Prediction/${project}/detect/iterations/${name}/${tail}`;

async function predict(srv, url, body, key = KEY) {
  return request(url, { method: "POST", body,
    headers: { "prediction-key": key, "content-type": "application/octet-stream" } });
}

describe("custom models through the server", { skip: missing ?? false }, () => {
  let repo, srv;
  const photo = () => fs.readFileSync(path.join(IMAGES, "animal_dog_bicycle.jpg"));
  before(async () => {
    repo = tmpDir("ocular-custom-");
    srv = await startServer({ repo });
  });
  after(async () => {
    await srv?.stop();
    if (repo) fs.rmSync(repo, { recursive: true, force: true });
  });

  test("unknown project before any model: 404 NotFoundProject", async () => {
    const r = await predict(srv, detectUrl(srv, "site-objects"), photo());
    assert.equal(r.status, 404, r.text);
    assert.equal(r.json.code, "NotFoundProject");
  });

  test("models add, SIGHUP, predict", async () => {
    const a = add(repo, "site-objects", ["--project-id", PROJECT, "--version", "1"]);
    assert.equal(a.status, 0, a.stderr);
    assert.match(a.stdout, new RegExp(`project id: ${PROJECT}`));
    const list = spawnSync(BIN, ["models", "list", "--repo", repo, "--json"], { encoding: "utf8" });
    assert.equal(JSON.parse(list.stdout).models[0].custom.project_id, PROJECT);
    srv.proc.kill("SIGHUP");
    await srv.waitFor(/SIGHUP: custom models reloaded/, 60000);
    const r = await predict(srv, detectUrl(srv, "site-objects", PROJECT, "image/nostore"), photo());
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.project, PROJECT);
    assert.ok(r.json.predictions.length > 0, r.text);
    const p = r.json.predictions;
    for (let i = 1; i < p.length; i++) assert.ok(p[i - 1].probability >= p[i].probability);
    for (const x of p) {
      const b = x.boundingBox;
      assert.ok(b.left >= 0 && b.top >= 0 && b.left + b.width <= 1.0001 && b.top + b.height <= 1.0001, JSON.stringify(x));
    }
  });

  test("a model broken on disk is refused at reload and the old set keeps serving", async () => {
    const v1 = path.join(repo, "site-objects", "1"), v2 = path.join(repo, "site-objects", "2");
    fs.cpSync(v1, v2, { recursive: true });
    const cfg = JSON.parse(fs.readFileSync(path.join(v2, "config.json"), "utf8"));
    cfg.version = "2";
    fs.writeFileSync(path.join(v2, "config.json"), JSON.stringify(cfg));
    fs.writeFileSync(path.join(v2, "labels.txt"), "hardhat\nvest\n");  // 2 labels for 80 classes
    srv.proc.kill("SIGHUP");
    await srv.waitFor(/SIGHUP: custom model reload refused/, 60000);
    const r = await predict(srv, detectUrl(srv, "site-objects"), photo());
    assert.equal(r.status, 200, r.text);
    fs.rmSync(v2, { recursive: true });
  });

  test("errors in Custom Vision's shape", async () => {
    const wrongKey = await predict(srv, detectUrl(srv, "site-objects"), photo(), "wrong");
    assert.equal(wrongKey.status, 401);
    assert.equal(wrongKey.json.code, "Unauthorized");
    const unknown = await predict(srv, detectUrl(srv, "nope"), photo());
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.code, "NotFoundIteration");
    const project = await predict(srv, detectUrl(srv, "site-objects", "00000000-0000-4000-8000-000000000000"), photo());
    assert.equal(project.status, 404);
    assert.equal(project.json.code, "NotFoundProject");
    const corrupt = await predict(srv, detectUrl(srv, "site-objects"), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("not really")]));
    assert.equal(corrupt.status, 400, corrupt.text);
    assert.match(corrupt.json.code, /^BadRequestImage/);
    const classify = await predict(srv, detectUrl(srv, "site-objects").replace("/detect/", "/classify/"), photo());
    assert.equal(classify.status, 400);
  });
});

describe("custom models on Image Analysis 4.0 model-name and the listings", { skip: missing ?? false }, () => {
  let repo, srv;
  const photo = () => fs.readFileSync(path.join(IMAGES, "animal_dog_bicycle.jpg"));
  before(async () => {
    repo = tmpDir("ocular-custom40-");
    const a = add(repo, "site-objects", ["--project-id", PROJECT, "--version", "1"]);
    assert.equal(a.status, 0, a.stderr);
    const c = addClassifier(repo, "content-filter");
    assert.equal(c.status, 0, c.stderr);
    // Its last layer is a Softmax node: models add picks activation none by itself.
    assert.match(c.stdout, /activation: none/);
    srv = await startServer({ repo });
  });
  after(async () => {
    await srv?.stop();
    if (repo) fs.rmSync(repo, { recursive: true, force: true });
  });

  test("detector: customModelResult.objectsResult in pixels, same predictions as Custom Vision", async () => {
    const r = await analyze40(srv, "api-version=2023-04-01-preview&model-name=site-objects", photo());
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json), ["customModelResult", "modelVersion", "metadata"]);
    assert.deepEqual(Object.keys(r.json.customModelResult), ["objectsResult"]);
    const { width, height } = r.json.metadata;
    const values = r.json.customModelResult.objectsResult.values;
    const names = values.map((v) => v.tags[0].name);
    assert.ok(names.includes("dog") && names.includes("bicycle"), names.join(","));
    for (const v of values) {
      const b = v.boundingBox;
      assert.equal(v.tags.length, 1);
      assert.ok(Number.isInteger(b.x) && Number.isInteger(b.w) && b.x >= 0 && b.y >= 0 &&
                b.x + b.w <= width && b.y + b.h <= height, JSON.stringify(v));
    }
    for (let i = 1; i < values.length; i++) assert.ok(values[i - 1].tags[0].confidence >= values[i].tags[0].confidence);
    const cv = await predict(srv, detectUrl(srv, "site-objects"), photo());
    assert.equal(cv.status, 200, cv.text);
    assert.deepEqual(names, cv.json.predictions.map((p) => p.tagName));
    const b0 = values[0].boundingBox, p0 = cv.json.predictions[0].boundingBox;
    assert.ok(Math.abs(b0.x - p0.left * width) <= 1 && Math.abs(b0.w - p0.width * width) <= 2, `${JSON.stringify(b0)} ${JSON.stringify(p0)}`);
    // Also the GA api-version.
    const ga = await analyze40(srv, "api-version=2024-02-01&model-name=site-objects", photo());
    assert.equal(ga.status, 200, ga.text);
  });

  test("classifier: customModelResult.tagsResult with every label", async () => {
    const r = await analyze40(srv, "api-version=2023-02-01-preview&model-name=content-filter", photo());
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json.customModelResult), ["tagsResult"]);
    const values = r.json.customModelResult.tagsResult.values;
    const labels = fs.readFileSync(path.join(newest(NSFW), "labels.txt"), "utf8").split("\n").filter(Boolean);
    assert.deepEqual(values.map((v) => v.name).sort(), [...labels].sort());
    const sum = values.reduce((a, v) => a + v.confidence, 0);
    assert.ok(Math.abs(sum - 1) < 1e-3, `softmax sums to ${sum}`);
    for (let i = 1; i < values.length; i++) assert.ok(values[i - 1].confidence >= values[i].confidence);
    // The same scores as the built-in adult analyzer's model gives this photo: clearly neutral.
    assert.equal(values[0].name, "Neutral", JSON.stringify(values));
    assert.ok(values[0].confidence > 0.8, JSON.stringify(values));
  });

  test("errors: features with model-name, unknown model, retired preview, bad image, wrong key", async () => {
    const both = await analyze40(srv, "api-version=2023-10-01&model-name=site-objects&features=tags", photo());
    assert.equal(both.status, 400, both.text);
    assert.equal(both.json.error.innererror.code, "BadArgument");
    const unknown = await analyze40(srv, "api-version=2023-10-01&model-name=nope", photo());
    assert.equal(unknown.status, 404, unknown.text);
    assert.equal(unknown.json.error.innererror.code, "InvalidModel");
    const retired = await analyze40(srv, "api-version=2022-10-12-preview&model-name=site-objects", photo());
    assert.equal(retired.status, 410, retired.text);
    const corrupt = await analyze40(srv, "api-version=2023-10-01&model-name=site-objects", Buffer.from("not an image"));
    assert.equal(corrupt.status, 400, corrupt.text);
    assert.equal(corrupt.json.error.code, "InvalidRequest");
    const key = await analyze40(srv, "api-version=2023-10-01&model-name=site-objects", photo(), "wrong");
    assert.equal(key.status, 401, key.text);
  });

  test("listings: GET /computervision/models and /vision/v3.2/models show the custom models", async () => {
    const headers = { "ocp-apim-subscription-key": KEY };
    const l40 = await request(`${srv.url}/computervision/models?api-version=2023-02-01-preview`, { headers });
    assert.equal(l40.status, 200, l40.text);
    assert.deepEqual(l40.json.map((m) => [m.name, m.status, m.trainingParameters.modelKind]),
      [["content-filter", "succeeded", "Generic-Classifier"], ["site-objects", "succeeded", "Generic-Detector"]]);
    const top = await request(`${srv.url}/computervision/models?api-version=2023-10-01&skip=1&top=1`, { headers });
    assert.deepEqual(top.json.map((m) => m.name), ["site-objects"]);
    const l32 = await request(`${srv.url}/vision/v3.2/models`, { headers });
    assert.equal(l32.status, 200, l32.text);
    const names = l32.json.models.map((m) => m.name);
    assert.ok(names.includes("site-objects") && names.includes("content-filter"), l32.text);
    const domain = await request(`${srv.url}/vision/v3.2/models/site-objects/analyze`,
      { method: "POST", body: photo(), headers: { ...headers, "content-type": "application/octet-stream" } });
    assert.equal(domain.status, 400, domain.text);
    assert.match(domain.json.error.message, /model-name=site-objects/);
  });

  test("/metrics counts model-name predictions per custom model", async () => {
    const m = await request(`${srv.url}/metrics`);
    assert.match(m.text, /ocular_analyzer_duration_seconds_count\{analyzer="custom:content-filter"\} [1-9]/);
    assert.match(m.text, /ocular_model_inference_seconds_count\{model="site-objects"\} [1-9]/);
    assert.match(m.text, /ocular_http_requests_total\{route="\/computervision\/models",status="200"\} [1-9]/);
  });
});

describe("a broken custom model at start", { skip: missing ?? false }, () => {
  test("fails the start with a message naming the model", () => {
    const repo = tmpDir("ocular-custom-broken-");
    try {
      const a = add(repo, "broken-one", ["--project-id", PROJECT, "--version", "1"]);
      assert.equal(a.status, 0, a.stderr);
      fs.writeFileSync(path.join(repo, "broken-one", "1", "labels.txt"), "hardhat\nvest\n");
      const r = spawnSync(BIN, ["serve", "--listen", "127.0.0.1:0", "--plain-http", "--repo", repo],
        { encoding: "utf8", timeout: 120000, env: { ...process.env, OCULAR_API_KEYS: KEY } });
      assert.notEqual(r.status, 0, r.stderr);
      assert.match(r.stderr, /cannot start the analysis service: .*custom model 'broken-one'.*fix or remove/);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});
