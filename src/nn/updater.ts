// One training step's update of every Linear layer: the penalties' gradients on the weights
// (penalties.ts), then the optimizer's rule (optimizers.ts) on the weights and on the biases. The
// optimizer's state is allocated here once, so a step allocates nothing; t counts the steps. The
// step's numbers travel in a Float64Array (`numbers`: [η, t]): a double handed to a function V8
// does not inline is boxed, which would allocate at every step.
//
// Plain sgd without penalties is exactly W -= lr*dW; b -= lr*db, as it always was.

import type { Linear } from './layers.js';
import { type OptimizerSpec, optimizers, type StepNumbers } from './optimizers.js';
import { addPenaltyGradients, decayWeights, gradientPenalties, type GradientPenalties, type Penalties } from './penalties.js';

interface LayerState {
  weights: Float64Array[];
  bias: Float64Array[];
}

export class ParameterUpdate {
  /** Updates so far (the t of Adam's bias correction). */
  private t = 0;
  /**
   * [η, t, λ of adamw's decoupled decay] of the current step: set numbers[0] to the step's
   * learning rate before apply().
   */
  readonly numbers: StepNumbers = new Float64Array(3);
  /** The penalties that enter the gradient: [λ (not for adamw), λ1]. */
  private readonly inGradient: GradientPenalties;
  private readonly decoupled: boolean;
  private readonly state: LayerState[];

  constructor(
    private readonly linears: readonly Linear[],
    readonly optimizer: OptimizerSpec,
    readonly penalties: Penalties,
  ) {
    const rule = optimizers[optimizer.name];
    this.decoupled = rule.decoupledWeightDecay;
    this.inGradient = gradientPenalties(this.decoupled ? 0 : penalties.weightDecay, penalties.l1);
    this.numbers[2] = this.decoupled ? penalties.weightDecay : 0;
    const slots = rule.slots;
    this.state = linears.map((layer) => ({
      weights: Array.from({ length: slots }, () => new Float64Array(layer.nIn * layer.nOut)),
      bias: Array.from({ length: slots }, () => new Float64Array(layer.nOut)),
    }));
  }

  /** Applies one step, at the learning rate in numbers[0], from the gradients in every layer's dW and db. */
  apply(): void {
    const numbers = this.numbers;
    numbers[1] = ++this.t;
    const spec = this.optimizer;
    const rule = optimizers[spec.name];
    const inGradient = this.inGradient;
    const decoupled = this.decoupled;
    const linears = this.linears;
    for (let k = 0; k < linears.length; k++) {
      const layer = linears[k];
      const state = this.state[k];
      // Read the arrays now: an arena (network.ts) may have given the parameters new views.
      const w = layer.W.data;
      const dw = layer.dW.data;
      const nW = w.length;
      addPenaltyGradients(w, dw, nW, inGradient);
      if (decoupled) decayWeights(w, nW, numbers);
      rule.step(w, dw, state.weights, nW, numbers, spec);
      const b = layer.b.data;
      rule.step(b, layer.db.data, state.bias, b.length, numbers, spec);
    }
  }
}
