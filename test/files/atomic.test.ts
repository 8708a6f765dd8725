// Atomic writes: whole files or nothing, and no listener piles up on a stream however long it is.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtomicTextStream } from '../../src/files/atomic.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('AtomicTextStream', () => {
  it('waits for the stream to drain many times without leaving listeners behind (no MaxListenersExceededWarning)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradgrid-atomic-'));
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const path = join(dir, 'big.csv');
      const out = new AtomicTextStream(path);
      // Each chunk is larger than the stream's buffer, so every write waits for 'drain'.
      const chunk = 'x'.repeat(64 * 1024) + '\n';
      for (let i = 0; i < 40; i++) await out.write(chunk);
      await out.commit();
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((warning) => warning.message)).toEqual([]);
      expect(readFileSync(path, 'utf8').length).toBe(40 * chunk.length);
      expect(readdirSync(dir)).toEqual(['big.csv']);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
