// Record shapes of the indexeddb://, localstorage:// and downloads:// stores against TF.js 4.22's
// own browser handlers, run in Node over npm polyfills (fake-indexeddb, node-localstorage, a
// stand-in `document` for downloads). For each fixture model:
//   - localStorage: TF.js's items and ours hold the same keys and the same values, except the
//     dateSaved inside `info`;
//   - IndexedDB: TF.js's models_store / model_info_store records and our SQLite rows hold the
//     same modelArtifacts (weightData aside) and info; our weight blob holds TF.js's weightData
//     and is named by its SHA-256;
//   - downloads: TF.js's JSON and bin downloads equal our downloads:// files byte for byte;
//   - our records, put into the polyfills, load in TF.js and predict bit-identically; TF.js's
//     localStorage items, put into our store, export to the same model.json/weights.bin.
// Usage: node test_store_records.mjs /path/to/tfjs-model
import assert from 'node:assert/strict';
import {resolveObjectURL} from 'node:buffer';
import {createHash} from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {IDBFactory} from 'fake-indexeddb';
import {LocalStorage} from 'node-localstorage';
import initSqlJs from 'sql.js';
import * as tf from '@tensorflow/tfjs';
import {builders, initTf, predictBytes} from './lib/fixtures.mjs';
import {assertSameBytes, assertSameFile, check, cliPath, expectCli, finish,
        makeTempDir} from './lib/harness.mjs';
import {nodeFileSaver} from './lib/nodeFileIO.mjs';

const cli = cliPath();
const tmp = makeTempDir('store');
const SQL = await initSqlJs();
const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

// TF.js's browser handlers check IS_BROWSER and use window.localStorage / window.indexedDB /
// document; give them Node stand-ins.
await initTf();
globalThis.window = globalThis;
tf.env().set('IS_BROWSER', true);
const downloaded = new Map(); // file name -> Buffer, filled by the fake anchors
globalThis.MouseEvent = class MouseEvent { constructor(type) { this.type = type; } };
globalThis.document = {
  createElement: () => ({
    dispatchEvent() {
      const blob = resolveObjectURL(this.href);
      downloaded.set(this.download, blob.arrayBuffer().then((b) => Buffer.from(b)));
      return true;
    },
  }),
};

