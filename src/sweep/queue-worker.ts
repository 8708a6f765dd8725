// The other end of the queue: takes run jobs from Redis (BullMQ), checks each one, trains it on a
// pool of worker threads with its curve going to a temporary file of this machine, and leaves the
// run whole in Redis for the sweep to collect: the record and the curve file's text. Training
// runs off the main thread, so BullMQ keeps renewing the job locks however long a run takes; a
// worker that dies (SIGKILL, a lost machine) stops renewing, and its jobs go back to the queue
// once their lock expires (BullMQ's stalled-job check).
import { rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import pLimit from 'p-limit';
import { contentDigest } from '../data/index.js';
import { ENGINE_VERSION } from '../nn/version.js';
import type { RunStatus } from '../run/index.js';
import { createWorkerPool } from './launcher.js';
import type { JsonWorkerReply } from './worker-pool.js';
import { closeClient, redisClient } from './queue-connection.js';
import { makeWorkerScratch } from './worker-scratch.js';
import {
  checkRunJob,
  dataKey,
  queueName,
  recordKey,
  RECORD_TTL_SECONDS,
  redactUrl,
  runResultText,
  type RunJobData,
} from './queue-protocol.js';

/** How long a job's lock lasts without renewal (renewed every half of it while the run trains). */
export const DEFAULT_LOCK_MS = 30_000;
/** How many times a job may lose its worker (stall) and be queued again before it counts as failed. */
export const MAX_STALLED_COUNT = 2;
/**
 * Runs shorter than this (on average) are "short": the worker then takes one job ahead per thread,
 * so that its round trips to Redis overlap training. Longer runs are taken only as threads come
 * free, so that the last runs of a sweep spread over every machine instead of waiting in line on one.
 */
export const SHORT_RUN_MS = 100;

export interface QueueWorkerOptions {
  url: string;
  /** Runs trained at once: threads in the pool (jobs taken from the queue: as many, or twice as many while runs are short). */
  concurrency: number;
  /** One line per event worth telling: a run trained, a job refused, the connection lost. */
  log: (line: string) => void;
  lockMs?: number;
  workerMemoryMb?: number;
}

export interface QueueWorkerHandle {
  /** Takes no more jobs, lets the runs in hand finish and report, then closes everything. */
  close(): Promise<void>;
  /** Gives up the runs in hand at once (they go back to the queue when their lock expires). */
  abort(): Promise<void>;
}

/** What the job returns to BullMQ: small, the run itself (record and curve) is under its own key. */
export interface RunJobResult {
  status: RunStatus;
}

export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerHandle> {
  const lockMs = options.lockMs ?? DEFAULT_LOCK_MS;
  // The curves of the runs in hand, each removed once read (its text then goes to Redis).
  const curveDir = await makeWorkerScratch();
  let curveFiles = 0;
  const pool = createWorkerPool(options.concurrency, options.workerMemoryMb);
  const limit = pLimit(options.concurrency);
  const redis = redisClient(options.url);
  /** BullMQ's command connection (it opens its own blocking one besides). */
  const workerConnection = redisClient(options.url);
  const data = new DatasetBytes(redis);
  const where = redactUrl(options.url);

  const processJob = async (job: Job<RunJobData, RunJobResult>): Promise<RunJobResult> => {
    const check = checkRunJob(job.id, job.data, ENGINE_VERSION);
    if (!check.ok) {
      options.log(`refused job ${job.id}: ${check.reason}`);
      // Unrecoverable: a refused job fails at once, without retries.
      throw new UnrecoverableError(`refused by worker ${hostname()}: ${check.reason}`);
    }
    const { spec } = check;
    // The run's CSV bytes come from Redis by digest: a worker never opens a path named by a job.
    const contents = spec.csvDigest === undefined ? undefined : new Map([[spec.csvDigest, await data.get(spec.csvDigest)]]);
    const reply = await limit(async () => {
      const curveFile = join(curveDir, `${spec.hash}-${++curveFiles}.curve.csv`);
      const started = performance.now();
      let result: JsonWorkerReply | null = null;
      try {
        result = await pool.runAsJson(spec, contents ?? new Map(), curveFile);
        if (result.ok) pace.observe(performance.now() - started);
        return result;
      } finally {
        // A run that trained has had its file removed by its thread; a failed one may leave a part.
        if (!result?.ok) await rm(curveFile, { force: true });
      }
    });
    const label = `run ${spec.index} of ${spec.experiment.name} (${spec.hash.slice(0, 12)})`;
    if (!reply.ok) {
      options.log(`failed ${label}, attempt ${job.attemptsMade + 1}: ${reply.error}`);
      throw new Error(reply.error);
    }
    // Sent, not awaited, on the connection BullMQ completes the job on: Redis runs commands of one
    // connection in order, so the record is stored before the job counts as completed, and the
    // two travel in one round trip. (Were it ever lost, the sweep would find the job completed
    // without a record and queue the run again.)
    workerConnection.set(recordKey(spec.hash), runResultText(reply.json, reply.curve), 'EX', RECORD_TTL_SECONDS).catch((error: Error) => {
      options.log(`could not store the result of ${label}: ${error.message}`);
    });
    options.log(`trained ${label}: ${reply.status} in ${reply.wallMs.toFixed(0)} ms`);
    return { status: reply.status };
  };

  const worker = new Worker<RunJobData, RunJobResult>(queueName(ENGINE_VERSION), processJob, {
    connection: workerConnection,
    concurrency: options.concurrency,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    maxStalledCount: MAX_STALLED_COUNT,
    name: hostname(),
    autorun: false,
  });
  const pace = new Pace(options.concurrency, (concurrency) => (worker.concurrency = concurrency));
  const connectionNotes = new ConnectionNotes(where, options.log);
  worker.on('error', (error) => connectionNotes.error(error));
  redis.on('close', () => connectionNotes.lost());
  redis.on('ready', () => connectionNotes.ready());

  await worker.waitUntilReady();
  void worker.run();
  options.log(`worker: ${options.concurrency} thread(s), engine ${ENGINE_VERSION}, waiting for runs on ${where} (queue ${queueName(ENGINE_VERSION)})`);

  let closing: Promise<void> | null = null;
  const shutDown = async (force: boolean) => {
    connectionNotes.silence();
    await worker.close(force);
    await pool.terminate();
    await rm(curveDir, { recursive: true, force: true });
    // BullMQ leaves a connection it was given open: close ours.
    await Promise.all([closeClient(workerConnection), closeClient(redis)]);
  };
  return {
    close: () => (closing ??= shutDown(false)),
    abort: () => shutDown(true),
  };
}

/** Jobs taken at once: one per thread, two per thread while the recent runs are short. */
class Pace {
  private averageMs: number | null = null;

  constructor(
    private readonly threads: number,
    private readonly setConcurrency: (jobs: number) => void,
  ) {}

  /** A run's time on its thread (training, decision boundary, encoding). */
  observe(ms: number): void {
    this.averageMs = this.averageMs === null ? ms : 0.8 * this.averageMs + 0.2 * ms;
    this.setConcurrency(this.averageMs < SHORT_RUN_MS ? 2 * this.threads : this.threads);
  }
}

/** CSV bytes by digest, fetched from Redis once per worker and checked against their digest. */
class DatasetBytes {
  private readonly cache = new Map<string, Promise<Buffer>>();

  constructor(private readonly redis: Redis) {}

  get(digest: string): Promise<Buffer> {
    let bytes = this.cache.get(digest);
    if (!bytes) {
      bytes = this.fetch(digest);
      this.cache.set(digest, bytes);
      bytes.catch(() => this.cache.delete(digest));
    }
    return bytes;
  }

  private async fetch(digest: string): Promise<Buffer> {
    const bytes = await this.redis.getBuffer(dataKey(digest));
    if (bytes === null) throw new Error(`the dataset ${digest.slice(0, 12)} is not on the queue (expired, or Redis lost it); the sweep puts it back when it reconnects`);
    if (contentDigest(bytes) !== digest) throw new Error(`the dataset ${digest.slice(0, 12)} on the queue does not match its digest`);
    return bytes;
  }
}

/**
 * Connection trouble in one line when it starts and one when it ends, not one per retry; other
 * queue errors once per message and minute.
 */
class ConnectionNotes {
  private down = false;
  private silent = false;
  private readonly lastSaid = new Map<string, number>();

  constructor(
    private readonly where: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Closing on purpose: a closed connection is no news. */
  silence(): void {
    this.silent = true;
  }

  lost(): void {
    if (this.down || this.silent) return;
    this.down = true;
    this.log(`lost the queue at ${this.where}; reconnecting`);
  }

  ready(): void {
    if (!this.down) return;
    this.down = false;
    this.log(`reconnected to ${this.where}`);
  }

  error(error: Error): void {
    if (this.down || this.silent) return;
    const now = Date.now();
    if (now - (this.lastSaid.get(error.message) ?? -Infinity) < 60_000) return;
    this.lastSaid.set(error.message, now);
    this.log(`queue: ${error.message}`);
  }
}
