// `tfjs-model summary` against TF.js 4.22's view of the same files: each Layers model is saved,
// loaded back with tf.loadLayersModel, and our totals must equal countParams() and the
// trainable/non-trainable split; our rows (names, classes, params, output shapes, inbound
// connections) must equal model.layers; and the table we print must be, line for line, what
// model.summary() prints. Graph models: inputs and outputs must be the nodes TF.js's GraphModel
// picks, with and without a signature. Bare manifests: tensors grouped by name scope.
// Usage: node test_inspect_summary.mjs /path/to/tfjs-model
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {builders, initTf} from './lib/fixtures.mjs';
import {check, cliPath, describeRun, expectCli, finish, makeTempDir, runCli} from './lib/harness.mjs';
import {nodeFileLoader, saveArtifactsSync} from './lib/nodeFileIO.mjs';

const cli = cliPath();
const tmp = makeTempDir('inspect-summary');
await initTf();

const size = (shape) => shape.reduce((a, b) => a * b, 1);
const countOf = (weights) => weights.reduce((s, w) => s + size(w.shape), 0);

// --- More Layers models: nesting, sharing, frozen layers, many layer classes ------------------

function nestedSharedFrozen() {
  const inner = tf.sequential({name: 'inner'});
  inner.add(tf.layers.dense({name: 'in_d1', units: 4, inputShape: [3]}));
  inner.add(tf.layers.batchNormalization({name: 'in_bn'}));
  const x = tf.input({name: 'x', shape: [3]});
  const y = tf.input({name: 'y', shape: [3]});
  const shared = tf.layers.dense({name: 'shared', units: 3});
  const sx = shared.apply(x);
  const sy = shared.apply(y);
  const frozen = tf.layers.dense({name: 'frozen', units: 2, trainable: false});
  const f = frozen.apply(inner.apply(sx));
  const add = tf.layers.add({name: 'add'}).apply([sy, sx]);
  return {name: 'nested_shared_frozen', model: tf.model({name: 'outer', inputs: [x, y], outputs: [f, add]})};
}

function frozenNestedFunctional() {
  const a = tf.input({name: 'ia', shape: [5]});
  const h = tf.layers.dense({name: 'fe_dense', units: 6, activation: 'relu'}).apply(a);
  const bn = tf.layers.batchNormalization({name: 'fe_bn'}).apply(h);
  const extractor = tf.model({name: 'extractor', inputs: a, outputs: bn});
  extractor.trainable = false; // freezes every layer inside
  const x = tf.input({name: 'img', shape: [5]});
  const head = tf.layers.dense({name: 'head', units: 2, activation: 'softmax'})
                   .apply(extractor.apply(x));
  return {name: 'frozen_extractor', model: tf.model({name: 'transfer', inputs: x, outputs: head})};
}

function convZoo() {
  const model = tf.sequential({name: 'conv_zoo'});
  model.add(tf.layers.zeroPadding2d({name: 'pad', inputShape: [15, 13, 3], padding: [[1, 2], [0, 3]]}));
  model.add(tf.layers.conv2d({name: 'c1', filters: 4, kernelSize: [3, 5], strides: 2, padding: 'valid'}));
  // (depthMultiplier > 1 here makes TF.js 4.22 fail to reload its own save: shape mismatch.)
  model.add(tf.layers.separableConv2d({name: 'sep', filters: 6, kernelSize: 3, padding: 'same'}));
  model.add(tf.layers.depthwiseConv2d({name: 'dw', kernelSize: 2, depthMultiplier: 3,
                                       dilationRate: 1, trainable: false}));
  model.add(tf.layers.averagePooling2d({name: 'avg', poolSize: [2, 3], strides: 1, padding: 'same'}));
  model.add(tf.layers.conv2dTranspose({name: 'tconv', filters: 5, kernelSize: 3, strides: 2,
                                       padding: 'valid'}));
  model.add(tf.layers.upSampling2d({name: 'up', size: [2, 1]}));
  model.add(tf.layers.cropping2D({name: 'crop', cropping: [[1, 1], [2, 0]]}));
  model.add(tf.layers.batchNormalization({name: 'bn', axis: -1}));
  model.add(tf.layers.maxPooling2d({name: 'pool', poolSize: 2}));
  model.add(tf.layers.globalAveragePooling2d({name: 'gap'}));
  model.add(tf.layers.dense({name: 'out', units: 3, activation: 'softmax'}));
  return {name: 'conv_zoo', model};
}

