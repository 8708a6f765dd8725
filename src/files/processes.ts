// Whether a process id still names a running process on this machine.
import { readFileSync } from 'node:fs';

/**
 * True while `pid` runs. A zombie (state Z in /proc/<pid>/stat: it has exited, but its parent has
 * not collected it yet, as a lazily reaping container init may take a second to do) and a dead
 * process (X) count as gone. Without /proc (macOS), only the signal test is made.
 */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = processState(pid);
  return state !== 'Z' && state !== 'X';
}

/** The one-letter state of `pid` from /proc (R, S, D, Z, ...), or null when it cannot be read. */
export function processState(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (command name) S ...": the name may hold spaces and parentheses, so read after the last ')'.
  const match = /\)\s+(\S)/.exec(stat.slice(stat.lastIndexOf(')')));
  return match ? match[1] : null;
}
