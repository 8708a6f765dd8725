// YAML parsing that keeps source positions, so every later problem (schema, semantics, sweep)
// can point at the exact line and column, and that refuses the hostile inputs YAML allows:
// huge files, deep nesting, alias bombs, self-referencing aliases, duplicate keys.

import {
  Alias,
  Composer,
  LineCounter,
  Parser,
  YAMLParseError,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type CST,
  type Document,
  type Node as YamlNode,
  type Pair,
} from 'yaml';
import type { ValidationIssue } from './errors.js';
import { ExperimentError } from './errors.js';

/** Larger files are refused before parsing: a real experiment is a few hundred bytes. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** How many alias expansions yaml may perform while building values (billion-laughs guard). */
export const MAX_ALIAS_COUNT = 100;
/** Deepest nesting of lists and mappings; real files need about 8. */
export const MAX_NESTING_DEPTH = 64;

export interface Position {
  line: number;
  column: number;
}

export type PathSegment = string | number;

/** Maps setting paths of a parsed document back to where they are written. */
export class SourceLocator {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly lineCounter: LineCounter,
  ) {}

  position(offset: number): Position {
    const { line, col } = this.lineCounter.linePos(Math.max(0, offset));
    return { line, column: col };
  }

  /** Where the value at `path` is written, or the nearest written ancestor when it is not. */
  valueAt(path: readonly PathSegment[]): Position {
    const found = this.walk(path);
    const node = found.node;
    if (found.complete && node && node.range && !isEmptyScalar(node)) return this.position(node.range[0]);
    return this.fallback(found);
  }

  /** Where the key of the setting at `path` is written (the list item itself for list entries). */
  keyAt(path: readonly PathSegment[]): Position {
    const found = this.walk(path);
    if (found.complete && found.pair && isNodeWithRange(found.pair.key)) return this.position(found.pair.key.range[0]);
    if (found.complete && found.node?.range) return this.position(found.node.range[0]);
    return this.fallback(found);
  }

  /** Where the mapping at `path` is introduced: its key, or its first character for the root. */
  containerAt(path: readonly PathSegment[]): Position {
    return path.length === 0 ? this.rootPosition() : this.keyAt(path);
  }

  /** The YAML node written at `path`, if any (aliases resolved). */
  nodeAt(path: readonly PathSegment[]): YamlNode | undefined {
    const found = this.walk(path);
    return found.complete ? found.node : undefined;
  }

  rootPosition(): Position {
    const root = this.doc.contents;
    return root?.range ? this.position(root.range[0]) : { line: 1, column: 1 };
  }

  private fallback(found: WalkResult): Position {
    if (found.pair && isNodeWithRange(found.pair.key)) return this.position(found.pair.key.range[0]);
    if (found.node?.range) return this.position(found.node.range[0]);
    return this.rootPosition();
  }

  private walk(path: readonly PathSegment[]): WalkResult {
    let node: YamlNode | undefined = this.resolve(this.doc.contents ?? undefined);
    let pair: Pair | undefined;
    for (let i = 0; i < path.length; i++) {
      const segment = String(path[i]);
      let next: YamlNode | undefined;
      let nextPair: Pair | undefined;
      if (isMap(node)) {
        for (const item of node.items) if (keyText(item.key) === segment) nextPair = item;
        next = nextPair ? this.resolve(nextPair.value as YamlNode | null) : undefined;
      } else if (isSeq(node) && /^(0|[1-9][0-9]*)$/.test(segment)) {
        next = this.resolve(node.items[Number(segment)] as YamlNode | null);
      }
      if (next === undefined && nextPair === undefined) return { node, pair, complete: false };
      node = next;
      pair = nextPair;
    }
    return { node, pair, complete: true };
  }

  private resolve(node: YamlNode | null | undefined): YamlNode | undefined {
    if (node === null || node === undefined) return undefined;
    if (isAlias(node)) return (node.resolve(this.doc) as YamlNode | undefined) ?? node;
    return node;
  }
}

