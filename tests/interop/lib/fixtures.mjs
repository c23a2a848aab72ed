// Seeded TF.js Layers models for the interop tests (pure @tensorflow/tfjs, cpu backend).
// Every initializer and input has an explicit seed and every layer an explicit name, so the
// saved bytes are the same on each run and in each process.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {assertSameBytes} from './harness.mjs';

// The cpu backend greets Node users with a long "install tfjs-node" banner; drop only that.
const warn = console.warn;
console.warn = (...args) => {
  if (typeof args[0] === 'string' && args[0].includes('looks like you are running TensorFlow.js'))
    return;
  warn(...args);
};

let ready = null;
/** Selects the cpu backend once; await before building anything. */
export function initTf() {
  ready ??= tf.setBackend('cpu').then(() => tf.ready());
  return ready;
}

const glorot = (seed) => tf.initializers.glorotUniform({seed});
const uniform = (seed, minval = -0.5, maxval = 0.5) =>
  tf.initializers.randomUniform({minval, maxval, seed});
const input = (shape, seed) => tf.randomUniform(shape, -1, 1, 'float32', seed);

/** (a) Sequential MLP with batchNormalization (non-trivial moving stats) and dropout. */
export async function mlp() {
  await initTf();
  const model = tf.sequential({name: 'mlp'});
  model.add(tf.layers.dense({name: 'mlp_dense1', units: 16, inputShape: [8], activation: 'relu',
                             kernelInitializer: glorot(101), biasInitializer: uniform(102)}));
  model.add(tf.layers.batchNormalization({
    name: 'mlp_bn', epsilon: 1e-3, momentum: 0.99,
    gammaInitializer: uniform(103, 0.5, 1.5), betaInitializer: uniform(104),
    movingMeanInitializer: uniform(105), movingVarianceInitializer: uniform(106, 0.5, 1.5)}));
  model.add(tf.layers.dropout({name: 'mlp_dropout', rate: 0.25}));
  model.add(tf.layers.dense({name: 'mlp_dense2', units: 4, activation: 'softmax',
                             kernelInitializer: glorot(107), biasInitializer: uniform(108)}));
  // Non-ASCII text and numbers whose JSON form differs between JS, nlohmann and Qt.
  model.setUserDefinedMetadata({
    description: 'MLP fixture \u2014 \u00fcn\u00efc\u00f8d\u00e9 \u6a21\u578b \u2713 "quoted" \\ tab\t',
    seed: 101,
    learningRate: 1e-7,
    tiny: 5e-324,
    big: 1e21,
    almostBig: 123456789012345680000,
    values: [0.1, -2.5, 3, 1.5e-6, 0.30000000000000004, -0],
    nested: {empty: {}, list: [], flag: true, nothing: null},
  });
  return {name: 'mlp', model, inputs: input([5, 8], 109)};
}

/** (b) Functional model with two inputs and two outputs. */
export async function twoInTwoOut() {
  await initTf();
  const a = tf.input({name: 'tio_in_a', shape: [6]});
  const b = tf.input({name: 'tio_in_b', shape: [3]});
  const ha = tf.layers.dense({name: 'tio_dense_a', units: 5, activation: 'tanh',
                              kernelInitializer: glorot(201), biasInitializer: uniform(202)})
                 .apply(a);
  const hb = tf.layers.dense({name: 'tio_dense_b', units: 4, activation: 'relu',
                              kernelInitializer: glorot(203), biasInitializer: uniform(204)})
                 .apply(b);
  const merged = tf.layers.concatenate({name: 'tio_concat'}).apply([ha, hb]);
  const out1 = tf.layers.dense({name: 'tio_out_class', units: 3, activation: 'softmax',
                                kernelInitializer: glorot(205), biasInitializer: uniform(206)})
                   .apply(merged);
  const out2 = tf.layers.dense({name: 'tio_out_reg', units: 1,
                                kernelInitializer: glorot(207), biasInitializer: uniform(208)})
                   .apply(merged);
  const model = tf.model({name: 'two_in_two_out', inputs: [a, b], outputs: [out1, out2]});
  return {name: 'two_in_two_out', model, inputs: [input([4, 6], 209), input([4, 3], 210)]};
}

