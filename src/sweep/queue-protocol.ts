// What crosses the queue, and the names it lives under in Redis. A job is plain data: the
// resolved settings of one run, the engine version they were resolved for, and the digest of
// the CSV bytes it trains on (stored once per sweep under its own key, never a path). Its BullMQ
// job id is the run's hash, so the same run is queued and trained once, whoever asks for it.
// A result is the run whole: its record and its curve file's text, under one key. A worker
// checks every job here before it trains anything; a result is checked again by the sweep that
// collects it.
import { experimentProblems } from '../experiment/validate.js';
import { runHash } from '../experiment/hash.js';
import type { RunSpec } from '../experiment/types.js';
// Not the run layer's index: that loads the engine, which the sweep's main thread never trains with.
import { curveColumnsOf } from '../run/curve-file.js';
import { RUN_STATUSES, type RunRecord } from '../run/run-record.js';

/** Bumped when the job or result format changes: workers and sweeps of another protocol never meet. */
export const QUEUE_PROTOCOL = 2;

/**
 * One queue per engine version and protocol: a worker only ever sees jobs its own engine was
 * asked for, and a sweep whose workers run another version finds "no worker connected".
 */
export function queueName(engineVersion: string): string {
  return `gradgrid-e${engineVersion.replace(/[^A-Za-z0-9._-]/g, '_')}-p${QUEUE_PROTOCOL}`;
}

/** The CSV bytes of a dataset, by content digest (hex sha256). */
export const dataKey = (digest: string) => `gradgrid:data:${digest}`;
/** A finished run's result (runResultText: its record and its curve), by run hash. */
export const recordKey = (hash: string) => `gradgrid:record:${hash}`;

/** A result nobody has collected yet waits this long (a sweep stopped and started again finds it). */
export const RECORD_TTL_SECONDS = 24 * 3600;
/**
 * Once a sweep has stored a result in its folder, Redis keeps it only this long: long enough for a
 * second sweep waiting on the same run (it hears of the completion at the same moment), short
 * enough that a fast sweep does not fill Redis with results it already has.
 */
export const COLLECTED_TTL_SECONDS = 10;
/** A dataset's bytes stay this long after the last sweep that needs them (re)started or checked in. */
export const DATA_TTL_SECONDS = 24 * 3600;
/** Finished BullMQ jobs are kept this long: a sweep adding a run that just finished finds it done instead of queueing it again. */
export const FINISHED_JOB_AGE_SECONDS = 600;

export interface RunJobData {
  protocol: number;
  engineVersion: string;
  /** The run's number in the sweep that queued it: for log lines and fault injection, not part of its identity. */
  run: number;
  /** The resolved run, exactly as hashed. */
  experiment: RunSpec['experiment'];
  /** sha256 of the CSV bytes the run trains on (stored at dataKey), or null for builtin data. */
  csvDigest: string | null;
}

const JOB_FIELDS = ['protocol', 'engineVersion', 'run', 'experiment', 'csvDigest'];
const HEX_DIGEST = /^[0-9a-f]{64}$/;

export function runJobData(spec: RunSpec, engineVersion: string): RunJobData {
  return { protocol: QUEUE_PROTOCOL, engineVersion, run: spec.index, experiment: spec.experiment, csvDigest: spec.csvDigest ?? null };
}

export type JobCheck = { ok: true; spec: RunSpec } | { ok: false; reason: string };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Accepts a job only when it is exactly a run of this protocol and engine, valid against the
 * experiment schema, and its content matches its id (the run hash): a payload changed on the
 * way is refused, and nothing in it is ever executed or opened.
 */
