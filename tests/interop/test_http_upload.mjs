// HTTP interop with real TF.js 4.22 in Node 20 (native fetch/FormData), against the Flask
// upload server of tests/http/upload_server.py (shaped like the example in tf.io.http()'s docs):
//  - TF.js's own http IOHandler uploads each fixture; `tfjs-model copy` uploads the same model
//    (from a tfjs-node style folder, and over HTTP from TF.js's upload): the server receives
//    the same parts (names, file names, content types, bytes) in the same order;
//  - TF.js loads, over HTTP, the model we uploaded and predicts bit-identically;
//  - `tfjs-model copy URL DIR` of the served model gives the tfjs-node save's files;
//  - a non-2xx upload prints the status and body and exits 1.
// Usage: node test_http_upload.mjs /path/to/tfjs-model
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {fileURLToPath} from 'node:url';
import * as tf from '@tensorflow/tfjs';
import {assertPredictsLike, builders, predictBytes} from './lib/fixtures.mjs';
import {assertSameFile, check, cliPath, describeRun, expectCli, finish,
        makeTempDir, runCli} from './lib/harness.mjs';
import {nodeFileSaver} from './lib/nodeFileIO.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = cliPath();
const tmp = makeTempDir('http');

/** A python3 that has Flask (Debian's python3-flask), or null. */
function flaskPython() {
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', 'import flask'], {encoding: 'utf8'});
    if (r.status === 0) return python;
  }
  return null;
}

/** Starts upload_server.py on 127.0.0.1 with a free port; resolves to {base, stop}. */
function startUploadServer(python, storage) {
  const script = path.join(here, '..', 'http', 'upload_server.py');
  const child = spawn(python, ['-u', script, '--storage', storage],
                      {stdio: ['ignore', 'pipe', 'pipe']});
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`upload server did not start:\n${stderr}`)),
                             20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({base: `http://127.0.0.1:${m[1]}`, stop: () => child.kill(), stderr: () => stderr});
      }
    });
    child.on('exit', (code) => reject(new Error(`upload server exited ${code}:\n${stderr}`)));
  });
}

async function getJson(url) {
  const r = await fetch(url);
  assert.equal(r.status, 200, `GET ${url}`);
  return r.json();
}

/** Compares what the server received for two uploads, part for part. */
function assertSameParts(ours, theirs, what) {
  const summary = (m) => m.parts.map((p) => ({name: p.name, filename: p.filename,
                                              contentType: p.contentType, bytes: p.bytes,
                                              sha256: p.sha256}));
  assert.deepEqual(summary(ours), summary(theirs), `${what}: parts`);
  assert.equal(ours.method, theirs.method, `${what}: method`);
  assert.match(ours.contentType, /^multipart\/form-data; boundary=/, `${what}: content type`);
  assert.deepEqual(ours.formFields, theirs.formFields, `${what}: non-file fields`);
}

const python = flaskPython();
if (!python) {
  console.log('SKIP - no python3 with Flask (apt install python3-flask)');
  finish('test_http_upload.mjs');
} else {
  const server = await startUploadServer(python, path.join(tmp, 'storage'));
  try {
    for (const build of builders) {
      const fixture = await build();
      const {name, model, saveOptions} = fixture;
      const expected = predictBytes(model, fixture.inputs);

      // TF.js uploads; tfjs-node's file:// save of the same model is our local source.
      const tfjsSave = await model.save(tf.io.http(`${server.base}/upload`), saveOptions);
      const tfjsId = (await tfjsSave.responses[0].json()).id;
      const dir = path.join(tmp, name, 'node');
      fs.mkdirSync(path.dirname(dir), {recursive: true});
      await model.save(nodeFileSaver(dir), saveOptions);
      const theirs = await getJson(`${server.base}/uploads/${tfjsId}`);

      let oursId = null;
      await check(`${name}: copy DIR ${'<server>'}/upload sends TF.js's parts, byte for byte`,
                  async () => {
        const r = expectCli(cli, ['copy', '--json', path.join(dir, 'model.json'),
                                  `${server.base}/upload`]);
        const result = JSON.parse(r.stdout);
        assert.equal(result.httpStatus, 200);
        oursId = JSON.parse(result.responseBody).id;
        assertSameParts(await getJson(`${server.base}/uploads/${oursId}`), theirs, name);
        assertSameFile(path.join(tmp, 'storage', oursId, 'model.json'),
                       path.join(tmp, 'storage', tfjsId, 'model.json'));
      });

      await check(`${name}: copy of TF.js's upload over HTTP re-uploads the same parts`, () => {
        const r = expectCli(cli, ['copy', '--json', `${server.base}/models/${tfjsId}/model.json`,
                                  `${server.base}/upload`]);
        const id = JSON.parse(JSON.parse(r.stdout).responseBody).id;
        return getJson(`${server.base}/uploads/${id}`)
            .then((meta) => assertSameParts(meta, theirs, `${name} (over HTTP)`));
      });

      await check(`${name}: TF.js loads our upload over HTTP and predicts bit-identically`,
                  async () => {
        assert.ok(oursId, 'the upload above failed');
        await assertPredictsLike(`${server.base}/models/${oursId}/model.json`, fixture, expected,
                                 name);
      });

      await check(`${name}: copy URL DIR of the served model gives tfjs-node's files`, () => {
        const out = path.join(tmp, name, 'from-http');
        expectCli(cli, ['copy', `${server.base}/models/${oursId}/model.json`, out]);
        assertSameFile(path.join(out, 'model.json'), path.join(dir, 'model.json'));
        assertSameFile(path.join(out, 'weights.bin'), path.join(dir, 'weights.bin'));
      });
    }

    await check('an upload answered 404 prints the status and body and exits 1', () => {
      const dir = path.join(tmp, 'mlp', 'node');
      const r = runCli(cli, ['copy', dir, `${server.base}/no-such-endpoint`]);
      assert.equal(r.status, 1, describeRun(r));
      assert.match(r.stderr, /failed due to HTTP response status 404/, describeRun(r));
      assert.match(r.stderr, /status: 404/, describeRun(r));
      assert.match(r.stderr, /Response body: .*Not Found/, describeRun(r));
    });

    await check('--method PUT and --header reach the server; the CLI prints status and body',
                async () => {
      const dir = path.join(tmp, 'mlp', 'node');
      const r = expectCli(cli, ['copy', dir, `${server.base}/upload`, '--method', 'PUT',
                                '--header', 'X-Upload-Test: yes',
                                '--header', 'Authorization: Bearer cli-secret-token']);
      const lines = r.stdout.trimEnd().split('\n');
      const statusLine = lines.findIndex((l) => l === 'HTTP 200');
      assert.ok(statusLine >= 0, `no "HTTP 200" line:\n${r.stdout}`);
      const body = JSON.parse(lines.slice(statusLine + 1).join('\n'));
      const meta = await getJson(`${server.base}/uploads/${body.id}`);
      assert.equal(meta.method, 'PUT');
      const header = (n) => meta.headers.find(([k]) => k.toLowerCase() === n)?.[1];
      assert.equal(header('x-upload-test'), 'yes');
      assert.equal(header('authorization'), 'Bearer cli-secret-token');
      assert.ok(!r.stderr.includes('cli-secret-token'));
    });
  } finally {
    server.stop();
  }
  finish('test_http_upload.mjs');
}
