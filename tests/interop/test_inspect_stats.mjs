// `tfjs-model stats --json` against statistics computed here in float64 on the values TF.js
// 4.22 decodes (tf.io.decodeWeights): counts, zeros, NaN, +-Inf, min and max must be equal,
// mean, std, mean |x| and L2 within 1e-9 relative, histograms equal bin for bin.
// Models: the Layers fixtures (one with optimizer weights), and a converter-style model with
// uint8/uint16/float16 quantization (all 65536 float16 codes: NaN, +-Inf, subnormals),
// quantized int32, zero-size tensors, NaN/Inf/-0/subnormal float32, int32, bool, complex64,
// string, and a 1.5M-value tensor cut across shards at odd offsets.
// Usage: node test_inspect_stats.mjs /path/to/tfjs-model
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {builders, initTf} from './lib/fixtures.mjs';
import {check, cliPath, describeRun, expectCli, finish, makeTempDir, runCli} from './lib/harness.mjs';
import {loadArtifacts, saveArtifactsSync, toArrayBuffer} from './lib/nodeFileIO.mjs';
import {splitAt} from './lib/layouts.mjs';

const cli = cliPath();
const tmp = makeTempDir('inspect-stats');
await initTf();

// --- float64 reference statistics ------------------------------------------------------------

/** Exactly rounded sum (Shewchuk's partials, as Python's math.fsum). */
function fsum(values) {
  const partials = [];
  for (let x of values) {
    let i = 0;
    for (let y of partials) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    partials.push(x);
  }
  let total = 0;
  for (let i = partials.length - 1; i >= 0; --i) total += partials[i];
  return total;
}

function* mapped(values, fn) {
  for (const v of values) yield fn(v);
}

/** Statistics over finite values; bins as documented in docs/stats-json.md. */
function reference(values, bins) {
  const r = {count: values.length, finite: 0, nan: 0, posInf: 0, negInf: 0, zeros: 0,
             min: null, max: null, mean: null, std: null, meanAbs: null, l2: 0, histogram: null};
  const finite = [];
  for (const v of values) {
    if (Number.isNaN(v)) r.nan++;
    else if (v === Infinity) r.posInf++;
    else if (v === -Infinity) r.negInf++;
    else {
      finite.push(v);
      if (v === 0) r.zeros++;
    }
  }
  r.finite = finite.length;
  r.l2 = Math.sqrt(fsum(mapped(finite, (x) => x * x)));
  if (finite.length === 0) return r;
  let min = Infinity;
  let max = -Infinity;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  r.min = min;
  r.max = max;
  const n = finite.length;
  const constant = min === max; // every value equal: mean is that value, std 0
  r.mean = constant ? min : fsum(finite) / n;
  r.meanAbs = constant ? Math.abs(min) : fsum(mapped(finite, Math.abs)) / n;
  r.std = constant ? 0 : Math.sqrt(fsum(mapped(finite, (x) => (x - r.mean) ** 2)) / n);
  if (bins > 0) {
    const counts = new Array(bins).fill(0);
    const scale = bins / (max - min);
    for (const v of finite) counts[constant ? 0 : Math.min(bins - 1, Math.floor((v - min) * scale))]++;
    r.histogram = {min, max, counts};
  }
  return r;
}

function close(actual, expected, what) {
  if (expected === null) {
    assert.equal(actual, null, `${what}: expected null, got ${actual}`);
    return;
  }
  assert.equal(typeof actual, 'number', `${what}: expected a number, got ${actual}`);
  const tolerance = 1e-9 * Math.abs(expected);
  assert.ok(Math.abs(actual - expected) <= tolerance,
            `${what}: ${actual} vs ${expected} (relative error ${
                Math.abs(actual - expected) / Math.abs(expected)})`);
}

function compareStats(ours, ref, what) {
  for (const key of ['count', 'finite', 'nan', 'posInf', 'negInf', 'zeros', 'min', 'max']) {
    assert.equal(ours[key], ref[key], `${what}: ${key}`);
  }
  for (const key of ['mean', 'std', 'meanAbs', 'l2']) close(ours[key], ref[key], `${what}: ${key}`);
}

