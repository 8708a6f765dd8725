// Learning-rate schedules, keyed by the names used in YAML, each rule beside its name. The rate
// η_e of epoch e = 0, 1, ... is the same for every step of that epoch, whatever the batch size;
// η is the base rate (train.learning_rate) and E the number of epochs (train.epochs):
//
//   constant      η
//   step          η·f^⌊e/k⌋                          {every: k, factor: f}
//   exponential   η·γ^e                              {gamma: γ}
//   inverse_time  η / (1 + d·e)                      {decay: d}
//   cosine        η_min + (η − η_min)·(1 + cos(π·e/E))/2   {min_learning_rate: η_min, default 0}
//
// Warmup (train.warmup_epochs: w) multiplies the scheduled rate by (e+1)/w for e < w.
// Each rule is written as a writer of the rate into an array (Schedule.rates): the epoch loop then
// allocates nothing, whichever schedules a worker thread has trained before.

import { ModelSpecError } from './errors.js';

export type ScheduleName = 'constant' | 'step' | 'exponential' | 'inverse_time' | 'cosine';

/** Every setting any schedule takes. */
export type ScheduleField = 'every' | 'factor' | 'gamma' | 'decay' | 'min_learning_rate';

/** A schedule with every setting resolved: plain data. */
export type ScheduleSpec =
  | { name: 'constant' }
  | { name: 'step'; every: number; factor: number }
  | { name: 'exponential'; gamma: number }
  | { name: 'inverse_time'; decay: number }
  | { name: 'cosine'; min_learning_rate: number };

/** As written in an experiment: a name, or `{ name, ...fields }`. */
export type ScheduleSetting = ScheduleName | ({ name: ScheduleName } & Partial<Record<ScheduleField, number>>);

export interface Schedule {
  readonly name: ScheduleName;
  /** The rule, for documentation and reports. */
  readonly formula: string;
  /** The settings this schedule takes: a number is its default, `null` means it must be given. */
  readonly fields: Readonly<Partial<Record<ScheduleField, number | null>>>;
  /**
   * The rule for one run: a function that writes the rate of epoch e into out[0], from base rate
   * `lr` over `epochs` epochs. The training loop calls it every epoch. It writes into an array
   * and closes over its numbers because a double handed to or returned from a function V8 does not
   * inline (the call is polymorphic in a worker that trains several schedules) is boxed: an
   * allocation per epoch.
   */
  rates(lr: number, epochs: number, spec: ScheduleSpec): RateWriter;
}

/** Writes the rate of epoch e into out[0]. */
export type RateWriter = (out: Float64Array, e: number) => void;

type Fields<N extends ScheduleName> = Extract<ScheduleSpec, { name: N }>;

const constant: Schedule = {
  name: 'constant',
  formula: 'η',
  fields: {},
  rates: (lr) => (out) => {
    out[0] = lr;
  },
};

const step: Schedule = {
  name: 'step',
  formula: 'η·f^⌊e/k⌋',
  fields: { every: null, factor: null },
  rates(lr, _epochs, spec) {
    const { every, factor } = spec as Fields<'step'>;
    return (out, e) => {
      out[0] = lr * factor ** Math.floor(e / every);
    };
  },
};

const exponential: Schedule = {
  name: 'exponential',
  formula: 'η·γ^e',
  fields: { gamma: null },
  rates(lr, _epochs, spec) {
    const { gamma } = spec as Fields<'exponential'>;
    return (out, e) => {
      out[0] = lr * gamma ** e;
    };
  },
};

const inverseTime: Schedule = {
  name: 'inverse_time',
  formula: 'η / (1 + d·e)',
  fields: { decay: null },
  rates(lr, _epochs, spec) {
    const { decay } = spec as Fields<'inverse_time'>;
    return (out, e) => {
      out[0] = lr / (1 + decay * e);
    };
  },
};

const cosine: Schedule = {
  name: 'cosine',
  formula: 'η_min + (η − η_min)·(1 + cos(π·e/E))/2',
  fields: { min_learning_rate: 0 },
  rates(lr, epochs, spec) {
    const low = (spec as Fields<'cosine'>).min_learning_rate;
    return (out, e) => {
      out[0] = low + ((lr - low) * (1 + Math.cos((Math.PI * e) / epochs))) / 2;
    };
  },
};

export const schedules: Readonly<Record<ScheduleName, Schedule>> = Object.freeze({
  constant,
  step,
  exponential,
  inverse_time: inverseTime,
  cosine,
});

export const scheduleNames = Object.keys(schedules) as ScheduleName[];

