// Where a sweep's runs train, from its options: the local pool, one shard of a job array, or a
// Redis queue. Decided before anything loads, so the CLI can start a local sweep's threads first
// (sweep-threads.ts); this module loads nothing heavy.
import { parseShard, type Shard } from '../sweep/shard.js';

export type Where = { kind: 'local' } | { kind: 'shard'; shard: Shard } | { kind: 'queue'; url: string };

/**
 * --queue, --shard, or the local pool; $GRADGRID_QUEUE applies when none of them (nor --workers)
 * is asked for. A string says which options contradict each other. The queue's URL is checked by
 * the caller (queue-protocol.ts), where the queue's modules load anyway.
 */
export function whereToRun(
  options: { workers?: number; queue?: string; shard?: string; attempts?: number },
  env: NodeJS.ProcessEnv,
): Where | string {
  if (options.queue !== undefined && options.shard !== undefined) return '--queue and --shard exclude each other';
  if (options.shard !== undefined) {
    if (options.attempts !== undefined) return '--attempts applies to runs on a queue (--queue), not to shards';
    const shard = parseShard(options.shard);
    return typeof shard === 'string' ? shard : { kind: 'shard', shard };
  }
  const url = options.queue ?? (options.workers === undefined ? env.GRADGRID_QUEUE || undefined : undefined);
  if (url === undefined) return options.attempts === undefined ? { kind: 'local' } : '--attempts applies to runs on a queue (--queue)';
  if (options.workers !== undefined) return '--workers sets the local pool; with --queue each `gradgrid worker` sets its own --concurrency';
  return { kind: 'queue', url };
}
