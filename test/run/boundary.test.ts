// A run's decision map (run/boundary.ts) comes from a network kept per shape and given each run's
// trained parameters: its numbers must be those of a network built afresh for the run, whatever
// maps of other runs and shapes were drawn before.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { expandGrid, parseExperiment } from '../../src/experiment/index.js';
import type { RunSpec } from '../../src/experiment/types.js';
import { ROOT } from '../helpers/cli.js';
import { tempFolder } from '../helpers/temp-folders.js';

type RunModule = typeof import('../../src/run/index.js');

/** Each run of these experiments with its trained parameters (few epochs: the maps differ all the same). */
function trainedRuns(run: RunModule): { spec: RunSpec; parameters: ReturnType<RunModule['executeRun']>['parameters'] }[] {
  const dir = tempFolder();
  return ['xor-lr.yaml', 'xor-featcross.yaml', 'iris-petals.yaml', 'xor-depth.yaml'].flatMap((name) => {
    const file = join(ROOT, 'experiments', name);
    const loaded = parseExperiment(readFileSync(file, 'utf8'), file, { overrides: ['train.epochs=40'] });
    return expandGrid(loaded, { engineVersion: '1' }).map((spec) => ({
      spec,
      parameters: run.executeRun(spec, new Map(), join(dir, `${name}-${spec.index}.curve.csv`)).parameters,
    }));
  });
}

/** The map of `spec` by a fresh copy of the run layer (its kept networks empty). */
async function freshMap(spec: RunSpec, parameters: ReturnType<RunModule['executeRun']>['parameters']) {
  vi.resetModules();
  const run = (await import('../../src/run/index.js')) as RunModule;
  const data = run.runData(spec, new Map());
  return data.inputFeatureCount === 2 ? run.decisionBoundary(run.trainSpecOf(spec.experiment), parameters, data, spec.experiment.dataset) : null;
}

describe('decision maps from kept networks', () => {
  it('are the numbers of a network built for the run, in any order of runs and shapes', async () => {
    const run = (await import('../../src/run/index.js')) as RunModule;
    const runs = trainedRuns(run);
    expect(new Set(runs.map(({ spec }) => JSON.stringify(spec.experiment.model.map((l) => (typeof l === 'string' ? l : l.linear))))).size).toBeGreaterThan(2);
    // In grid order and backwards: every map after maps of other runs, several shapes in turn.
    const order = [...runs, ...[...runs].reverse()];
    const kept = order.map(({ spec, parameters }) => {
      const data = run.runData(spec, new Map());
      return data.inputFeatureCount === 2 ? run.decisionBoundary(run.trainSpecOf(spec.experiment), parameters, data, spec.experiment.dataset) : null;
    });
    let maps = 0;
    for (const [i, { spec, parameters }] of order.entries()) {
      if (i >= runs.length) break;
      const fresh = await freshMap(spec, parameters);
      for (const map of [kept[i], kept[order.length - 1 - i]]) {
        expect(map === null, spec.experiment.name).toBe(fresh === null);
        if (map === null || fresh === null) continue;
        maps++;
        // Compared as the record stores them (toEqual would take -0 for 0 and NaN for NaN alike).
        expect(map.values.every((value, k) => Object.is(value, fresh.values[k])), `${spec.experiment.name} run ${spec.index}`).toBe(true);
        expect({ ...map, values: [] }).toEqual({ ...fresh, values: [] });
      }
    }
    expect(maps).toBeGreaterThan(20);
  });
});
