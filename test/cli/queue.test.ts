// Sweeps through a real Redis queue (BullMQ) with real `gradgrid worker` processes: the same
// bytes as a local sweep, each run trained once, and the faults a cluster meets — a worker
// killed mid-run, the sweeping process killed and started again, Redis restarted empty, a run
// that keeps failing, a job whose payload was changed on the way. Where a worker's process is not
// what a test is about (it is held, restarted against, or fails a run), the same worker runs on
// the test's thread; so do sweeps whose output the test does not read.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expandGrid, parseExperiment } from '../../src/experiment/index.js';
import { ENGINE_VERSION } from '../../src/nn/version.js';
import { readManifest } from '../../src/output/manifest.js';
import { queueName, runJobData } from '../../src/sweep/queue-protocol.js';
import { readCsv, runCli, startCli } from '../helpers/cli.js';
import { sweepInProcess } from '../helpers/in-process.js';
import { sweepCaptured, verifyInProcess, workerInProcess } from '../helpers/in-process-commands.js';
import { stopAll, WorkerInThread, WorkerProcess, type QueueWorker } from '../helpers/queue-workers.js';
import { freePort, haveRedis, RedisServer, REDIS_SERVER } from '../helpers/redis.js';

const inCi = process.env.CI === 'true';
if (!haveRedis && !inCi) console.warn(`queue tests skipped: no redis-server at ${REDIS_SERVER} (apt-get install redis-server)`);

/** The blog's XOR network over `rates`; runs of ~0.1-0.3 s each with many epochs. */
const xorSweep = (name: string, rates: number[], epochs: number, recordEvery = 1) => `name: ${name}
seed: 48
dataset: { builtin: xor }
model: [{ linear: 3, init: xavier }, sigmoid, { linear: 1, init: xavier }, sigmoid]
loss: squared_error
train: { epochs: ${epochs}, learning_rate: 1, record_every: ${recordEvery} }
sweep:
  train.learning_rate: [${rates.join(', ')}]
`;

const rates = (n: number) => Array.from({ length: n }, (_, i) => Number((0.25 * (i + 1)).toFixed(2)));