/** Values of one decoded tensor as plain numbers (complex64: re, im interleaved). */
function valuesOf(tensor) {
  if (tensor.dtype === 'complex64') {
    const re = tf.real(tensor).dataSync();
    const im = tf.imag(tensor).dataSync();
    const out = new Float64Array(re.length * 2);
    for (let i = 0; i < re.length; ++i) {
      out[2 * i] = re[i];
      out[2 * i + 1] = im[i];
    }
    return out;
  }
  return tensor.dataSync();
}

/** Decodes a saved model with TF.js and checks `stats --json` output for every tensor. */
async function checkModel(jsonPath, {bins = 20, only = null} = {}) {
  const artifacts = await loadArtifacts(jsonPath);
  const decoded = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  const args = ['stats', '--json', '--bins', String(bins), jsonPath];
  for (const name of only ?? []) args.push('--tensor', name);
  const r = expectCli(cli, args);
  const stats = JSON.parse(r.stdout);
  assert.equal(stats.schema, 'tfjs-model/stats/1');
  assert.equal(stats.bins, bins);
  const specs = artifacts.weightSpecs.filter((s) => only == null || only.includes(s.name));
  assert.deepEqual(stats.tensors.map((t) => t.name), specs.map((s) => s.name));
  const model = [];
  const optimizer = [];
  for (const [i, spec] of specs.entries()) {
    const t = stats.tensors[i];
    const what = `${path.basename(path.dirname(jsonPath))}:${spec.name}`;
    assert.equal(t.dtype, spec.dtype, `${what}: dtype`);
    assert.deepEqual(t.shape, spec.shape, `${what}: shape`);
    assert.equal(t.group, spec.group ?? null, `${what}: group`);
    assert.equal(t.quantization?.dtype ?? null, spec.quantization?.dtype ?? null, `${what}: q`);
    const tensor = decoded[spec.name];
    if (spec.dtype === 'string') {
      assert.equal(t.numeric, false, `${what}: numeric`);
      assert.equal(t.count, tensor.size, `${what}: count`);
      continue;
    }
    const values = valuesOf(tensor);
    const ref = reference(values, bins);
    compareStats(t, ref, what);
    assert.deepEqual(t.histogram, ref.histogram, `${what}: histogram`);
    if (spec.quantization && spec.quantization.dtype !== 'float16') {
      assert.equal(t.quantization.scale, spec.quantization.scale, `${what}: scale`);
      assert.equal(t.quantization.min, spec.quantization.min, `${what}: min`);
      assert.equal(t.quantization.step, spec.quantization.scale, `${what}: step`);
    }
    if (spec.dtype === 'float32') {
      const into = spec.group === 'optimizer' ? optimizer : model;
      for (const v of values) into.push(v);
    }
  }
  compareStats(stats.model, reference(model, 0), 'model totals');
  assert.equal(stats.model.tensors, specs.filter((s) => s.dtype === 'float32' &&
                                                        s.group !== 'optimizer').length);
  if (optimizer.length > 0) compareStats(stats.optimizer, reference(optimizer, 0), 'optimizer');
  else assert.equal(stats.optimizer, null);
  tf.dispose(Object.values(decoded));
  return stats;
}

// --- Layers fixtures -------------------------------------------------------------------------

for (const build of builders) {
  const {name, model, saveOptions} = await build();
  const dir = path.join(tmp, name);
  await model.save(tf.io.withSaveHandler(async (a) => saveArtifactsSync(dir, a)), saveOptions);
  await check(`stats of Layers fixture ${name} equal TF.js-decoded float64 statistics`,
              () => checkModel(path.join(dir, 'model.json')));
}

// --- A converter-style model with every dtype and the awkward values --------------------------