/** Opens one of our SQLite files read-only through sql.js (the WAL is checkpointed on exit). */
function openOurs(file) {
  return new SQL.Database(fs.readFileSync(file));
}
function rows(db, sql) {
  const result = db.exec(sql);
  if (result.length === 0) return [];
  const {columns, values} = result[0];
  return values.map((v) => Object.fromEntries(columns.map((c, i) => [c, v[i]])));
}
function ourItems(store) {
  const db = openOurs(path.join(store, 'localstorage.sqlite'));
  const items = new Map(rows(db, 'SELECT key, value FROM ItemTable').map((r) => [r.key, r.value]));
  db.close();
  return items;
}
function theirItems(ls) {
  const items = new Map();
  for (let i = 0; i < ls.length; ++i) items.set(ls.key(i), ls.getItem(ls.key(i)));
  return items;
}
function idbRequest(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
async function openTheirDb(factory, create = false) {
  const open = factory.open('tensorflowjs', 1);
  open.onupgradeneeded = () => {
    if (!create) return;
    open.result.createObjectStore('models_store', {keyPath: 'modelPath'});
    open.result.createObjectStore('model_info_store', {keyPath: 'modelPath'});
  };
  return idbRequest(open);
}
async function getAll(db, store) {
  return idbRequest(db.transaction(store, 'readonly').objectStore(store).getAll());
}
function withoutDate(info) {
  const {dateSaved, ...rest} = info;
  return rest;
}
const sha256 = (buffer) => createHash('sha256').update(buffer).digest('hex');

for (const build of builders) {
  const fixture = await build();
  const {name, model, saveOptions} = fixture;
  const base = path.join(tmp, name);
  fs.mkdirSync(base);
  const dirA = path.join(base, 'A');
  await model.save(nodeFileSaver(dirA), saveOptions);
  const jsonA = path.join(dirA, 'model.json');
  const expected = predictBytes(model, fixture.inputs);
  const modelPath = `fx/${name} ü`;

  // TF.js's own handlers ...
  const theirLs = new LocalStorage(path.join(base, 'their-ls'), 100 * 1024 * 1024);
  globalThis.localStorage = theirLs;
  const theirIdb = new IDBFactory();
  globalThis.indexedDB = theirIdb;
  await model.save(`localstorage://${modelPath}`, saveOptions);
  await model.save(`indexeddb://${modelPath}`, saveOptions);
  downloaded.clear();
  await model.save(`downloads://${name}`, saveOptions);
  // ... and ours, from the same model saved as files.
  const store = path.join(base, 'store');
  const downloads = path.join(base, 'Downloads');
  expectCli(cli, ['copy', jsonA, `localstorage://${modelPath}`, '--store', store]);
  expectCli(cli, ['copy', jsonA, `indexeddb://${modelPath}`, '--store', store]);
  expectCli(cli, ['copy', jsonA, `downloads://${name}`, '--downloads', downloads]);

  await check(`${name}: localStorage keys and values equal TF.js's (dateSaved aside)`, () => {
    const ours = ourItems(store);
    const theirs = theirItems(theirLs);
    assert.deepEqual([...ours.keys()].sort(), [...theirs.keys()].sort());
    assert.equal(ours.size, 5);
    for (const [key, value] of theirs) {
      if (key.endsWith('/info')) {
        const a = JSON.parse(ours.get(key));
        const b = JSON.parse(value);
        assert.match(a.dateSaved, ISO_DATE);
        assert.deepEqual(Object.keys(a), Object.keys(b), `${key}: key order`);
        assert.deepEqual(withoutDate(a), withoutDate(b), key);
      } else {
        assert.equal(ours.get(key), value, key);
      }
    }
  });

  await check(`${name}: IndexedDB records equal TF.js's (weights in a SHA-256 blob)`, async () => {
    const db = await openTheirDb(theirIdb);
    const [theirModel] = await getAll(db, 'models_store');
    const [theirInfo] = await getAll(db, 'model_info_store');
    db.close();
    const ours = openOurs(path.join(store, 'tensorflowjs.sqlite'));
    const [model] = rows(ours, 'SELECT * FROM models_store');
    const [info] = rows(ours, 'SELECT * FROM model_info_store');
    ours.close();
    assert.equal(model.modelPath, theirModel.modelPath);
    assert.equal(info.modelPath, theirInfo.modelPath);
    const {weightData, ...theirArtifacts} = theirModel.modelArtifacts;
    const ourArtifacts = JSON.parse(model.modelArtifacts);
    assert.deepEqual(Object.keys(ourArtifacts), Object.keys(theirArtifacts), 'artifact keys');
    assert.deepEqual(ourArtifacts, JSON.parse(JSON.stringify(theirArtifacts)));
    const bytes = Buffer.from(weightData);
    assert.equal(model.weightDataBytes, bytes.length);
    assert.equal(model.weightDataBlob, sha256(bytes));
    const blob = fs.readFileSync(path.join(store, 'tensorflowjs.blobs',
                                           model.weightDataBlob.slice(0, 2), model.weightDataBlob));
    assertSameBytes(blob, bytes, 'weight blob');
    for (const [ourText, theirs] of [[info.modelArtifactsInfo, theirInfo.modelArtifactsInfo],
                                     [model.modelArtifactsInfo, theirModel.modelArtifactsInfo]]) {
      const ourInfo = JSON.parse(ourText);
      assert.match(ourInfo.dateSaved, ISO_DATE);
      assert.ok(theirs.dateSaved instanceof Date);
      assert.deepEqual(Object.keys(ourInfo), Object.keys(theirs));
      assert.deepEqual(withoutDate(ourInfo), withoutDate(theirs));
    }
  });

  await check(`${name}: downloads:// files equal TF.js's downloads`, async () => {
    assert.deepEqual([...downloaded.keys()], [`${name}.json`, `${name}.weights.bin`]);
    for (const [file, pending] of downloaded) {
      assertSameBytes(fs.readFileSync(path.join(downloads, file)), await pending, file);
    }
  });

  await check(`${name}: our localStorage items load in TF.js and predict bit-identically`,
              async () => {
    const ls = new LocalStorage(path.join(base, 'our-ls'), 100 * 1024 * 1024);
    for (const [key, value] of ourItems(store)) ls.setItem(key, value);
    globalThis.localStorage = ls;
    const loaded = await tf.loadLayersModel(`localstorage://${modelPath}`);
    predictBytes(loaded, fixture.inputs)
        .forEach((buf, i) => assertSameBytes(buf, expected[i], `output ${i}`));
    loaded.dispose();
  });

  await check(`${name}: our IndexedDB records load in TF.js and predict bit-identically`,
              async () => {
    const factory = new IDBFactory();
    const db = await openTheirDb(factory, true);
    const ours = openOurs(path.join(store, 'tensorflowjs.sqlite'));
    const [row] = rows(ours, 'SELECT * FROM models_store');
    ours.close();
    const blob = fs.readFileSync(path.join(store, 'tensorflowjs.blobs',
                                           row.weightDataBlob.slice(0, 2), row.weightDataBlob));
    const info = JSON.parse(row.modelArtifactsInfo);
    info.dateSaved = new Date(info.dateSaved);
    const tx = db.transaction(['models_store', 'model_info_store'], 'readwrite');
    tx.objectStore('models_store').put({
      modelPath: row.modelPath,
      modelArtifacts: {...JSON.parse(row.modelArtifacts),
                       weightData: blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.length)},
      modelArtifactsInfo: info,
    });
    tx.objectStore('model_info_store').put({modelPath: row.modelPath, modelArtifactsInfo: info});
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = reject; });
    db.close();
    globalThis.indexedDB = factory;
    const loaded = await tf.loadLayersModel(`indexeddb://${modelPath}`);
    predictBytes(loaded, fixture.inputs)
        .forEach((buf, i) => assertSameBytes(buf, expected[i], `output ${i}`));
    loaded.dispose();
  });

  await check(`${name}: TF.js's localStorage items, in our store, export the same files`,
              async () => {
    // Let the CLI create the store, then replace its items with TF.js's.
    const store2 = path.join(base, 'store2');
    expectCli(cli, ['copy', jsonA, 'localstorage://placeholder', '--store', store2]);
    const file = path.join(store2, 'localstorage.sqlite');
    const db = openOurs(file);
    db.run('DELETE FROM ItemTable');
    for (const [key, value] of theirItems(theirLs)) {
      db.run('INSERT INTO ItemTable (key, value) VALUES (?, ?)', [key, value]);
    }
    fs.writeFileSync(file, db.export());
    db.close();
    const dirB = path.join(base, 'B');
    expectCli(cli, ['copy', `localstorage://${modelPath}`, dirB, '--store', store2]);
    assertSameFile(path.join(dirB, 'model.json'), jsonA);
    assertSameFile(path.join(dirB, 'weights.bin'), path.join(dirA, 'weights.bin'));
    const listed = JSON.parse(expectCli(cli, ['list', 'localstorage://', '--json',
                                              '--store', store2]).stdout);
    assert.deepEqual(Object.keys(listed), [`localstorage://${modelPath}`]);
    assert.deepEqual(listed[`localstorage://${modelPath}`],
                     JSON.parse(theirLs.getItem(`tensorflowjs_models/${modelPath}/info`)));
  });
}

finish('test_store_records');
