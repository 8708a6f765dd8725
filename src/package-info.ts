// The tool's own name and version, and the versions of the libraries it runs on, for manifests.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageJson(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    try {
      const parsed = JSON.parse(readFileSync(candidate, 'utf8'));
      if (parsed.name === 'gradgrid') return candidate;
    } catch {
      // keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('gradgrid package.json not found');
    dir = parent;
  }
}

const packageJsonPath = findPackageJson();
const packageJson = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as {
  version: string;
  dependencies?: Record<string, string>;
};

export const TOOL_VERSION = packageJson.version;
export const PACKAGE_ROOT = dirname(packageJsonPath);

let versionsFound: Record<string, string> | null = null;

/** Installed versions of the runtime dependencies (those that can be found); looked up once, a copy each time. */
export function dependencyVersions(): Record<string, string> {
  versionsFound ??= findDependencyVersions();
  return { ...versionsFound };
}

function findDependencyVersions(): Record<string, string> {
  const require = createRequire(packageJsonPath);
  const versions: Record<string, string> = {};
  for (const name of Object.keys(packageJson.dependencies ?? {}).sort()) {
    // Where Node's resolution looks first, read directly (module resolution took some 5 ms for the
    // nine); then resolved, for a dependency installed further up (gradgrid itself a dependency).
    try {
      const path = join(PACKAGE_ROOT, 'node_modules', name, 'package.json');
      versions[name] = (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
    } catch {
      try {
        versions[name] = (require(`${name}/package.json`) as { version: string }).version;
      } catch {
        versions[name] = 'unknown';
      }
    }
  }
  return versions;
}
