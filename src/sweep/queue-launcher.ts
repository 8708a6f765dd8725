// The queue launcher: the same RunSpecs in and RunRecords out as the local launcher, but the runs
// train on `gradgrid worker` processes anywhere, through a BullMQ queue on Redis. Each run is a
// job whose id is its hash, so a run is queued once however many sweeps ask for it. Results (a
// record with its curve file's text) are collected from Redis as BullMQ reports jobs completed,
// and stored in runs/ at once, the same bytes a local sweep writes there; a sweep
// stopped and started again finds what finished in the meantime, and waits for what is queued.
import type { EventEmitter } from 'node:events';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunSpec } from '../experiment/types.js';
// Not the run layer's index: that loads the engine, which the sweep's main thread never trains with.
import type { DataContents } from '../run/dataset-cache.js';
import { failedRecord, type RunRecord } from '../run/run-record.js';
import type { Launch, RunOutcome } from './launcher.js';
import { closeClient, probeRedis, redisClient } from './queue-connection.js';
import {
  COLLECTED_TTL_SECONDS,
  dataKey,
  DATA_TTL_SECONDS,
  FINISHED_JOB_AGE_SECONDS,
  parseRunResult,
  queueName,
  recordKey,
  redactUrl,
  runJobData,
  type RunJobData,
} from './queue-protocol.js';
import type { RunStore } from './run-store.js';
import { plural } from '../text/plural.js';

/** A run that fails this many times (an error, a crashed thread) becomes a failed row. */
export const DEFAULT_ATTEMPTS = 3;
/** Jobs added per round trip, and job states asked per batch. */
const BATCH = 500;
/** How often the launcher looks at the queue itself instead of waiting for events. */
const TICK_MS = 2_000;

/** An open connection to a sweep's queue: the BullMQ queue, its event stream, and a plain client. */
export class QueueSession {
  private constructor(
    readonly url: string,
    readonly queue: Queue<RunJobData>,
    readonly events: QueueEvents,
    readonly redis: Redis,
    private readonly clients: Redis[],
  ) {}

  /** Connects, or throws QueueUnreachableError with a message for the user. */
  static async open(url: string, engineVersion: string): Promise<QueueSession> {
    await probeRedis(url);
    const name = queueName(engineVersion);
    const clients = [redisClient(url), redisClient(url), redisClient(url)];
    // Small events (the records travel under their own keys), so a long history is cheap:
    // a sweep that falls behind still finds its completions in the stream.
    const queue = new Queue<RunJobData>(name, { connection: clients[0], streams: { events: { maxLen: 100_000 } } });
    const events = new QueueEvents(name, { connection: clients[1] });
    queue.on('error', () => undefined);
    events.on('error', () => undefined);
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new QueueSession(url, queue, events, clients[2], clients);
  }

  get where(): string {
    return redactUrl(this.url);
  }

