// Saves every fixture with nodeFileIO into OUT/<name>/ (model.json + weights.bin).
// Usage: node tests/interop/lib/save-fixtures.mjs OUT
// Used by test_fixtures.mjs to check, in a fresh process, that the fixtures are deterministic
// (TF.js uniquifies variable names per process, so a second build in one process differs),
// and handy for looking at the files by hand.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {builders} from './fixtures.mjs';
import {nodeFileSaver} from './nodeFileIO.mjs';

const out = process.argv[2];
if (!out) {
  console.error('usage: node save-fixtures.mjs OUT');
  process.exit(2);
}
fs.mkdirSync(out, {recursive: true});
for (const build of builders) {
  const {name, model, saveOptions} = await build();
  await model.save(nodeFileSaver(path.join(out, name)), saveOptions);
  console.log(path.join(out, name));
}
