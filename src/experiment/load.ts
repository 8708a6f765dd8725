// Reading an experiment file: bytes -> strict UTF-8 -> YAML with positions -> JSON Schema with
// defaults -> cross-setting rules and the dataset settings that need no data. Every problem with
// the input becomes an ExperimentError with located issues; nothing else is thrown for bad input.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ExperimentError, type ValidationIssue } from './errors.js';
import { applyOverrides, overrideAt, overrideLabel, overridesBelow, parseOverrides, type Override } from './overrides.js';
import { toIssue, type Problem } from './problem.js';
import type { Experiment, LoadedExperiment } from './types.js';
import { decodeUtf8 } from './utf8.js';
import { experimentProblems } from './validate.js';
import { writtenDatasetProblems } from './dataset-problems.js';
import { MAX_FILE_BYTES, parseYamlSource, type PathSegment, type SourceLocator } from './yaml-source.js';

export type { LoadedExperiment } from './types.js';

export interface ParseOptions {
  /** Folder that relative paths resolve against; default: the folder of `file`. */
  baseDir?: string;
  /** Command-line overrides, `key=value` each (see overrides.ts), applied before validation. */
  overrides?: readonly string[];
}

export function loadExperimentFile(path: string, options: { overrides?: readonly string[] } = {}): LoadedExperiment {
  const bytes = readLimited(path);
  return parseExperiment(bytes, path, { ...options, baseDir: dirname(resolve(path)) });
}

/**
 * Validates experiment text (or raw bytes, decoded as strict UTF-8), with the overrides applied.
 * `file` names it in messages; relative paths in it resolve against `options.baseDir`.
 */
export function parseExperiment(source: string | Uint8Array, file: string, options: ParseOptions = {}): LoadedExperiment {
  const overrides = parseOverrides(options.overrides ?? []);
  const text = typeof source === 'string' ? source : decodeBytes(source, file);
  const { value, locator } = parseYamlSource(text, file);
  const pathIssues = applyOverrides(value as Record<string, unknown>, overrides);
  if (pathIssues.length > 0) throw new ExperimentError(pathIssues);

  const found = experimentProblems(value);
  // The dataset settings as written; each run's dataset is checked again when the grid prepares it.
  const dataset = value !== null && typeof value === 'object' ? writtenDatasetProblems(value as Record<string, unknown>, found) : [];
  const problems = [...found, ...dataset].filter((problem) => !excusedBySweep(problem, value));
  if (problems.length > 0) throw new ExperimentError(problems.map((problem) => locate(problem, locator, file, overrides)));

  return {
    experiment: value as Experiment,
    source: text,
    file,
    baseDir: options.baseDir ?? dirname(resolve(file)),
    ...(overrides.length > 0 ? { overrides: overrides.map((override) => override.text) } : {}),
  };
}

/**
 * Places a problem: at the override that set its setting or something inside it (an override
 * that adds `dataset.csv` beside the file's `dataset.builtin` makes the dataset wrong), else in
 * the file; its related places likewise.
 */
export function locate(problem: Problem, locator: SourceLocator, file: string, overrides: readonly Override[] = []): ValidationIssue {
  const placeOf = (at: 'key' | 'value', anchor: PathSegment[]) => {
    const number = overrideAt(anchor, overrides);
    if (number !== undefined) return { file: overrideLabel(number), line: 0, column: 0 };
    return { file, ...(at === 'key' ? locator.keyAt(anchor) : locator.valueAt(anchor)) };
  };
  const number = overrideAt(problem.path, overrides) ?? (problem.path.length > 0 ? overridesBelow(problem.path, overrides).pop() : undefined);
  const issue =
    number !== undefined
      ? toIssue(problem, overrideLabel(number), { line: 0, column: 0 }, placeOf)
      : toIssue(problem, file, placeOf(problem.at, problem.anchor), placeOf);
  // A related place names its file only when it is not the issue's own.
  for (const place of issue.related ?? []) if (place.file === issue.file) delete place.file;
  return issue;
}

/** A required setting may be left out when a sweep axis, or the search, sets exactly that setting. */
function excusedBySweep(problem: Problem, data: unknown): boolean {
  if (!problem.missing) return false;
  const path = problem.path.map(String).join('.');
  const { sweep, search } = data as { sweep?: unknown; search?: { stability_limit?: { key?: unknown } } };
  if (search?.stability_limit?.key === path) return true;
  if (sweep === null || typeof sweep !== 'object') return false;
  return Object.hasOwn(sweep, path);
}

function decodeBytes(bytes: Uint8Array, file: string): string {
  if (bytes.length > MAX_FILE_BYTES) {
    throw new ExperimentError([
      { file, line: 1, column: 1, path: '', message: `the file is ${bytes.length} bytes; experiment files are limited to ${MAX_FILE_BYTES} bytes (1 MiB)` },
    ]);
  }
  const decoded = decodeUtf8(bytes);
  if (decoded.ok) return decoded.text;
  throw new ExperimentError([
    {
      file,
      line: decoded.line,
      column: decoded.column,
      path: '',
      message: `the file is not valid UTF-8 (byte ${decoded.byteOffset} cannot start or continue a character); save it as UTF-8`,
    },
  ]);
}

/** Reads at most MAX_FILE_BYTES + 1 bytes, so a huge (or endless) file is refused without reading it all. */
function readLimited(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw unreadable(path, error);
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw new ExperimentError([fileIssue(path, `cannot read the experiment file: it is a folder, not a file (tried ${resolve(path)})`)]);
    if (stats.isFile() && stats.size > MAX_FILE_BYTES) {
      throw new ExperimentError([fileIssue(path, `the file is ${stats.size} bytes; experiment files are limited to ${MAX_FILE_BYTES} bytes (1 MiB)`)]);
    }
    const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof ExperimentError) throw error;
    throw unreadable(path, error);
  } finally {
    closeSync(fd);
  }
}

function unreadable(path: string, error: unknown): ExperimentError {
  const code = (error as NodeJS.ErrnoException)?.code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a folder, not a file'
          : error instanceof Error
            ? error.message
            : String(error);
  // The absolute path shows which folder a relative name was taken from.
  return new ExperimentError([fileIssue(path, `cannot read the experiment file: ${reason} (tried ${resolve(path)})`)]);
}

function fileIssue(file: string, message: string): ValidationIssue {
  return { file, line: 1, column: 1, path: '', message };
}
