// Command-line overrides: `--set train.epochs=200`, `--set 'sweep.train.learning_rate=[0.1, 1]'`.
// Each is a dotted setting path and a YAML value, applied to the file's data before it is
// validated, so an override is checked exactly like the file; a problem in what an override
// set is reported at the override ("--set #2: ...") instead of at a line of the file.

import { ExperimentError, type ValidationIssue } from './errors.js';
import type { PathSegment } from './yaml-source.js';
import { parseYamlValue } from './yaml-source.js';

export interface Override {
  /** 1-based position among the overrides, as the messages count them. */
  number: number;
  /** As typed, e.g. `train.epochs=200`. */
  text: string;
  /** The setting path, list indices as numbers; below `sweep` the rest of the key is one sweep key. */
  path: PathSegment[];
  value: unknown;
}

/** How messages name an override: `--set #2`. */
export const overrideLabel = (number: number): string => `--set #${number}`;

/** An issue about an override: no file position, the override's label in place of the file. */
export function overrideIssue(number: number, path: string, message: string, suggestion?: string): ValidationIssue {
  const issue: ValidationIssue = { file: overrideLabel(number), line: 0, column: 0, path, message };
  if (suggestion !== undefined) issue.suggestion = suggestion;
  return issue;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;
const INDEX = /^(0|[1-9][0-9]*)$/;

/** The setting path of `key=value` text, or a message saying why it is not one. */
export function overridePath(text: string): PathSegment[] | string {
  const equals = text.indexOf('=');
  if (equals < 0) return `expected key=value (e.g. train.epochs=200), found "${text}"`;
  const key = text.slice(0, equals).trim();
  const parts = key.split('.');
  if (key === '' || !parts.every((part) => SEGMENT.test(part))) {
    return `expected a dotted setting path before "=", such as train.epochs or sweep.train.learning_rate, found "${key}"`;
  }
  // Sweep keys are dotted paths themselves: sweep.train.learning_rate sets the axis train.learning_rate.
  if (parts[0] === 'sweep' && parts.length > 1) return ['sweep', parts.slice(1).join('.')];
  return parts.map((part) => (INDEX.test(part) ? Number(part) : part));
}

/** Parses every override; all problems at once as one ExperimentError. */
export function parseOverrides(texts: readonly string[]): Override[] {
  const issues: ValidationIssue[] = [];
  const overrides: Override[] = [];
  texts.forEach((text, i) => {
    const number = i + 1;
    const path = overridePath(text);
    if (typeof path === 'string') {
      issues.push(overrideIssue(number, '', path));
      return;
    }
    const valueText = text.slice(text.indexOf('=') + 1);
    try {
      overrides.push({ number, text, path, value: parseYamlValue(valueText, overrideLabel(number)) });
    } catch (error) {
      if (!(error instanceof ExperimentError)) throw error;
      for (const issue of error.issues) issues.push(overrideIssue(number, path.join('.'), `the value is not valid YAML: ${issue.message}`));
    }
  });
  if (issues.length > 0) throw new ExperimentError(issues);
  return overrides;
}

/**
 * Sets each override's value into `data` (the file's settings), in order, creating mappings that
 * the file leaves out. Returns the overrides whose path cannot exist (through a list entry that
 * is not there, or through a value that has no settings).
 */
export function applyOverrides(data: Record<string, unknown>, overrides: readonly Override[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const override of overrides) {
    const problem = setAt(data, override.path, override.value);
    if (problem !== null) issues.push(overrideIssue(override.number, override.path.join('.'), problem));
  }
  return issues;
}

function setAt(root: Record<string, unknown>, path: PathSegment[], value: unknown): string | null {
  let container: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const reached = path.slice(0, i).join('.');
    const last = i === path.length - 1;
    if (Array.isArray(container)) {
      if (typeof segment !== 'number' || segment >= container.length) {
        const range = container.length === 0 ? 'it is empty' : `its entries are ${reached}.0 to ${reached}.${container.length - 1}`;
        return `${reached} has no entry ${segment}; ${range}`;
      }
      if (last) container[segment] = value;
      else container = container[segment];
      continue;
    }
    if (container === null || typeof container !== 'object') {
      return `${reached} is ${JSON.stringify(container)}, which has no setting ${segment}`;
    }
    const object = container as Record<string, unknown>;
    const key = String(segment);
    // defineProperty: a key such as __proto__ becomes an ordinary (and unknown) setting.
    const put = (next: unknown) => Object.defineProperty(object, key, { value: next, writable: true, enumerable: true, configurable: true });
    if (last) {
      put(value);
      break;
    }
    let next = Object.hasOwn(object, key) ? object[key] : undefined;
    if (next === undefined || next === null) {
      if (typeof path[i + 1] === 'number') return `${[reached, key].filter(Boolean).join('.')} is not set, so it has no entry ${path[i + 1]}`;
      next = {};
      put(next);
    }
    container = next;
  }
  return null;
}

/** The last override that set `path` or one of its ancestors (later overrides win). */
export function overrideAt(path: readonly PathSegment[], overrides: readonly { number: number; path: PathSegment[] }[]): number | undefined {
  for (let k = overrides.length - 1; k >= 0; k--) {
    const at = overrides[k].path;
    if (at.length <= path.length && at.every((segment, i) => String(segment) === String(path[i]))) return overrides[k].number;
  }
  return undefined;
}

/** Overrides that set something inside `path`, in order. */
export function overridesBelow(path: readonly PathSegment[], overrides: readonly { number: number; path: PathSegment[] }[]): number[] {
  return overrides
    .filter(({ path: at }) => at.length > path.length && path.every((segment, i) => String(segment) === String(at[i])))
    .map(({ number }) => number);
}
