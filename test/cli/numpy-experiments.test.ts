// End to end against NumPy: whole experiment files, swept through the built CLI as a user runs
// them, must agree with an independent NumPy implementation (test/reference/numpy_experiments.py,
// which wrote test/fixtures/numpy/experiments/) to 1e-9 relative at every recorded epoch, with the
// same stop epoch and the same final accuracies. The files are written here, the first four as copies
// of shipped examples (frozen, so tuning an example does not invalidate the fixtures). If an
// experiment here changes, change its mirror in the Python script and run
//   python3 test/reference/numpy_experiments.py <case name>
import { describeNumpyComparisons, type NumpyCase } from '../helpers/numpy-compare.js';

const CASES: NumpyCase[] = [
  {
    name: 'iris-petals',
    yaml: `name: iris-petals
description: Virginica or not from petal sizes, shuffled 80/20 split (like experiments/iris-petals.yaml).
seed: 48
dataset:
  builtin: iris
  features: [petal_length, petal_width]
  positive: virginica
  shuffle: 48
  test_fraction: 0.2
model:
  - { linear: 4, init: xavier }
  - tanh
  - { linear: 1, init: xavier }
  - sigmoid
loss: bce
train:
  epochs: 3000
  learning_rate: 0.1
sweep:
  train.learning_rate: [0.01, 0.03, 0.05]
`,
  },
  {
    name: 'xor-featcross',
    yaml: `name: xor-featcross
description: One unit learns XOR once the cross x1*x2 is added (as experiments/xor-featcross.yaml).
seed: 48
dataset:
  builtin: xor
  feature_crosses: [[0, 1]]
model:
  - { linear: 1, init: xavier }
  - sigmoid
loss: bce
train:
  epochs: 5000
  learning_rate: 1
sweep:
  train.learning_rate: [0.1, 1, 5]
`,
  },
  {
    name: 'xor-depth',
    yaml: `name: xor-depth
description: One, two and three layers on XOR (as experiments/xor-depth.yaml).
seed: 48
dataset:
  builtin: xor
model:
  - { linear: 1, init: xavier }
  - sigmoid
loss: squared_error
train:
  epochs: 5000
  learning_rate: 1
sweep:
  model:
    named:
      1-layer:
        - { linear: 1, init: xavier }
        - sigmoid
      2-layer:
        - { linear: 3, init: xavier }
        - sigmoid
        - { linear: 1, init: xavier }
        - sigmoid
      3-layer:
        - { linear: 3, init: xavier }
        - sigmoid
        - { linear: 3, init: xavier }
        - sigmoid
        - { linear: 1, init: xavier }
        - sigmoid
  train.learning_rate: [0.5, 2]
`,
  },
  {
    name: 'houses-regression',
    yaml: `name: houses-regression
description: Linear regression on data/houses.csv, rates on both sides of 2/lambda_max (as experiments/houses-regression.yaml).
seed: 0
dataset:
  csv: data/houses.csv
  features: [size, age]
  target: price
model:
  - { linear: 1, init: zeros }
  - identity
loss: squared_error
train:
  epochs: 1000
  learning_rate: 0.1
sweep:
  train.learning_rate: [0.02, 0.1, 0.2, 0.21, 0.22, 0.25, 0.3]
`,
  },
  {
    name: 'houses-overflow',
    yaml: `name: houses-overflow
description: Far beyond the stability limit; one run passes max_cost, the other overflows to Infinity.
seed: 0
dataset:
  csv: data/houses.csv
  features: [size, age]
  target: price
model:
  - { linear: 1, init: he }
  - identity
loss: squared_error
train:
  epochs: 2000
  learning_rate: 1
  record_every: 10
divergence:
  max_cost: 1.0e300
sweep:
  train.learning_rate: [3, 300]
`,
  },
  {
    name: 'gate-bce-keras',
    yaml: `name: gate-bce-keras
description: Keras-style clipped cross-entropy with steps large enough to push outputs out of the band.
seed: 3
dataset:
  builtin: nand
loss: bce_keras
train:
  epochs: 600
  learning_rate: 1
sweep:
  model:
    named:
      1-layer:
        - { linear: 1 }
        - sigmoid
      2-layer:
        - { linear: 3 }
        - tanh
        - { linear: 1 }
        - sigmoid
  train.learning_rate: [3, 20]
`,
  },
  {
    name: 'gates-relu-init',
    yaml: `name: gates-relu-init
description: he and plain initialisation, relu and leaky_relu hidden units, on OR and AND.
seed: 5
dataset:
  builtin: or
model:
  - { linear: 4, init: he }
  - relu
  - { linear: 1, init: he }
  - sigmoid
loss: squared_error
train:
  epochs: 1500
  learning_rate: 2
sweep:
  dataset.builtin: [or, and]
  model.0.init: [he, plain]
  model.1: [relu, leaky_relu]
`,
  },
  {
    name: 'xor-explicit-weights',
    yaml: `name: xor-explicit-weights
description: A 2-layer XOR network started from given weights in the first layer, or only in the second.
seed: 48
dataset:
  builtin: xor
loss: squared_error
train:
  epochs: 2000
  learning_rate: 1
sweep:
  model:
    named:
      first:
        - { linear: 2, weights: [[1.5, -2.0], [-0.5, 2.5]], bias: [[0.25], [-0.75]] }
        - sigmoid
        - { linear: 1 }
        - sigmoid
      second:
        - { linear: 2, init: he }
        - sigmoid
        - { linear: 1, weights: [[3.0, -2.0]], bias: [[0.5]] }
        - sigmoid
  train.learning_rate: [1, 4]
`,
  },
  {
    name: 'iris-record-every',
    yaml: `name: iris-record-every
description: Versicolor or not from all four features; the cost recorded every 7 epochs and at the last.
seed: 11
dataset:
  builtin: iris
  positive: versicolor
  shuffle: 7
  test_fraction: 0.25
model:
  - { linear: 5 }
  - sigmoid
  - { linear: 1 }
  - sigmoid
loss: squared_error
train:
  epochs: 703
  learning_rate: 0.5
  record_every: 7
sweep:
  seed: [11, 12]
`,
  },
];

describeNumpyComparisons('whole experiments agree with NumPy', CASES);
