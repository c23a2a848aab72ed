// `tfjs-model copy` against real TF.js 4.22: for each fixture, a copy of a tfjs-node file://
// save must be byte-identical to it (model.json and weights.bin) and must load back into TF.js
// predicting bit-identically. A multi-group, multi-shard layout must be merged into the same
// single weights.bin. Usage: node test_copy_roundtrip.mjs /path/to/tfjs-model
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {assertPredictsLike, builders, predictBytes} from './lib/fixtures.mjs';
import {assertSameFile, check, cliPath, expectCli, finish, makeTempDir,
        runCli, describeRun} from './lib/harness.mjs';
import {nodeFileLoader, nodeFileSaver} from './lib/nodeFileIO.mjs';
import {writeMultiShard} from './lib/layouts.mjs';

const cli = cliPath();
const tmp = makeTempDir('copy');

/** Asserts `dir` holds exactly model.json + weights.bin identical to `refDir`'s. */
function assertSameModelDir(dir, refDir) {
  assert.deepEqual(fs.readdirSync(dir).sort(), ['model.json', 'weights.bin'],
                   `${dir} should hold exactly model.json and weights.bin`);
  assertSameFile(path.join(dir, 'model.json'), path.join(refDir, 'model.json'));
  assertSameFile(path.join(dir, 'weights.bin'), path.join(refDir, 'weights.bin'));
}

/** Loads `jsonPath` into TF.js and compares outputs (and optimizer state) bit for bit. */
function assertPredictsLikeFile(jsonPath, fixture, expected, what) {
  return assertPredictsLike(nodeFileLoader(jsonPath), fixture, expected, what);
}

for (const build of builders) {
  const fixture = await build();
  const {name, model, saveOptions} = fixture;
  const base = path.join(tmp, name);
  fs.mkdirSync(base);
  const dirA = path.join(base, 'A');
  await model.save(nodeFileSaver(dirA), saveOptions);
  const expected = predictBytes(model, fixture.inputs);

  await check(`${name}: copy A/model.json B is byte-identical to the tfjs-node save`, () => {
    const dirB = path.join(base, 'B');
    expectCli(cli, ['copy', path.join(dirA, 'model.json'), dirB]);
    assertSameModelDir(dirB, dirA);
  });

  await check(`${name}: the copy loads into TF.js and predicts bit-identically`, () =>
    assertPredictsLikeFile(path.join(base, 'B', 'model.json'), fixture, expected, `${name} copy`));

  await check(`${name}: copy merges 2 groups / 5 shards into one identical weights.bin`,
              async () => {
    const json = JSON.parse(fs.readFileSync(path.join(dirA, 'model.json'), 'utf8'));
    const {jsonPath} = writeMultiShard(path.join(base, 'sharded'), json,
                                       fs.readFileSync(path.join(dirA, 'weights.bin')));
    const dirS = path.join(base, 'S');
    expectCli(cli, ['copy', jsonPath, dirS]);
    assertSameModelDir(dirS, dirA);
    await assertPredictsLikeFile(path.join(dirS, 'model.json'), fixture, expected,
                             `${name} copy of sharded`);
  });
}

// URL and path forms, overwriting, and failures, on the first fixture.
const first = path.join(tmp, 'mlp', 'A');

await check('copy file:///abs/model.json file:///abs/dir', () => {
  const dst = path.join(tmp, 'url-abs');
  expectCli(cli, ['copy', `file://${path.join(first, 'model.json')}`, `file://${dst}`]);
  assertSameModelDir(dst, first);
});

await check('copy with relative paths (plain and file://./) resolves against the cwd', () => {
  expectCli(cli, ['copy', 'mlp/A/model.json', 'rel-plain'], 0, {cwd: tmp});
  assertSameModelDir(path.join(tmp, 'rel-plain'), first);
  expectCli(cli, ['copy', 'file://./mlp/A/model.json', 'file://./rel-url'], 0, {cwd: tmp});
  assertSameModelDir(path.join(tmp, 'rel-url'), first);
});

await check('copy into a folder holding a model refuses (exit 1) unless --overwrite, which ' +
            'replaces a longer stale model.json/weights.bin', () => {
  const dst = path.join(tmp, 'stale');
  fs.mkdirSync(dst);
  const big = Buffer.alloc(fs.statSync(path.join(first, 'weights.bin')).size + 4099, 0xab);
  fs.writeFileSync(path.join(dst, 'weights.bin'), big);
  fs.writeFileSync(path.join(dst, 'model.json'), ' '.repeat(100000));
  const r = runCli(cli, ['copy', path.join(first, 'model.json'), dst]);
  assert.equal(r.status, 1, describeRun(r));
  assert.ok(r.stderr.includes(`file://${dst} already exists; use --overwrite to replace it.`),
            describeRun(r));
  assert.deepEqual(fs.readFileSync(path.join(dst, 'weights.bin')), big);
  expectCli(cli, ['copy', path.join(first, 'model.json'), dst, '--overwrite']);
  assertSameModelDir(dst, first);
});

await check('copy onto a path that is a file fails with exit 1 and names the path', () => {
  const file = path.join(tmp, 'iamafile');
  fs.writeFileSync(file, 'x');
  const r = runCli(cli, ['copy', path.join(first, 'model.json'), file]);
  assert.equal(r.status, 1, describeRun(r));
  assert.ok(r.stderr.includes(file), `stderr should name ${file}: ${describeRun(r)}`);
  assert.equal(fs.readFileSync(file, 'utf8'), 'x', 'the file must be left alone');
});

await check('copy of a missing model.json fails with exit 1 and names the path', () => {
  const missing = path.join(tmp, 'nope', 'model.json');
  const r = runCli(cli, ['copy', missing, path.join(tmp, 'never')]);
  assert.equal(r.status, 1, describeRun(r));
  assert.ok(r.stderr.includes(missing), `stderr should name ${missing}: ${describeRun(r)}`);
  assert.ok(!fs.existsSync(path.join(tmp, 'never', 'weights.bin')), 'nothing written');
});

await check('copy with a missing shard fails with exit 1 and names the shard', () => {
  const json = JSON.parse(fs.readFileSync(path.join(first, 'model.json'), 'utf8'));
  const dir = path.join(tmp, 'missing-shard');
  const {jsonPath, shardFiles} = writeMultiShard(dir, json,
                                                 fs.readFileSync(path.join(first, 'weights.bin')));
  fs.rmSync(path.join(dir, shardFiles[1]));
  const r = runCli(cli, ['copy', jsonPath, path.join(tmp, 'missing-shard-out')]);
  assert.equal(r.status, 1, describeRun(r));
  assert.ok(r.stderr.includes(shardFiles[1]), `stderr should name ${shardFiles[1]}: ` +
            describeRun(r));
});

await check('copy with a missing argument is a usage error (exit 2)', () => {
  const r = runCli(cli, ['copy', path.join(first, 'model.json')]);
  assert.equal(r.status, 2, describeRun(r));
  assert.ok(r.stderr.length > 0, 'usage text on stderr');
});

finish('test_copy_roundtrip');
