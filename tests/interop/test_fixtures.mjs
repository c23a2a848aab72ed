// Self-check of the interop helpers, without the CLI: the fixtures are deterministic, save
// in tfjs-node's file:// layout, and load back through our loader predicting bit-identically
// (also from the multi-group, multi-shard layout). If this fails, the other interop_* failures
// are about the harness, not about tfjs-model.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {fileURLToPath} from 'node:url';
import * as tf from '@tensorflow/tfjs';
import {builders, optimizerWeightBytes, predictBytes} from './lib/fixtures.mjs';
import {check, finish, makeTempDir, assertSameBytes} from './lib/harness.mjs';
import {nodeFileSaver, nodeFileLoader, nodeCopy} from './lib/nodeFileIO.mjs';
import {writeMultiShard} from './lib/layouts.mjs';

const tmp = makeTempDir('fixtures');
let freshDir = null;
function saveInFreshProcess() {
  const dir = path.join(tmp, 'fresh');
  const script = fileURLToPath(new URL('./lib/save-fixtures.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [script, dir], {encoding: 'utf8', timeout: 120000});
  if (r.status !== 0) throw new Error(`save-fixtures.mjs failed (${r.status}):\n${r.stderr}`);
  return dir;
}
const NODE_KEYS = ['modelTopology', 'weightsManifest', 'format', 'generatedBy', 'convertedBy'];

for (const build of builders) {
  const {name, model, inputs, saveOptions} = await build();
  const dirA = path.join(tmp, name, 'A');
  fs.mkdirSync(path.dirname(dirA), {recursive: true});
  let saveResult;

  await check(`${name}: save writes model.json + weights.bin in tfjs-node's layout`, async () => {
    saveResult = await model.save(nodeFileSaver(dirA), saveOptions);
    assert.deepEqual(fs.readdirSync(dirA).sort(), ['model.json', 'weights.bin']);
    const json = JSON.parse(fs.readFileSync(path.join(dirA, 'model.json'), 'utf8'));
    const keys = Object.keys(json);
    assert.deepEqual(keys.slice(0, 5), NODE_KEYS);
    const optional = ['trainingConfig', 'signature', 'userDefinedMetadata'];
    assert.deepEqual(keys.slice(5), optional.filter((k) => keys.includes(k)));
    assert.equal(json.weightsManifest.length, 1);
    assert.deepEqual(json.weightsManifest[0].paths, ['weights.bin']);
    assert.equal(json.format, 'layers-model');
    assert.equal(json.generatedBy, `TensorFlow.js tfjs-layers v${tf.version_layers}`);
    assert.equal(json.convertedBy, null);
    assert.equal(saveResult.modelArtifactsInfo.weightDataBytes,
                 fs.statSync(path.join(dirA, 'weights.bin')).size);
    if (saveOptions?.includeOptimizer) {
      assert.ok(json.trainingConfig, 'trainingConfig present');
      assert.ok(json.weightsManifest[0].weights.some((w) => w.group === 'optimizer'),
                'optimizer weights present');
    }
  });

  await check(`${name}: a fresh process saves byte-identical files (seeded)`, async () => {
    freshDir ??= saveInFreshProcess();
    for (const f of ['model.json', 'weights.bin']) {
      assertSameBytes(fs.readFileSync(path.join(freshDir, name, f)),
                      fs.readFileSync(path.join(dirA, f)), `${name}/${f} of two processes`);
    }
  });

  const expected = predictBytes(model, inputs);
  await check(`${name}: loads back through nodeFileLoader and predicts bit-identically`,
              async () => {
    const loaded = await tf.loadLayersModel(nodeFileLoader(path.join(dirA, 'model.json')));
    const got = predictBytes(loaded, inputs);
    assert.equal(got.length, expected.length);
    got.forEach((buf, i) => assertSameBytes(buf, expected[i], `${name} output ${i}`));
    if (saveOptions?.includeOptimizer) {
      const want = await optimizerWeightBytes(model);
      const have = await optimizerWeightBytes(loaded);
      assert.equal(have.length, want.length);
      assert.ok(want.length > 1);
      have.forEach((buf, i) => assertSameBytes(buf, want[i], `${name} optimizer weight ${i}`));
    }
  });

  await check(`${name}: multi-group/multi-shard layout loads and re-saves to the same bytes`,
              async () => {
    const json = JSON.parse(fs.readFileSync(path.join(dirA, 'model.json'), 'utf8'));
    const {jsonPath, shardFiles} = writeMultiShard(
        path.join(tmp, name, 'sharded'), json, fs.readFileSync(path.join(dirA, 'weights.bin')));
    assert.equal(shardFiles.length, 5);
    const loaded = await tf.loadLayersModel(nodeFileLoader(jsonPath));
    predictBytes(loaded, inputs).forEach(
        (buf, i) => assertSameBytes(buf, expected[i], `${name} output ${i} (sharded)`));
    const dirE = path.join(tmp, name, 'E');
    await nodeCopy(jsonPath, dirE);
    for (const f of ['model.json', 'weights.bin']) {
      assertSameBytes(fs.readFileSync(path.join(dirE, f)), fs.readFileSync(path.join(dirA, f)),
                      `${name}/${f} re-saved from shards`);
    }
  });
}

finish('test_fixtures');
