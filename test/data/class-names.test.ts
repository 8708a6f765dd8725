// What targets 0 and 1 stand for when they come from class labels: kept for the report's legends.
import { describe, expect, it } from 'vitest';
import { prepareDataset, scatterPoints } from '../../src/data/index.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('class names of labelled data', () => {
  it('a CSV with two labels names both classes; with more, class 0 is "not <positive>"', () => {
    const two = prepareDataset({ csv: 'rings.csv', target: 'kind', positive: 'outer' }, { csvBytes: bytes('a,b,kind\n0,1,inner\n1,0,outer\n2,2,inner\n') });
    expect(two.classNames).toEqual(['inner', 'outer']);
    const three = prepareDataset({ csv: 'f.csv', positive: 'b' }, { csvBytes: bytes('x,y,c\n0,1,a\n1,0,b\n2,2,c\n') });
    expect(three.classNames).toEqual(['not b', 'b']);
    expect(prepareDataset({ csv: 'n.csv' }, { csvBytes: bytes('x,y,t\n0,1,0\n1,0,1\n') }).classNames).toBeUndefined();
  });

  it('iris one-vs-rest, and the scatter points carry the feature names and classes', () => {
    const iris = prepareDataset({ builtin: 'iris', features: ['petal_length', 'petal_width'], positive: 'virginica' });
    expect(iris.classNames).toEqual(['not virginica', 'virginica']);
    const points = scatterPoints(iris)!;
    expect(points.features).toEqual(['petal_length', 'petal_width']);
    expect(points.classes).toEqual(['not virginica', 'virginica']);
    const xor = scatterPoints(prepareDataset({ builtin: 'xor' }))!;
    expect(xor.features).toEqual(['x1', 'x2']);
    expect(xor.classes).toBeUndefined();
  });
});
