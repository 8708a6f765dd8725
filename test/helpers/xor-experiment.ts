// The blog's 2-layer XOR network (2 -> 3 sigmoid -> 1 sigmoid, xavier, squared error, seed 48) as an
// experiment file sweeping one setting: the small sweep most CLI tests need.
export function xorExperiment(name: string, epochs: number, sweepKey: string, values: number[]): string {
  return `name: ${name}
seed: 48
dataset: { builtin: xor }
model:
  - { linear: 3, init: xavier }
  - sigmoid
  - { linear: 1, init: xavier }
  - sigmoid
loss: squared_error
train: { epochs: ${epochs}, learning_rate: 1 }
sweep:
  ${sweepKey}: [${values.join(', ')}]
`;
}