/** Every setting of any schedule, each once. */
export const scheduleFields: readonly ScheduleField[] = [...new Set(scheduleNames.flatMap((name) => Object.keys(schedules[name].fields)))] as ScheduleField[];

export function isScheduleName(name: unknown): name is ScheduleName {
  return typeof name === 'string' && Object.hasOwn(schedules, name);
}

export const DEFAULT_SCHEDULE: ScheduleSpec = Object.freeze({ name: 'constant' });

/** The allowed range of each setting (the schema states the same). */
export const SCHEDULE_FIELD_RANGES: Readonly<Record<ScheduleField, { text: string; ok: (v: number) => boolean }>> = {
  every: { text: 'a whole number >= 1', ok: (v) => Number.isInteger(v) && v >= 1 },
  factor: { text: 'a number > 0', ok: (v) => v > 0 && v < Infinity },
  gamma: { text: 'a number > 0', ok: (v) => v > 0 && v < Infinity },
  decay: { text: 'a number >= 0', ok: (v) => v >= 0 && v < Infinity },
  min_learning_rate: { text: 'a number >= 0', ok: (v) => v >= 0 && v < Infinity },
};

/**
 * The full spec of a schedule setting (undefined: constant). Throws a ModelSpecError at `path` (or
 * at the field inside it) for an unknown name, a setting the schedule does not take, a missing
 * setting, or a value outside its range.
 */
export function resolveSchedule(setting: ScheduleSetting | undefined, path = 'train.schedule'): ScheduleSpec {
  if (setting === undefined) return DEFAULT_SCHEDULE;
  const written: Record<string, unknown> = typeof setting === 'string' ? { name: setting } : { ...setting };
  const name = written.name;
  if (!isScheduleName(name)) {
    const at = typeof setting === 'string' ? path : `${path}.name`;
    throw new ModelSpecError(at, `unknown schedule ${JSON.stringify(name)}; expected one of ${scheduleNames.join(', ')}`);
  }
  const fields = schedules[name].fields;
  for (const key of Object.keys(written)) {
    if (key !== 'name' && !Object.hasOwn(fields, key)) {
      const takes = Object.keys(fields);
      throw new ModelSpecError(`${path}.${key}`, `the ${name} schedule takes no ${key}; ${takes.length > 0 ? `its settings are ${takes.join(', ')}` : 'it has no settings'}`);
    }
  }
  const spec: Record<string, unknown> = { name };
  for (const [key, fallback] of Object.entries(fields)) {
    const value = written[key] ?? fallback;
    if (value === null) {
      const example = Object.keys(fields).map((f) => `${f}: ...`).join(', ');
      throw new ModelSpecError(`${path}.${key}`, `the ${name} schedule needs ${key}: { name: ${name}, ${example} }`, { missing: true });
    }
    const range = SCHEDULE_FIELD_RANGES[key as ScheduleField];
    if (typeof value !== 'number' || !range.ok(value)) {
      throw new ModelSpecError(`${path}.${key}`, `expected ${range.text}, got ${JSON.stringify(value)}`);
    }
    spec[key] = value;
  }
  return spec as ScheduleSpec;
}

/**
 * The rate of every epoch of one run, for the training loop: write(out, e) puts epoch e's rate into
 * out[0], the schedule's rate times (e+1)/w in the first w (warmup) epochs. Nothing is allocated
 * per epoch (see Schedule.rates).
 */
export class EpochRates {
  private readonly scheduled: RateWriter;

  constructor(
    lr: number,
    epochs: number,
    schedule: ScheduleSpec,
    private readonly warmupEpochs: number,
  ) {
    this.scheduled = schedules[schedule.name].rates(lr, epochs, schedule);
  }

  write(out: Float64Array, e: number): void {
    this.scheduled(out, e);
    const w = this.warmupEpochs;
    if (e < w) out[0] = (out[0] * (e + 1)) / w;
  }
}

/** The rate of epoch e (one value, allocating: for reports and tests; training uses EpochRates). */
export function learningRateAt(lr: number, e: number, epochs: number, schedule: ScheduleSpec, warmupEpochs: number): number {
  const out = new Float64Array(1);
  new EpochRates(lr, epochs, schedule, warmupEpochs).write(out, e);
  return out[0];
}

/** True when the rate can change from epoch to epoch (a schedule other than constant, or warmup). */
export function rateVaries(schedule: ScheduleSpec, warmupEpochs: number): boolean {
  return schedule.name !== 'constant' || warmupEpochs > 0;
}