interface WalkResult {
  node: YamlNode | undefined;
  /** The map entry that holds `node`, when its parent is a mapping. */
  pair: Pair | undefined;
  complete: boolean;
}

export interface ParsedYaml {
  value: unknown;
  locator: SourceLocator;
}

/**
 * Parses one YAML document into plain data with a locator. Throws ExperimentError (and nothing
 * else) for a file that is too large, not YAML, empty, not a mapping, or hostile.
 */
export function parseYamlSource(source: string, file: string): ParsedYaml {
  const { doc, locator } = parseGuarded(source, file);
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) {
    throw new ExperimentError([
      { file, line: 1, column: 1, path: '', message: 'the file is empty; expected settings such as name, dataset, model, loss and train' },
    ]);
  }
  const structureIssues = checkTree(doc, locator, file);
  if (structureIssues.length > 0) throw new ExperimentError(structureIssues);

  if (!isMap(root)) {
    const found = isSeq(root) ? 'a list' : isAlias(root) ? 'an alias' : `the value ${JSON.stringify(String((root as { value?: unknown }).value))}`;
    throw new ExperimentError([
      { file, ...locator.rootPosition(), path: '', message: `expected a mapping of settings (name, dataset, model, loss, train), found ${found}` },
    ]);
  }
  return { value: toPlainValue(doc, locator, file), locator };
}

/**
 * Parses a single YAML value (a command-line override such as `[0.1, 1]` or `{ epochs: 5 }`) with
 * the same guards as a file; an empty text is null. Throws ExperimentError for bad input.
 */
export function parseYamlValue(source: string, file: string): unknown {
  const { doc, locator } = parseGuarded(source, file);
  if (doc.contents === null) return null;
  const structureIssues = checkTree(doc, locator, file);
  if (structureIssues.length > 0) throw new ExperimentError(structureIssues);
  return toPlainValue(doc, locator, file);
}

/** Size, nesting depth and syntax: everything checked before a document is composed. */
function parseGuarded(source: string, file: string): { doc: Document.Parsed; locator: SourceLocator } {
  const issueAt = (position: Position, message: string): ValidationIssue => ({ file, ...position, path: '', message });
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > MAX_FILE_BYTES) {
    throw new ExperimentError([
      issueAt({ line: 1, column: 1 }, `the file is ${bytes} bytes; experiment files are limited to ${MAX_FILE_BYTES} bytes (1 MiB)`),
    ]);
  }

  // The source is lexed and parsed once: the nesting is checked on the tokens, which are then
  // composed into the document as yaml's parseDocument would.
  const lineCounter = new LineCounter();
  const options = { lineCounter, prettyErrors: false, uniqueKeys: true, version: '1.2' } as const;
  let doc: Document.Parsed;
  try {
    const tokens = [...new Parser(lineCounter.addNewLine).parse(source)];
    const tooDeepAt = findExcessiveNesting(tokens);
    if (tooDeepAt !== null) {
      const { line, col } = lineCounter.linePos(tooDeepAt);
      throw new ExperimentError([
        issueAt({ line, column: col }, `lists and mappings are nested more than ${MAX_NESTING_DEPTH} levels deep`),
      ]);
    }
    doc = composeOne(tokens, source, options);
  } catch (error) {
    if (error instanceof ExperimentError) throw error;
    // yaml reports syntax problems in doc.errors; anything thrown is an internal limit.
    throw new ExperimentError([issueAt({ line: 1, column: 1 }, `the file could not be read as YAML: ${errorMessage(error)}`)]);
  }
  const locator = new SourceLocator(doc, lineCounter);

  const yamlProblems = [...doc.errors, ...doc.warnings];
  const tabs = tabIndentIssue(source, yamlProblems.map((problem) => locator.position(problem.pos[0]).line), file);
  const syntaxIssues = yamlProblems
    .filter((problem) => !tabs?.lines.has(locator.position(problem.pos[0]).line))
    .map((problem) =>
      issueAt(locator.position(problem.pos[0]), yamlProblemMessage(doc, locator, problem.code, problem.message, problem.pos[0])),
    );
  if (tabs !== null) syntaxIssues.push(tabs.issue);
  if (syntaxIssues.length > 0) throw new ExperimentError(syntaxIssues);
  return { doc, locator };
}

