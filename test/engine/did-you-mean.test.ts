import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../sim/engine/did-you-mean.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit', () => {
    expect(editDistance('repl-timeout', 'repl-timeout')).toBe(0);
    expect(editDistance('repl-timout', 'repl-timeout')).toBe(1);
    expect(editDistance('repl-timeotu', 'repl-timeout')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('didYouMean', () => {
  const names = ['duration', 'description', 'nodes', 'network', 'timeline'];
  it('suggests close names only', () => {
    expect(didYouMean('duraton', names)).toBe('duration');
    expect(didYouMean('NODES', names)).toBe('nodes');
    expect(didYouMean('zzz', names)).toBeUndefined();
    expect(didYouMean('x', ['y'])).toBe('y');
  });
  it('falls back to a prefix or suffix match', () => {
    expect(didYouMean('backlog-size', ['repl-backlog-size', 'repl-timeout'])).toBe('repl-backlog-size');
  });
});
