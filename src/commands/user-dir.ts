// `npm run sweep -- FILE` runs the script in the package root, not where the user typed it; npm
// keeps that folder in INIT_CWD. Relative paths the user gives (the experiment file, --out, the
// default results/<name>) must mean what they mean in the user's shell, so the command line moves
// there first. Only when npm itself started this process as a script of the package in the
// current folder: an INIT_CWD inherited by anything else (a test runner, a script that changed
// folder on purpose) is left alone.
import { dirname, resolve } from 'node:path';

/** The folder to resolve the user's relative paths against, when it is not the current one. */
export function npmUserDir(env: NodeJS.ProcessEnv, cwd: string): string | null {
  const initCwd = env.INIT_CWD;
  const packageJson = env.npm_package_json;
  if (!initCwd || !packageJson || env.npm_lifecycle_event === undefined) return null;
  if (resolve(dirname(packageJson)) !== resolve(cwd)) return null;
  const userDir = resolve(initCwd);
  return userDir === resolve(cwd) ? null : userDir;
}