/** The document as plain data, with aliases expanded within limits (billion laughs). */
function toPlainValue(doc: Document.Parsed, locator: SourceLocator, file: string): unknown {
  const issueAt = (position: Position, message: string): ValidationIssue => ({ file, ...position, path: '', message });
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const firstAlias = firstAliasOffset(doc);
    const position = firstAlias === null ? { line: 1, column: 1 } : locator.position(firstAlias);
    const message =
      error instanceof ReferenceError && /alias/i.test(error.message)
        ? `aliases expand to too many values (more than ${MAX_ALIAS_COUNT} expansions); this looks like a "billion laughs" document`
        : `the file could not be read as YAML: ${errorMessage(error)}`;
    throw new ExperimentError([issueAt(position, message)]);
  }
  // Aliases can stack nested collections on top of each other; keep the expanded value shallow too.
  if (valueDepth(value) > MAX_NESTING_DEPTH) {
    const firstAlias = firstAliasOffset(doc);
    const position = firstAlias === null ? locator.rootPosition() : locator.position(firstAlias);
    throw new ExperimentError([
      issueAt(position, `lists and mappings are nested more than ${MAX_NESTING_DEPTH} levels deep once aliases are expanded`),
    ]);
  }
  return value;
}

/**
 * A tab in the indentation of a line is one mistake, but YAML reports it and then its knock-on
 * effects (the line read as a key, a block sequence as an implicit key, ...). Of the lines with a
 * problem, those indented with a tab become one issue naming the cause; their other problems go.
 */
function tabIndentIssue(source: string, problemLines: number[], file: string): { issue: ValidationIssue; lines: Set<number> } | null {
  const sourceLines = source.split(/\r?\n|\r/);
  const lines = new Set(problemLines.filter((line) => /^[ ]*\t/.test(sourceLines[line - 1] ?? '')));
  if (lines.size === 0) return null;
  const [first, ...others] = [...lines].sort((a, b) => a - b);
  const column = (sourceLines[first - 1].indexOf('\t') ?? 0) + 1;
  const also = others.length === 0 ? '' : ` (and line${others.length === 1 ? '' : 's'} ${others.join(', ')})`;
  return {
    issue: { file, line: first, column, path: '', message: `the line is indented with a tab${also}; YAML indents with spaces only: replace the tabs with spaces` },
    lines,
  };
}

/**
 * Offset of the first collection nested deeper than MAX_NESTING_DEPTH, or null. Runs on yaml's
 * concrete syntax tree, which is built without recursion, because composing a deeply nested
 * document recursively can exhaust the stack (or worse) before any limit applies.
 */
