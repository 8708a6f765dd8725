// Connections to the queue's Redis server from a URL: redis://[user:pass@]host:port[/db], or
// rediss:// for TLS. Every client reconnects on its own after a dropped connection (a Redis
// restart); only the first contact is a yes-or-no probe, so a wrong URL fails at once.
import { Redis } from 'ioredis';
import { redactUrl } from './queue-protocol.js';

export class QueueUnreachableError extends Error {}

/** Waits longer between attempts the longer Redis stays away, up to 5 s. */
const retryStrategy = (attempt: number) => Math.min(250 * attempt, 5_000);

/**
 * A client that keeps every command until Redis answers, across reconnections: what BullMQ's
 * workers require (maxRetriesPerRequest null), and what a sweep that must not lose results wants.
 */
export function redisClient(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null, retryStrategy, connectTimeout: 10_000 });
  // Errors surface through the owner's messages; unhandled, ioredis would print each one.
  client.on('error', () => undefined);
  return client;
}

/** Connects once, PINGs, disconnects: a clear message when the server cannot be reached. */
export async function probeRedis(url: string, timeoutMs = 5_000): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    enableOfflineQueue: false,
  });
  let lastError: Error | null = null;
  client.on('error', (error: Error) => (lastError = error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const reason = (lastError ?? (error as Error)).message || String(error);
    throw new QueueUnreachableError(`cannot reach the queue at ${redactUrl(url)}: ${reason}`);
  } finally {
    disconnect(client);
  }
}

/**
 * Drops a connection unless it has ended already: ioredis's disconnect() on a closed stream
 * starts a 2 s timer that nothing clears, which would hold the process that long at exit.
 */
function disconnect(client: Redis): void {
  if (client.status !== 'end') client.disconnect();
}

/** Closes a client politely, or drops it when Redis does not answer within `timeoutMs`. */
export async function closeClient(client: Redis, timeoutMs = 2_000): Promise<void> {
  if (client.status === 'end') return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([client.quit().then(() => undefined, () => undefined), timeout]);
  clearTimeout(timer);
  disconnect(client);
}