export function checkRunJob(id: string | undefined, data: unknown, engineVersion: string): JobCheck {
  const refuse = (reason: string): JobCheck => ({ ok: false, reason });
  if (id === undefined || !HEX_DIGEST.test(id)) return refuse(`the job id ${JSON.stringify(id)} is not a run hash`);
  if (!isPlainObject(data)) return refuse('the payload is not an object');
  const extra = Object.keys(data).filter((key) => !JOB_FIELDS.includes(key));
  if (extra.length > 0) return refuse(`unknown field(s) in the payload: ${extra.join(', ')}`);
  if (data.protocol !== QUEUE_PROTOCOL) return refuse(`queue protocol ${JSON.stringify(data.protocol)}, this worker speaks ${QUEUE_PROTOCOL}`);
  if (data.engineVersion !== engineVersion) {
    return refuse(`engine version ${JSON.stringify(data.engineVersion)}, this worker runs engine ${engineVersion}`);
  }
  if (!Number.isSafeInteger(data.run) || (data.run as number) < 1) return refuse('`run` is not a run number');
  const digest = data.csvDigest;
  if (digest !== null && (typeof digest !== 'string' || !HEX_DIGEST.test(digest))) return refuse('`csvDigest` is not a sha256 digest');
  if (!isPlainObject(data.experiment)) return refuse('`experiment` is not an object');
  // Validate a copy: the schema fills in defaults, which must not change what is hashed.
  const experiment = structuredClone(data.experiment);
  if ('sweep' in experiment) return refuse('a queued run has no `sweep`');
  const problems = experimentProblems(experiment);
  if (problems.length > 0) {
    const first = problems[0];
    return refuse(`invalid run settings: ${first.path.map(String).join('.') || '(top level)'}: ${first.message}`);
  }
  const dataset = (experiment as { dataset?: { csv?: unknown } }).dataset;
  if ((typeof dataset?.csv === 'string') !== (digest !== null)) return refuse('CSV data and its digest go together');
  const resolved = data.experiment as unknown as RunSpec['experiment'];
  const csvDigest = digest === null ? undefined : (digest as string);
  const hash = runHash(data.experiment, engineVersion, csvDigest);
  if (hash !== id) return refuse('the payload does not match its run hash (changed on the way?)');
  const spec: RunSpec = { index: data.run as number, params: [], experiment: resolved, hash };
  if (csvDigest !== undefined) spec.csvDigest = csvDigest;
  return { ok: true, spec };
}

/**
 * A finished run as it travels through Redis: the record's JSON text on the first line (JSON.stringify
 * never writes a raw line break), then the curve file's text, byte for byte. The sweep that collects
 * it writes both to runs/ unchanged, exactly the bytes a local sweep writes.
 */
export function runResultText(recordJson: string, curve: string): string {
  return `${recordJson}\n${curve}`;
}

/** A result read back from Redis and checked: the record, its JSON text as sent, and the curve file's text. */
export interface RunResult {
  record: RunRecord;
  recordJson: string;
  curve: string;
}

/** A result read back from Redis (runResultText), or why it cannot be trusted. */
export function parseRunResult(text: string, hash: string, engineVersion: string): RunResult | string {
  const split = text.indexOf('\n');
  if (split < 0) return 'the stored result has no curve';
  const recordJson = text.slice(0, split);
  const curve = text.slice(split + 1);
  let record: RunRecord;
  try {
    record = JSON.parse(recordJson) as RunRecord;
  } catch {
    return 'the stored result is not JSON';
  }
  if (!isPlainObject(record)) return 'the stored result is not an object';
  if (record.hash !== hash) return 'the stored result belongs to another run';
  if (record.engineVersion !== engineVersion) return `the stored result comes from engine ${JSON.stringify(record.engineVersion)}`;
  if (!RUN_STATUSES.includes(record.status) || record.status === 'failed') return 'the stored result has no usable status';
  if (!Number.isSafeInteger(record.epochs) || !Number.isSafeInteger(record.points) || !Number.isSafeInteger(record.curveBytes)) {
    return 'the stored result has no valid counts';
  }
  // The curve must be the file the record describes: its size, a curve header, one line per point.
  const header = curve.slice(0, curve.indexOf('\n'));
  if (Buffer.byteLength(curve, 'utf8') !== record.curveBytes || curveColumnsOf(header) === null || lineCount(curve) !== record.points + 1) {
    return 'the stored result has no valid curve';
  }
  return { record, recordJson, curve };
}

/** Lines of a text whose every line ends with a line break. */
function lineCount(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return text.endsWith('\n') || text === '' ? count : -1;
}

/** Why a URL cannot be a queue URL, or null when it can. */
export function queueUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${redactUrl(url)}" is not a URL; expected redis://[user:password@]host:port[/db] (rediss:// for TLS)`;
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    return `"${redactUrl(url)}" is not a Redis URL; expected redis://[user:password@]host:port[/db] (rediss:// for TLS)`;
  }
  if (!parsed.hostname) return `"${redactUrl(url)}" names no host`;
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) return `"${redactUrl(url)}": the database after the host must be a number`;
  return null;
}

/** A Redis URL as it may be shown: the password replaced. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}