/** Resolves once `condition` holds, checking every 20 ms. */
const waitUntil = async (condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000) => {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** The BullMQ queue the sweeps and workers use, opened by the test itself. */
const queueAt = (url: string) => {
  const { hostname, port, pathname } = new URL(url);
  return new Queue(queueName(ENGINE_VERSION), { connection: { host: hostname, port: Number(port), db: Number(pathname.slice(1) || 0) } });
};

/** Resolves once a worker holds `run` (a failpoint keeps it there). */
async function waitForHeldRun(url: string, run: number): Promise<void> {
  const queue = queueAt(url);
  try {
    await waitUntil(async () => (await queue.getActive()).some((job) => job.data.run === run), `run ${run} to be held`);
  } finally {
    await queue.close();
  }
}

const storedRuns = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.json')).length : 0);

/**
 * Compares two result folders: summary.csv, curves.csv and every curve file in runs/ byte for
 * byte, and the run records in runs/ field for field except the training's wall time.
 */
function expectSameBytes(a: string, b: string): void {
  const stored = readdirSync(join(b, 'runs')).sort();
  expect(readdirSync(join(a, 'runs')).sort()).toEqual(stored);
  expect(stored.filter((file) => file.endsWith('.curve.csv'))).toHaveLength(stored.length / 2);
  const curves = stored.filter((file) => file.endsWith('.curve.csv')).map((file) => `runs/${file}`);
  for (const name of ['summary.csv', 'curves.csv', ...curves]) {
    expect(readFileSync(join(a, name)).equals(readFileSync(join(b, name))), `${a}/${name} vs ${b}/${name}`).toBe(true);
  }
  const record = (dir: string, file: string) => ({ ...JSON.parse(readFileSync(join(dir, 'runs', file), 'utf8')), wallMs: 0 }) as unknown;
  for (const file of stored.filter((name) => name.endsWith('.json'))) expect(record(a, file), file).toEqual(record(b, file));
}

describe.skipIf(!haveRedis && !inCi)('sweeps through a Redis queue', () => {
  let redis: RedisServer;
  let dir: string;
  const workers: QueueWorker[] = [];
  let nextDb = 1;
  /** Each test has its own Redis database: its queue and keys never meet another test's. */
  const freshQueue = () => redis.url(nextDb++);
  const startWorker = async (url: string, options: { cwd?: string; concurrency?: number; env?: Record<string, string> } = {}) => {
    const worker = await WorkerProcess.start(url, { cwd: dir, ...options });
    workers.push(worker);
    return worker;
  };
  const startWorkerInThread = async (url: string, env?: Record<string, string>, lockMs?: number) => {
    const worker = await WorkerInThread.start(url, { env, lockMs });
    workers.push(worker);
    return worker;
  };

  /** A local sweep of the grid most tests queue (the experiment's name is in no CSV file). */
  let referenceDir: string;
  let reference: string;

  beforeAll(async () => {
    redis = await RedisServer.start();
    referenceDir = mkdtempSync(join(tmpdir(), 'gradgrid-queue-reference-'));
    writeFileSync(join(referenceDir, 'e.yaml'), xorSweep('reference', rates(6), 3000));
    expect(await sweepInProcess(referenceDir, 'e.yaml', { out: 'out' })).toBe(0);
    reference = join(referenceDir, 'out');
  });
  afterAll(async () => {
    await redis?.dispose();
    if (referenceDir) rmSync(referenceDir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await stopAll(workers);
    rmSync(dir, { recursive: true, force: true });
  });
  const workspace = () => (dir = mkdtempSync(join(tmpdir(), 'gradgrid-queue-')));

  it('two worker processes give summary.csv and curves.csv byte-identical to a local sweep; each run trains once, even for two sweeps at once', async () => {
    workspace();
    // CSV data: the workers get its bytes from Redis by digest. They run in another folder, where
    // the path the experiment names does not exist.
    writeFileSync(join(dir, 'xor.csv'), 'x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n');
    writeFileSync(join(dir, 'e.yaml'), xorSweep('queued', rates(6), 3000).replace('{ builtin: xor }', '{ csv: xor.csv }'));
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    const url = freshQueue();
    // Worker a takes run 1 and holds it until worker b has trained the other five: both take part.
    const releaseFile = join(dir, 'release');
    const a = await startWorker(url, { cwd: elsewhere, env: { GRADGRID_FAILPOINT: 'hold@1', GRADGRID_FAILPOINT_RELEASE: releaseFile } });
    // Two sweeps of the same runs at once, into two folders: each run is queued and trained once.
    // The second sweeps in this process: only the first one's output is read.
    const sweep = startCli(['sweep', 'e.yaml', '--queue', url, '--out', 'queued', '--no-report'], { cwd: dir });
    const second = sweepInProcess(dir, 'e.yaml', { queue: url, out: 'again' });
    await waitForHeldRun(url, 1);
    const b = await startWorker(url, { cwd: elsewhere });
    await waitUntil(() => b.trained().length === 5, 'worker b to train five runs');
    writeFileSync(releaseFile, '');
    const queued = await sweep.done;
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.stderr).toContain(`6 runs of queued on the queue ${url}`);
    expect(await second).toBe(0);
    expect(await sweepInProcess(dir, 'e.yaml', { out: 'local', workers: 2 })).toBe(0);
    expectSameBytes(join(dir, 'queued'), join(dir, 'local'));
    expectSameBytes(join(dir, 'again'), join(dir, 'local'));
    expect(storedRuns(join(dir, 'queued/runs'))).toBe(6);
    // The workers' temporary curve files (their TMPDIR is `elsewhere`) are gone once sent.
    const curveDirs = readdirSync(elsewhere).filter((name) => name.startsWith('gradgrid-worker-'));
    expect(curveDirs).toHaveLength(2);
    for (const name of curveDirs) expect(readdirSync(join(elsewhere, name))).toEqual([]);
    // What came through Redis verifies like a local sweep: every run retrained, bit for bit.
    const verified = await verifyInProcess(dir, 'queued', 2);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain(`verified 6 run(s) in ${join(dir, 'queued')}: every curve reproduced bit for bit`);
    expect(readdirSync(join(dir, 'queued/data'))).toEqual(readdirSync(join(dir, 'local/data')));
    // Every run was trained once, by one of the two workers.
    expect(a.trained().map((run) => run.split(' (')[0])).toEqual(['run 1']);
    const trained = [...a.trained(), ...b.trained()];
    expect(new Set(trained).size).toBe(6);
    expect(trained).toHaveLength(6);

    // --fresh trains every run again, through the queue, to the same bytes.
    expect(await sweepInProcess(dir, 'e.yaml', { queue: url, out: 'queued', fresh: true })).toBe(0);
    expect((await readManifest(join(dir, 'queued'))).runs.map((run) => run.reused)).toEqual(Array(6).fill(false));
    expect([...a.trained(), ...b.trained()]).toHaveLength(12);
    expectSameBytes(join(dir, 'queued'), join(dir, 'local'));
  });

  /** A worker (on this thread) that trains one run at a time and holds run `run` until release() (failpoint hold). */
  const holdingWorker = async (url: string, run: number) => {
    const releaseFile = join(dir, `release-${run}`);
    const worker = await startWorkerInThread(url, { GRADGRID_FAILPOINT: `hold@${run}`, GRADGRID_FAILPOINT_RELEASE: releaseFile });
    return { worker, release: () => writeFileSync(releaseFile, '') };
  };

  it('the sweeping process killed (SIGKILL) and started again collects what finished meanwhile and retrains nothing', async () => {
    workspace();
    writeFileSync(join(dir, 'e.yaml'), xorSweep('restarted', rates(6), 3000));
    const url = freshQueue();
    const { worker, release } = await holdingWorker(url, 3);
    const first = startCli(['sweep', 'e.yaml', '--queue', url, '--out', 'out', '--no-report'], { cwd: dir });
    // Runs 1 and 2 are stored; run 3 is held on the worker, 4-6 wait on the queue.
    await waitUntil(() => storedRuns(join(dir, 'out/runs')) === 2, 'two stored runs');
    first.child.kill('SIGKILL');
    await first.done;
    // With no sweep waiting, the worker trains the rest; their results wait in Redis.
    release();
    await worker.waitFor(/trained run 6 /);
    expect(await sweepInProcess(dir, 'e.yaml', { queue: url, out: 'out' })).toBe(0);
    // Runs 1 and 2 from runs/, the other four collected from Redis.
    expect((await readManifest(join(dir, 'out'))).runs.map((run) => run.reused)).toEqual([true, true, false, false, false, false]);
    expect(worker.trained()).toHaveLength(6);
    expect(new Set(worker.trained()).size).toBe(6);
    expectSameBytes(join(dir, 'out'), reference);
  });

  it('Redis restarted empty mid-sweep: sweep and worker reconnect, what was lost is queued again, the result is identical', async () => {
    workspace();
    writeFileSync(join(dir, 'e.yaml'), xorSweep('restart', rates(6), 3000));
    const own = await RedisServer.start();
    try {
      const url = own.url();
      const { worker, release } = await holdingWorker(url, 3);
      const sweep = startCli(['sweep', 'e.yaml', '--queue', url, '--out', 'out', '--no-report'], { cwd: dir });
      await waitUntil(() => storedRuns(join(dir, 'out/runs')) === 2, 'two stored runs');
      // Every job, queued or held, is gone with the restart (no persistence).
      await own.restart();
      release();
      const result = await sweep.done;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/lost the queue at .*; reconnecting/);
      expect(result.stderr).toMatch(/reconnected to /);
      expect(worker.log).toMatch(/lost the queue at .*; reconnecting/);
      expectSameBytes(join(dir, 'out'), reference);
    } finally {
      await stopAll(workers);
      await own.dispose();
    }
  });

  it('a run that fails on every attempt becomes a failed row with its error; the sweep says when no worker is connected', async () => {
    workspace();
    writeFileSync(join(dir, 'e.yaml'), xorSweep('failing', rates(3), 200));
    const url = freshQueue();
    const sweep = startCli(['sweep', 'e.yaml', '--queue', url, '--out', 'out', '--no-report'], { cwd: dir });
    let stderr = '';
    sweep.child.stderr!.on('data', (chunk) => (stderr += chunk));
    await waitUntil(() => stderr.includes('no worker is connected'), 'the no-worker note');
    expect(stderr).toContain(`start one anywhere with: gradgrid worker --queue ${url}`);
    const worker = await startWorkerInThread(url, { GRADGRID_FAILPOINT: 'throw@2' });
    const result = await sweep.done;
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('1 worker connected');
    const summary = readCsv(join(dir, 'out/summary.csv'));
    expect(summary.map((row) => row.status === 'failed')).toEqual([false, true, false]);
    expect(summary[1].error).toBe('injected failure in run 2');
    // Three attempts (the default), each logged by the worker.
    expect(worker.log.match(/^failed run 2 of failing .*attempt \d/gm)).toHaveLength(3);
  });

  it('a worker refuses a job whose payload was changed on the way, and goes on working', async () => {
    workspace();
    const url = freshQueue();
    const worker = await startWorker(url);
    const [spec] = expandGrid(parseExperiment(xorSweep('tamper', [1], 100), join(dir, 'e.yaml')));
    const queue = queueAt(url);
    try {
      const tampered = runJobData(spec, ENGINE_VERSION);
      tampered.experiment.train.learning_rate = 1000; // the job id (the run hash) still says 1
      const withCode = { ...runJobData(spec, ENGINE_VERSION), code: 'require("child_process").execSync("touch pwned")' };
      const otherId = 'f'.repeat(64);
      await queue.add('tamper', tampered, { jobId: spec.hash, attempts: 3 });
      await queue.add('code', withCode, { jobId: otherId, attempts: 3 });
      for (const id of [spec.hash, otherId]) await waitUntil(async () => (await queue.getJobState(id)) === 'failed', `job ${id} to fail`);
      // Refused once, never retried, never trained.
      const [first, second] = [(await queue.getJob(spec.hash))!, (await queue.getJob(otherId))!];
      expect([first.attemptsMade, second.attemptsMade]).toEqual([1, 1]);
      expect(first.failedReason).toMatch(/refused by worker .*: the payload does not match its run hash/);
      expect(second.failedReason).toMatch(/unknown field\(s\) in the payload: code/);
      expect(worker.log.match(/refused job/g)).toHaveLength(2);
      expect(existsSync(join(dir, 'pwned'))).toBe(false);
      expect(worker.trained()).toEqual([]);

      // A sweep of the genuine run gives the failed job another try, and the same worker trains it.
      writeFileSync(join(dir, 'e.yaml'), xorSweep('tamper', [1], 100));
      expect(await sweepInProcess(dir, 'e.yaml', { queue: url, out: 'out' })).toBe(0);
      const [row] = readCsv(join(dir, 'out/summary.csv'));
      expect([row.status, row.epochs, row.error]).toEqual(['slow', '100', '']);
      expect(worker.trained()).toHaveLength(1);
    } finally {
      await queue.close();
    }
  });

  it('a worker killed with SIGKILL mid-run: its run goes to another worker and the result is complete and identical', async () => {
    workspace();
    writeFileSync(join(dir, 'e.yaml'), xorSweep('killed', rates(6), 3000));
    const url = freshQueue();
    // Short locks, so the stalled run is noticed in about two seconds instead of a minute.
    const fast = { GRADGRID_QUEUE_LOCK_MS: '1000' };
    // This worker holds run 3 (the failpoint makes it wait) until it is killed.
    const doomed = await startWorker(url, { env: { ...fast, GRADGRID_FAILPOINT: 'slow@3' } });
    const sweep = sweepInProcess(dir, 'e.yaml', { queue: url, out: 'queued' });
    await waitForHeldRun(url, 3);
    await doomed.kill();
    // The rescuer on this thread, with the same short locks (its stalled-job check runs as often).
    const rescuer = await startWorkerInThread(url, {}, Number(fast.GRADGRID_QUEUE_LOCK_MS));
    expect(await sweep).toBe(0);
    expect(rescuer.trained().map((run) => run.split(' (')[0])).toEqual(expect.arrayContaining(['run 3', 'run 4', 'run 5', 'run 6']));
    expectSameBytes(join(dir, 'queued'), reference);
  });
});

