// Writes independent YOLOv8 reference boxes for the golden test tests/golden/yolo_golden_test.cc:
// tests/golden/data/<model>_<input>.json, computed with onnxruntime-web 1.30.0 (WASM, one thread)
// and a decoder written here from the Ultralytics recipe, sharing no code with Ocular's C++.
//
//   cd tools/yolo-reference && npm ci && node yolo_golden.js [MODEL]     (MODEL default: yolov8n)
//
// (Its own folder, not installed by scripts/setup.sh: the tests only read the committed JSON, and
// onnxruntime-web is 140 MB.)
//
// Per input (a raw RGB file from tests/golden/make_inputs.cc):
//   1. letterbox exactly as Ultralytics LetterBox: r = min(640/h, 640/w), new size
//      round(w*r) x round(h*r), bilinear resize with half-pixel centres (cv2.INTER_LINEAR, the
//      result rounded to 8 bits), centred with left/top = round(pad/2 - 0.1), grey 114 padding;
//   2. RGB / 255 in NCHW, run the model, read output0 [1, 84, 8400]: cx, cy, w, h in input pixels
//      then 80 class scores; keep the best class per anchor when it scores >= 0.05;
//   3. class-wise NMS at the IoU of the installed model's config.json params.nms_iou (greedy by
//      descending score, suppress IoU > it, as torchvision; 0.7 when the config has none);
//   4. map back as Ultralytics scale_boxes (subtract the padding, divide by the gain, clip to the
//      raw image), then scale to the declared original size (kOriginalScale x the raw size), which
//      exercises the detector's decoded -> original scaling.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const ort = require('onnxruntime-web');

const ROOT = path.resolve(__dirname, '..', '..');
const kInputs = [
  { file: 'zidane_224x126.rgb', width: 224, height: 126 },
  { file: 'street_bus_168x224.rgb', width: 168, height: 224 },
];
const kOriginalScale = 4;  // declared original size = 4 x the raw input
const kSize = 640, kPad = 114, kScoreFloor = 0.05;
let kNmsIou = 0.7;  // replaced by the model config's params.nms_iou in main()

function modelDir(name) {
  const base = path.join(ROOT, 'models', name);
  const versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'model.onnx')));
  if (versions.length === 0) throw new Error(`${base}: no installed version (run scripts/setup.sh)`);
  versions.sort();
  return path.join(base, versions[versions.length - 1]);
}

// Python round(): half to even (Ultralytics uses it for the new size and the padding).
function pyRound(x) {
  const f = Math.floor(x), d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

// cv2.resize INTER_LINEAR on an interleaved 8-bit image (half-pixel centres, edge clamped).
function resizeBilinear(src, w, h, nw, nh) {
  const out = new Uint8Array(nw * nh * 3);
  const axis = (n, sn) => {
    const i0 = new Int32Array(n), i1 = new Int32Array(n), a = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let f = (i + 0.5) * (sn / n) - 0.5;
      let x0 = Math.floor(f), t = f - x0;
      if (x0 < 0) { x0 = 0; t = 0; }
      if (x0 >= sn - 1) { x0 = sn - 1; t = 0; }
      i0[i] = x0; i1[i] = Math.min(x0 + 1, sn - 1); a[i] = t;
    }
    return { i0, i1, a };
  };
  const X = axis(nw, w), Y = axis(nh, h);
  for (let y = 0; y < nh; y++) {
    const r0 = Y.i0[y] * w, r1 = Y.i1[y] * w, ty = Y.a[y];
    for (let x = 0; x < nw; x++) {
      const c0 = X.i0[x], c1 = X.i1[x], tx = X.a[x];
      for (let c = 0; c < 3; c++) {
        const p00 = src[(r0 + c0) * 3 + c], p01 = src[(r0 + c1) * 3 + c];
        const p10 = src[(r1 + c0) * 3 + c], p11 = src[(r1 + c1) * 3 + c];
        const top = p00 + (p01 - p00) * tx, bot = p10 + (p11 - p10) * tx;
        out[(y * nw + x) * 3 + c] = Math.min(255, Math.max(0, Math.round(top + (bot - top) * ty)));
      }
    }
  }
  return out;
}

function letterbox(rgb, w, h) {
  const r = Math.min(kSize / h, kSize / w);
  const nw = pyRound(w * r), nh = pyRound(h * r);
  const left = pyRound((kSize - nw) / 2 - 0.1), top = pyRound((kSize - nh) / 2 - 0.1);
  const resized = nw === w && nh === h ? rgb : resizeBilinear(rgb, w, h, nw, nh);
  const plane = kSize * kSize;
  const data = new Float32Array(3 * plane).fill(kPad / 255);
  for (let y = 0; y < nh; y++) {
    for (let x = 0; x < nw; x++) {
      const o = (y + top) * kSize + (x + left);
      for (let c = 0; c < 3; c++) data[c * plane + o] = resized[(y * nw + x) * 3 + c] / 255;
    }
  }
  return { data, gain: r, new_width: nw, new_height: nh, pad_left: left, pad_top: top };
}

