// Setup file (vitest.config.ts): no test leaves a temporary folder or a CLI process behind.
// A test's folders and processes go when it ends; those made in beforeAll when the file ends.
import { afterAll, afterEach, beforeEach } from 'vitest';
import { processMark, stopProcesses } from './cli.js';
import { folderMark, removeFolders } from './temp-folders.js';

let folders = 0;
let processes = 0;

beforeEach(() => {
  folders = folderMark();
  processes = processMark();
});

afterEach(async () => {
  await stopProcesses(processes);
  removeFolders(folders);
});

afterAll(async () => {
  await stopProcesses();
  removeFolders();
});
