// A real redis-server (Debian's `redis-server` package) for the queue tests and the queue benchmark:
// started on a free loopback port with its files in a temporary folder, stopped and removed afterwards.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';
export const haveRedis = existsSync(REDIS_SERVER) && spawnSync(REDIS_SERVER, ['--version']).status === 0;

/** A port the kernel just handed out and released: free unless another process races for it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** True once something accepts TCP connections on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export class RedisServer {
  private process: ChildProcess | null = null;
  private log = '';

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  /** Starts a server on a free port; persistence off, so a restart loses every key (the worst case). */
  static async start(): Promise<RedisServer> {
    if (!haveRedis) throw new Error(`redis-server not found at ${REDIS_SERVER} (apt-get install redis-server)`);
    const server = new RedisServer(await freePort(), mkdtempSync(join(tmpdir(), 'gradgrid-redis-')));
    await server.launch();
    return server;
  }

  /** The server's process id while it runs. */
  get pid(): number | null {
    return this.process?.pid ?? null;
  }

  /** A URL for database `db` (0-15): tests use one database each, so their queues never meet. */
  url(db = 0): string {
    return `redis://127.0.0.1:${this.port}/${db}`;
  }

  private async launch(): Promise<void> {
    this.log = '';
    const child = spawn(
      REDIS_SERVER,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'no',
        '--maxmemory-policy', 'noeviction', '--daemonize', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (chunk) => (this.log += chunk));
    child.stderr!.on('data', (chunk) => (this.log += chunk));
    this.process = child;
    const started = Date.now();
    while (!(await accepts(this.port))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}):\n${this.log}`);
      if (Date.now() - started > 10_000) throw new Error(`redis-server did not start:\n${this.log}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Stops the server (SIGTERM, SIGKILL after 5 s) and waits until it has exited. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  /** Stops the server and starts a new one on the same port: every key is gone. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
