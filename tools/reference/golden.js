// Writes the golden reference outputs of every model in tests/golden/models.json, computed with
// @tensorflow/tfjs 4.22.0 (pure JS CPU backend), into tests/golden/data/<name>.json.
//
//   cd tools/reference && npm ci && node golden.js [NAME...]
//
// Each output stores its shape, full-tensor statistics (min, max, mean), the tolerance
// (1e-3 x range, the bar) and actual values: all of them when the tensor has at most
// 4096 elements, else a deterministic subset: element k*stride + (k % stride) for k = 0, 1, ...
'use strict';
const fs = require('fs');
const path = require('path');
const { tf, ROOT, loadSpec, loadModel, makeInput, run } = require('./tfjs_models');

const kFullLimit = 4096;
const kSubset = 2048;

function summarize(name, tfName, t, vals) {
  let min = Infinity, max = -Infinity, sum = 0;
  for (const v of vals) { if (v < min) min = v; if (v > max) max = v; sum += v; }
  const n = vals.length;
  const out = { name, tf_name: tfName, dtype: t.dtype, shape: t.shape, min, max, mean: sum / n };
  // 1e-3 x range; a constant output (e.g. a single value) uses 1e-3 x its magnitude instead.
  out.tolerance = 1e-3 * (max > min ? max - min : Math.max(Math.abs(max), 1e-3));
  if (n <= kFullLimit) {
    out.stride = 1;
  } else {
    out.stride = Math.ceil(n / kSubset);
  }
  const values = [];
  for (let k = 0; ; k++) {
    const i = k * out.stride + (k % out.stride);
    if (i >= n) break;
    values.push(Number(vals[i].toPrecision(9)));
  }
  out.values = values;
  return out;
}

(async () => {
  await tf.setBackend('cpu');
  const only = process.argv.slice(2);
  for (const spec of loadSpec()) {
    if (only.length && !only.includes(spec.name)) continue;
    const m = await loadModel(spec.source);
    const x = makeInput(spec.input);
    const outs = await run(m, x);
    const res = { name: spec.name, generator: `tools/reference/golden.js, @tensorflow/tfjs ${tf.version.tfjs} (${tf.getBackend()})`, outputs: [] };
    for (let i = 0; i < outs.length; i++) {
      const vals = Array.from(await outs[i].data());
      res.outputs.push(summarize(m.outputs[i].name, m.outputs[i].tf, outs[i], vals));
    }
    const file = path.join(ROOT, 'tests/golden/data', spec.name + '.json');
    fs.writeFileSync(file, JSON.stringify(res) + '\n');
    console.log(spec.name, res.outputs.map((o) => `${o.name}[${o.shape}] range ${o.min.toPrecision(4)}..${o.max.toPrecision(4)}`).join(', '),
      `-> ${path.relative(ROOT, file)} (${fs.statSync(file).size} bytes)`);
    outs.forEach((t) => t.dispose()); x.dispose(); m.model.dispose();
  }
})().catch((e) => { console.error(e); process.exit(1); });