  async close(): Promise<void> {
    const bounded = (work: Promise<unknown>) =>
      Promise.race([work.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    await Promise.all([bounded(this.events.close()), bounded(this.queue.close())]);
    await Promise.all(this.clients.map((client) => closeClient(client)));
  }
}

export interface QueueLaunchOptions {
  store: RunStore;
  engineVersion: string;
  /** Ignore stored results (in runs/ and in Redis) and train everything again. */
  fresh: boolean;
  attempts: number;
  /** The CSV bytes the runs train on, by content digest (RunSpec.csvDigest): put on Redis once per sweep. */
  contents: DataContents;
  onOutcome: (outcome: RunOutcome) => Promise<void> | void;
  /** Something the user should know while waiting: no worker yet, the connection lost or back. */
  onNote: (message: string) => void;
}

export function launchOnQueue(session: QueueSession, runs: RunSpec[], options: QueueLaunchOptions): Launch {
  return new QueueLaunch(session, runs, options);
}

class QueueLaunch implements Launch {
  readonly done: Promise<void>;
  /** Runs not finished yet, by hash (a grid may hold the same run twice). */
  private readonly waiting = new Map<string, RunSpec[]>();
  private readonly busy = new Set<string>();
  private readonly active = new Set<string>();
  private readonly pendingWork = new Set<Promise<void>>();
  private stopped = false;
  /** Set once `done` settles: late events change nothing any more. */
  private closed = false;
  private failure: unknown = null;
  private wake: () => void = () => undefined;
  private lastEventAt = Date.now();
  private lastDataRefresh = Date.now();
  private workers: number | null = null;
  private countingWorkers = false;
  private connectionDown = false;

  constructor(
    private readonly session: QueueSession,
    runs: RunSpec[],
    private readonly options: QueueLaunchOptions,
  ) {
    this.done = this.run(runs);
  }

  stopDispatch(): void {
    this.stopped = true;
    this.wake();
  }

  async abort(): Promise<void> {
    this.stopDispatch();
  }

  running(): number {
    return this.active.size;
  }

  private async run(runs: RunSpec[]): Promise<void> {
    const { events, redis } = this.session;
    const onCompleted = ({ jobId }: { jobId: string }) => this.track(this.collect(jobId));
    const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }) =>
      this.track(this.fail(jobId, failedReason || 'failed on the worker'));
    const onActive = ({ jobId }: { jobId: string }) => {
      this.lastEventAt = Date.now();
      if (this.waiting.has(jobId)) this.active.add(jobId);
      // A worker has come: say so now rather than at the next tick.
      if (this.workers === 0) this.track(this.noteWorkers());
    };
    const onWaiting = ({ jobId }: { jobId: string }) => this.active.delete(jobId);
    const onDown = () => {
      if (this.connectionDown) return;
      this.connectionDown = true;
      this.options.onNote(`lost the queue at ${this.session.where}; reconnecting (finished runs wait in Redis)`);
    };
    const onReady = () => {
      if (!this.connectionDown) return;
      this.connectionDown = false;
      this.options.onNote(`reconnected to ${this.session.where}`);
      // Redis may have restarted empty: put the data back and look at every waiting run.
      this.track(this.uploadData().then(() => this.reconcile([...this.waiting.keys()], false)));
    };
    // Every listener, to be taken off again however the wait ends.
    const listeners: [EventEmitter, string, Parameters<EventEmitter['on']>[1]][] = [
      [events, 'completed', onCompleted],
      [events, 'failed', onFailed],
      [events, 'active', onActive],
      [events, 'waiting', onWaiting],
      [redis, 'close', onDown],
      [redis, 'ready', onReady],
    ];
    for (const [emitter, event, listener] of listeners) emitter.on(event, listener);
    const ticker = setInterval(() => this.track(this.tick()), TICK_MS);
    try {
      await this.start(runs);
      await this.wait();
    } finally {
      clearInterval(ticker);
      for (const [emitter, event, listener] of listeners) emitter.off(event, listener);
    }
  }

  /** Stored runs first, then results already in Redis, then everything else onto the queue. */
  private async start(runs: RunSpec[]): Promise<void> {
    const { store, engineVersion, fresh } = this.options;
    const unstored: RunSpec[] = [];
    for (let i = 0; i < runs.length; i += BATCH) {
      if (this.stopped) return;
      const batch = runs.slice(i, i + BATCH);
      const stored = await Promise.all(batch.map((spec) => (fresh ? null : store.read(spec.hash, engineVersion))));
      for (const [k, spec] of batch.entries()) {
        const record = stored[k];
        if (record) await this.options.onOutcome({ spec, record, reused: true, curveFile: store.curvePathOf(spec.hash) });
        else unstored.push(spec);
      }
    }
    for (const spec of unstored) {
      const list = this.waiting.get(spec.hash);
      if (list) list.push(spec);
      else this.waiting.set(spec.hash, [spec]);
    }
    if (this.waiting.size === 0) return;
    await this.uploadData();
    const hashes = [...this.waiting.keys()];
    if (fresh) await this.forget(hashes);
    else await this.collectFinished(hashes);
    const unfinished = hashes.filter((hash) => this.waiting.has(hash));
    await this.enqueue(unfinished);
    // A job that existed already (another sweep's, or this sweep's before a restart) may have
    // finished or failed before this sweep listened for events.
    await this.reconcile(unfinished, true);
    await this.noteWorkers();
  }

