// PrefixedLineReader: a file's first line, then every other line with a prefix, whatever
// the block boundaries; the same text as splitting it into lines and joining them again.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PrefixedLineReader } from '../../src/files/lines.js';
import { tempFolder } from '../helpers/temp-folders.js';

/** What the reader must give for `text`: its first line, and the others each as prefix + line + newline. */
function expected(text: string, prefix: string): { first: string | null; rest: string; lines: number } {
  if (text === '') return { first: null, rest: '', lines: 0 };
  const newline = text.indexOf('\n');
  if (newline < 0) return { first: text, rest: '', lines: 0 };
  const body = text.slice(newline + 1);
  const lines = body === '' ? [] : body.replace(/\n$/, '').split('\n');
  return { first: text.slice(0, newline), rest: lines.map((line) => `${prefix}${line}\n`).join(''), lines: lines.length };
}

function read(path: string, prefix: string) {
  const reader = new PrefixedLineReader(path);
  try {
    const first = reader.firstLine();
    let rest = '';
    let lines = 0;
    for (const batch of reader.prefixedLines(prefix)) {
      rest += batch.text;
      lines += batch.lines;
    }
    return { first, rest, lines };
  } finally {
    reader.close();
  }
}

describe('a file read as prefixed lines', () => {
  it('gives the lines as the text has them, across block boundaries, with odd line ends and a long first line', () => {
    const dir = tempFolder();
    const many = Array.from({ length: 9000 }, (_, i) => `${i},${(1 / (i + 3)).toString()}`).join('\n');
    const texts = [
      '',
      'epoch,cost',
      'epoch,cost\n',
      'epoch,cost\n0,1\n1,0.5\n',
      'epoch,cost\n0,1\n1,0.5',
      'epoch,cost\n\n0,1\n\n',
      'epoch,cost\r\n0,1\r\n1,é\r\n',
      `epoch,cost\n${many}\n`,
      `epoch,cost\n${many}`,
      `${'x'.repeat(200_000)}\n${many}\n${'y'.repeat(150_000)}`,
    ];
    for (const [i, text] of texts.entries()) {
      const path = join(dir, `${i}.csv`);
      writeFileSync(path, text);
      for (const prefix of ['', '12,0.01,', '"a,b",ü,']) expect(read(path, prefix), `text ${i}, prefix ${prefix}`).toEqual(expected(text, prefix));
    }
  });

  it('fails on a missing file as a read would', () => {
    expect(() => new PrefixedLineReader(join(tempFolder(), 'none.csv'))).toThrow(/ENOENT/);
  });
});
