// Training dynamics end to end against NumPy: every optimizer on a 2-hidden-layer network, each
// schedule with and without warmup, weight decay and l1 with sgd and with adamw, reshuffled
// minibatches, and softmax + cross_entropy on 3-class iris and on a CSV with text labels, swept
// through the built CLI and compared at every recorded epoch (cost, test cost, learning rate) to
// 1e-9 relative with test/reference/numpy_experiments.py's DYNAMICS_CASES. If an experiment here
// changes, change its mirror there and run
//   python3 test/reference/numpy_experiments.py <case name>
import { describeNumpyComparisons, type NumpyCase } from '../helpers/numpy-compare.js';

const XOR_2HIDDEN = `seed: 4
dataset:
  builtin: xor
model:
  - { linear: 4 }
  - tanh
  - { linear: 3 }
  - tanh
  - { linear: 1 }
  - sigmoid
loss: bce`;

const GAUSSIANS_2HIDDEN = `seed: 6
model:
  - { linear: 5 }
  - tanh
  - { linear: 3 }
  - tanh
  - { linear: 1 }
  - sigmoid
loss: bce`;

const CASES: NumpyCase[] = [
  {
    name: 'optimizers',
    yaml: `name: optimizers
description: Every optimizer by name on a 2-hidden-layer tanh network (XOR), at two learning rates.
${XOR_2HIDDEN}
train:
  epochs: 300
  learning_rate: 0.01
sweep:
  train.optimizer: [sgd, momentum, nesterov, rmsprop, adagrad, adam, adamw]
  train.learning_rate: [0.01, 0.03]
`,
  },
  {
    name: 'optimizer-fields',
    yaml: `name: optimizer-fields
description: Single fields swept inside an optimizer written by name.
${XOR_2HIDDEN}
train:
  epochs: 300
  learning_rate: 0.01
  optimizer: adam
sweep:
  train.optimizer.beta1: [0.8, 0.95]
  train.optimizer.beta2: [0.99, 0.999]
`,
  },
  {
    name: 'optimizer-settings',
    yaml: `name: optimizer-settings
description: Every other optimizer setting, through whole optimizers swept as named values.
${XOR_2HIDDEN}
train:
  epochs: 300
  learning_rate: 0.01
sweep:
  train.optimizer:
    named:
      heavy-ball: { name: momentum, beta: 0.99 }
      nag-half: { name: nesterov, beta: 0.5 }
      rms-fast: { name: rmsprop, rho: 0.9, epsilon: 1.0e-6 }
      adagrad-eps: { name: adagrad, epsilon: 1.0e-3 }
      adam-eps: { name: adam, epsilon: 0.01 }
`,
  },
  {
    name: 'schedules',
    yaml: `name: schedules
description: Every schedule with and without warmup, on the blog's XOR network at a large rate.
seed: 48
dataset:
  builtin: xor
model:
  - { linear: 3 }
  - sigmoid
  - { linear: 1 }
  - sigmoid
loss: squared_error
train:
  epochs: 1000
  learning_rate: 4
sweep:
  train.schedule:
    named:
      constant: constant
      step: { name: step, every: 100, factor: 0.5 }
      exponential: { name: exponential, gamma: 0.998 }
      inverse-time: { name: inverse_time, decay: 0.01 }
      cosine: { name: cosine, min_learning_rate: 0.5 }
  train.warmup_epochs: [0, 50]
`,
  },
  {
    name: 'penalties',
    yaml: `name: penalties
description: Weight decay and l1 on the weights, with sgd (in the gradient) and adamw (decoupled decay).
${XOR_2HIDDEN}
train:
  epochs: 300
  learning_rate: 0.03
sweep:
  train.optimizer: [sgd, adamw]
  train.weight_decay: [0, 0.01]
  train.l1: [0, 0.001]
`,
  },
  {
    name: 'shuffled-minibatches',
    yaml: `name: shuffled-minibatches
description: Minibatches from a new permutation every epoch (generator seeded by seed), sgd and adam; full batch reshuffled too.
dataset:
  builtin: gaussians
  samples: 120
  noise: 0.1
  seed: 3
${GAUSSIANS_2HIDDEN}
train:
  epochs: 120
  learning_rate: 0.01
  shuffle: true
  record_every: 3
sweep:
  train.batch_size: [16, 50, full]
  train.optimizer: [sgd, adam]
`,
  },
  {
    name: 'shuffle-seed',
    yaml: `name: shuffle-seed
description: The reshuffling generator's own seed, a test split, warmup into a cosine decay, momentum.
dataset:
  builtin: gaussians
  samples: 120
  noise: 0.1
  seed: 3
  shuffle: 5
  test_fraction: 0.2
${GAUSSIANS_2HIDDEN}
train:
  epochs: 120
  learning_rate: 0.01
  batch_size: 24
  shuffle: true
  optimizer: momentum
  schedule: cosine
  warmup_epochs: 10
sweep:
  train.shuffle_seed: [9, 10]
`,
  },
  {
    name: 'iris-softmax',
    yaml: `name: iris-softmax
description: Three iris classes, softmax and cross_entropy, held-out split.
seed: 7
dataset:
  builtin: iris
  shuffle: 48
  test_fraction: 0.2
model:
  - { linear: 8, init: plain }
  - tanh
  - { linear: 3 }
  - softmax
loss: cross_entropy
train:
  epochs: 400
  learning_rate: 0.01
sweep:
  train.optimizer: [sgd, adam]
  train.learning_rate: [0.003, 0.01]
`,
  },
  {
    name: 'csv-text-labels',
    data: ['data/colours.csv'],
    yaml: `name: csv-text-labels
description: A CSV whose target holds text labels; the classes in code-point order (Green, blue, été).
seed: 2
dataset:
  csv: data/colours.csv
model:
  - { linear: 6 }
  - tanh
  - { linear: 3 }
  - softmax
loss: cross_entropy
train:
  epochs: 300
  learning_rate: 0.3
sweep:
  train.optimizer: [sgd, rmsprop]
  train.learning_rate: [0.01, 0.1]
`,
  },
];

describeNumpyComparisons('training dynamics agree with NumPy', CASES);
