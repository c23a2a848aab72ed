// `tfjs-model info --json` and `tfjs-model validate` against models saved by TF.js 4.22.
// The byte counts must match TF.js's own getModelArtifactsInfoForJSON (spec §3).
// Usage: node test_info_validate.mjs /path/to/tfjs-model
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {builders} from './lib/fixtures.mjs';
import {check, cliPath, describeRun, expectCli, finish, makeTempDir,
        runCli} from './lib/harness.mjs';
import {nodeFileSaver} from './lib/nodeFileIO.mjs';
import {writeMultiShard} from './lib/layouts.mjs';

const cli = cliPath();
const tmp = makeTempDir('info');

/** Runs `info --json` and parses stdout. */
function infoJson(src) {
  const r = expectCli(cli, ['info', src, '--json']);
  try {
    return JSON.parse(r.stdout);
  } catch (e) {
    throw new Error(`info --json printed invalid JSON (${e.message}): ${describeRun(r)}`);
  }
}

/** Asserts the fields the contract fixes, against values computed by TF.js. */
function assertInfo(info, {json, binBytes, tfjsInfo}) {
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const mai = info.modelArtifactsInfo;
  assert.ok(mai && typeof mai === 'object', 'modelArtifactsInfo object present');
  assert.equal(mai.modelTopologyBytes, Buffer.byteLength(JSON.stringify(json.modelTopology)),
               'modelTopologyBytes = UTF-8 length of JSON.stringify(modelTopology)');
  assert.equal(mai.weightSpecsBytes, Buffer.byteLength(JSON.stringify(specs)),
               'weightSpecsBytes = UTF-8 length of JSON.stringify(flat weight specs)');
  assert.equal(mai.weightDataBytes, binBytes, 'weightDataBytes = total bin size');
  if (tfjsInfo) {
    for (const k of ['modelTopologyBytes', 'weightSpecsBytes', 'weightDataBytes']) {
      assert.equal(mai[k], tfjsInfo[k], `${k} equals TF.js's SaveResult.modelArtifactsInfo`);
    }
  }
  assert.equal(info.format, json.format, 'format');
  assert.equal(info.generatedBy, json.generatedBy, 'generatedBy');
  assert.equal(info.tensorCount, specs.length, 'tensorCount = number of weight specs');
}

const saved = [];
for (const build of builders) {
  const {name, model, saveOptions} = await build();
  const dir = path.join(tmp, name);
  const result = await model.save(nodeFileSaver(dir), saveOptions);
  const jsonPath = path.join(dir, 'model.json');
  const json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  const binBytes = fs.statSync(path.join(dir, 'weights.bin')).size;
  saved.push({name, dir, jsonPath, json});

  await check(`${name}: info --json matches TF.js's ModelArtifactsInfo`, () => {
    assertInfo(infoJson(jsonPath), {json, binBytes, tfjsInfo: result.modelArtifactsInfo});
  });

  await check(`${name}: info --json on a 2-group/5-shard layout gives the same figures`, () => {
    const {jsonPath: sharded} = writeMultiShard(path.join(tmp, `${name}-sharded`), json,
                                                fs.readFileSync(path.join(dir, 'weights.bin')));
    assertInfo(infoJson(sharded), {json, binBytes, tfjsInfo: result.modelArtifactsInfo});
  });

  await check(`${name}: validate exits 0`, () => {
    expectCli(cli, ['validate', jsonPath]);
    expectCli(cli, ['validate', `file://${jsonPath}`]);
  });
}

await check('info (text) exits 0 and prints something', () => {
  const r = expectCli(cli, ['info', saved[0].jsonPath]);
  assert.ok(r.stdout.trim().length > 0, 'non-empty output');
});

await check('info --json reports the ModelArtifactsInfo of the optimizer model', () => {
  // includeOptimizer: the optimizer specs are part of the flat specs and of the data.
  const t = saved.find((s) => s.name === 'trained_adam');
  const info = infoJson(t.jsonPath);
  const specs = t.json.weightsManifest.flatMap((g) => g.weights);
  assert.ok(specs.some((w) => w.group === 'optimizer'));
  assert.equal(info.tensorCount, specs.length);
});

for (const cut of [1, 3, 4]) {
  await check(`validate exits 1 on weights.bin truncated by ${cut} byte(s) and names the file`,
              () => {
    const src = saved[0];
    const dir = path.join(tmp, `truncated-${cut}`);
    fs.mkdirSync(dir);
    fs.copyFileSync(src.jsonPath, path.join(dir, 'model.json'));
    const bin = fs.readFileSync(path.join(src.dir, 'weights.bin'));
    fs.writeFileSync(path.join(dir, 'weights.bin'), bin.subarray(0, bin.length - cut));
    const r = runCli(cli, ['validate', path.join(dir, 'model.json')]);
    assert.equal(r.status, 1, describeRun(r));
    assert.ok(r.stderr.includes('weights.bin'), `stderr should mention weights.bin: ` +
              describeRun(r));
  });
}

await check('validate exits 1 on a missing shard and names it', () => {
  const src = saved[1];
  const dir = path.join(tmp, 'missing-shard');
  const {jsonPath, shardFiles} = writeMultiShard(dir, src.json,
                                                 fs.readFileSync(path.join(src.dir, 'weights.bin')));
  fs.rmSync(path.join(dir, shardFiles[3]));
  const r = runCli(cli, ['validate', jsonPath]);
  assert.equal(r.status, 1, describeRun(r));
  assert.ok(r.stderr.includes(shardFiles[3]), `stderr should mention ${shardFiles[3]}: ` +
            describeRun(r));
});

await check('validate exits 1 on invalid JSON', () => {
  const dir = path.join(tmp, 'badjson');
  fs.mkdirSync(dir);
  const text = fs.readFileSync(saved[0].jsonPath, 'utf8');
  fs.writeFileSync(path.join(dir, 'model.json'), text.slice(0, text.length / 2));
  fs.copyFileSync(path.join(saved[0].dir, 'weights.bin'), path.join(dir, 'weights.bin'));
  const r = runCli(cli, ['validate', path.join(dir, 'model.json')]);
  assert.equal(r.status, 1, describeRun(r));
  assert.ok(r.stderr.trim().length > 0, 'an error message on stderr');
});

await check('validate with no argument is a usage error (exit 2)', () => {
  const r = runCli(cli, ['validate']);
  assert.equal(r.status, 2, describeRun(r));
});

finish('test_info_validate');
