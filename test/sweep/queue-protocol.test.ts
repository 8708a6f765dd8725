// The queue's job and result formats, in process: what a worker accepts, what it refuses, and
// the small parsers of the command line (queue URLs, shards).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandGrid, parseExperiment, runHash } from '../../src/experiment/index.js';
import type { RunSpec } from '../../src/experiment/types.js';
import { executeRun } from '../../src/run/index.js';
import {
  checkRunJob,
  parseRunResult,
  QUEUE_PROTOCOL,
  queueName,
  queueUrlProblem,
  redactUrl,
  runJobData,
  runResultText,
} from '../../src/sweep/queue-protocol.js';
import { inShard, parseShard } from '../../src/sweep/shard.js';
import { tempFolder } from '../helpers/temp-folders.js';

const ENGINE = '1';

function runs(): RunSpec[] {
  const loaded = parseExperiment(
    `name: q
seed: 48
dataset: { builtin: xor }
model: [{ linear: 3 }, sigmoid, { linear: 1 }, sigmoid]
loss: squared_error
train: { epochs: 10, learning_rate: 1 }
sweep:
  train.learning_rate: [0.5, 1]
`,
    'q.yaml',
  );
  return expandGrid(loaded, { engineVersion: ENGINE });
}

/** A job as a sweep queues it, round-tripped through JSON as Redis stores it. */
const jobOf = (spec: RunSpec) => JSON.parse(JSON.stringify(runJobData(spec, ENGINE))) as Record<string, unknown>;

describe('a worker checks every job before it trains it', () => {
  it('accepts a job exactly as a sweep queues it: the run, its number, its hash', () => {
    const [, second] = runs();
    const check = checkRunJob(second.hash, jobOf(second), ENGINE);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.spec.hash).toBe(second.hash);
    expect(check.spec.index).toBe(2);
    expect(check.spec.experiment).toEqual(second.experiment);
    expect(check.spec.csvDigest).toBeUndefined();
  });

  it('a run on CSV data carries the digest of its bytes, which is part of its hash', () => {
    const [spec] = runs();
    const digest = 'c'.repeat(64);
    const csvRun: RunSpec = {
      ...spec,
      experiment: { ...spec.experiment, dataset: { csv: 'data/points.csv' } },
      csvDigest: digest,
    };
    csvRun.hash = runHash(csvRun.experiment as never, ENGINE, digest);
    const job = jobOf(csvRun);
    expect(job.csvDigest).toBe(digest);
    const check = checkRunJob(csvRun.hash, job, ENGINE);
    expect(check.ok && check.spec.csvDigest).toBe(digest);
    // Other bytes under the same settings are another run.
    const otherBytes = checkRunJob(csvRun.hash, { ...job, csvDigest: 'd'.repeat(64) }, ENGINE);
    expect(otherBytes.ok).toBe(false);
  });

  const refusals: [string, (job: Record<string, any>) => void, RegExp][] = [
    ['a changed learning rate (the payload no longer matches its hash)', (job) => (job.experiment.train.learning_rate = 50), /does not match its run hash/],
    ['a changed seed', (job) => (job.experiment.seed = 1), /does not match its run hash/],
    ['an extra field carrying code', (job) => (job.code = 'process.exit(1)'), /unknown field\(s\) in the payload: code/],
    ['another engine version', (job) => (job.engineVersion = '2'), /engine version "2", this worker runs engine 1/],
    ['another protocol', (job) => (job.protocol = QUEUE_PROTOCOL + 1), /queue protocol/],
    ['a model that is not a model', (job) => (job.experiment.model = 'rm -rf /'), /invalid run settings: model/],
    ['an unknown setting', (job) => (job.experiment.train.eval = 'x'), /invalid run settings: train\.eval/],
    ['a sweep inside a run', (job) => (job.experiment.sweep = { seed: [1, 2] }), /no `sweep`/],
    ['a run number that is not one', (job) => (job.run = -1), /run number/],
    ['a digest that is not one', (job) => (job.csvDigest = '../../etc/passwd'), /not a sha256 digest/],
    ['a digest for builtin data', (job) => (job.csvDigest = 'a'.repeat(64)), /go together/],
  ];
  for (const [what, tamper, reason] of refusals) {
    it(`refuses ${what}`, () => {
      const [spec] = runs();
      const job = jobOf(spec);
      tamper(job);
      const check = checkRunJob(spec.hash, job, ENGINE);
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.reason).toMatch(reason);
    });
  }

  it('refuses payloads that are not objects and ids that are not run hashes', () => {
    const [spec] = runs();
    for (const data of [null, 'text', [1], 42]) expect(checkRunJob(spec.hash, data, ENGINE).ok).toBe(false);
    for (const id of [undefined, '1', `${spec.hash}:x`, spec.hash.toUpperCase()]) expect(checkRunJob(id, jobOf(spec), ENGINE).ok).toBe(false);
    // The other run's id with this run's payload.
    expect(checkRunJob(runs()[1].hash, jobOf(spec), ENGINE).ok).toBe(false);
  });

  it('validates a copy: the schema filling in defaults changes nothing in the job', () => {
    const [spec] = runs();
    const job = jobOf(spec);
    delete (job.experiment as Record<string, any>).divergence;
    const before = JSON.stringify(job);
    checkRunJob(spec.hash, job, ENGINE);
    expect(JSON.stringify(job)).toBe(before);
  });
});

