// tfjs-model quantize on a seeded TF.js model: the result loads in TF.js 4.22, the values
// TF.js decodes give exactly the error the quantize report states, `diff` of the float model
// against its quantization reports the same error, sizes shrink by the dtype's factor, and
// predictions of an MLP and a conv net stay within a sound bound derived from the reported
// per-tensor errors (lib/errorbound.mjs) that is not vacuous; --shard-size saves load in TF.js.
// Usage: node ... /path/to/tfjs-model
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {convNet, mlp} from './lib/fixtures.mjs';
import {predictionBound} from './lib/errorbound.mjs';
import {check, cliPath, expectCli, finish, makeTempDir} from './lib/harness.mjs';
import {loadArtifacts, nodeFileSaver} from './lib/nodeFileIO.mjs';

const cli = cliPath();
const tmp = makeTempDir('quantize');
const {model, inputs} = await mlp();
const srcDir = path.join(tmp, 'float');
await model.save(nodeFileSaver(srcDir));
const srcJson = path.join(srcDir, 'model.json');
const original = await loadArtifacts(srcJson);
const originalValues = tf.io.decodeWeights(original.weightData, original.weightSpecs);

// The error of `got` against `want` as the report computes it (float64, in order).
function errorOf(got, want) {
  let maxAbs = 0, sumAbs = 0, squaredDiff = 0, squared = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    maxAbs = Math.max(maxAbs, d);
    sumAbs += d;
    squaredDiff += d * d;
    squared += want[i] * want[i];
  }
  return {maxAbs, meanAbs: sumAbs / want.length,
          relativeL2: squared > 0 ? Math.sqrt(squaredDiff) / Math.sqrt(squared) : 0};
}
const close = (a, b, what) =>
  assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

for (const [dtype, bytesPer] of [['uint8', 1], ['uint16', 2], ['float16', 2]]) {
  const dstDir = path.join(tmp, dtype);
  let report;
  await check(`quantize --dtype ${dtype}: the report's error is what TF.js decodes`, async () => {
    report = JSON.parse(expectCli(cli, ['quantize', srcJson, dstDir, '--dtype', dtype,
                                        '--json']).stdout);
    const loaded = await loadArtifacts(path.join(dstDir, 'model.json'));
    const values = tf.io.decodeWeights(loaded.weightData, loaded.weightSpecs);
    assert.equal(report.tensors.length, original.weightSpecs.length);
    for (const t of report.tensors) {
      assert.equal(t.quantized, true, `${t.name} quantized`);
      assert.equal(t.dtype, dtype);
      const spec = loaded.weightSpecs.find((s) => s.name === t.name);
      assert.equal(spec.quantization.dtype, dtype, `${t.name} quantization entry`);
      const want = errorOf(values[t.name].dataSync(), originalValues[t.name].dataSync());
      close(t.maxAbs, want.maxAbs, `${t.name} maxAbs`);
      close(t.meanAbs, want.meanAbs, `${t.name} meanAbs`);
      close(t.relativeL2, want.relativeL2, `${t.name} relativeL2`);
      if (dtype !== 'float16') assert.ok(t.maxAbs <= t.scale / 2 + 1e-7, `${t.name} within scale/2`);
    }
    assert.equal(report.bytesAfter * 4, report.bytesBefore * bytesPer, 'size factor');
  });

  await check(`diff float vs ${dtype}: the same error as the quantize report`, () => {
    const diff = JSON.parse(expectCli(cli, ['diff', srcJson, path.join(dstDir, 'model.json'),
                                           '--json'], 1).stdout);
    assert.equal(diff.topology.nodes.length, 0);
    for (const t of report.tensors) {
      const d = diff.tensors.find((x) => x.name === t.name);
      assert.equal(d.b.dtype, `${dtype}>float32`);
      close(d.maxAbs, t.maxAbs, `${t.name} maxAbs`);
      close(d.meanAbs, t.meanAbs, `${t.name} meanAbs`);
      close(d.relativeL2, t.relativeL2, `${t.name} relativeL2`);
    }
  });
}