  private async uploadData(): Promise<void> {
    for (const [digest, bytes] of this.options.contents) {
      const added = await this.session.redis.set(dataKey(digest), Buffer.from(bytes), 'EX', DATA_TTL_SECONDS, 'NX');
      if (added === null) await this.session.redis.expire(dataKey(digest), DATA_TTL_SECONDS);
    }
    this.lastDataRefresh = Date.now();
  }

  /** --fresh: drop finished jobs and stored results of these runs (a run training now is left to finish). */
  private async forget(hashes: string[]): Promise<void> {
    for (let i = 0; i < hashes.length; i += BATCH) {
      const batch = hashes.slice(i, i + BATCH);
      await Promise.all(batch.map((hash) => this.session.queue.remove(hash).catch(() => 0)));
      await this.session.redis.del(...batch.map(recordKey));
    }
  }

  /** Results finished earlier (a restarted sweep, or another sweep's runs) are taken straight from Redis. */
  private async collectFinished(hashes: string[]): Promise<void> {
    for (let i = 0; i < hashes.length && !this.stopped; i += BATCH) {
      const batch = hashes.slice(i, i + BATCH);
      const texts = await this.session.redis.mget(...batch.map(recordKey));
      await Promise.all(batch.map((hash, k) => (texts[k] === null ? undefined : this.collect(hash, texts[k]!))));
    }
  }

  private async enqueue(hashes: string[]): Promise<void> {
    const { engineVersion, attempts } = this.options;
    for (let i = 0; i < hashes.length && !this.stopped; i += BATCH) {
      const jobs = hashes.slice(i, i + BATCH).map((hash) => {
        const spec = this.waiting.get(hash)![0];
        return {
          name: spec.experiment.name,
          data: runJobData(spec, engineVersion),
          opts: {
            jobId: hash,
            attempts,
            removeOnComplete: { age: FINISHED_JOB_AGE_SECONDS },
            removeOnFail: { age: FINISHED_JOB_AGE_SECONDS },
          },
        };
      });
      // Adding a job whose id exists already does nothing: that run is queued or done.
      await this.session.queue.addBulk(jobs);
    }
  }

  /**
   * Looks at the jobs of waiting runs: takes results whose completion was not seen, queues runs
   * that are missing (Redis restarted empty, or the job was removed). A job that failed before
   * this sweep started is queued again; one that failed while it waited is a failed run.
   */
  private async reconcile(hashes: string[], starting: boolean): Promise<void> {
    const missing: string[] = [];
    for (let i = 0; i < hashes.length && !this.stopped; i += BATCH) {
      const batch = hashes.slice(i, i + BATCH).filter((hash) => this.waiting.has(hash) && !this.busy.has(hash));
      const states = await Promise.all(batch.map((hash) => this.session.queue.getJobState(hash)));
      await Promise.all(
        batch.map(async (hash, k) => {
          switch (states[k]) {
            case 'completed':
              return this.collect(hash);
            case 'failed':
              if (starting) return this.retry(hash);
              return this.fail(hash, (await this.session.queue.getJob(hash))?.failedReason || 'failed on the worker');
            case 'unknown':
              missing.push(hash);
              return;
            default:
              return;
          }
        }),
      );
    }
    if (missing.length > 0) {
      // A job can be gone while its result is there (Redis lost the queue after the worker stored it).
      await this.collectFinished(missing);
      await this.enqueue(missing.filter((hash) => this.waiting.has(hash) && !this.busy.has(hash)));
    }
  }

  /** A job that failed before this sweep: queued afresh, with this sweep's payload and all its attempts. */
  private async retry(hash: string): Promise<void> {
    await this.session.queue.remove(hash).catch(() => 0);
    await this.enqueue([hash]);
  }

