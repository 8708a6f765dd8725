import { describe, expect, it } from 'vitest';
import { damerauLevenshtein, suggest } from '../../src/experiment/index.js';

describe('damerauLevenshtein', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions', () => {
    expect(damerauLevenshtein('', '')).toBe(0);
    expect(damerauLevenshtein('abc', '')).toBe(3);
    expect(damerauLevenshtein('', 'abc')).toBe(3);
    expect(damerauLevenshtein('learning_rte', 'learning_rate')).toBe(1);
    expect(damerauLevenshtein('sigmod', 'sigmoid')).toBe(1);
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
    expect(damerauLevenshtein('ab', 'ba')).toBe(1);
    expect(damerauLevenshtein('tnah', 'tanh')).toBe(1);
    // Unrestricted: "ca" -> "ac" -> "abc" is 2 (optimal string alignment would say 3).
    expect(damerauLevenshtein('ca', 'abc')).toBe(2);
  });

  it('is symmetric and zero only for equal strings', () => {
    const words = ['relu', 'leaky_relu', 'xavier', 'he', 'plain', 'zeros', 'epochs', ''];
    for (const a of words) {
      for (const b of words) {
        expect(damerauLevenshtein(a, b)).toBe(damerauLevenshtein(b, a));
        expect(damerauLevenshtein(a, b) === 0).toBe(a === b);
      }
    }
  });
});

describe('suggest', () => {
  const settings = ['epochs', 'learning_rate', 'batch_size', 'record_every'];
  it('finds likely typos', () => {
    expect(suggest('learning_rte', settings)).toBe('learning_rate');
    expect(suggest('learningRate', settings)).toBe('learning_rate');
    expect(suggest('Epochs', settings)).toBe('epochs');
    expect(suggest('epoch', settings)).toBe('epochs');
    expect(suggest('batchsize', settings)).toBe('batch_size');
    expect(suggest('sigmod', ['sigmoid', 'tanh', 'relu'])).toBe('sigmoid');
    expect(suggest('hee', ['plain', 'xavier', 'he', 'zeros'])).toBe('he');
  });
  it('stays quiet when nothing is close', () => {
    expect(suggest('momentum', settings)).toBeUndefined();
    expect(suggest('x', ['plain', 'xavier', 'he', 'zeros'])).toBeUndefined();
    expect(suggest('anything', [])).toBeUndefined();
  });
  it('never suggests the input itself', () => {
    expect(suggest('epochs', settings)).toBeUndefined();
  });
});
