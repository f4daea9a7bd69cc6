import { expect, test } from 'vitest';
import { stringMatch } from '../../../sim/redis/protocol/glob.js';
import { makeCtx, exec } from '../../helpers/exec.js';

test('glob patterns as util.c stringmatchlen', () => {
  const yes: Array<[string, string]> = [
    ['*', 'abc'], ['a*', 'abc'], ['*c', 'abc'], ['a?c', 'abc'], ['[abc]', 'b'], ['[^abc]', 'd'],
    ['[a-c]', 'b'], ['[c-a]', 'b'], ['\\*', '*'], ['a\\?c', 'a?c'], ['[\\]]', ']'], ['*a*a*a*', 'aaa'],
  ];
  const no: Array<[string, string]> = [
    ['a*', 'bac'], ['a?c', 'ac'], ['[abc]', 'd'], ['[^abc]', 'a'], ['\\*', 'a'], ['?', ''],
    ['*', ''], // KEYS * never calls the matcher; the matcher itself needs a character
    ['*a*a*a*b', 'a'.repeat(60)], // and returns quickly thanks to skipLongerMatches
  ];
  for (const [p, s] of yes) expect(stringMatch(p, s), `${p} ~ ${s}`).toBe(true);
  for (const [p, s] of no) expect(stringMatch(p, s), `${p} !~ ${s}`).toBe(false);
  expect(stringMatch('HELLO', 'hello', true)).toBe(true);
});

test('odd patterns behave like KEYS on a real 7.0.15', () => {
  // Keys: foo foox foo[ ] a- b. Results observed with redis-cli KEYS on 7.0.15.
  const ctx = makeCtx();
  exec(ctx, 'mset', 'foo', '1', 'foox', '1', 'foo[', '1', ']', '1', 'a-', '1', 'b', '1');
  const keys = (p: string): string[] => {
    const r = exec(ctx, 'keys', p);
    return r.type === 'array' ? r.items!.map((i) => (i.type === 'bulk' ? i.value! : '')).sort() : [];
  };
  expect(keys('foo[')).toEqual([]);
  expect(keys('foo[x')).toEqual(['foox']);
  expect(keys('foo[x]')).toEqual(['foox']);
  expect(keys('[]]')).toEqual([]);
  expect(keys('[a-]')).toEqual([']']);
  expect(keys('[\\]]')).toEqual([']']);
  expect(keys('foo\\')).toEqual([]);
  expect(keys('[^]')).toEqual([']', 'b']);
});