/** The document of `tokens` as yaml's parseDocument composes it (a second document is an error). */
function composeOne(tokens: CST.Token[], source: string, options: ConstructorParameters<typeof Composer>[0]): Document.Parsed {
  let doc: Document.Parsed | null = null;
  for (const next of new Composer(options).compose(tokens, true, source.length)) {
    if (!doc) doc = next as Document.Parsed;
    else {
      doc.errors.push(new YAMLParseError(next.range.slice(0, 2) as [number, number], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  // compose(..., true) always ends with a document.
  return doc!;
}

function findExcessiveNesting(tokens: CST.Token[]): number | null {
  type CstToken = { type?: string; offset?: number; value?: unknown; items?: { key?: unknown; value?: unknown }[] };
  const stack: [CstToken, number][] = [];
  for (const token of tokens) stack.push([token as CstToken, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    const isCollection = token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection';
    const inner = isCollection ? depth + 1 : depth;
    if (inner > MAX_NESTING_DEPTH) return token.offset ?? 0;
    const children: unknown[] = [];
    if (token.type === 'document' && token.value) children.push(token.value);
    for (const item of token.items ?? []) children.push(item.key, item.value);
    for (const child of children) if (child && typeof child === 'object') stack.push([child as CstToken, inner]);
  }
  return null;
}

/** Keys must be plain scalars and aliases must not contain themselves; both would break toJS. */
function checkTree(doc: Document.Parsed, locator: SourceLocator, file: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const ancestors: unknown[] = [];
  const visit = (node: unknown): void => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target && ancestors.includes(target) && node.range) {
        issues.push({ file, ...locator.position(node.range[0]), path: '', message: `the alias *${node.source} refers to a value that contains it` });
      }
      return;
    }
    if (ancestors.length > MAX_NESTING_DEPTH + 8) return;
    if (isMap(node) || isSeq(node)) {
      ancestors.push(node);
      for (const item of node.items) {
        if (isPair(item)) {
          if ((isMap(item.key) || isSeq(item.key)) && isNodeWithRange(item.key)) {
            issues.push({ file, ...locator.position(item.key.range[0]), path: '', message: 'a key must be a plain name, not a list or a mapping' });
          }
          visit(item.value);
        } else visit(item);
      }
      ancestors.pop();
    }
  };
  visit(doc.contents);
  return issues;
}

function firstAliasOffset(doc: Document.Parsed): number | null {
  let first: number | null = null;
  const visit = (node: unknown): void => {
    if (isAlias(node)) {
      if (node.range && (first === null || node.range[0] < first)) first = node.range[0];
    } else if (isMap(node) || isSeq(node)) {
      for (const item of node.items) visit(isPair(item) ? item.value : item);
    }
  };
  visit(doc.contents);
  return first;
}

function valueDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > max) max = depth + 1;
    if (max > MAX_NESTING_DEPTH) return max;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return max;
}

function yamlProblemMessage(doc: Document.Parsed, locator: SourceLocator, code: string, message: string, offset: number): string {
  if (code === 'DUPLICATE_KEY') {
    const duplicate = findDuplicateKey(doc, offset);
    if (duplicate) {
      const first = locator.position(duplicate.firstOffset);
      return `duplicate key "${duplicate.name}"; it is already set on line ${first.line}`;
    }
    return 'duplicate key; every setting may appear only once per mapping';
  }
  if (code === 'MULTIPLE_DOCS') return 'the file holds more than one YAML document (---); an experiment file holds exactly one';
  if (code === 'TAG_RESOLVE_FAILED') return `${message.replace(/^Unresolved tag/, 'unsupported tag')}; experiment files use plain YAML values`;
  return `invalid YAML: ${message}`;
}

function findDuplicateKey(doc: Document.Parsed, offset: number): { name: string; firstOffset: number } | null {
  let result: { name: string; firstOffset: number } | null = null;
  const visit = (node: unknown): void => {
    if (result !== null) return;
    if (isMap(node)) {
      const firstByName = new Map<string, number>();
      for (const pair of node.items) {
        const name = keyText(pair.key);
        const start = isNodeWithRange(pair.key) ? pair.key.range[0] : -1;
        const first = firstByName.get(name);
        if (first !== undefined && start === offset) {
          result = { name, firstOffset: first };
          return;
        }
        if (first === undefined) firstByName.set(name, start);
      }
      for (const pair of node.items) visit(pair.value);
    } else if (isSeq(node)) {
      for (const item of node.items) visit(item);
    }
  };
  visit(doc.contents);
  return result;
}

/** The property name a key becomes in the plain data. */
function keyText(key: unknown): string {
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  if (key instanceof Alias) return key.source;
  return String(key);
}

function isEmptyScalar(node: YamlNode): boolean {
  return isScalar(node) && node.value === null && node.range !== undefined && node.range !== null && node.range[0] === node.range[1];
}

function isNodeWithRange(node: unknown): node is YamlNode & { range: [number, number, number] } {
  return node !== null && typeof node === 'object' && Array.isArray((node as { range?: unknown }).range);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
