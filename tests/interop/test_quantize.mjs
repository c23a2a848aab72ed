// tfjs-model quantize on a seeded TF.js model: the result loads in TF.js 4.22, the values
// TF.js decodes give exactly the error the quantize report states, `diff` of the float model
// against its quantization reports the same error, sizes shrink by the dtype's factor, and
// predictions stay within a bound; --shard-size saves load in TF.js.
// Usage: node ... /path/to/tfjs-model
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {mlp} from './lib/fixtures.mjs';
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

  await check(`${dtype}: the model loads in TF.js and predicts within the reported error`, async () => {
    const quantized = await tf.loadLayersModel(
        tf.io.fromMemory(await loadArtifacts(path.join(dstDir, 'model.json'))));
    const a = model.predict(inputs).dataSync();
    const b = quantized.predict(inputs).dataSync();
    // Softmax outputs: a loose bound from the largest relative weight error.
    const worst = Math.max(...report.tensors.map((t) => t.relativeL2));
    for (let i = 0; i < a.length; i++)
      assert.ok(Math.abs(a[i] - b[i]) <= 20 * worst + 1e-6, `prediction ${i}: ${a[i]} vs ${b[i]}`);
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

await check('copy and quantize --shard-size: the converter\'s shards, and TF.js loads them', async () => {
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
});

finish('test_quantize');