let seed = 12345;
function random() { // deterministic LCG in [0, 1)
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
function normal() {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
const le = (Typed, values) => {
  const a = Typed.from(values);
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
};
function quantize(values, qmax) {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const scale = (max - min) / qmax;
  return {min, scale, q: values.map((v) => Math.max(0, Math.min(qmax, Math.round((v - min) / scale))))};
}

const FLT_MAX = 3.4028234663852886e38;
const bigValues = Float32Array.from({length: 1500000}, () => normal() * 0.05 + 0.01);
bigValues[7] = NaN;
bigValues[1048575] = Infinity; // the last value of the first 4 MiB work item
bigValues[1048576] = -Infinity;
bigValues[1200000] = 0;
bigValues[1499999] = -0;
const u8 = quantize(Array.from({length: 1000}, () => normal()), 255);
const u16 = quantize(Array.from({length: 3000}, () => normal() * 10), 65535);
const u8int = {min: -100, scale: 0.75, q: Array.from({length: 300}, (_, i) => i % 256)};
const allHalves = Array.from({length: 65536}, (_, i) => i);

const entries = [
  {spec: {name: 'dense/kernel', shape: [4, 5], dtype: 'float32'},
   bytes: le(Float32Array, [NaN, Infinity, -Infinity, -0, 0, 1e-45, -1e-45, FLT_MAX, -FLT_MAX,
                            1.5, -2.25, 3, 0.1, 0.2, 0.3, -7, 1e-38, 2.5e-39, 42, -0.5])},
  {spec: {name: 'dense/empty', shape: [0], dtype: 'float32'}, bytes: Buffer.alloc(0)},
  {spec: {name: 'dense/empty2', shape: [3, 0, 2], dtype: 'float32'}, bytes: Buffer.alloc(0)},
  {spec: {name: 'ids/empty', shape: [0], dtype: 'int32'}, bytes: Buffer.alloc(0)},
  {spec: {name: 'all/nan', shape: [3], dtype: 'float32'}, bytes: le(Float32Array, [NaN, NaN, NaN])},
  {spec: {name: 'all/inf', shape: [2], dtype: 'float32'}, bytes: le(Float32Array, [Infinity, -Infinity])},
  {spec: {name: 'const/tenth', shape: [7], dtype: 'float32'}, bytes: le(Float32Array, Array(7).fill(0.1))},
  {spec: {name: 'flag', shape: [], dtype: 'bool'}, bytes: Buffer.from([1])},
  {spec: {name: 'q/u8', shape: [10, 100], dtype: 'float32',
          quantization: {dtype: 'uint8', min: u8.min, scale: u8.scale, original_dtype: 'float32'}},
   bytes: le(Uint8Array, u8.q)},
  {spec: {name: 'q/u16', shape: [3000], dtype: 'float32',
          quantization: {dtype: 'uint16', min: u16.min, scale: u16.scale, original_dtype: 'float32'}},
   bytes: le(Uint16Array, u16.q)},
  {spec: {name: 'q/u8int', shape: [300], dtype: 'int32',
          quantization: {dtype: 'uint8', min: u8int.min, scale: u8int.scale, original_dtype: 'int32'}},
   bytes: le(Uint8Array, u8int.q)},
  {spec: {name: 'q/f16_all_codes', shape: [256, 256], dtype: 'float32', quantization: {dtype: 'float16'}},
   bytes: le(Uint16Array, allHalves)},
  {spec: {name: 'ids/plain', shape: [6], dtype: 'int32'},
   bytes: le(Int32Array, [-2147483648, 2147483647, 0, -5, 5, 123456789])},
  {spec: {name: 'mask', shape: [9], dtype: 'bool'}, bytes: Buffer.from([1, 0, 1, 1, 0, 0, 0, 1, 1])},
  {spec: {name: 'spectrum', shape: [3], dtype: 'complex64'},
   bytes: le(Float32Array, [1, -1, 0.5, 0, NaN, 2])},
  {spec: {name: 'vocab', shape: [3], dtype: 'string'},
   bytes: Buffer.concat(['', 'h\u00e9llo', '\u6a21'].flatMap((s) => {
     const b = Buffer.from(s, 'utf8');
     return [le(Uint32Array, [b.length]), b];
   }))},
  {spec: {name: 'big/kernel', shape: [1500, 1000], dtype: 'float32'},
   bytes: Buffer.from(bigValues.buffer)},
  {spec: {name: 'tail/bias', shape: [3], dtype: 'float32'}, bytes: le(Float32Array, [1, 2, 3])},
];

const data = Buffer.concat(entries.map((e) => e.bytes));
// Shards cut at odd offsets: inside float values, inside the big tensor, and right after it.
const cuts = [1001, 4097, 2 * 1024 * 1024 + 3, 3 * 1024 * 1024 + 1, 5 * 1024 * 1024 + 7,
              data.length - 9];
const parts = splitAt(data, cuts);
const convDir = path.join(tmp, 'converted');
fs.mkdirSync(convDir);
const paths = parts.map((_, i) => `group1-shard${i + 1}of${parts.length}.bin`);
parts.forEach((p, i) => fs.writeFileSync(path.join(convDir, paths[i]), p));
const graphTopology = {node: entries.map((e) => ({name: e.spec.name, op: 'Const',
                                                   attr: {dtype: {type: 'DT_FLOAT'}}})),
                       library: {}, versions: {producer: 1}};
fs.writeFileSync(path.join(convDir, 'model.json'), JSON.stringify({
  format: 'graph-model', generatedBy: '2.15.0', convertedBy: 'TensorFlow.js Converter v4.22.0',
  modelTopology: graphTopology,
  weightsManifest: [{paths, weights: entries.map((e) => e.spec)}],
}, null, 1));
const convJson = path.join(convDir, 'model.json');

await check('TF.js decodes the converter-style fixture we wrote (sanity)', async () => {
  const artifacts = await loadArtifacts(convJson);
  assert.equal(artifacts.weightData.byteLength, data.length);
  const decoded = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  const half = decoded['q/f16_all_codes'].dataSync();
  assert.ok(Number.isNaN(half[0x7e00]) && half[0x7c00] === Infinity && half[0xfc00] === -Infinity);
  assert.equal(half[0x0001], 2 ** -24);
  assert.deepEqual(Array.from(decoded['q/u8int'].dataSync().slice(0, 4)),
                   u8int.q.slice(0, 4).map((q) => Math.round(q * u8int.scale + u8int.min)));
  tf.dispose(Object.values(decoded));
});

await check('stats of every dtype, quantization, zero-size and NaN/Inf tensor, 20 bins',
            () => checkModel(convJson));
await check('stats with 7 bins', () => checkModel(convJson, {bins: 7}));
await check('stats with 1 bin and with 0 bins (no histograms)', async () => {
  await checkModel(convJson, {bins: 1});
  const stats = await checkModel(convJson, {bins: 0});
  assert.ok(stats.tensors.every((t) => t.histogram === null));
});
await check('--tensor selects tensors; model totals cover only them', async () => {
  const stats = await checkModel(convJson, {only: ['big/kernel', 'q/u8', 'mask']});
  assert.equal(stats.tensors.length, 3);
});
await check('float16 step is the spacing at the largest finite magnitude (65504 -> 32)', async () => {
  const r = expectCli(cli, ['stats', '--json', '--tensor', 'q/f16_all_codes', convJson]);
  assert.equal(JSON.parse(r.stdout).tensors[0].quantization.step, 32);
});
await check('an unknown --tensor is an error naming it (exit 1)', () => {
  const r = runCli(cli, ['stats', '--tensor', 'no/such', convJson]);
  assert.equal(r.status, 1, describeRun(r));
  assert.match(r.stderr, /The model has no tensor named 'no\/such'\./);
});
await check('--bins out of range is a usage error (exit 2)', () => {
  for (const bins of ['-1', '100001', 'x']) {
    const r = runCli(cli, ['stats', '--bins', bins, convJson]);
    assert.equal(r.status, 2, describeRun(r));
    assert.match(r.stderr, /--bins takes a number from 0 to 100000\./);
  }
});
await check('the table output names every tensor and the model totals', () => {
  const r = expectCli(cli, ['stats', convJson]);
  for (const e of entries) assert.ok(r.stdout.includes(e.spec.name), e.spec.name);
  assert.match(r.stdout, /model \(\d+ float32 tensors\):/);
});
await check('truncated shard: stats fails with the weights error, not a crash', () => {
  const broken = path.join(tmp, 'broken');
  fs.cpSync(convDir, broken, {recursive: true});
  const last = path.join(broken, paths[paths.length - 1]);
  fs.truncateSync(last, 3);
  const r = runCli(cli, ['stats', path.join(broken, 'model.json')]);
  assert.equal(r.status, 1, describeRun(r));
  assert.match(r.stderr, /tfjs-model: /);
});

finish('test_inspect_stats');