function sequenceZoo() {
  const model = tf.sequential({name: 'seq_zoo'});
  model.add(tf.layers.embedding({name: 'emb', inputDim: 50, outputDim: 8, inputLength: 12}));
  model.add(tf.layers.conv1d({name: 'c1d', filters: 6, kernelSize: 3, padding: 'causal'}));
  model.add(tf.layers.maxPooling1d({name: 'p1d', poolSize: 2}));
  model.add(tf.layers.bidirectional({name: 'bi', layer: tf.layers.lstm({units: 5, returnSequences: true}),
                                     mergeMode: 'concat'}));
  model.add(tf.layers.timeDistributed({name: 'td', layer: tf.layers.dense({units: 4})}));
  model.add(tf.layers.gru({name: 'gru', units: 7}));
  model.add(tf.layers.repeatVector({name: 'rep', n: 3}));
  model.add(tf.layers.simpleRNN({name: 'srnn', units: 2, returnSequences: true}));
  model.add(tf.layers.permute({name: 'perm', dims: [2, 1]}));
  model.add(tf.layers.flatten({name: 'flat'}));
  model.add(tf.layers.reshape({name: 'resh', targetShape: [-1, 2]}));
  model.add(tf.layers.globalMaxPooling1d({name: 'gmp'}));
  model.add(tf.layers.dense({name: 'out', units: 1}));
  return {name: 'seq_zoo', model};
}

function mergeZoo() {
  const a = tf.input({name: 'a', shape: [4, 6]});
  const b = tf.input({name: 'b', shape: [4, 6]});
  const c = tf.input({name: 'c', shape: [1, 6]});
  const s = tf.layers.add({name: 'sum'}).apply([a, b]);
  const m = tf.layers.multiply({name: 'prod'}).apply([s, c]);
  const v = tf.layers.average({name: 'avg'}).apply([m, a]);
  const mx = tf.layers.maximum({name: 'max'}).apply([v, b]);
  const mn = tf.layers.minimum({name: 'min'}).apply([mx, a]);
  const cat = tf.layers.concatenate({name: 'cat', axis: 1}).apply([mn, a, c]);
  const d = tf.layers.dense({name: 'd', units: 2}).apply(cat);
  const act = tf.layers.activation({name: 'act', activation: 'relu'}).apply(d);
  const drop = tf.layers.dropout({name: 'drop', rate: 0.5}).apply(act);
  return {name: 'merge_zoo', model: tf.model({name: 'merges', inputs: [a, b, c], outputs: [drop, s]})};
}

function chainFunctional() { // functional but sequential-like: printed without connections
  const x = tf.input({name: 'in', shape: [7]});
  const h = tf.layers.dense({name: 'h', units: 3}).apply(x);
  const o = tf.layers.dense({name: 'o', units: 1, useBias: false}).apply(h);
  return {name: 'chain_functional', model: tf.model({name: 'chain', inputs: x, outputs: o})};
}

async function kerasInputLayerSequential() { // Keras 2.4+ writes the InputLayer explicitly
  const model = await tf.models.modelFromJSON({modelTopology: {
    class_name: 'Sequential', keras_version: '2.15.0', backend: 'tensorflow',
    config: {name: 'keras_seq', layers: [
      {class_name: 'InputLayer', config: {batch_input_shape: [null, 5], dtype: 'float32',
                                          sparse: false, name: 'inp'}},
      {class_name: 'Dense', config: {units: 3, name: 'd1', activation: 'linear', use_bias: true}},
      {class_name: 'Reshape', config: {target_shape: [-1, 1], name: 'r'}},
    ]}}});
  return {name: 'keras_input_layer', model};
}

const models = [];
for (const build of builders) models.push(await build());
models.push(nestedSharedFrozen(), frozenNestedFunctional(), convZoo(), sequenceZoo(), mergeZoo(),
            chainFunctional(), await kerasInputLayerSequential());

