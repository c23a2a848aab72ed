// `tfjs-model serve` with real TF.js 4.22 in Node 20 (native fetch/FormData):
//  - TF.js's own http handler saves each seeded fixture to the server (POST, and PUT with
//    requestInit), loads it back from it and predicts bit-identically (optimizer weights too);
//  - `tfjs-model list` shows what arrived; the server prints each arrival;
//  - a taken path answers 409 (TF.js reports the status) unless ?overwrite=1;
//  - an upload over --max-body gets 413 as TF.js's error (the body is read first: Node's fetch
//    would report a broken pipe, not the status, for an early answer); nothing stored;
//  - with --token a save needs the Authorization header, and DELETE removes;
//  - SIGTERM ends the server with exit status 0.
// Usage: node test_serve.mjs /path/to/tfjs-model
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {assertPredictsLike, builders, predictBytes} from './lib/fixtures.mjs';
import {check, cliPath, describeRun, expectCli, finish, makeTempDir, runCli} from './lib/harness.mjs';
import {listStore as listStoreOf, startServer as startServerOf} from './lib/serve.mjs';

const cli = cliPath();
delete process.env.TFJS_SERVE_TOKEN; // the servers here get their token from --token or none
const tmp = makeTempDir('serve');

const startServer = (args) => startServerOf(cli, args);
const listStore = (store) => listStoreOf(cli, store);

async function saveRefused(model, url, status, requestInit = {}) {
  await assert.rejects(model.save(tf.io.http(url, {requestInit})),
                       new RegExp(`failed due to HTTP response status ${status}\\.`));
}

const store = path.join(tmp, 'store');
const server = await startServer(['--port', '0', '--store', store]);
try {
  for (const build of builders) {
    const fixture = await build();
    const {name, model, saveOptions} = fixture;
    const expected = predictBytes(model, fixture.inputs);

    await check(`${name}: model.save(url) stores it; loadLayersModel(url) predicts bit-identically`,
                async () => {
      const saved = await model.save(`${server.base}models/fixtures/${name}`, saveOptions);
      assert.equal(saved.responses[0].status, 200);
      const answer = await saved.responses[0].json();
      assert.equal(answer.url, `indexeddb://fixtures/${name}`);
      assert.equal(answer.modelArtifactsInfo.weightDataBytes, saved.modelArtifactsInfo.weightDataBytes);
      await assertPredictsLike(`${server.base}models/fixtures/${name}/model.json`, fixture,
                               expected, name);
    });

    await check(`${name}: PUT (requestInit.method) stores it too`, async () => {
      const saved = await model.save(
          tf.io.http(`${server.base}models/put/${name}`, {requestInit: {method: 'PUT'}}), saveOptions);
      assert.equal(saved.responses[0].status, 200);
      await assertPredictsLike(`${server.base}models/put/${name}/model.json`, fixture, expected,
                               `${name} (PUT)`);
    });
  }

  const {model} = await builders[0]();
  await check('tfjs-model list shows every model TF.js saved', () => {
    const listed = Object.keys(listStore(store)).sort();
    const want = builders.length;
    assert.equal(listed.filter((u) => u.startsWith('indexeddb://fixtures/')).length, want,
                 listed.join('\n'));
    assert.equal(listed.filter((u) => u.startsWith('indexeddb://put/')).length, want);
  });

  await check('a taken path: 409 as TF.js\'s error, the model unchanged; ?overwrite=1 replaces',
              async () => {
    const before = listStore(store)['indexeddb://fixtures/two_in_two_out'];
    await saveRefused(model, `${server.base}models/fixtures/two_in_two_out`, 409);
    assert.deepEqual(listStore(store)['indexeddb://fixtures/two_in_two_out'], before);
    const saved = await model.save(`${server.base}models/fixtures/two_in_two_out?overwrite=1`);
    assert.equal(saved.responses[0].status, 200);
    const after = listStore(store)['indexeddb://fixtures/two_in_two_out'];
    assert.equal(after.weightDataBytes, saved.modelArtifactsInfo.weightDataBytes);
    const trash = expectCli(cli, ['trash', 'list', '--store', store]).stdout;
    assert.match(trash, /fixtures\/two_in_two_out/);
  });

  await check('a port in use: exit 1 naming it; nothing served', () => {
    const port = new URL(server.base).port;
    const r = runCli(cli, ['serve', '--port', port, '--store', path.join(tmp, 'other')]);
    assert.equal(r.status, 1, describeRun(r));
    assert.match(r.stderr, new RegExp(`^tfjs-model: Cannot serve on 127\\.0\\.0\\.1 port ${port}\\.`, 'm'),
                 describeRun(r));
    assert.match(r.stderr, /Address already in use/, describeRun(r));
    assert.equal(r.stdout, '');
  });

  await check('the server refuses a traversal and an unknown URL with 400 and 404', async () => {
    // (fetch removes '..' and '%2e%2e' segments itself; tst_modelserver sends them raw.)
    let r = await fetch(`${server.base}models/a%00/b`, {method: 'POST'});
    assert.equal(r.status, 400);
    assert.match((await r.json()).error, /'a%00' is refused: it holds a NUL/);
    r = await fetch(`${server.base}other`);
    assert.equal(r.status, 404);
  });
} finally {
  const {code} = await server.stop();
  await check('SIGTERM: serve exits 0, having printed each arrival', () => {
    assert.equal(code, 0, server.err());
    const arrivals = server.out().split('\n').filter((l) => l.startsWith('stored '));
    assert.equal(arrivals.length, 2 * builders.length + 1, server.out());
    assert.match(server.out(), /^stored indexeddb:\/\/fixtures\/mlp \(\d+ weight bytes\)$/m);
  });
}

