// Loads a saved Layers model (model.json + weights, as tfjs-node's file:// reads them) with
// TF.js 4.22 on the cpu backend and prints its prediction for one input row as JSON:
//   node predict_saved.mjs /path/to/model.json '[0.1, 0.2, ...]'
// Used by the browser tests: what a profile reader exports must predict as the page did.
import * as tf from '@tensorflow/tfjs';
import {initTf} from './lib/fixtures.mjs';
import {nodeFileLoader} from './lib/nodeFileIO.mjs';

const [jsonPath, inputText] = process.argv.slice(2);
if (!jsonPath || !inputText) {
  console.error('usage: node predict_saved.mjs /path/to/model.json JSON-ARRAY');
  process.exit(2);
}
await initTf();
const model = await tf.loadLayersModel(nodeFileLoader(jsonPath));
const output = model.predict(tf.tensor2d([JSON.parse(inputText)]));
console.log(JSON.stringify(Array.from(output.dataSync())));
