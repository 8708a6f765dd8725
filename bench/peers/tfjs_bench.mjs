// TensorFlow.js peer (@tensorflow/tfjs on its pure-JavaScript CPU backend, not tfjs-node): the
// same full-batch trainings as gradgrid, written with variables, a loss closure and SGD's
// minimize(), which is the lightest way tfjs offers (no model.fit callbacks, no per-epoch read-back).
import * as tf from '@tensorflow/tfjs';
import { XOR_EXAMPLES, loadSpiralExamples, packageVersion, parseArgs, printResult, timeTraining } from './common.mjs';

const args = parseArgs();
const tinyEpochs = args['tiny-epochs'] ?? 2000;
const mediumEpochs = args['medium-epochs'] ?? 20;

await tf.setBackend('cpu');

/** X (features x m) and Y (1 x m) tensors, the blog's layout. */
function tensors(examples) {
  const m = examples.length;
  const x = tf.tensor2d(examples[0].x.map((_, f) => examples.map((e) => e.x[f])), [examples[0].x.length, m]);
  const y = tf.tensor2d([examples.map((e) => e.y[0])], [1, m]);
  return { x, y, m };
}

function squaredError(y, z, m) {
  return tf.div(tf.sum(tf.square(tf.sub(y, tf.sigmoid(z)))), 2 * m);
}

// Stable binary cross-entropy from the last linear output z: max(z,0) - z*y + log(1 + exp(-|z|)).
function bce(y, z, m) {
  return tf.div(tf.sum(tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))))), m);
}

function trainer(examples, sizes, loss, learningRate) {
  const { x, y, m } = tensors(examples);
  return (epochs) => {
    const params = [];
    for (let l = 1; l < sizes.length; l++) {
      const scale = 1 / Math.sqrt(sizes[l - 1]); // xavier, as in the blog
      params.push({
        w: tf.variable(tf.tidy(() => tf.mul(tf.randomNormal([sizes[l], sizes[l - 1]], 0, 1, 'float32', 48), scale))),
        b: tf.variable(tf.zeros([sizes[l], 1])),
      });
    }
    const variables = params.flatMap((p) => [p.w, p.b]);
    const optimizer = tf.train.sgd(learningRate);
    const cost = () => {
      let a = x;
      let z = x;
      params.forEach((p, i) => {
        z = tf.add(tf.matMul(p.w, a), p.b);
        if (i < params.length - 1) a = tf.sigmoid(z);
      });
      return loss(y, z, m);
    };
    for (let e = 0; e < epochs; e++) optimizer.minimize(cost, false, variables);
    const final = tf.tidy(cost).dataSync()[0];
    tf.dispose([...variables, optimizer]);
    return final;
  };
}

const tiny = await timeTraining(trainer(XOR_EXAMPLES, [2, 3, 1], squaredError, 1), tinyEpochs, args['tiny-repeats'] ?? 5);
const medium = await timeTraining(
  trainer(loadSpiralExamples(args.spiral), [2, 64, 64, 1], bce, 0.1),
  mediumEpochs,
  args['medium-repeats'] ?? 3,
);

printResult({
  peer: 'tfjs',
  version: packageVersion('@tensorflow/tfjs'),
  backend: tf.getBackend(),
  notes: 'float32 tensors; full-batch SGD via optimizer.minimize',
  tiny: { usPerEpoch: tiny.medianMs * 1e3, epochs: tinyEpochs, repeatsUs: tiny.repeatsMs.map((t) => t * 1e3), finalCost: tiny.last },
  medium: { msPerEpoch: medium.medianMs, epochs: mediumEpochs, repeatsMs: medium.repeatsMs, finalCost: medium.last },
});
