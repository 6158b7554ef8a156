// Black-box tests of the gallery recognisers through `ocular serve` (issue 6): a gallery built
// with `ocular gallery build` from shared test photos, the v3.2 celebrity routes with and without
// --enable-celebrities, hot reload on SIGHUP, and no recognised name in the logs.
// Needs ../shared/testdata/images and the model pack; skipped with the reason otherwise.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { BIN, MODEL_REPO, ROOT, request, startServer, tmpDir } from "./harness.mjs";

const KEY = "test-key-1";
const IMAGES = path.join(ROOT, "..", "shared", "testdata", "images");
const missing = !fs.existsSync(IMAGES) ? `no shared test images at ${IMAGES}`
  : !fs.existsSync(path.join(MODEL_REPO, "faceres")) ? `no faceres model in ${MODEL_REPO}` : null;

function enroll(dir, kind, name, file) {
  const d = path.join(dir, kind, name);
  fs.mkdirSync(d, { recursive: true });
  fs.copyFileSync(path.join(IMAGES, file), path.join(d, file));
}

function buildGallery(dir) {
  const r = spawnSync(BIN, ["gallery", "build", "--galleries", dir, "--repo", MODEL_REPO], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r;
}

async function post(srv, route, file) {
  return request(`${srv.url}${route}`, {
    method: "POST",
    headers: { "ocp-apim-subscription-key": KEY, "content-type": "application/octet-stream" },
    body: fs.readFileSync(path.join(IMAGES, file)),
  });
}

describe("celebrities and landmarks through the server", { skip: missing ?? false }, () => {
  let dir, srv, off;
  before(async () => {
    dir = tmpDir("ocular-gallery-");
    enroll(dir, "celebrities", "Barack Obama", "portrait_obama.jpg");
    enroll(dir, "landmarks", "Taj Mahal", "landmark_taj_mahal_1.jpg");
    enroll(dir, "landmarks", "Golden Gate Bridge", "landmark_golden_gate_1.jpg");
    buildGallery(dir);
    srv = await startServer({ args: ["--galleries", dir, "--enable-celebrities"] });
    off = await startServer({ args: ["--galleries", dir] });
  });
  after(async () => {
    await srv?.stop();
    await off?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("/vision/v3.2/models lists celebrities only when enabled", async () => {
    const on = await request(`${srv.url}/vision/v3.2/models`, { headers: { "ocp-apim-subscription-key": KEY } });
    assert.equal(on.status, 200, on.text);
    assert.ok(on.json.models.some((m) => m.name === "celebrities"), on.text);
    const no = await request(`${off.url}/vision/v3.2/models`, { headers: { "ocp-apim-subscription-key": KEY } });
    assert.equal(no.status, 200, no.text);
    assert.ok(!no.json.models.some((m) => m.name === "celebrities"), no.text);
  });

  test("the enrolled man is found on the left of the two, the other man is not named", async () => {
    const r = await post(srv, "/vision/v3.2/models/celebrities/analyze", "faces_two_people.jpg");
    assert.equal(r.status, 200, r.text);
    const found = r.json.result.celebrities;
    assert.equal(found.length, 1, r.text);
    assert.equal(found[0].name, "Barack Obama");
    // Confidence is 0.5 at the similarity threshold and 1 for an identical face (celebrity_matcher.h).
    assert.ok(found[0].confidence >= 0.5 && found[0].confidence <= 1, r.text);
    const f = found[0].faceRectangle;
    assert.ok(f.width > 20 && f.height > 20, r.text);
    // faces_two_people.jpg: Obama stands on the left half.
    const meta = r.json.metadata;
    assert.ok(f.left + f.width / 2 < meta.width / 2, r.text);
  });

  test("details=Celebrities in /analyze, and no match on a stranger", async () => {
    const r = await post(srv, "/vision/v3.2/analyze?visualFeatures=Categories&details=Celebrities", "faces_two_people.jpg");
    assert.equal(r.status, 200, r.text);
    const names = r.json.categories.flatMap((c) => c.detail?.celebrities ?? []).map((c) => c.name);
    assert.deepEqual(names, ["Barack Obama"]);
    const s = await post(srv, "/vision/v3.2/models/celebrities/analyze", "portrait_astronaut.png");
    assert.equal(s.status, 200, s.text);
    assert.deepEqual(s.json.result.celebrities, []);
  });

  test("disabled: the route says so", async () => {
    const r = await post(off, "/vision/v3.2/models/celebrities/analyze", "faces_two_people.jpg");
    assert.ok(r.status >= 400 && r.status < 500, r.text);
    assert.match(JSON.stringify(r.json), /NotSupportedFeature|disabled/);
  });

  test("SIGHUP reloads a rebuilt gallery without a restart", async () => {
    const before = await post(srv, "/vision/v3.2/models/celebrities/analyze", "format_hopper.gif");
    assert.equal(before.status, 200, before.text);
    assert.deepEqual(before.json.result.celebrities, []);
    // The JPEG stored rotated with EXIF orientation 6; the query is the upright GIF.
    enroll(dir, "celebrities", "Grace Hopper", "format_exif_orientation6.jpg");
    buildGallery(dir);
    srv.proc.kill("SIGHUP");
    await srv.waitFor(/SIGHUP: galleries reloaded/, 30000);
    const r = await post(srv, "/vision/v3.2/models/celebrities/analyze", "format_hopper.gif");
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.result.celebrities.map((c) => c.name), ["Grace Hopper"]);
  });

  test("landmarks: another photo of an enrolled place is named, other photos are not", async () => {
    const models = await request(`${srv.url}/vision/v3.2/models`, { headers: { "ocp-apim-subscription-key": KEY } });
    assert.ok(models.json.models.some((m) => m.name === "landmarks"), models.text);
    const r = await post(srv, "/vision/v3.2/models/landmarks/analyze", "landmark_taj_mahal_2.jpg");
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.result.landmarks.map((l) => l.name), ["Taj Mahal"]);
    assert.ok(r.json.result.landmarks[0].confidence > 0 && r.json.result.landmarks[0].confidence <= 1, r.text);
    const d = await post(srv, "/vision/v3.2/analyze?visualFeatures=Categories&details=Landmarks", "landmark_golden_gate_2.jpg");
    assert.equal(d.status, 200, d.text);
    const names = d.json.categories.flatMap((c) => c.detail?.landmarks ?? []).map((l) => l.name);
    assert.deepEqual(names, ["Golden Gate Bridge"]);
    for (const f of ["landmark_colosseum.jpg", "food_pizza.jpg", "landmark_sydney_opera_house.jpg"]) {
      const n = await post(srv, "/vision/v3.2/models/landmarks/analyze", f);
      assert.equal(n.status, 200, n.text);
      assert.deepEqual(n.json.result.landmarks, [], f);
    }
  });

  test("no recognised name and no image name reaches the logs", () => {
    const logs = srv.logs.join("\n") + off.logs.join("\n");
    assert.doesNotMatch(logs, /Obama|Hopper|Taj|Golden Gate|faces_two_people/);
  });
});
