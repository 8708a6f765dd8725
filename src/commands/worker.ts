// `gradgrid worker --queue URL`: trains runs from a sweep's Redis queue until stopped.
// SIGINT/SIGTERM: take no more runs, finish the ones in hand, exit 0; a second signal gives
// them up at once (they return to the queue when their lock expires) and exits 130.
import { availableParallelism } from 'node:os';
import { probeRedis, QueueUnreachableError } from '../sweep/queue-connection.js';
import { queueUrlProblem } from '../sweep/queue-protocol.js';
import { DEFAULT_LOCK_MS, startQueueWorker } from '../sweep/queue-worker.js';
import { EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK } from './input-errors.js';

export interface WorkerOptions {
  queue?: string;
  concurrency?: number;
}

const lockMs = () => Number(process.env.GRADGRID_QUEUE_LOCK_MS) || DEFAULT_LOCK_MS;
const workerMemoryMb = () => Number(process.env.GRADGRID_WORKER_MEMORY_MB) || undefined;

export async function workerCommand(options: WorkerOptions): Promise<number> {
  const url = options.queue ?? process.env.GRADGRID_QUEUE;
  if (!url) {
    process.stderr.write('error: no queue given; use --queue redis://host:port or set GRADGRID_QUEUE\n');
    return EXIT_INVALID;
  }
  const problem = queueUrlProblem(url);
  if (problem) {
    process.stderr.write(`error: ${problem}\n`);
    return EXIT_INVALID;
  }
  try {
    await probeRedis(url);
  } catch (error) {
    if (!(error instanceof QueueUnreachableError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT_INVALID;
  }

  const log = (line: string) => process.stdout.write(`${line}\n`);
  const worker = await startQueueWorker({
    url,
    concurrency: Math.max(1, options.concurrency ?? availableParallelism()),
    log,
    lockMs: lockMs(),
    workerMemoryMb: workerMemoryMb(),
  });

  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals === 1) {
        log(`${signal}: taking no more runs; finishing the runs in hand (again to give them up)`);
        void worker.close().then(finish);
      } else {
        log(`${signal}: giving up the runs in hand; they return to the queue`);
        void worker.abort().then(finish);
      }
    };
    const finish = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signals > 1 ? EXIT_INTERRUPTED : EXIT_OK);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
