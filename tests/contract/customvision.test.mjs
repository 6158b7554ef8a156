// Contract suite for the Custom Vision Prediction API (issue 13): the official client
// @azure/cognitiveservices-customvision-prediction (pinned in package-lock.json) against a real
// `ocular serve` over HTTPS. Stand-ins are real models with real outputs: the pack's yolov8n added
// with `ocular models add` as a custom detector under another name with the COCO labels, and
// nsfw-mobilenet-v2 as a custom classifier with its 5 labels. Detect and classify, image and url,
// store and nostore; 401, unknown iteration 404, wrong project, corrupt image; and a model whose
// outputs do not match its labels refused by `models add` with nothing written.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";

import { BIN, MODEL_REPO, startFixture, startServer, tmpDir } from "../integration/harness.mjs";

const require = createRequire(import.meta.url);
const { PredictionAPIClient } = require("@azure/cognitiveservices-customvision-prediction");
const { ApiKeyCredentials } = require("@azure/ms-rest-js");

const SHARED = process.env.OCULAR_SHARED_DIR ? path.join(process.env.OCULAR_SHARED_DIR, "testdata/images")
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../shared/testdata/images");
const KEY = "cv-contract-key";
const DET_PROJECT = "1d5e7f3a-8b2c-4e6f-9a0b-2c4d6e8f0a1b";
const CLS_PROJECT = "7e9f1a3b-5c7d-4e0f-8a2b-4c6d8e0f2a3b";
const newest = (m) => {
  const d = path.join(MODEL_REPO, m);
  return path.join(d, fs.readdirSync(d).filter((v) => !v.startsWith(".")).sort().at(-1));
};
const missing = !fs.existsSync(SHARED) ? `no shared images at ${SHARED}`
  : ["yolov8n", "nsfw-mobilenet-v2"].find((m) => !fs.existsSync(path.join(MODEL_REPO, m)));

function add(repo, args) {
  return spawnSync(BIN, ["models", "add", "--repo", repo, ...args], { encoding: "utf8" });
}

