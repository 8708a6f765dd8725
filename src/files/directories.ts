// Making folders without fs.mkdir's `recursive` option: on Node 20 it retries forever (at full CPU)
// when the kernel refuses a folder whose parent exists, as /proc does. Here each missing folder is
// made once, from the outermost down, and a refusal is an error that says why.
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export class FolderError extends Error {}

/** Creates `path` and every missing folder above it; throws FolderError with the reason otherwise. */
export async function makeFolders(path: string): Promise<void> {
  const missing: string[] = [];
  for (let current = resolve(path); ; current = dirname(current)) {
    const info = await stat(current).catch((error: NodeJS.ErrnoException) => {
      // ENOTDIR: a file further up; the walk goes on up to it and names it.
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
      throw new FolderError(`${current}: ${reasonOf(error)}`);
    });
    if (info) {
      if (!info.isDirectory()) throw new FolderError(`${current} is a file, not a folder`);
      break;
    }
    missing.push(current);
    if (dirname(current) === current) break;
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && (await stat(folder).then((info) => info.isDirectory(), () => false))) continue;
      throw new FolderError(`cannot create the folder ${folder}: ${reasonOf(error as NodeJS.ErrnoException)}`);
    }
  }
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  // The parent exists, yet the kernel says "no such file": a virtual file system such as /proc or /sys.
  ENOENT: 'this file system does not allow creating it',
};

/** A short human reason for a file-system error, with its code. */
export function reasonOf(error: NodeJS.ErrnoException): string {
  const reason = error.code ? REASONS[error.code] : undefined;
  return reason ? `${reason} (${error.code})` : error.message;
}