for (const {name, model, saveOptions} of models) {
  const dir = path.join(tmp, name);
  await model.save(tf.io.withSaveHandler(async (a) => saveArtifactsSync(dir, a)), saveOptions);
  const jsonPath = path.join(dir, 'model.json');
  const loaded = await tf.loadLayersModel(nodeFileLoader(jsonPath));

  await check(`${name}: totals equal countParams() and the trainable/non-trainable split`, () => {
    const s = JSON.parse(expectCli(cli, ['summary', '--json', jsonPath]).stdout);
    assert.equal(s.schema, 'tfjs-model/summary/1');
    assert.equal(s.kind, 'layers-model');
    assert.equal(s.layers.params.total, loaded.countParams());
    assert.equal(s.layers.params.trainable, countOf(loaded.trainableWeights));
    assert.equal(s.layers.params.nonTrainable, countOf(loaded.nonTrainableWeights));
    assert.deepEqual(s.layers.unassignedWeights, []);
  });

  await check(`${name}: rows equal model.layers (name, class, params, output shape, inbound)`, () => {
    const s = JSON.parse(expectCli(cli, ['summary', '--json', jsonPath]).stdout);
    const rows = s.layers.layers;
    assert.deepEqual(rows.map((r) => r.name), loaded.layers.map((l) => l.name));
    assert.deepEqual(rows.map((r) => r.className), loaded.layers.map((l) => l.getClassName()));
    assert.deepEqual(rows.map((r) => r.params), loaded.layers.map((l) => l.countParams()));
    for (const [i, layer] of loaded.layers.entries()) {
      const shape = layer.outputShape;
      const ours = rows[i].outputShapes;
      assert.deepEqual(Array.isArray(shape[0]) ? ours : ours?.[0], shape, `${layer.name} output shape`);
      assert.equal(rows[i].trainable, layer.trainable, `${layer.name} trainable`);
      const trainable = countOf(layer.trainableWeights);
      assert.equal(rows[i].trainableParams, trainable, `${layer.name} trainable params`);
    }
  });

  await check(`${name}: the printed table is what model.summary() prints`, () => {
    const lines = [];
    loaded.summary(undefined, undefined, (line) => lines.push(line));
    const r = expectCli(cli, ['summary', jsonPath]);
    const ours = r.stdout.split('\n');
    const start = ours.indexOf(lines[0]);
    assert.ok(start >= 0, `no table in:\n${r.stdout}`);
    assert.deepEqual(ours.slice(start, start + lines.length), lines);
  });
}

// --- Graph models: inputs/outputs as GraphModel sees them ------------------------------------

const f32 = (values) => Buffer.from(Float32Array.from(values).buffer);
function graphModel(dir, {signature = null, initializer = false} = {}) {
  const node = (name, op, input = [], attr = {}) => ({name, op, input, attr});
  const nodes = [
    node('x', 'Placeholder', [], {dtype: {type: 'DT_FLOAT'}, shape: {shape: {dim: [{size: '-1'}, {size: '3'}]}}}),
    node('flag', 'Placeholder', [], {dtype: {type: 'DT_BOOL'}, shape: {shape: {}}}),
    node('w', 'Const', [], {dtype: {type: 'DT_FLOAT'}, value: {tensor: {dtype: 'DT_FLOAT',
         tensorShape: {dim: [{size: '3'}, {size: '2'}]}}}}),
    node('b', 'Const', [], {dtype: {type: 'DT_FLOAT'}, value: {tensor: {dtype: 'DT_FLOAT',
         tensorShape: {dim: [{size: '2'}]}}}}),
    node('mm', 'MatMul', ['x', 'w'], {T: {type: 'DT_FLOAT'}}),
    node('logits', 'BiasAdd', ['mm', 'b'], {T: {type: 'DT_FLOAT'}}),
    node('sw', 'Switch', ['logits', 'flag'], {T: {type: 'DT_FLOAT'}}),
    node('relu', 'Relu', ['sw:1'], {T: {type: 'DT_FLOAT'}}),
    node('merge', 'Merge', ['sw', 'relu'], {T: {type: 'DT_FLOAT'}, N: {i: '2'}}),
    node('probs', 'Softmax', ['merge'], {T: {type: 'DT_FLOAT'}}),
    node('side', 'Identity', ['b', '^mm'], {T: {type: 'DT_FLOAT'}}),
  ];
  fs.mkdirSync(dir, {recursive: true});
  fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.concat([f32([1, 2, 3, 4, 5, 6]), f32([0.5, -0.5])]));
  const json = {
    format: 'graph-model', generatedBy: '2.15.0', convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: {node: nodes, library: {}, versions: {producer: 1645}},
    weightsManifest: [{paths: ['weights.bin'], weights: [
      {name: 'w', shape: [3, 2], dtype: 'float32'}, {name: 'b', shape: [2], dtype: 'float32'}]}],
  };
  if (signature) json.signature = signature;
  if (initializer) {
    json.modelInitializer = {node: [node('table', 'HashTableV2', [], {key_dtype: {type: 'DT_STRING'},
                                                                      value_dtype: {type: 'DT_INT64'}})],
                             versions: {producer: 1645}};
    json.initializerSignature = {outputs: {table: {name: 'table:0', dtype: 'DT_RESOURCE'}}};
  }
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
  return path.join(dir, 'model.json');
}

