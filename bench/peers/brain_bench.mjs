// brain.js peer: the same network shapes trained with brain.js's CPU NeuralNetwork.
// brain.js trains online (one weight update per example, with momentum) and always uses its own
// squared-error deltas, so an "epoch" here is one pass over the examples, not one full-batch step.
// Its options are range-checked (0 < learningRate < 1, errorThresh > 0), hence the values below.
import { createRequire } from 'node:module';
import { XOR_EXAMPLES, loadSpiralExamples, packageVersion, parseArgs, printResult, timeTraining } from './common.mjs';

const require = createRequire(import.meta.url);
const brain = require('brain.js');

const args = parseArgs();
const tinyEpochs = args['tiny-epochs'] ?? 20000;
const mediumEpochs = args['medium-epochs'] ?? 10;

function trainer(examples, hiddenLayers, learningRate) {
  const data = examples.map((e) => ({ input: e.x, output: e.y }));
  return (epochs) => {
    const net = new brain.NeuralNetwork({ hiddenLayers, activation: 'sigmoid' });
    // errorThresh tiny so training never stops early: every epoch is run.
    const status = net.train(data, { iterations: epochs, errorThresh: 1e-15, learningRate, log: false });
    if (status.iterations !== epochs) throw new Error(`brain.js stopped after ${status.iterations} of ${epochs} epochs`);
    return status.error;
  };
}

const tiny = await timeTraining(trainer(XOR_EXAMPLES, [3], 0.5), tinyEpochs, args['tiny-repeats'] ?? 7);
const medium = await timeTraining(
  trainer(loadSpiralExamples(args.spiral), [64, 64], 0.1),
  mediumEpochs,
  args['medium-repeats'] ?? 5,
);

printResult({
  peer: 'brain.js',
  version: packageVersion('brain.js'),
  notes: 'online updates (per example, momentum 0.1), squared-error deltas for both trainings',
  tiny: { usPerEpoch: tiny.medianMs * 1e3, epochs: tinyEpochs, repeatsUs: tiny.repeatsMs.map((t) => t * 1e3), finalCost: tiny.last },
  medium: { msPerEpoch: medium.medianMs, epochs: mediumEpochs, repeatsMs: medium.repeatsMs, finalCost: medium.last },
});
