// Custom models through `ocular serve` (issue 13): `ocular models add` into a repository the
// server is running on, SIGHUP, then predictions on the Custom Vision Prediction routes; a model
// broken on disk is refused at reload while the previous set keeps serving; 401, unknown
// iteration/project, wrong route kind and a corrupt image answer Custom Vision {code, message}.
// Needs the pack's yolov8n and ../shared/testdata/images; skipped with the reason otherwise.
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
const missing = !fs.existsSync(IMAGES) ? `no shared test images at ${IMAGES}`
  : !fs.existsSync(YOLO) ? `no yolov8n model in ${MODEL_REPO}` : null;

function newest(dir) {
  return path.join(dir, fs.readdirSync(dir).filter((v) => !v.startsWith(".")).sort().at(-1));
}

function add(repo, name, extra = []) {
  const v = newest(YOLO);
  return spawnSync(BIN, ["models", "add", "--repo", repo, "--name", name, "--task", "object-detection",
    "--model", path.join(v, "model.onnx"), "--labels", path.join(v, "labels.txt"), ...extra], { encoding: "utf8" });
}

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
