// `gradgrid gradcheck FILE`: backpropagation against central finite differences for the
// experiment's model on its training data at the initial weights, worst error per layer. The
// checked gradient includes every optimizer-independent piece: the loss (softmax + cross_entropy
// fused) and the penalties' gradients (weight decay, l1).
import { gradientCheck } from '../nn/index.js';
import { trainSpecOf } from '../run/index.js';
import { EXIT_OK, EXIT_RUNS_FAILED, reportInputError } from './input-errors.js';
import { prepareSweep } from './prepare-sweep.js';

/** Above this worst relative error the gradients are reported as disagreeing. */
export const GRADCHECK_TOLERANCE = 1e-6;

export function gradcheckCommand(file: string): number {
  let output: string;
  let worst: number;
  try {
    const { runs, dataOf } = prepareSweep(file);
    const run = runs[0];
    const data = dataOf(run);
    const result = gradientCheck(trainSpecOf(run.experiment), data.train);
    worst = result.maxRelativeError;
    const lines = [
      `Gradient check of ${run.experiment.name}${runs.length > 1 ? ' (first run of the grid)' : ''}: ` +
        `${data.train.x.cols} training examples, initial weights, epsilon ${result.epsilon}`,
      `checked: ${result.pieces.join('; ')}`,
      'layer  model entry  worst rel. error W  worst rel. error b',
      ...result.layers.map(
        (layer, i) =>
          `${String(i + 1).padEnd(5)}  ${`model.${layer.modelIndex}`.padEnd(11)}  ` +
          `${layer.weights.maxRelativeError.toExponential(2).padEnd(18)}  ${layer.bias.maxRelativeError.toExponential(2)}`,
      ),
      worst <= GRADCHECK_TOLERANCE
        ? `ok: worst relative error ${worst.toExponential(2)} <= ${GRADCHECK_TOLERANCE}`
        : `MISMATCH: worst relative error ${worst.toExponential(2)} > ${GRADCHECK_TOLERANCE}`,
    ];
    output = lines.join('\n');
  } catch (error) {
    return reportInputError(error);
  }
  process.stdout.write(`${output}\n`);
  return worst <= GRADCHECK_TOLERANCE ? EXIT_OK : EXIT_RUNS_FAILED;
}
