// 8. queue: what the Redis queue (BullMQ) costs over the local pool, for tiny runs where the cost
// shows most. A 1 000-run XOR sweep through the real CLI, locally with 2 worker threads and through
// a queue on a local redis-server with one `gradgrid worker --concurrency 2`, alternately; the
// difference per run is the queue's overhead. Redis memory per waiting job and per finished run
// (job plus result until collected) is read from INFO memory. Needs Debian's redis-server.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { cliMissing, describeFailure, runSweep, writeExperiment } from './child.js';
import type { Outcome } from './outcome.js';
import { CLI_PATH } from './paths.js';
import { haveRedis, RedisServer, REDIS_SERVER } from './redis-server.js';
import { median } from './stats.js';

export const QUEUE_RUNS = 1000;
export const QUEUE_EPOCHS = 100;
const REPEATS = 3;
const WORKERS = 2;

export interface QueueResult {
  runs: number;
  epochs: number;
  /** Threads of the local pool, and of the one queue worker. */
  workers: number;
  redisVersion: string;
  /** Median wall time of the whole sweep command, process start included. */
  localMs: number;
  queueMs: number;
  localRepeatsMs: number[];
  queueRepeatsMs: number[];
  /** (queue - local) / runs: what the queue adds to each run. */
  overheadMsPerRun: number;
  /** Runs through the queue per second, the sweep's start-up included. */
  jobsPerSecond: number;
  /**
   * CPU time per run (all threads; ms): the local sweep, and the queued sweep with its worker and
   * redis-server. Unlike wall time, it does not depend on what else the machine runs. Null where
   * /proc is missing.
   */
  cpuMsPerRun: { local: number; queue: number } | null;
  /** Redis memory per job waiting on the queue (its payload and BullMQ's bookkeeping). */
  bytesPerQueuedRun: number;
  /** Redis memory per finished run right after the sweep collected it: the kept job and its result (both expire). */
  bytesPerFinishedRun: number;
  /** Size of one run's result (its record as JSON, as in runs/<hash>.json). */
  bytesPerResult: number;
}

/** Clock ticks per second of /proc's CPU times. */
const ticksPerSecond = () => Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** Fields of /proc/<pid>/stat after the command name (the first is the state, field 3). */
function statFields(pid: number | 'self'): number[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
  } catch {
    return null;
  }
}

/** CPU ticks used so far by a process (utime + stime), or by the waited-for children of this one. */
function cpuTicks(pid: number | 'self', which: 'own' | 'children'): number | null {
  const fields = statFields(pid);
  if (!fields) return null;
  return which === 'own' ? fields[11] + fields[12] : fields[13] + fields[14];
}

/** Mean size of the run records in a result folder. */
/** A result on the queue is a run's record and its curve file (and a line break between): their mean size in runs/. */
function meanResultBytes(dir: string): number {
  const records = readdirSync(dir).filter((file) => file.endsWith('.json'));
  const size = (file: string) => statSync(join(dir, file)).size;
  return records.reduce((sum, file) => sum + size(file) + size(file.replace(/\.json$/, '.curve.csv')) + 1, 0) / records.length;
}

const yaml = `name: bench-queue
description: gradgrid benchmark, the queue's overhead on tiny runs
seed: 1
dataset: { builtin: xor }
model: [{ linear: 3, init: xavier }, sigmoid, { linear: 1, init: xavier }, sigmoid]
loss: squared_error
train: { epochs: ${QUEUE_EPOCHS}, learning_rate: 1 }
sweep:
  seed: { linspace: [1, ${QUEUE_RUNS}, ${QUEUE_RUNS}] }
`;

const usedMemory = async (client: Redis) => Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]);

