// `tfjs-model serve` with a real headless Chromium page from another origin
// (http://127.0.0.1:OTHER/, served here by Node's http module with tf.min.js):
//  - allowed (loopback pages are by default; also listed with --allow-origin): the page loads a
//    model from the server (tf.loadLayersModel) and predicts bit-identically to TF.js in Node;
//    it model.save()s a seeded model to the server: `tfjs-model list` shows it and the served
//    weights are the bytes the page had;
//  - a sandboxed iframe of that page (Origin "null") is refused;
//  - refused (`--allow-origin http://example.test` only): loading and saving fail in the page
//    (CORS, the server answers 403), nothing is stored.
// Slow (a browser): registered in tests/CMakeLists.txt with the label `browser`.
// Usage: node browser_serve.mjs /path/to/tfjs-model [/path/to/chromium]
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import {fileURLToPath} from 'node:url';
import {mlp, predictBytes} from './lib/fixtures.mjs';
import {check, cliPath, finish, makeTempDir} from './lib/harness.mjs';
import {listStore, startServer} from './lib/serve.mjs';

const cli = cliPath();
const chromium = process.argv[3] ?? '/usr/bin/chromium';
delete process.env.TFJS_SERVE_TOKEN;
const here = path.dirname(fileURLToPath(import.meta.url));
const tfScript = path.join(here, 'node_modules/@tensorflow/tfjs/dist/tf.min.js');
const tmp = makeTempDir('browser-serve');

/** The page's own server on 127.0.0.1:0: `/` the page, /tf.min.js, /config.json (what
 *  `config` holds when asked), POST /report. */
function startPageServer() {
  const page = {config: null};
  let delivered;
  const report = new Promise((resolve) => { delivered = resolve; });
  const files = {'/': ['text/html', path.join(here, 'browser/serve_page.html')],
                 '/tf.min.js': ['text/javascript', tfScript]};
  const server = http.createServer((request, response) => {
    if (request.method === 'POST' && request.url === '/report') {
      let body = '';
      request.on('data', (d) => { body += d; });
      request.on('end', () => { response.end('ok'); delivered(JSON.parse(body)); });
      return;
    }
    if (request.url === '/config.json') {
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify(page.config));
      return;
    }
    const file = files[request.url];
    if (!file) {
      response.statusCode = 404;
      response.end();
      return;
    }
    response.setHeader('Content-Type', file[0]);
    response.end(fs.readFileSync(file[1]));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(Object.assign(page, {
    origin: `http://127.0.0.1:${server.address().port}`, report,
    close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); })}))));
}

/** Opens the page in headless Chromium; resolves to its report (or fails after 180 s). */
async function runPage(page, name) {
  const profile = fs.mkdtempSync(path.join(tmp, `chromium-${name}-`));
  const browser = spawn(chromium, ['--headless=new', '--no-sandbox', '--disable-gpu',
                                   '--no-first-run', '--no-default-browser-check',
                                   `--user-data-dir=${profile}`, `${page.origin}/`],
                        {stdio: ['ignore', 'ignore', 'pipe']});
  let log = '';
  browser.stderr.on('data', (d) => { log = (log + d).slice(-8000); });
  const exited = new Promise((resolve) => browser.on('exit', resolve));
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no report from the page in 180 s; chromium:\n${log}`)), 180000);
  });
  try {
    const report = await Promise.race([page.report, timeout,
      exited.then((code) => { throw new Error(`chromium exited ${code}:\n${log}`); })]);
    return {...report, pageOrigin: page.origin};
  } finally {
    clearTimeout(timer);
    browser.kill('SIGTERM');
    await exited;
    await page.close();
  }
}

const fixture = await mlp();
const expected = predictBytes(fixture.model, fixture.inputs)[0];
const input = {values: Array.from(fixture.inputs.dataSync()), shape: fixture.inputs.shape};

// A page on a loopback origin, allowed by default and when listed.
for (const name of ['default', 'listed']) {
  const store = path.join(tmp, `store-${name}`);
  const page = await startPageServer();
  const args = ['--store', store, ...(name === 'listed' ? ['--allow-origin', page.origin] : [])];
  const server = await startServer(cli, args);
  try {
    const saved = await fixture.model.save(`${server.base}models/node/mlp`);
    assert.equal(saved.responses[0].status, 200);
    page.config = {server: server.base, loadPath: 'node/mlp', savePath: 'browser/page_model', input};
    const report = await runPage(page, name);

    await check(`${name}: the page (${report.pageOrigin}) loads the served model and predicts ` +
                'bit-identically to TF.js in Node', () => {
      assert.equal(report.fatal, undefined, report.fatal);
      assert.equal(report.loadError, undefined, report.loadError);
      assert.deepEqual(Buffer.from(report.prediction, 'base64'), expected);
    });
    await check(`${name}: the page's model.save(url) is stored with the page's weight bytes`,
                async () => {
      assert.equal(report.saveError, undefined, report.saveError);
      assert.equal(report.saveStatus, 200);
      assert.equal(report.saveAnswer.url, 'indexeddb://browser/page_model');
      const listed = listStore(cli, store);
      assert.deepEqual(Object.keys(listed).sort(),
                       ['indexeddb://browser/page_model', 'indexeddb://node/mlp']);
      const weights = Buffer.from(report.weights, 'base64');
      assert.equal(listed['indexeddb://browser/page_model'].weightDataBytes, weights.length);
      const served = await fetch(`${server.base}models/browser/page_model/model.weights.bin`);
      assert.equal(served.status, 200);
      assert.deepEqual(Buffer.from(await served.arrayBuffer()), weights);
      assert.match(server.out(), /^stored indexeddb:\/\/browser\/page_model \(\d+ weight bytes\)$/m);
    });
    await check(`${name}: a sandboxed iframe of the page (Origin "null") is refused`, () => {
      assert.match(report.sandbox, /^error /, report.sandbox);
    });
  } finally {
    const {code} = await server.stop();
    assert.equal(code, 0);
  }
  if (name === 'default') {
    await check('default: the server logged the "null" origin\'s 403', () => {
      assert.match(server.err(), /403 GET \/models: The origin 'null' may not use this server/);
    });
  }
}

// Refused: the page's loopback origin is not the listed one.
{
  const store = path.join(tmp, 'store-refused');
  const server = await startServer(cli, ['--store', store, '--allow-origin', 'http://example.test']);
  let report;
  try {
    const saved = await fixture.model.save(`${server.base}models/node/mlp`); // no Origin: allowed
    assert.equal(saved.responses[0].status, 200);
    const page = await startPageServer();
    page.config = {server: server.base, loadPath: 'node/mlp', savePath: 'browser/page_model', input};
    report = await runPage(page, 'refused');
    await check('refused: loading and saving fail in the page; nothing is stored', () => {
      assert.equal(report.fatal, undefined, report.fatal);
      assert.match(report.loadError ?? '', /Failed to fetch/, JSON.stringify(report.loadError));
      assert.equal(report.prediction, undefined);
      assert.match(report.saveError ?? '', /Failed to fetch/, JSON.stringify(report.saveError));
      assert.deepEqual(Object.keys(listStore(cli, store)), ['indexeddb://node/mlp']);
    });
  } finally {
    assert.equal((await server.stop()).code, 0);
  }
  await check('refused: the server answered the page\'s save with 403', () => {
    const origin = report.pageOrigin.replace(/\./g, '\\.');
    assert.match(server.err(), new RegExp(`403 POST /models/browser/page_model: The origin '${origin}' may not use this server`));
  });
}

finish('browser_serve.mjs');
