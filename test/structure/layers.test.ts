// The folders of src/ form layers: each imports only from folders below it, and no two folders of
// the same layer import each other. This test reads every import in src/ and fails on any other.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/** Lower numbers are lower layers. Folders of one layer may not import each other. */
export const LAYERS: Record<string, number> = {
  text: 0,
  files: 0,
  'package-info.ts': 0,
  'code-cache.ts': 0,
  nn: 1,
  data: 2,
  experiment: 3,
  run: 4,
  search: 4,
  sweep: 5,
  output: 5,
  terminal: 6,
  commands: 7,
  'cli.ts': 8,
  'index.ts': 8,
  launch: 9,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The top-level folder (or file) of src/ that `path` belongs to. */
const unitOf = (path: string) => relative(SRC, path).split('/')[0];

/** Relative module specifiers of static imports, re-exports and dynamic imports. */
function importsOf(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/g)) found.push(match[1]);
  for (const match of text.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g)) found.push(match[1]);
  for (const match of text.matchAll(/new URL\(\s*'(\.[^']+)'\s*,\s*import\.meta\.url\s*\)/g)) found.push(match[1]);
  return found;
}

interface Edge {
  file: string;
  from: string;
  to: string;
}

function crossFolderImports(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = unitOf(file);
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
      const to = unitOf(target);
      if (to !== from) edges.push({ file: relative(SRC, file), from, to });
    }
  }
  return edges;
}

describe('layering of src/', () => {
  const edges = crossFolderImports();

  it('knows the layer of every folder', () => {
    const units = new Set(sourceFiles(SRC).map(unitOf));
    expect([...units].filter((unit) => !(unit in LAYERS))).toEqual([]);
    expect(edges.length).toBeGreaterThan(20);
  });

  it('has no import from a lower folder to a higher one, nor between folders of one layer', () => {
    const wrong = edges
      .filter(({ from, to }) => LAYERS[to] >= LAYERS[from])
      .map(({ file, to }) => `${file} imports ${to}`);
    expect(wrong).toEqual([]);
  });

  it('would catch a cycle: the check itself sees an upward import in made-up code', () => {
    expect(importsOf("import type { X } from '../experiment/types.js';\nexport { y } from './y.js';")).toEqual([
      '../experiment/types.js',
      './y.js',
    ]);
    expect(importsOf("const m = await import('../output/report/index.js');")).toEqual(['../output/report/index.js']);
  });
});