describe('queue arguments', () => {
  it('an unreachable queue or a bad URL is a clear error, exit 2, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradgrid-queue-args-'));
    try {
      writeFileSync(join(dir, 'e.yaml'), xorSweep('args', [1], 10));
      const port = await freePort(); // nothing listens there
      const down = await runCli(['sweep', 'e.yaml', '--queue', `redis://user:secret@127.0.0.1:${port}`, '--out', 'out'], { cwd: dir });
      expect(down.code).toBe(2);
      expect(down.stderr).toMatch(new RegExp(`cannot reach the queue at redis://user:\\*\\*\\*@127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
      expect(down.stderr).not.toContain('secret');
      // The other refusals in this process: the same commands, the same code, the same message.
      const worker = await workerInProcess(`redis://127.0.0.1:${port}`);
      expect(worker.code).toBe(2);
      expect(worker.stderr).toMatch(/cannot reach the queue/);
      const badUrl = await sweepCaptured(dir, 'e.yaml', { queue: 'localhost:6379', out: 'out' });
      expect(badUrl.code).toBe(2);
      expect(badUrl.stderr).toMatch(/expected redis:\/\/\[user:password@\]host:port\[\/db\]/);
      const both = await sweepCaptured(dir, 'e.yaml', { queue: 'redis://h:1', shard: '0/2', out: 'out' });
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(/--queue and --shard exclude each other/);
      const attempts = await sweepCaptured(dir, 'e.yaml', { attempts: 2, workers: 1, out: 'out' });
      expect(attempts.code).toBe(2);
      expect(attempts.stderr).toMatch(/--attempts applies to runs on a queue/);
      expect(existsSync(join(dir, 'out'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
