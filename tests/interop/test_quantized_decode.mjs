// A converter-style graph model (Python json.dump formatting, 2 groups, 4 shards cut inside
// elements) with uint8/uint16/float16-quantized, bool, string, int32 and float32 weights.
// Checks TF.js's decodeWeights against the values we quantized the converter's way, then that
// `tfjs-model validate/info/copy` size these weights correctly and that the copy is exactly what
// tfjs-node's copyModel (file:// load + save) would write. Usage: node ... /path/to/tfjs-model
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {initTf} from './lib/fixtures.mjs';
import {assertSameFile, check, cliPath, describeRun, expectCli, finish, makeTempDir,
        runCli} from './lib/harness.mjs';
import {loadArtifacts, nodeCopy, toArrayBuffer} from './lib/nodeFileIO.mjs';
import {splitAt} from './lib/layouts.mjs';

const cli = cliPath();
const tmp = makeTempDir('quant');
await initTf();

// --- Quantization as in tensorflowjs/quantization.py (np.round is half-to-even). ---
function roundHalfEven(x) {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
function quantize(values, dtype) {
  const data = Float32Array.from(values);
  const qmax = dtype === 'uint8' ? 255 : 65535;
  const Q = dtype === 'uint8' ? Uint8Array : Uint16Array;
  let min = Math.min(...data);
  let max = Math.max(...data);
  if (min === max) return {q: new Q(data.length), min, scale: 1};
  const scale = (max - min) / qmax;
  if (min <= 0 && 0 <= max) {
    min = -roundHalfEven((0 - min) / scale) * scale;
    max = qmax * scale + min;
  }
  const q = Q.from(data, (x) => roundHalfEven((Math.min(Math.max(x, min), max) - min) / scale));
  return {q, min, scale, data};
}
const le = (Typed, values) => {
  const a = Typed.from(values);
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength); // x86/ARM hosts are little-endian
};

// --- Weights (names include non-ASCII, which Python writes as \u escapes). ---
const u8 = quantize([-1.3, -0.25, 0, 0.1, 0.7, 1.1, 1.9, 2.7, -0.9, 0.33, 2.2, 1.5], 'uint8');
const u16 = quantize([0.5, -3.75, 1e-3, 12.5, -0.125], 'uint16');
const halfBits = [0x3400, 0x3800, 0x3a00, 0x7c00, 0xfc00, 0x7e00, 0x8000, 0x0001, 0x7bff];
const halfValues = [0.25, 0.5, 0.75, Infinity, -Infinity, NaN, -0, 2 ** -24, 65504];
const strings = ['', 'h\u00e9llo', '\u6a21\u578b'];
const stringBytes = Buffer.concat(strings.flatMap((s) => {
  const b = Buffer.from(s, 'utf8');
  return [le(Uint32Array, [b.length]), b];
}));
const entries = [
  {spec: {name: 'plain/mask', shape: [3], dtype: 'bool'}, bytes: Buffer.from([1, 0, 1]),
   expect: [1, 0, 1]},
  {spec: {name: 'q/\u00fcnï_\u540d', shape: [3, 4], dtype: 'float32',
          quantization: {dtype: 'uint8', min: u8.min, scale: u8.scale, original_dtype: 'float32'}},
   bytes: le(Uint8Array, u8.q), expect: [...u8.q].map((v) => Math.fround(v * u8.scale + u8.min)),
   original: u8.data, tolerance: u8.scale / 2},
  {spec: {name: 'plain/vocab', shape: [3], dtype: 'string'}, bytes: stringBytes, expect: strings},
  {spec: {name: 'q/u16', shape: [5], dtype: 'float32',
          quantization: {dtype: 'uint16', min: u16.min, scale: u16.scale,
                         original_dtype: 'float32'}},
   bytes: le(Uint16Array, u16.q),
   expect: [...u16.q].map((v) => Math.fround(v * u16.scale + u16.min)),
   original: u16.data, tolerance: u16.scale / 2},
  {spec: {name: 'q/half', shape: [3, 3], dtype: 'float32', quantization: {dtype: 'float16'}},
   bytes: le(Uint16Array, halfBits), expect: halfValues},
  {spec: {name: 'plain/ids', shape: [2], dtype: 'int32'}, bytes: le(Int32Array, [-7, 123456]),
   expect: [-7, 123456]},
  {spec: {name: 'plain/bias', shape: [], dtype: 'float32'}, bytes: le(Float32Array, [-0.1]),
   expect: [Math.fround(-0.1)]},
];