describe("Custom Vision Prediction API with the official client", { skip: missing ? `missing ${missing}` : false }, () => {
  let repo, srv, fixture, client, wrongKey;
  const dogBike = fs.readFileSync(path.join(SHARED, "animal_dog_bicycle.jpg"));
  before(async () => {
    repo = tmpDir("ocular-cv-contract-");
    const y = newest("yolov8n"), n = newest("nsfw-mobilenet-v2");
    let r = add(repo, ["--name", "coco-detector", "--task", "object-detection", "--project-id", DET_PROJECT,
      "--model", path.join(y, "model.onnx"), "--labels", path.join(y, "labels.txt")]);
    assert.equal(r.status, 0, r.stderr);
    r = add(repo, ["--name", "content-classifier", "--task", "image-classification", "--project-id", CLS_PROJECT,
      "--model", path.join(n, "model.onnx"), "--labels", path.join(n, "labels.txt"),
      "--activation", "none"]);  // its last layer is a Softmax (also the default for it)
    assert.equal(r.status, 0, r.stderr);
    fixture = await startFixture({
      "/img/dog.jpg": (req, res) => { res.writeHead(200, { "content-type": "image/jpeg" }); res.end(dogBike); },
    });
    srv = await startServer({ tls: true, repo, keys: [KEY], args: ["--allow-url-cidr", "127.0.0.1/32"] });
    const creds = (k) => new ApiKeyCredentials({ inHeader: { "Prediction-key": k } });
    client = new PredictionAPIClient(creds(KEY), srv.url, { noRetryPolicy: true });
    wrongKey = new PredictionAPIClient(creds("wrong"), srv.url, { noRetryPolicy: true });
  });
  after(async () => {
    await srv?.stop();
    await fixture?.close();
    if (repo) fs.rmSync(repo, { recursive: true, force: true });
  });

  const checkDetection = (r) => {
    assert.equal(r.project, DET_PROJECT);
    assert.ok(r.id && r.iteration && r.created instanceof Date, JSON.stringify(r));
    const tags = r.predictions.map((p) => p.tagName);
    assert.ok(tags.includes("dog") && tags.includes("bicycle"), tags.join(","));
    for (let i = 1; i < r.predictions.length; i++) {
      assert.ok(r.predictions[i - 1].probability >= r.predictions[i].probability);
    }
    for (const p of r.predictions) {
      const b = p.boundingBox;
      assert.ok(b.left >= 0 && b.top >= 0 && b.width > 0 && b.height > 0 &&
                b.left + b.width <= 1.0001 && b.top + b.height <= 1.0001, JSON.stringify(p));
      assert.match(p.tagId, /^[0-9a-f-]{36}$/);
    }
  };

  test("detectImage and detectImageWithNoStore (multipart imageData)", async () => {
    checkDetection(await client.detectImage(DET_PROJECT, "coco-detector", dogBike));
    checkDetection(await client.detectImageWithNoStore(DET_PROJECT, "coco-detector", dogBike));
  });

  test("detectImageUrl and detectImageUrlWithNoStore", async () => {
    const url = `${fixture.base}/img/dog.jpg`;
    checkDetection(await client.detectImageUrl(DET_PROJECT, "coco-detector", { url }));
    checkDetection(await client.detectImageUrlWithNoStore(DET_PROJECT, "coco-detector", { url }));
  });

  test("classifyImage, classifyImageWithNoStore, classifyImageUrl, classifyImageUrlWithNoStore", async () => {
    const url = `${fixture.base}/img/dog.jpg`;
    const results = [
      await client.classifyImage(CLS_PROJECT, "content-classifier", dogBike),
      await client.classifyImageWithNoStore(CLS_PROJECT, "content-classifier", dogBike),
      await client.classifyImageUrl(CLS_PROJECT, "content-classifier", { url }),
      await client.classifyImageUrlWithNoStore(CLS_PROJECT, "content-classifier", { url }),
    ];
    for (const r of results) {
      assert.equal(r.project, CLS_PROJECT);
      assert.deepEqual(r.predictions.map((p) => p.tagName).sort(), ["Drawing", "Hentai", "Neutral", "Porn", "Sexy"]);
      const sum = r.predictions.reduce((s, p) => s + p.probability, 0);
      assert.ok(Math.abs(sum - 1) < 1e-3, String(sum));
      assert.equal(r.predictions[0].tagName, "Neutral", JSON.stringify(r.predictions));
      // The model's own probability (not a softmax of its softmax, which flattens to ~0.39).
      assert.ok(r.predictions[0].probability > 0.8, JSON.stringify(r.predictions));
      assert.equal(r.predictions[0].boundingBox, undefined);
    }
    assert.deepEqual(results[0].predictions, results[2].predictions);
  });

  const rejects = async (p, status, code) => {
    await assert.rejects(p, (e) => {
      assert.equal(e.statusCode, status, e.message);
      assert.equal(e.body?.code ?? JSON.parse(e.response?.bodyAsText ?? "{}").code, code, e.response?.bodyAsText);
      return true;
    });
  };

  test("wrong key: 401 Unauthorized", async () => {
    await rejects(wrongKey.detectImage(DET_PROJECT, "coco-detector", dogBike), 401, "Unauthorized");
  });

  test("unknown iteration: 404 NotFoundIteration; wrong project: 404 NotFoundProject", async () => {
    await rejects(client.detectImage(DET_PROJECT, "no-such-model", dogBike), 404, "NotFoundIteration");
    await rejects(client.detectImage("00000000-0000-4000-8000-000000000000", "coco-detector", dogBike), 404, "NotFoundProject");
    // The classifier's project does not hold the detector.
    await rejects(client.detectImage(CLS_PROJECT, "coco-detector", dogBike), 404, "NotFoundIteration");
  });

  test("corrupt image: 400 BadRequestImageFormat", async () => {
    await rejects(client.detectImage(DET_PROJECT, "coco-detector", Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(" not a jpeg")])),
      400, "BadRequestImageFormat");
  });

  test("models add refuses a model whose outputs do not match its labels, writing nothing", async () => {
    const scratch = tmpDir("ocular-cv-refused-");
    const labels = path.join(scratch, "three.txt");
    fs.writeFileSync(labels, "hardhat\nvest\nperson\n");
    const r = add(path.join(scratch, "repo"), ["--name", "hardhats", "--task", "object-detection",
      "--model", path.join(newest("yolov8n"), "model.onnx"), "--labels", labels]);
    assert.equal(r.status, 3, r.stdout + r.stderr);
    assert.match(r.stderr, /does not have 4 \+ 3 rows/);
    assert.ok(!fs.existsSync(path.join(scratch, "repo", "hardhats")));
    fs.rmSync(scratch, { recursive: true, force: true });
  });
});