describe('results read back from Redis', () => {
  /** A run trained here as a worker trains it: its record's JSON and its curve file's text. */
  function trained() {
    const [spec] = runs();
    const curveFile = join(tempFolder(), 'run.curve.csv');
    const record = executeRun(spec, new Map(), curveFile);
    return { hash: spec.hash, engine: record.engineVersion, json: JSON.stringify(record), curve: readFileSync(curveFile, 'utf8') };
  }

  it('carry the record and the curve file whole: the same text comes out as went in', () => {
    const { hash, engine, json, curve } = trained();
    expect(curve.split('\n')[0]).toBe('epoch,cost');
    const result = parseRunResult(runResultText(json, curve), hash, engine);
    if (typeof result === 'string') throw new Error(result);
    expect(result.recordJson).toBe(json);
    expect(result.curve).toBe(curve);
    expect(result.record).toEqual(JSON.parse(json));
  });

  it('are refused when they do not belong to the run and the engine, or the curve is not the one the record describes', () => {
    const { hash, engine, json, curve } = trained();
    const record = JSON.parse(json) as Record<string, unknown>;
    const text = (changes: Record<string, unknown>, curveText = curve) => runResultText(JSON.stringify({ ...record, ...changes }), curveText);
    expect(parseRunResult(json, hash, engine)).toMatch(/no curve/);
    expect(parseRunResult(runResultText('{', curve), hash, engine)).toMatch(/not JSON/);
    expect(parseRunResult(text({ hash: 'c'.repeat(64) }), hash, engine)).toMatch(/another run/);
    expect(parseRunResult(text({ engineVersion: '0' }), hash, engine)).toMatch(/engine/);
    expect(parseRunResult(text({ status: 'failed' }), hash, engine)).toMatch(/status/);
    expect(parseRunResult(text({ points: 'many' }), hash, engine)).toMatch(/counts/);
    // Cut short, one point short, or not a curve file at all.
    expect(parseRunResult(text({}, curve.slice(0, -5)), hash, engine)).toMatch(/curve/);
    expect(parseRunResult(text({ points: (record.points as number) - 1 }), hash, engine)).toMatch(/curve/);
    const notACurve = `step,loss${curve.slice('epoch,cost'.length)}`;
    expect(parseRunResult(text({ curveBytes: Buffer.byteLength(notACurve) }, notACurve), hash, engine)).toMatch(/curve/);
  });
});

describe('names and arguments', () => {
  it('one queue per engine version and protocol, with no ":" in its name', () => {
    expect(queueName('1')).toBe(`gradgrid-e1-p${QUEUE_PROTOCOL}`);
    expect(queueName('2:beta')).not.toContain(':');
    expect(queueName('2')).not.toBe(queueName('1'));
  });

  it('queue URLs: redis:// and rediss:// with optional user, password and database', () => {
    for (const url of ['redis://localhost:6379', 'redis://u:p@10.0.0.1:6380/2', 'rediss://cache.example.org:6380']) expect(queueUrlProblem(url)).toBeNull();
    expect(queueUrlProblem('localhost:6379')).toMatch(/not a (Redis )?URL/);
    expect(queueUrlProblem('http://localhost:6379')).toMatch(/not a Redis URL/);
    expect(queueUrlProblem('redis://localhost:6379/x')).toMatch(/database/);
  });

  it('passwords never appear in messages', () => {
    expect(redactUrl('redis://user:secret@host:6379/1')).toBe('redis://user:***@host:6379/1');
    expect(redactUrl('rediss://:secret@host')).toBe('rediss://:***@host');
    expect(queueUrlProblem('http://u:secret@host')).not.toContain('secret');
  });

  it('shards: i/n splits the grid positions modulo n, every run in exactly one shard', () => {
    expect(parseShard('1/3')).toEqual({ index: 1, count: 3 });
    expect(parseShard('3/3')).toMatch(/below 3/);
    expect(parseShard('0/0')).toMatch(/at least 1/);
    expect(parseShard('a/3')).toMatch(/expects i\/n/);
    const shards = [0, 1, 2].map((index) => ({ index, count: 3 }));
    for (let run = 1; run <= 10; run++) expect(shards.filter((shard) => inShard(run, shard))).toHaveLength(1);
    expect([1, 2, 3, 4, 5, 6, 7].filter((run) => inShard(run, shards[0]))).toEqual([1, 4, 7]);
  });
});