/** Starts a child and resolves once its output matches `ready`. */
function startUntil(args: string[], ready: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve({ child, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args[0]} exited (${code}) before it was ready: ${output.trim().split('\n').pop()}`)));
  });
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

export async function measureQueue(tmp: string): Promise<Outcome<QueueResult>> {
  const missing = cliMissing();
  if (missing) return { ok: false, note: missing };
  if (!haveRedis) return { ok: false, note: `no redis-server at ${REDIS_SERVER} (apt-get install redis-server)` };
  const file = writeExperiment(tmp, 'bench-queue', yaml);
  const server = await RedisServer.start();
  const client = new Redis(server.url());
  let worker: ChildProcess | null = null;
  try {
    const redisVersion = /redis_version:(\S+)/.exec(await client.info('server'))![1];

    // Memory of waiting jobs: a sweep with no worker queues every run and waits.
    const empty = await usedMemory(client);
    const waiting = await startUntil(['sweep', file, '--queue', server.url(), '--out', join(tmp, 'queue-memory'), '--quiet', '--no-report'], /no worker is connected/);
    const bytesPerQueuedRun = ((await usedMemory(client)) - empty) / QUEUE_RUNS;
    await stop(waiting.child, 'SIGINT');
    await client.flushall();

    worker = (await startUntil(['worker', '--queue', server.url(), '--concurrency', String(WORKERS)], /waiting for runs/)).child;
    const queueSweep = (out: string) => runSweep(file, join(tmp, out), ['--queue', server.url(), '--quiet', '--no-report']);
    // Warm-up: a worker is a long-lived service; its first runs compile the training code.
    const warm = queueSweep('queue-warm');
    if (warm.code !== 0) return { ok: false, note: `sweep --queue: ${describeFailure(warm)}` };
    await client.flushall();

    const local: number[] = [];
    const queue: number[] = [];
    const cpu = { local: [] as number[], queue: [] as number[] };
    const serverPid = server.pid;
    const ticks = () => [cpuTicks('self', 'children'), cpuTicks(worker!.pid!, 'own'), serverPid === null ? null : cpuTicks(serverPid, 'own')];
    let bytesPerFinishedRun = 0;
    for (let r = 0; r < REPEATS; r++) {
      let before = ticks();
      const localRun = runSweep(file, join(tmp, `queue-local-${r}`), ['--workers', String(WORKERS), '--quiet', '--no-report']);
      if (localRun.code !== 0) return { ok: false, note: `local sweep: ${describeFailure(localRun)}` };
      local.push(localRun.wallMs);
      let after = ticks();
      if (before[0] !== null && after[0] !== null) cpu.local.push(after[0] - before[0]);
      const memoryBefore = await usedMemory(client);
      before = ticks();
      const queueRun = queueSweep(`queue-${r}`);
      if (queueRun.code !== 0) return { ok: false, note: `sweep --queue: ${describeFailure(queueRun)}` };
      queue.push(queueRun.wallMs);
      after = ticks();
      if (before.every((t) => t !== null) && after.every((t) => t !== null)) {
        cpu.queue.push(after.reduce((sum: number, t, k) => sum + t! - before[k]!, 0));
      }
      bytesPerFinishedRun = ((await usedMemory(client)) - memoryBefore) / QUEUE_RUNS;
      // The next repeat must train again, not collect these results.
      await client.flushall();
    }
    const localMs = median(local);
    const queueMs = median(queue);
    const msPerTick = 1000 / ticksPerSecond();
    const cpuMsPerRun =
      cpu.local.length === REPEATS && cpu.queue.length === REPEATS
        ? { local: (median(cpu.local) * msPerTick) / QUEUE_RUNS, queue: (median(cpu.queue) * msPerTick) / QUEUE_RUNS }
        : null;
    return {
      ok: true,
      runs: QUEUE_RUNS,
      epochs: QUEUE_EPOCHS,
      workers: WORKERS,
      redisVersion,
      localMs,
      queueMs,
      localRepeatsMs: local,
      queueRepeatsMs: queue,
      overheadMsPerRun: (queueMs - localMs) / QUEUE_RUNS,
      jobsPerSecond: QUEUE_RUNS / (queueMs / 1000),
      cpuMsPerRun,
      bytesPerQueuedRun,
      bytesPerFinishedRun,
      bytesPerResult: meanResultBytes(join(tmp, 'queue-0', 'runs')),
    };
  } finally {
    if (worker) await stop(worker);
    client.disconnect();
    await server.dispose();
  }
}
