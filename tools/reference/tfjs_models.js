// Shared by golden.js and bench.js: loading the pack's TF.js models and building their fixed
// inputs exactly as tests/golden/golden_test.cc does.
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

const ROOT = path.resolve(__dirname, '../..');

function loadSpec(file) {
  return JSON.parse(fs.readFileSync(path.resolve(ROOT, file || 'tests/golden/models.json'))).models;
}

// Loads a graph-model model.json + shards, or a UMD layers-model .js (nsfwjs) via require().
async function loadModel(source) {
  const src = path.resolve(ROOT, source);
  if (src.endsWith('.js')) {
    const json = require(src);
    const dir = path.dirname(src);
    const buffers = json.weightsManifest.flatMap((g) => g.paths.map((p) => {
      const shard = path.join(dir, fs.existsSync(path.join(dir, p + '.min.js')) ? p + '.min.js' : p + '.js');
      return Buffer.from(require(shard), 'base64');
    }));
    const b = Buffer.concat(buffers);
    const io = tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: b.buffer.slice(b.byteOffset, b.byteOffset + b.length) });
    const model = await tf.loadLayersModel(io);
    const cfg = json.modelTopology.model_config.config;
    return { layers: true, model, outputs: cfg.output_layers.map((o) => ({ name: o[0], tf: o[0] })) };
  }
  const j = JSON.parse(fs.readFileSync(src));
  const dir = path.dirname(src);
  const b = Buffer.concat(j.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p)))));
  const io = tf.io.fromMemory({ modelTopology: j.modelTopology, weightSpecs: j.weightsManifest.flatMap((g) => g.weights),
    weightData: b.buffer.slice(b.byteOffset, b.byteOffset + b.length), format: j.format, generatedBy: j.generatedBy,
    convertedBy: j.convertedBy, signature: j.signature, userDefinedMetadata: j.userDefinedMetadata });
  const model = await tf.loadGraphModel(io);
  let sig = (j.signature && j.signature.outputs) || (j.userDefinedMetadata && j.userDefinedMetadata.signature &&
    j.userDefinedMetadata.signature.outputs);
  let outputs;
  if (sig && Object.keys(sig).length) outputs = Object.entries(sig).map(([k, v]) => ({ name: k, tf: v.name || k }));
  else outputs = model.outputs.map((o) => ({ name: o.name, tf: o.name }));
  return { layers: false, model, outputs };
}

// The fixed input: small RGB image replicated to the model size, (pixel - mean) / std per channel.
function makeInput(inp) {
  const raw = fs.readFileSync(path.resolve(ROOT, inp.image));
  const [bh, bw] = inp.size;
  const nchw = inp.layout === 'NCHW';
  const H = nchw ? inp.shape[2] : inp.shape[1];
  const W = nchw ? inp.shape[3] : inp.shape[2];
  const data = new Float32Array(H * W * 3);
  for (let y = 0; y < H; y++) {
    const sy = Math.floor((y * bh) / H);
    for (let x = 0; x < W; x++) {
      const sx = Math.floor((x * bw) / W);
      for (let c = 0; c < 3; c++) {
        const src = inp.color === 'BGR' ? 2 - c : c;
        const v = (raw[(sy * bw + sx) * 3 + src] - inp.mean[c]) / inp.std[c];
        data[nchw ? (c * H + y) * W + x : (y * W + x) * 3 + c] = v;
      }
    }
  }
  return tf.tensor(data, inp.shape, 'float32');
}

async function run(m, x) {
  if (m.layers) return [m.model.predict(x)];
  const names = m.outputs.map((o) => o.tf);
  let r;
  try { r = m.model.execute(x, names); } catch (e) { r = await m.model.executeAsync(x, names); }
  return Array.isArray(r) ? r : [r];
}

module.exports = { tf, ROOT, loadSpec, loadModel, makeInput, run };