  /** Takes a finished run (record and curve) from Redis into runs/, then lets Redis forget it soon. */
  private async collect(hash: string, text?: string): Promise<void> {
    if (!this.waiting.has(hash) || this.busy.has(hash)) return;
    this.busy.add(hash);
    this.lastEventAt = Date.now();
    try {
      const { redis } = this.session;
      // GETEX: read it and let Redis forget it soon, in one round trip (the common case, from an event).
      const found = text !== undefined ? text : await redis.getex(recordKey(hash), 'EX', COLLECTED_TTL_SECONDS);
      if (found === null) {
        // Completed, but its result has expired or was lost: train it again.
        await this.session.queue.remove(hash).catch(() => 0);
        await this.enqueue([hash]);
        return;
      }
      const result = parseRunResult(found, hash, this.options.engineVersion);
      if (typeof result === 'string') {
        this.busy.delete(hash);
        return await this.fail(hash, `unusable result from the worker: ${result}`);
      }
      const { store } = this.options;
      await store.writeText(hash, result.recordJson, result.curve);
      // LT: only ever shortens the time it stays, never extends another sweep's.
      if (text !== undefined) await redis.expire(recordKey(hash), COLLECTED_TTL_SECONDS, 'LT');
      await this.finish(hash, () => result.record, store.curvePathOf(hash));
    } finally {
      this.busy.delete(hash);
    }
  }

  private async fail(hash: string, reason: string): Promise<void> {
    if (!this.waiting.has(hash) || this.busy.has(hash)) return;
    this.lastEventAt = Date.now();
    await this.finish(hash, () => failedRecord(hash, this.options.engineVersion, reason), null);
  }

  /** Hands on the outcome of a run trained on the queue (curveFile: in runs/, null for a failed run). */
  private async finish(hash: string, recordOf: () => RunRecord, curveFile: string | null): Promise<void> {
    const specs = this.waiting.get(hash);
    if (!specs || this.closed) return;
    this.waiting.delete(hash);
    this.active.delete(hash);
    const record = recordOf();
    for (const spec of specs) await this.options.onOutcome({ spec, record, reused: false, curveFile });
    if (this.waiting.size === 0) this.wake();
  }

  /** Every TICK_MS: tell when no worker is connected, refresh the data's lifetime, and check on quiet runs. */
  private async tick(): Promise<void> {
    if (this.stopped || this.waiting.size === 0 || this.connectionDown) return;
    await this.noteWorkers();
    if (Date.now() - this.lastDataRefresh > 60_000) await this.uploadData();
    // With no news for a while, events may have been missed (trimmed, or a reconnection):
    // look at the jobs themselves, less often the more there are.
    const quietMs = Math.max(5_000, this.waiting.size);
    if (Date.now() - this.lastEventAt > quietMs) {
      this.lastEventAt = Date.now();
      await this.reconcile([...this.waiting.keys()], false);
    }
  }

  private async noteWorkers(): Promise<void> {
    if (this.countingWorkers) return;
    this.countingWorkers = true;
    const count = await this.session.queue.getWorkersCount().catch(() => null);
    this.countingWorkers = false;
    if (count === null || count === this.workers) return;
    const before = this.workers;
    this.workers = count;
    if (count === 0) {
      this.options.onNote(
        `no worker is connected to ${this.session.where} yet; start one anywhere with: gradgrid worker --queue ${this.session.where}`,
      );
    } else if (before === 0) {
      this.options.onNote(`${plural(count, 'worker')} connected`);
    }
  }

  /** Keeps work started from events, so that its failure stops the launch and `done` waits for it. */
  private track(work: Promise<void>): void {
    if (this.closed) return;
    const tracked = work.catch((error: unknown) => {
      this.failure ??= error;
      this.stopDispatch();
    });
    this.pendingWork.add(tracked);
    void tracked.finally(() => this.pendingWork.delete(tracked));
  }

  private async wait(): Promise<void> {
    while (!this.stopped && this.waiting.size > 0) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    // Results being stored finish; after an interrupt, work stuck on an absent Redis is left behind.
    const settled = Promise.all([...this.pendingWork]);
    if (this.stopped) await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    else await settled;
    this.closed = true;
    if (this.failure) throw this.failure;
  }
}
