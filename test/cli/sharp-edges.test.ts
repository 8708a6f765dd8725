// Sharp edges of the sweep command: warnings, unusable output folders, failed runs.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, workspace } from '../helpers/cli.js';

const xorSweep = (name: string, rates: number[], epochs: number) => `name: ${name}
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
  train.learning_rate: [${rates.join(', ')}]
`;

const rates = (n: number) => Array.from({ length: n }, (_, i) => Number((0.1 * (i + 1)).toFixed(1)));

describe('sweep output', () => {
  it('a sweep of 12 runs of 1000 epochs prints no warning (no listener leak while curves.csv streams)', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'e.yaml'), xorSweep('many', rates(12), 1000));
    const result = await runCli(['sweep', 'e.yaml', '--out', 'out', '--quiet', '--no-report', '--workers', '2'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
  });
});
