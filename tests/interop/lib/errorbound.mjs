// A sound bound on how far a quantized model's predictions can move, derived only from the
// float model, its inputs and the per-tensor max |error| the quantize report states (never from
// the quantized weights themselves).
//
// The bound is propagated layer by layer as an elementwise bound e >= |x' - x| on each
// activation (x: the float model's, x': the quantized model's), starting from e = 0 at the
// inputs. With dW, db the reported max |error| of a layer's kernel and bias (so
// |W'_ij| <= |W_ij| + dW):
//   Dense / Conv2D  z' - z = W'(x' - x) + (W' - W)x + (b' - b), so
//                   |dz| <= (|W| + dW) e + dW * sum|x| + db    (the sums over the kernel's window
//                   for a conv, computed as a conv of e and |x|; 'same' padding adds exact zeros)
//   ReLU, MaxPool   1-Lipschitz per element / per window: e unchanged (pool: the window's max e)
//   Dropout, Flatten  the identity at inference / a reshape
//   BatchNorm       y = g s (x - m) + beta with s = 1/sqrt(v + eps); the mean value theorem
//                   bounds |s' - s| <= ds = dv / (2 (v - dv + eps)^1.5), and a product's
//                   change by |A'B'C' - ABC| <= |A'||B'||dC| + |A'||dB||C| + |dA||B||C|:
//                   |dy| <= (|g|+dg)(s+ds)(e+dm) + (|g|+dg) ds |x-m| + dg s |x-m| + dbeta
//   softmax         p_i = 1 / sum_j exp(z_j - z_i); each z_j - z_i moves by at most 2 max(e),
//                   so p'_i lies in [p_i exp(-2E), p_i exp(2E)]: |dp_i| <= p_i (exp(2E) - 1),
//                   E = max_j e_j over the sample's logits.
// Only these layers (the fixtures' mlp and convNet) are handled; any other is an error.
import * as tf from '@tensorflow/tfjs';

function errorsOf(layer, report) {
  return layer.weights.map((w) => {
    const t = report.tensors.find((x) => x.name === w.originalName);
    if (!t) throw new Error(`no report entry for ${w.originalName}`);
    return t.quantized ? t.maxAbs : 0;
  });
}

function activate(layer, z, e) {
  const activation = layer.getConfig().activation ?? 'linear';
  if (activation === 'linear') return [z, e];
  if (activation === 'relu') return [tf.relu(z), e];
  if (activation === 'softmax') {
    const p = tf.softmax(z);
    const worst = e.max(-1, true);
    return [p, p.mul(tf.exp(worst.mul(2)).sub(1))];
  }
  throw new Error(`errorbound: activation ${activation} not handled`);
}

function dense(layer, x, e, report) {
  const [kernel, bias] = layer.getWeights();
  const [dW, db] = errorsOf(layer, report);
  const z = tf.matMul(x, kernel).add(bias);
  const dz = tf.matMul(e, kernel.abs().add(dW)).add(x.abs().sum(-1, true).mul(dW)).add(db);
  return activate(layer, z, dz);
}

function conv2d(layer, x, e, report) {
  const {strides, padding, dilationRate} = layer.getConfig();
  const [kernel, bias] = layer.getWeights();
  const [dW, db] = errorsOf(layer, report);
  const conv = (input, filter) => tf.conv2d(input, filter, strides, padding, 'NHWC', dilationRate);
  const z = conv(x, kernel).add(bias);
  const dz = conv(e, kernel.abs().add(dW)).add(conv(x.abs(), tf.onesLike(kernel)).mul(dW)).add(db);
  return activate(layer, z, dz);
}

function batchNorm(layer, x, e, report) {
  const {epsilon} = layer.getConfig();
  const [gamma, beta, mean, variance] = layer.getWeights();
  const [dg, dbeta, dm, dv] = errorsOf(layer, report);
  const lowest = variance.sub(dv).add(epsilon);
  if (lowest.min().dataSync()[0] <= 0) throw new Error('errorbound: variance error too large');
  const s = tf.rsqrt(variance.add(epsilon));
  const ds = lowest.pow(-1.5).mul(dv / 2);
  const centred = x.sub(mean);
  const y = centred.mul(s).mul(gamma).add(beta);
  const g = gamma.abs().add(dg);
  const dy = g.mul(s.add(ds)).mul(e.add(dm))
      .add(g.mul(ds).mul(centred.abs()))
      .add(s.mul(dg).mul(centred.abs()))
      .add(dbeta);
  return [y, dy];
}

function maxPool(layer, x, e) {
  const {poolSize, strides, padding} = layer.getConfig();
  return [tf.maxPool(x, poolSize, strides, padding), tf.maxPool(e, poolSize, strides, padding)];
}

const rules = {
  Dense: dense,
  Conv2D: conv2d,
  BatchNormalization: batchNorm,
  MaxPooling2D: maxPool,
  Dropout: (layer, x, e) => [x, e],
  Flatten: (layer, x, e) => [x.reshape([x.shape[0], -1]), e.reshape([e.shape[0], -1])],
};

/**
 * The float model's predictions recomputed layer by layer and the elementwise bound on how far
 * the quantized model's can be from them: {predictions, bound} as flat Float32Arrays.
 */
export function predictionBound(model, inputs, report) {
  return tf.tidy(() => {
    let x = inputs;
    let e = tf.zerosLike(inputs);
    for (const layer of model.layers) {
      const rule = rules[layer.getClassName()];
      if (!rule) throw new Error(`errorbound: layer ${layer.getClassName()} not handled`);
      [x, e] = rule(layer, x, e, report);
    }
    return {predictions: x.dataSync().slice(), bound: e.dataSync().slice()};
  });
}