for (const variant of ['plain', 'signature']) {
  const signature = variant === 'signature' ? {
    inputs: {features: {name: 'x:0', dtype: 'DT_FLOAT', tensorShape: {dim: [{size: '-1'}, {size: '3'}]}},
             use_relu: {name: 'flag:0', dtype: 'DT_BOOL', tensorShape: {}}},
    outputs: {probabilities: {name: 'probs:0', dtype: 'DT_FLOAT',
                              tensorShape: {dim: [{size: '-1'}, {size: '2'}]}}},
  } : null;
  const jsonPath = graphModel(path.join(tmp, `graph_${variant}`), {signature, initializer: variant === 'signature'});
  await check(`graph model (${variant}): inputs and outputs are GraphModel's, ops counted`, async () => {
    const model = await tf.loadGraphModel(nodeFileLoader(jsonPath));
    const s = JSON.parse(expectCli(cli, ['summary', '--json', jsonPath]).stdout);
    assert.equal(s.kind, 'graph-model');
    const g = s.graph;
    // GraphModel names signature endpoints by their keys, others by node name.
    const nameOf = (e) => e.key ?? e.name.replace(/:0$/, '');
    assert.deepEqual(g.inputs.map(nameOf).sort(), model.inputNodes.slice().sort());
    assert.deepEqual(g.outputs.map(nameOf).sort(), model.outputNodes.slice().sort());
    if (variant === 'signature') {
      assert.deepEqual(g.inputs.map((e) => e.name).sort(), ['flag:0', 'x:0']);
      assert.deepEqual(g.outputs.map((e) => e.name), ['probs:0']);
    }
    assert.equal(g.fromSignature, variant === 'signature');
    assert.equal(g.nodeCount, 11);
    assert.deepEqual(g.ops, {BiasAdd: 1, Const: 2, Identity: 1, MatMul: 1, Merge: 1, Placeholder: 2,
                             Relu: 1, Softmax: 1, Switch: 1});
    assert.deepEqual(g.controlFlowOps, {Merge: 1, Switch: 1});
    assert.equal(g.needsExecuteAsync, true);
    assert.deepEqual(g.weights, [{name: 'w', node: true, consumers: ['mm']},
                                 {name: 'b', node: true, consumers: ['logits', 'side']}]);
    assert.equal(g.initializer.present, variant === 'signature');
    assert.equal(g.initializer.signature, variant === 'signature');
    assert.equal(g.producer, 1645);
    if (variant === 'signature') {
      assert.deepEqual(g.inputs.find((e) => e.key === 'features').shape, [null, 3]);
      assert.deepEqual(g.initializer.ops, {HashTableV2: 1});
    }
  });
}

// --- A bare weights manifest -----------------------------------------------------------------

await check('bare weights manifest: tensors grouped by name scope, in manifest order', () => {
  const dir = path.join(tmp, 'bare');
  fs.mkdirSync(dir);
  const weights = [{name: 'block1/conv/kernel', shape: [3, 3, 1, 2], dtype: 'float32'},
                   {name: 'block1/conv/bias', shape: [2], dtype: 'float32'},
                   {name: 'step', shape: [], dtype: 'int32'},
                   {name: 'block2/dense/kernel', shape: [4, 2], dtype: 'float32',
                    quantization: {dtype: 'uint8', min: -1, scale: 0.01}}];
  const bytes = 18 * 4 + 2 * 4 + 4 + 8;
  fs.writeFileSync(path.join(dir, 'w.bin'), Buffer.alloc(bytes));
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify([{paths: ['w.bin'], weights}]));
  const s = JSON.parse(expectCli(cli, ['summary', '--json', path.join(dir, 'manifest.json')]).stdout);
  assert.equal(s.kind, 'weights-only');
  assert.equal(s.layers, null);
  assert.equal(s.graph, null);
  assert.deepEqual(s.weights.groups.map((g) => [g.prefix, g.tensorCount, g.params, g.bytes]),
                   [['block1/conv', 2, 20, 80], ['', 1, 1, 4], ['block2/dense', 1, 8, 8]]);
  assert.equal(s.weights.params, 29);
  assert.deepEqual(s.weights.quantized, {uint8: 1});
  const text = expectCli(cli, ['summary', path.join(dir, 'manifest.json')]).stdout;
  assert.match(text, /block1\/conv {2}\(2 tensors, 20 params\)/);
});

await check('summary of a missing model fails with exit 1', () => {
  const r = runCli(cli, ['summary', path.join(tmp, 'nope', 'model.json')]);
  assert.equal(r.status, 1, describeRun(r));
});

finish('test_inspect_summary');
