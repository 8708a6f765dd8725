// One shard of a sweep for cluster job arrays (Slurm --array, Kubernetes Indexed Jobs): shard
// i of n trains the runs whose 0-based grid position is i modulo n. Every shard sees the same
// grid, so n shards together train every run exactly once, with no coordination between them.

export interface Shard {
  /** 0-based: the array task's index. */
  index: number;
  count: number;
}

/** Parses "i/n" (0 <= i < n), or says what is wrong with it. */
export function parseShard(text: string): Shard | string {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return `--shard expects i/n, e.g. 0/4 (the array task's index / the number of tasks), found "${text}"`;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (!Number.isSafeInteger(count) || count < 1) return `--shard ${text}: the number of shards must be at least 1`;
  if (index >= count) return `--shard ${text}: the index counts from 0 and must be below ${count}`;
  return { index, count };
}

/** True for the runs (1-based run numbers, in grid order) that belong to the shard. */
export function inShard(run: number, shard: Shard): boolean {
  return (run - 1) % shard.count === shard.index;
}
