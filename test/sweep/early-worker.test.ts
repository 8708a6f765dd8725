// The first worker started before the command line loads (sweep/early-worker.ts) is taken over by
// a pool made with the same script and limits, once; otherwise it is stopped and the pool starts its own.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startEarlyWorker, takeEarlyWorker } from '../../src/sweep/early-worker.js';
import { tempFolder } from '../helpers/temp-folders.js';

function echoScript(): URL {
  const path = join(tempFolder(), 'echo.mjs');
  writeFileSync(path, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', (m) => parentPort.postMessage(m * 2));\n");
  return pathToFileURL(path);
}

describe('the early worker', () => {
  it('is taken, alive, by the first pool with its script and limits, and only once', async () => {
    const script = echoScript();
    startEarlyWorker(script, { maxOldGenerationSizeMb: 64 });
    const worker = takeEarlyWorker(script, { maxOldGenerationSizeMb: 64 });
    expect(worker).not.toBeNull();
    worker!.postMessage(21);
    const [reply] = await once(worker!, 'message');
    expect(reply).toBe(42);
    expect(takeEarlyWorker(script, { maxOldGenerationSizeMb: 64 })).toBeNull();
    await worker!.terminate();
  });

  it('is stopped, not taken, when the pool wants another script or other limits, or it has died', async () => {
    const script = echoScript();
    startEarlyWorker(script, undefined);
    expect(takeEarlyWorker(script, { maxOldGenerationSizeMb: 64 })).toBeNull();
    startEarlyWorker(script, undefined);
    expect(takeEarlyWorker(echoScript(), undefined)).toBeNull();
    const broken = join(tempFolder(), 'broken.mjs');
    writeFileSync(broken, "throw new Error('no start');\n");
    startEarlyWorker(pathToFileURL(broken), undefined);
    // Its failure is not an uncaught error here; once it has exited it is not handed on.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(takeEarlyWorker(pathToFileURL(broken), undefined)).toBeNull();
  });
});