// --- A converter-style graph model: 2 groups, each split into 2 shards at odd offsets. ---
const groups = [entries.slice(0, 3), entries.slice(3)];
const srcDir = path.join(tmp, 'converted');
fs.mkdirSync(srcDir);
const manifest = groups.map((group, g) => {
  const data = Buffer.concat(group.map((e) => e.bytes));
  const parts = splitAt(data, [Math.floor(data.length / 2) | 1]);
  const paths = parts.map((_, i) => `group${g + 1}-shard${i + 1}of${parts.length}.bin`);
  paths.forEach((p, i) => fs.writeFileSync(path.join(srcDir, p), parts[i]));
  return {paths, weights: group.map((e) => e.spec)};
});
const dim = (...sizes) => ({dim: sizes.map((s) => ({size: String(s)}))});
const modelJSON = {
  modelTopology: {
    node: [
      {name: 'x', op: 'Placeholder',
       attr: {dtype: {type: 'DT_FLOAT'}, shape: {shape: dim(-1, 4)}}},
      ...entries.map((e) => ({name: e.spec.name, op: 'Const', attr: {
        dtype: {type: 'DT_FLOAT'}, value: {tensor: {dtype: 'DT_FLOAT', tensorShape: dim(...e.spec.shape)}}}})),
      {name: 'Identity', op: 'Identity', input: ['x'], attr: {T: {type: 'DT_FLOAT'}}},
    ],
    library: {},
    versions: {producer: 1645},
  },
  format: 'graph-model',
  generatedBy: '2.15.0',
  convertedBy: 'TensorFlow.js Converter v4.22.0',
  signature: {inputs: {'x:0': {name: 'x:0', dtype: 'DT_FLOAT', tensorShape: dim(-1, 4)}},
              outputs: {'Identity:0': {name: 'Identity:0', dtype: 'DT_FLOAT',
                                       tensorShape: dim(-1, 4)}}},
  userDefinedMetadata: {note: 'converted \u{1F642} caf\u00e9', threshold: 3e-5},
  modelInitializer: {node: [{name: 'init', op: 'NoOp'}], versions: {producer: 1645}},
  initializerSignature: {outputs: {}},
  weightsManifest: manifest,
};
const jsonPath = path.join(srcDir, 'model.json');
// Python json.dump defaults: ", "/": " separators, \uXXXX escapes, float repr (1e-05, -1.0).
const py = spawnSync('python3', ['-c', `
import json, sys
m = json.load(sys.stdin)
for g in m["weightsManifest"]:
    for w in g["weights"]:
        q = w.get("quantization", {})
        for k in ("min", "scale"):
            if k in q: q[k] = float(q[k])
json.dump(m, open(sys.argv[1], "w"))
`, jsonPath], {input: JSON.stringify(modelJSON), encoding: 'utf8', timeout: 30000});
if (py.status !== 0) {
  console.log(`note: python3 unavailable (${py.error?.message ?? py.stderr}); writing JS-style JSON`);
  fs.writeFileSync(jsonPath, JSON.stringify(modelJSON));
}
const totalBytes = entries.reduce((s, e) => s + e.bytes.length, 0);
const flatSpecs = JSON.parse(fs.readFileSync(jsonPath, 'utf8')).weightsManifest
                      .flatMap((g) => g.weights);

/** Decodes a bin with TF.js and compares every tensor with the expected values. */
function assertDecodes(binBuffer, specs) {
  const tensors = tf.io.decodeWeights(toArrayBuffer(binBuffer), specs);
  for (const e of entries) {
    const t = tensors[e.spec.name];
    assert.ok(t, `decoded tensor ${e.spec.name}`);
    assert.deepEqual(t.shape, e.spec.shape, `${e.spec.name} shape`);
    const got = e.spec.dtype === 'string' ? t.arraySync() : [...t.dataSync()];
    if (e.spec.dtype === 'string') {
      assert.deepEqual(got, e.expect, `${e.spec.name} values`);
    } else {
      assert.equal(got.length, e.expect.length, `${e.spec.name} length`);
      got.forEach((v, i) => assert.ok(Object.is(v, e.expect[i]),
                                      `${e.spec.name}[${i}]: got ${v}, want ${e.expect[i]}`));
    }
    if (e.original) {
      got.forEach((v, i) => assert.ok(Math.abs(v - e.original[i]) <= e.tolerance + 1e-6,
                                      `${e.spec.name}[${i}] ${v} too far from ${e.original[i]}`));
    }
  }
}

