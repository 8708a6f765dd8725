// One training step's update of every Linear layer: the penalties' gradients on the weights
// (penalties.ts), then the optimizer's rule (optimizers.ts) on the weights and on the biases. The
// optimizer's state is allocated here once, so a step allocates nothing; t counts the steps.
//
// Plain sgd without penalties is exactly W -= lr*dW; b -= lr*db, as it always was.

import type { Linear } from './layers.js';
import { type OptimizerSpec, optimizers } from './optimizers.js';
import { addPenaltyGradients, decayWeights, type Penalties } from './penalties.js';

interface LayerState {
  weights: Float64Array[];
  bias: Float64Array[];
}

export class ParameterUpdate {
  /** Updates so far (the t of Adam's bias correction). */
  private t = 0;
  private readonly state: LayerState[];

  constructor(
    private readonly linears: readonly Linear[],
    readonly optimizer: OptimizerSpec,
    readonly penalties: Penalties,
  ) {
    const slots = optimizers[optimizer.name].slots;
    this.state = linears.map((layer) => ({
      weights: Array.from({ length: slots }, () => new Float64Array(layer.nIn * layer.nOut)),
      bias: Array.from({ length: slots }, () => new Float64Array(layer.nOut)),
    }));
  }

  /** Applies one step with learning rate `lr` from the gradients in every layer's dW and db. */
  apply(lr: number): void {
    const t = ++this.t;
    const spec = this.optimizer;
    const rule = optimizers[spec.name];
    const { weightDecay, l1 } = this.penalties;
    const coupledDecay = rule.decoupledWeightDecay ? 0 : weightDecay;
    const linears = this.linears;
    for (let k = 0; k < linears.length; k++) {
      const layer = linears[k];
      const state = this.state[k];
      // Read the arrays now: an arena (network.ts) may have given the parameters new views.
      const w = layer.W.data;
      const dw = layer.dW.data;
      const nW = w.length;
      addPenaltyGradients(w, dw, nW, coupledDecay, l1);
      if (rule.decoupledWeightDecay) decayWeights(w, nW, lr, weightDecay);
      rule.step(w, dw, state.weights, nW, lr, t, spec);
      const b = layer.b.data;
      rule.step(b, layer.db.data, state.bias, b.length, lr, t, spec);
    }
  }
}
