// Builtin datasets keyed by the name used in YAML (`dataset.builtin`), so the schema's enum and
// the code come from one list. Each entry says which dataset settings apply to it.

import type { DatasetProblem } from './errors.js';
import { gateData, type GateName } from './gates.js';
import { generateDataset, generatorSettingProblems, GENERATOR_DEFAULTS, type GeneratorName } from './generators.js';
import { IRIS_CLASSES, IRIS_FEATURES, irisData, irisSettingProblems } from './iris.js';
import type { DatasetSpec } from './spec.js';
import type { LabelledData } from './types.js';

/** Dataset settings that only some sources accept (the others apply to every dataset). */
export type SourceSetting = 'features' | 'target' | 'positive' | 'samples' | 'noise' | 'seed';

export interface BuiltinDataset {
  kind: 'gate' | 'table' | 'generator';
  description: string;
  /** Source-specific settings this dataset accepts. */
  settings: readonly SourceSetting[];
  /** The class names `positive` can pick, in the order of the class indices the targets hold without it. */
  classes?: readonly string[];
  /** Features it gives before crosses, known without loading it. */
  featureCount(spec: DatasetSpec): number;
  /** Problems with its own settings that can be found without loading it. */
  settingProblems(spec: DatasetSpec): DatasetProblem[];
  load(spec: DatasetSpec): LabelledData;
}

const gate = (name: GateName, description: string): BuiltinDataset => ({
  kind: 'gate',
  description: `${description}: inputs (0,0), (0,1), (1,0), (1,1)`,
  settings: [],
  featureCount: () => 2,
  settingProblems: () => [],
  load: () => gateData(name),
});

const generator = (name: GeneratorName, description: string): BuiltinDataset => ({
  kind: 'generator',
  description,
  settings: ['samples', 'noise', 'seed'],
  featureCount: () => 2,
  settingProblems: (spec) => generatorSettingProblems(spec),
  load: (spec) =>
    generateDataset(name, {
      samples: spec.samples ?? GENERATOR_DEFAULTS.samples,
      noise: spec.noise ?? GENERATOR_DEFAULTS.noise,
      seed: spec.seed ?? GENERATOR_DEFAULTS.seed,
    }),
});

const registry = {
  and: gate('and', 'AND gate'),
  or: gate('or', 'OR gate'),
  xor: gate('xor', 'XOR gate'),
  nand: gate('nand', 'NAND gate'),
  nor: gate('nor', 'NOR gate'),
  xnor: gate('xnor', 'XNOR gate'),
  iris: {
    kind: 'table',
    description: "Fisher's iris, 150 flowers (R / scikit-learn copy); `positive` picks the class for one-vs-rest",
    settings: ['features', 'positive'],
    classes: IRIS_CLASSES,
    featureCount: (spec) => spec.features?.length ?? IRIS_FEATURES.length,
    settingProblems: (spec) => irisSettingProblems(spec.features, spec.positive),
    load: (spec) => irisData(spec.features, spec.positive),
  },
  circle: generator('circle', 'Disc of label 1 (radius 2.5) inside a ring of label 0 (3.5 to 5)'),
  spiral: generator('spiral', 'Two interleaved spiral arms'),
  gaussians: generator('gaussians', 'Two Gaussian blobs around (2, 2) and (-2, -2)'),
  'xor-quadrants': generator('xor-quadrants', 'Points in [-5, 5]^2, label 1 where x1 * x2 >= 0'),
} satisfies Record<string, BuiltinDataset>;

/** The names of `dataset.builtin`: the keys of the registry above. */
export type BuiltinDatasetName = keyof typeof registry;

export const BUILTIN_DATASETS: Readonly<Record<BuiltinDatasetName, BuiltinDataset>> = registry;

/** Every builtin name, in the order of the documentation (the schema's enum). */
export const BUILTIN_DATASET_NAMES = Object.keys(BUILTIN_DATASETS) as BuiltinDatasetName[];

export function isBuiltinDatasetName(name: string): name is BuiltinDatasetName {
  return Object.hasOwn(BUILTIN_DATASETS, name);
}
