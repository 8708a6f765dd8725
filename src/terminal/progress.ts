// Progress on stderr while a sweep runs: a live bar on a terminal, plain throttled lines in
// logs (CI), nothing with --quiet.
import cliProgress from 'cli-progress';

export interface Progress {
  /** One more run finished training. */
  tick(label: string): void;
  /** What is being written now (a long curve, the report): shown, not counted as a run. */
  working(label: string): void;
  note(message: string): void;
  stop(): void;
}

const formatSeconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

class BarProgress implements Progress {
  private readonly bar: cliProgress.SingleBar;
  private done = 0;
  private last = '';
  private stopped = false;

  constructor(private readonly total: number) {
    this.bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: ' {bar} {value}/{total} runs | {duration_formatted} elapsed | ETA {eta_formatted} | {last}',
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, 0, { last: '' });
  }

  tick(label: string): void {
    this.last = label;
    this.bar.update(++this.done, { last: label });
  }

  working(label: string): void {
    this.last = label;
    this.bar.update(this.done, { last: label });
  }

  note(message: string): void {
    // Finish the bar's line, print, then draw a fresh bar below the message.
    this.bar.stop();
    process.stderr.write(`${message}\n`);
    this.bar.start(this.total, this.done, { last: this.last });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.bar.stop();
  }
}

class LineProgress implements Progress {
  private done = 0;
  private lastPrinted = 0;
  private readonly started = Date.now();

  constructor(private readonly total: number) {}

  tick(label: string): void {
    this.done++;
    const now = Date.now();
    // At most one line a second, plus the last run, so long sweeps don't flood a log.
    if (now - this.lastPrinted < 1000 && this.done < this.total) return;
    this.lastPrinted = now;
    const elapsed = now - this.started;
    const eta = this.done ? (elapsed / this.done) * (this.total - this.done) : 0;
    process.stderr.write(
      `[${this.done}/${this.total}] ${label} (${formatSeconds(elapsed)} elapsed, ETA ${formatSeconds(eta)})\n`,
    );
  }

  working(label: string): void {
    // Throttled like tick: a long write shows up once a second, a short one not at all.
    const now = Date.now();
    if (now - this.lastPrinted < 1000) return;
    this.lastPrinted = now;
    process.stderr.write(`[${this.done}/${this.total}] ${label} (${formatSeconds(now - this.started)} elapsed)\n`);
  }

  note(message: string): void {
    process.stderr.write(`${message}\n`);
  }

  stop(): void {}
}

class QuietProgress implements Progress {
  tick(): void {}
  working(): void {}
  note(message: string): void {
    process.stderr.write(`${message}\n`);
  }
  stop(): void {}
}

export function createProgress(total: number, options: { quiet: boolean }): Progress {
  if (options.quiet) return new QuietProgress();
  return process.stderr.isTTY ? new BarProgress(total) : new LineProgress(total);
}