// Predictions: TF.js's quantized model against the float one, elementwise within the bound
// propagated from the report's per-tensor max |error| (plus 1e-6 for the float32 rounding of
// the two forward passes). Not vacuous: the outputs are softmax probabilities, so 1 bounds any
// change; the bound stays well below (measured: uint8 0.16 mlp / 0.23 convnet, uint16 6e-4 /
// 7e-4, float16 0.013 / 0.018) and within 400x of the largest change observed (measured 40x to
// 250x, printed). It is a worst case: it assumes every weight off by the tensor's max |error|
// with the sign that hurts, where rounding errors have mixed signs and mostly cancel (a factor
// of about sqrt(fan-in) and max/mean), and softmax's exp(2E) rule counts each logit's bound twice.
const limits = {uint8: 0.3, uint16: 1e-3, float16: 0.03};
for (const fixture of [mlp, convNet]) {
  const {name, model: floatModel, inputs: x} = await fixture();
  const dir = path.join(tmp, `bound-${name}`);
  fs.mkdirSync(dir);
  await floatModel.save(nodeFileSaver(path.join(dir, 'float')));
  for (const dtype of Object.keys(limits)) {
    await check(`${name} ${dtype}: predictions within the bound from the reported errors`, async () => {
      const out = path.join(dir, dtype);
      const report = JSON.parse(expectCli(cli, ['quantize', path.join(dir, 'float', 'model.json'),
                                                out, '--dtype', dtype, '--json']).stdout);
      const quantized = await tf.loadLayersModel(
          tf.io.fromMemory(await loadArtifacts(path.join(out, 'model.json'))));
      const a = floatModel.predict(x).dataSync();
      const b = quantized.predict(x).dataSync();
      const {predictions, bound} = predictionBound(floatModel, x, report);
      let observed = 0, widest = 0;
      for (let i = 0; i < a.length; i++) {
        assert.ok(Math.abs(predictions[i] - a[i]) <= 1e-6, `recomputed prediction ${i}`);
        assert.ok(Math.abs(a[i] - b[i]) <= bound[i] + 1e-6,
                  `prediction ${i}: |${a[i]} - ${b[i]}| > bound ${bound[i]}`);
        observed = Math.max(observed, Math.abs(a[i] - b[i]));
        widest = Math.max(widest, bound[i]);
      }
      assert.ok(widest <= limits[dtype], `bound ${widest} vacuous (limit ${limits[dtype]})`);
      assert.ok(observed > 0 && widest <= 400 * observed,
                `bound ${widest} loose against the observed ${observed}`);
      console.log(`    ${name} ${dtype}: max |change| ${observed.toExponential(2)}, bound ` +
                  `${widest.toExponential(2)} (${(widest / observed).toFixed(1)}x)`);
    });
  }
}

await check('copy and quantize --shard-size (file://, downloads://): the converter\'s shards, and TF.js loads them', async () => {
  const bin = fs.readFileSync(path.join(srcDir, 'weights.bin'));
  for (const [verb, extra, expectedBytes] of [['copy', [], bin.length],
                                             ['quantize', ['--dtype', 'uint8'], bin.length / 4]]) {
    const dir = path.join(tmp, `${verb}-sharded`);
    expectCli(cli, [verb, srcJson, dir, '--shard-size', '1000', ...extra]);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const count = Math.ceil(expectedBytes / 1000);
    assert.deepEqual(json.weightsManifest[0].paths,
                     Array.from({length: count}, (_, i) => `group1-shard${i + 1}of${count}.bin`));
    json.weightsManifest[0].paths.forEach((p, i) => assert.equal(
        fs.statSync(path.join(dir, p)).size, i + 1 < count ? 1000 : expectedBytes - 1000 * (count - 1)));
    const loaded = await tf.loadLayersModel(
        tf.io.fromMemory(await loadArtifacts(path.join(dir, 'model.json'))));
    const a = model.predict(inputs).dataSync();
    const b = loaded.predict(inputs).dataSync();
    if (verb === 'copy') assert.deepEqual([...b], [...a], 'a resharded copy predicts the same');
    else assert.equal(b.length, a.length);
  }
  // downloads:// too: the converter's shard names behind the download's name.
  const downloads = path.join(tmp, 'downloads');
  fs.mkdirSync(downloads);
  expectCli(cli, ['quantize', srcJson, 'downloads://m', '--downloads', downloads,
                  '--shard-size', '1000', '--dtype', 'uint8']);
  const json = JSON.parse(fs.readFileSync(path.join(downloads, 'm.json'), 'utf8'));
  const count = Math.ceil(bin.length / 4 / 1000);
  assert.deepEqual(json.weightsManifest[0].paths,
                   Array.from({length: count}, (_, i) => `./m.group1-shard${i + 1}of${count}.bin`));
  const loaded = await tf.loadLayersModel(
      tf.io.fromMemory(await loadArtifacts(path.join(downloads, 'm.json'))));
  assert.equal(loaded.predict(inputs).dataSync().length, model.predict(inputs).dataSync().length);
});

finish('test_quantize');
