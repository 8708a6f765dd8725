// The optimizer and the schedule are each a name or { name, ...settings }, and which settings
// apply depends on the name: the engine's registries (src/nn/optimizers.ts, schedules.ts) say
// which. The schema checks each setting's type and range; this checks that it belongs to the
// named optimizer or schedule, and that a schedule has the settings it cannot do without.

import { isOptimizerName, optimizers } from '../nn/optimizers.js';
import { isScheduleName, schedules } from '../nn/schedules.js';
import type { Problem } from './problem.js';

export function trainingDynamicsProblems(train: unknown): Problem[] {
  if (train === null || typeof train !== 'object') return [];
  const settings = train as Record<string, unknown>;
  const problems: Problem[] = [];
  const optimizer = settings.optimizer;
  if (isNamed(optimizer) && isOptimizerName(optimizer.name)) {
    const takes = Object.keys(optimizers[optimizer.name].defaults);
    problems.push(...foreignSettings(['train', 'optimizer'], optimizer, takes, optimizer.name));
  }
  const schedule = settings.schedule;
  const name = isNamed(schedule) ? schedule.name : schedule;
  if (isScheduleName(name)) {
    const fields = schedules[name].fields;
    const takes = Object.keys(fields);
    const written: Record<string, unknown> = isNamed(schedule) ? schedule : {};
    problems.push(...foreignSettings(['train', 'schedule'], written, takes, `the ${name} schedule`));
    const needed = takes.filter((key) => fields[key as keyof typeof fields] === null && written[key] === undefined);
    for (const key of needed) {
      problems.push({
        path: ['train', 'schedule', key],
        at: isNamed(schedule) ? 'key' : 'value',
        anchor: ['train', 'schedule'],
        message: `the ${name} schedule needs ${needed.join(' and ')}: write { name: ${name}, ${takes.map((k) => `${k}: ...`).join(', ')} }`,
        expected: takes.join(' and '),
        missing: true,
      });
    }
  }
  return problems;
}

function isNamed(value: unknown): value is { name: unknown } & Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'name' in value;
}

function foreignSettings(path: string[], written: Record<string, unknown>, takes: string[], owner: string): Problem[] {
  return Object.keys(written)
    .filter((key) => key !== 'name' && !takes.includes(key))
    .map((key) => ({
      path: [...path, key],
      at: 'key' as const,
      anchor: [...path, key],
      message: `${owner} takes no ${key}; ${takes.length > 0 ? `its settings are ${takes.join(', ')}` : 'it has no settings'}`,
    }));
}