await check('--max-body: TF.js gets 413 (body drained first), nothing stored', async () => {
  const small = path.join(tmp, 'small');
  const limited = await startServer(['--store', small, '--max-body', '2000']);
  try {
    const {model} = await builders[0]();
    await saveRefused(model, `${limited.base}models/big`, 413);
    assert.deepEqual(listStore(small), {});
  } finally {
    assert.equal((await limited.stop()).code, 0);
  }
  // Printed by the main thread after the answer: read once the server has exited.
  assert.match(limited.err(), /413 POST \/models\/big: The request body \(\d+ bytes\) is larger than the server's limit of 2000 bytes\./);
});

await check('--token: a save needs Authorization; DELETE removes to the trash', async () => {
  const guarded = path.join(tmp, 'guarded');
  const token = 'interop-token-123';
  const server = await startServer(['--store', guarded, '--token', token]);
  try {
    const {model} = await builders[0]();
    await saveRefused(model, `${server.base}models/g`, 401);
    assert.deepEqual(listStore(guarded), {});
    const auth = {headers: {Authorization: `Bearer ${token}`}};
    const saved = await model.save(tf.io.http(`${server.base}models/g`, {requestInit: auth}));
    assert.equal(saved.responses[0].status, 200);
    const loaded = await tf.loadLayersModel(`${server.base}models/g/model.json`); // reads: no token
    loaded.dispose();
    let r = await fetch(`${server.base}models/g`, {method: 'DELETE'});
    assert.equal(r.status, 401);
    r = await fetch(`${server.base}models/g`, {method: 'DELETE', ...auth});
    assert.equal(r.status, 200);
    assert.deepEqual(listStore(guarded), {});
    assert.ok(!server.err().includes(token), 'the token never appears in the log');
  } finally {
    assert.equal((await server.stop()).code, 0);
  }
});

await check('usage errors exit 2 with the reason and the help', () => {
  const cases = [
    [['--bind', '0.0.0.0'], /Serving on 0\.0\.0\.0 \(not loopback\) needs a token/],
    [['--port', '70000'], /'70000' is not a port number \(0-65535\)\./],
    [['--bind', 'nowhere'], /'nowhere' is not an IP address to bind to\./],
    [['--max-body', '0'], /'0' is not a number of bytes\./],
    [['extra'], /'extra' is not a store serve can serve: indexeddb:\/\/, or team:\/\//],
    [['indexeddb://', 'team://'], /serve takes one STORE at most\./],
  ];
  for (const [args, message] of cases) {
    const r = runCli(cli, ['serve', ...args]);
    assert.equal(r.status, 2, describeRun(r));
    assert.match(r.stderr, message, describeRun(r));
    assert.match(r.stderr, /Usage: tfjs-model serve/, describeRun(r));
  }
});

finish('test_serve.mjs');
