import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, prepareDataset } from '../../src/data/index.js';
import type { DatasetSpec } from '../../src/experiment/types.js';
import { rowsOf } from './rows.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gradgrid-csv-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

/** The DatasetError that preparing the spec throws (fails the test if none is thrown). */
function errorOf(spec: DatasetSpec): DatasetError {
  try {
    prepareDataset(spec, { baseDir: dir });
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('expected a DatasetError');
}

describe('CSV datasets', () => {
  it('reads features and a numeric target, target defaulting to the last column', () => {
    const csv = write('points.csv', 'x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n');
    const prepared = prepareDataset({ csv }, { baseDir: dir });
    expect(prepared.featureNames).toEqual(['x1', 'x2']);
    expect(rowsOf(prepared.train.x)).toEqual([[0, 0, 1, 1], [0, 1, 0, 1]]);
    expect(rowsOf(prepared.train.y)).toEqual([[0, 1, 1, 0]]);
    expect(prepared.binaryTargets).toBe(true);
    expect(prepared.inputFeatureCount).toBe(2);
  });

  it('selects features and target by name, in the order given', () => {
    const csv = write('named.csv', 'label,a,b,c\n1,2,3,4\n0,5,6,7\n');
    const prepared = prepareDataset({ csv, features: ['c', 'a'], target: 'label' }, { baseDir: dir });
    expect(prepared.featureNames).toEqual(['c', 'a']);
    expect(rowsOf(prepared.train.x)).toEqual([[4, 7], [2, 5]]);
    expect(rowsOf(prepared.train.y)).toEqual([[1, 0]]);
  });

  it('uses every column except the target as features by default', () => {
    const csv = write('middle.csv', 'a,t,b\n1,0.5,2\n3,1.5,4\n');
    const prepared = prepareDataset({ csv, target: 't' }, { baseDir: dir });
    expect(prepared.featureNames).toEqual(['a', 'b']);
    expect(rowsOf(prepared.train.y)).toEqual([[0.5, 1.5]]);
    expect(prepared.binaryTargets).toBe(false); // a regression target
  });

  it('maps class labels with `positive` (one-vs-rest)', () => {
    const csv = write('flowers.csv', 'w,h,species\n1,2,setosa\n3,4,virginica\n5,6,versicolor\n7,8,virginica\n');
    const prepared = prepareDataset({ csv, positive: 'virginica' }, { baseDir: dir });
    expect(rowsOf(prepared.train.y)).toEqual([[0, 1, 0, 1]]);
    expect(prepared.binaryTargets).toBe(true);
  });

  it('accepts scientific notation, signs, spaces around cells, quotes, CRLF, a BOM and blank lines', () => {
    const csv = write('forms.csv', '\uFEFFa,"b",y\r\n -1.5e2 , +.25 ,1\r\n\r\n"3",4.,0\r\n');
    const prepared = prepareDataset({ csv }, { baseDir: dir });
    expect(rowsOf(prepared.train.x)).toEqual([[-150, 3], [0.25, 4]]);
  });

  it('resolves the path against baseDir, and takes absolute paths as they are', () => {
    mkdirSync(join(dir, 'sub'), { recursive: true });
    write('sub/deep.csv', 'a,y\n1,0\n');
    expect(prepareDataset({ csv: 'sub/deep.csv' }, { baseDir: dir }).train.x.cols).toBe(1);
    expect(prepareDataset({ csv: join(dir, 'sub/deep.csv') }).train.x.cols).toBe(1);
  });
});

describe('CSV problems name the file, row and column', () => {
  it('missing file', () => {
    const error = errorOf({ csv: 'nowhere.csv' });
    expect(error.file).toBe(join(dir, 'nowhere.csv'));
    expect(error.message).toContain('nowhere.csv');
    expect(error.message).toMatch(/does not exist/);
  });

  it('a folder instead of a file', () => {
    mkdirSync(join(dir, 'folder.csv'), { recursive: true });
    expect(errorOf({ csv: 'folder.csv' }).message).toMatch(/is a folder/);
  });

  it('missing column, with a suggestion and the available columns', () => {
    const csv = write('cols.csv', 'petal_length,petal_width,species\n1,2,a\n');
    const error = errorOf({ csv, features: ['petal_lenght'], positive: 'a' });
    expect(error.column).toBe('petal_lenght');
    expect(error.row).toBe(1);
    expect(error.message).toContain('feature column "petal_lenght" is not in the header (did you mean "petal_length"?)');
    expect(error.message).toContain('the columns are "petal_length", "petal_width", "species"');

    const target = errorOf({ csv, target: 'specie', positive: 'a' });
    expect(target.column).toBe('specie');
    expect(target.message).toContain('target column "specie"');
    expect(target.message).toContain('did you mean "species"?');

    const far = errorOf({ csv, features: ['colour'], positive: 'a' });
    expect(far.message).not.toContain('did you mean');
  });

  it('non-numeric feature cell', () => {
    const csv = write('word.csv', 'a,b,y\n1,2,0\n3,four,1\n');
    const error = errorOf({ csv });
    expect(error).toMatchObject({ row: 3, column: 'b' });
    expect(error.message).toBe(`${join(dir, 'word.csv')}, row 3, column "b": "four" is not a number; feature cells must be numbers`);
  });

  it('empty cell', () => {
    const csv = write('hole.csv', 'a,b,y\n1,2,0\n3,,1\n');
    const error = errorOf({ csv });
    expect(error).toMatchObject({ row: 3, column: 'b' });
    expect(error.message).toContain('the cell is empty');
  });

  it('NaN and Infinity', () => {
    const nan = errorOf({ csv: write('nan.csv', 'a,y\n1,0\n2,1\nNaN,1\n') });
    expect(nan).toMatchObject({ row: 4, column: 'a' });
    expect(nan.message).toMatch(/"NaN" is not a finite number/);

    const inf = errorOf({ csv: write('inf.csv', 'a,y\n-Infinity,0\n') });
    expect(inf).toMatchObject({ row: 2, column: 'a' });
    expect(inf.message).toMatch(/NaN and Infinity are not allowed/);

    const huge = errorOf({ csv: write('huge.csv', 'a,y\n1e999,0\n') });
    expect(huge.message).toMatch(/too large/);

    const hex = errorOf({ csv: write('hex.csv', 'a,y\n0x10,0\n') });
    expect(hex.message).toMatch(/"0x10" is not a number/);
  });

  it('non-numeric target without `positive` suggests it', () => {
    const error = errorOf({ csv: write('labels.csv', 'a,species\n1,setosa\n') });
    expect(error).toMatchObject({ row: 2, column: 'species' });
    expect(error.message).toMatch(/the target must be numeric; for class labels set `positive`/);
  });

  it('a `positive` class that never occurs', () => {
    const error = errorOf({ csv: write('cls.csv', 'a,species\n1,setosa\n2,virginica\n'), positive: 'virginca' });
    expect(error.column).toBe('species');
    expect(error.message).toContain('did you mean "virginica"?');
    expect(error.message).toContain('"setosa", "virginica"');
  });

  it('ragged rows: too few and too many cells', () => {
    const short = errorOf({ csv: write('short.csv', 'a,b,y\n1,2,0\n\n3,4\n') });
    expect(short).toMatchObject({ row: 4, column: 'y' });
    expect(short.message).toMatch(/row 4, column "y": the row has 2 cells but the header has 3 columns/);

    const long = errorOf({ csv: write('long.csv', 'a,b,y\n1,2,0,9\n') });
    expect(long.row).toBe(2);
    expect(long.message).toMatch(/4 cells but the header has 3 columns/);
  });

  it('counts lines of quoted cells that span lines', () => {
    const error = errorOf({ csv: write('multi.csv', 'a,note,y\n1,"two\nlines",0\nx,ok,1\n'), features: ['a'] });
    expect(error).toMatchObject({ row: 4, column: 'a' });
  });

  it('empty file, and a file with only whitespace', () => {
    expect(errorOf({ csv: write('empty.csv', '') }).message).toMatch(/the CSV file is empty/);
    expect(errorOf({ csv: write('blank.csv', '\n\n') }).message).toMatch(/the CSV file is empty/);
  });

  it('a header but no rows', () => {
    const error = errorOf({ csv: write('header.csv', 'a,b,y\n') });
    expect(error.message).toMatch(/has a header \("a", "b", "y"\) but no data rows/);
  });

  it('broken quoting', () => {
    const error = errorOf({ csv: write('quote.csv', 'a,y\n1,"0\n') });
    expect(error.message).toMatch(/not valid CSV/);
    expect(error.row).toBeGreaterThanOrEqual(2);
  });

  it('header problems: duplicate and empty names', () => {
    expect(errorOf({ csv: write('dup.csv', 'a,a,y\n1,2,3\n') }).message).toMatch(/names column "a" twice/);
    expect(errorOf({ csv: write('noname.csv', 'a,,y\n1,2,3\n') }).message).toMatch(/header column 2 has no name/);
  });

  it('the target listed as a feature, or as the only column', () => {
    const csv = write('two.csv', 'a,y\n1,0\n');
    expect(errorOf({ csv, features: ['a', 'y'] }).message).toMatch(/"y" is the target column/);
    expect(errorOf({ csv: write('one.csv', 'y\n1\n') }).message).toMatch(/no feature columns/);
  });

  it('settings that do not apply to CSV', () => {
    const csv = write('ok.csv', 'a,y\n1,0\n');
    expect(errorOf({ csv, samples: 10 }).message).toMatch(/`samples` does not apply to a CSV dataset/);
  });
});