await check('TF.js decodeWeights reads our converter-style quantized weights as expected', () => {
  const bin = Buffer.concat(manifest.flatMap((g) => g.paths)
                                .map((p) => fs.readFileSync(path.join(srcDir, p))));
  assert.equal(bin.length, totalBytes);
  assertDecodes(bin, flatSpecs);
});

await check('validate exits 0 on the quantized model (sizes from quantization dtypes)', () => {
  expectCli(cli, ['validate', jsonPath]);
});

await check('info --json: byte counts as TF.js computes them after loading', async () => {
  const r = expectCli(cli, ['info', jsonPath, '--json']);
  const info = JSON.parse(r.stdout);
  const tfjsInfo = tf.io.getModelArtifactsInfoForJSON(await loadArtifacts(jsonPath));
  const mai = info.modelArtifactsInfo;
  assert.equal(mai.weightDataBytes, totalBytes, 'weightDataBytes');
  assert.equal(mai.weightDataBytes, tfjsInfo.weightDataBytes);
  assert.equal(mai.modelTopologyBytes, tfjsInfo.modelTopologyBytes,
               'modelTopologyBytes counts JSON.stringify output, not the Python-style file');
  assert.equal(mai.weightSpecsBytes, tfjsInfo.weightSpecsBytes, 'weightSpecsBytes');
  assert.equal(info.format, 'graph-model');
  assert.equal(info.generatedBy, '2.15.0');
  assert.equal(info.tensorCount, entries.length);
});

// tfjs-node's save drops modelInitializer/initializerSignature (spec §4.6); tfjs-model keeps
// them, appended last, on purpose (core/artifacts.h: "we do not lose data").
const KEEPS_INITIALIZER = true;

await check(`copy equals tfjs-node copyModel (JS-style JSON${KEEPS_INITIALIZER ?
             ', plus modelInitializer/initializerSignature' : ', no modelInitializer'}) and decodes`,
            async () => {
  const expectedDir = path.join(tmp, 'expected');
  await nodeCopy(jsonPath, expectedDir, {keepInitializer: KEEPS_INITIALIZER});
  const expected = JSON.parse(fs.readFileSync(path.join(expectedDir, 'model.json'), 'utf8'));
  assert.equal('modelInitializer' in expected, KEEPS_INITIALIZER, 'oracle sanity');
  assert.ok('signature' in expected, 'oracle sanity');
  const outDir = path.join(tmp, 'copied');
  expectCli(cli, ['copy', jsonPath, outDir]);
  assertSameFile(path.join(outDir, 'model.json'), path.join(expectedDir, 'model.json'));
  assertSameFile(path.join(outDir, 'weights.bin'), path.join(expectedDir, 'weights.bin'));
  const copied = JSON.parse(fs.readFileSync(path.join(outDir, 'model.json'), 'utf8'));
  assertDecodes(fs.readFileSync(path.join(outDir, 'weights.bin')),
                copied.weightsManifest[0].weights);
});

await check('validate exits 1 when the last shard is 1 byte short, naming the shard', () => {
  const dir = path.join(tmp, 'short');
  fs.cpSync(srcDir, dir, {recursive: true});
  const last = manifest[1].paths.at(-1);
  const buf = fs.readFileSync(path.join(dir, last));
  fs.writeFileSync(path.join(dir, last), buf.subarray(0, buf.length - 1));
  const r = runCli(cli, ['validate', path.join(dir, 'model.json')]);
  assert.equal(r.status, 1, describeRun(r));
  assert.ok(r.stderr.includes(last) || r.stderr.includes('model.json'),
            `stderr should name the shard or the model: ${describeRun(r)}`);
});

finish('test_quantized_decode');