/** (c) Small conv net: conv2d, maxPooling2d, flatten, dense. */
export async function convNet() {
  await initTf();
  const model = tf.sequential({name: 'convnet'});
  model.add(tf.layers.conv2d({name: 'cnn_conv', inputShape: [8, 8, 2], filters: 4, kernelSize: 3,
                              activation: 'relu', padding: 'same',
                              kernelInitializer: glorot(301), biasInitializer: uniform(302)}));
  model.add(tf.layers.maxPooling2d({name: 'cnn_pool', poolSize: 2}));
  model.add(tf.layers.flatten({name: 'cnn_flatten'}));
  model.add(tf.layers.dense({name: 'cnn_dense', units: 3, activation: 'softmax',
                             kernelInitializer: glorot(303), biasInitializer: uniform(304)}));
  return {name: 'convnet', model, inputs: input([3, 8, 8, 2], 305)};
}

/** (d) LSTM over a short sequence, then a dense head. */
export async function lstm() {
  await initTf();
  const model = tf.sequential({name: 'lstm'});
  model.add(tf.layers.lstm({name: 'lstm_rnn', units: 6, inputShape: [5, 3],
                            kernelInitializer: glorot(401),
                            recurrentInitializer: tf.initializers.orthogonal({seed: 402}),
                            biasInitializer: uniform(403)}));
  model.add(tf.layers.dense({name: 'lstm_dense', units: 2,
                             kernelInitializer: glorot(404), biasInitializer: uniform(405)}));
  return {name: 'lstm', model, inputs: input([3, 5, 3], 406)};
}

/** (e) Compiled, trained one step with adam, saved with includeOptimizer (trainingConfig and
 * group "optimizer" weights). trainOnBatch does not shuffle, so the step is deterministic. */
export async function trainedAdam() {
  await initTf();
  const model = tf.sequential({name: 'trained'});
  model.add(tf.layers.dense({name: 'tr_dense1', units: 8, inputShape: [4], activation: 'relu',
                             kernelInitializer: glorot(501), biasInitializer: uniform(502)}));
  model.add(tf.layers.dense({name: 'tr_dense2', units: 3, activation: 'softmax',
                             kernelInitializer: glorot(503), biasInitializer: uniform(504)}));
  model.compile({optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy',
                 metrics: ['accuracy']});
  const x = input([6, 4], 505);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1, 0, 2], 'int32'), 3);
  await model.trainOnBatch(x, y);
  return {name: 'trained_adam', model, inputs: input([5, 4], 506),
          saveOptions: {includeOptimizer: true}};
}

export const builders = [mlp, twoInTwoOut, convNet, lstm, trainedAdam];

/** Model outputs as one Buffer per output (the raw float32 bytes, for bit-exact compares). */
export function predictBytes(model, inputs) {
  return tf.tidy(() => {
    const out = model.predict(inputs);
    return (Array.isArray(out) ? out : [out]).map((t) => {
      const data = t.dataSync();
      return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    }).map((b) => Buffer.from(b)); // copy out of tensor storage before tidy disposes it
  });
}

/** The optimizer's weights as raw bytes, in order (names differ between models). */
export async function optimizerWeightBytes(model) {
  const weights = await model.optimizer.getWeights();
  return weights.map(({tensor}) => {
    const data = tensor.dataSync();
    return Buffer.from(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });
}

/**
 * Loads `source` (a URL or an IOHandler) into TF.js and compares its outputs on the fixture's
 * inputs with `expected` (predictBytes of the original), and its optimizer state when the
 * fixture saves one, bit for bit.
 */
export async function assertPredictsLike(source, fixture, expected, what) {
  const loaded = await tf.loadLayersModel(source);
  const got = predictBytes(loaded, fixture.inputs);
  assert.equal(got.length, expected.length, `${what}: number of outputs`);
  got.forEach((buf, i) => assertSameBytes(buf, expected[i], `${what}: output ${i} (float32)`));
  if (fixture.saveOptions?.includeOptimizer) {
    const want = await optimizerWeightBytes(fixture.model);
    const have = await optimizerWeightBytes(loaded);
    assert.equal(have.length, want.length, `${what}: optimizer weight count`);
    have.forEach((buf, i) => assertSameBytes(buf, want[i], `${what}: optimizer weight ${i}`));
  }
  loaded.dispose();
}