function iou(a, b) {
  const iw = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const ih = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = iw * ih;
  const u = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return u > 0 ? inter / u : 0;
}

function decode(out, dims, numClasses) {
  const [, rows, anchors] = dims;
  if (rows !== numClasses + 4) throw new Error(`output rows ${rows} != 4 + ${numClasses}`);
  const cands = [];
  for (let a = 0; a < anchors; a++) {
    let best = 0, score = out[4 * anchors + a];
    for (let k = 1; k < numClasses; k++) {
      const s = out[(4 + k) * anchors + a];
      if (s > score) { score = s; best = k; }
    }
    if (!(score >= kScoreFloor)) continue;
    const cx = out[a], cy = out[anchors + a], w = out[2 * anchors + a], h = out[3 * anchors + a];
    cands.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score, cls: best });
  }
  cands.sort((p, q) => q.score - p.score);
  const kept = [];
  for (const c of cands) {
    if (!kept.some((k) => k.cls === c.cls && iou(k, c) > kNmsIou)) kept.push(c);
  }
  return kept;
}

(async () => {
  const name = process.argv[2] || 'yolov8n';
  const dir = modelDir(name);
  const modelBytes = fs.readFileSync(path.join(dir, 'model.onnx'));
  const sha256 = crypto.createHash('sha256').update(modelBytes).digest('hex');
  const labels = fs.readFileSync(path.join(dir, 'labels.txt'), 'utf8').split('\n').filter((l) => l);
  const params = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).params || {};
  if (typeof params.nms_iou === 'number') kNmsIou = params.nms_iou;
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(modelBytes, { executionProviders: ['wasm'] });
  for (const input of kInputs) {
    const rgb = fs.readFileSync(path.join(ROOT, 'tests/golden/data/inputs', input.file));
    if (rgb.length !== input.width * input.height * 3) throw new Error(`${input.file}: bad size`);
    const lb = letterbox(rgb, input.width, input.height);
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', lb.data, [1, 3, kSize, kSize]) };
    const result = await session.run(feeds);
    const out = result[session.outputNames[0]];
    const ow = input.width * kOriginalScale, oh = input.height * kOriginalScale;
    const sx = ow / input.width, sy = oh / input.height;
    const clip = (v, hi) => Math.min(Math.max(v, 0), hi);
    const boxes = decode(out.data, out.dims, labels.length).map((b) => {
      const x1 = clip((b.x1 - lb.pad_left) / lb.gain, input.width);
      const y1 = clip((b.y1 - lb.pad_top) / lb.gain, input.height);
      const x2 = clip((b.x2 - lb.pad_left) / lb.gain, input.width);
      const y2 = clip((b.y2 - lb.pad_top) / lb.gain, input.height);
      const r = (v) => Number(v.toFixed(3));
      return { label: labels[b.cls], score: Number(b.score.toFixed(5)),
               x1: r(x1 * sx), y1: r(y1 * sy), x2: r(x2 * sx), y2: r(y2 * sy) };
    });
    const stem = path.basename(input.file, '.rgb');
    const doc = {
      model: name,
      model_sha256: sha256,
      image: `tests/golden/data/inputs/${input.file}`,
      image_size: [input.width, input.height],
      original_size: [ow, oh],
      made_by: 'tools/yolo-reference/yolo_golden.js: onnxruntime-web 1.30.0 (wasm, 1 thread); ' +
               'Ultralytics letterbox (bilinear half-pixel, grey 114, centred), best class per ' +
               'anchor, class-wise NMS, scale_boxes back to the image, then x' + kOriginalScale,
      letterbox: { size: kSize, pad_value: kPad, gain: lb.gain, new_width: lb.new_width,
                   new_height: lb.new_height, pad_left: lb.pad_left, pad_top: lb.pad_top },
      score_floor: kScoreFloor,
      nms_iou: kNmsIou,
      boxes,
    };
    const outPath = path.join(ROOT, 'tests/golden/data', `${name}_${stem}.json`);
    fs.writeFileSync(outPath, JSON.stringify(doc, null, 1) + '\n');
    const top = boxes.filter((b) => b.score >= 0.25).map((b) => `${b.label} ${b.score.toFixed(2)}`);
    console.log(`${path.relative(ROOT, outPath)}: ${boxes.length} boxes; >= 0.25: ${top.join(', ')}`);
  }
})().catch((e) => { console.error(e); process.exit(1); });
