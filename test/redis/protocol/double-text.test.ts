/**
 * Redis 7.0's double texts: "%.17g" replies and strtod-style parsing. Expected texts are
 * glibc printf's (and ZSCORE replies of a real 7.0.15 for the same scores).
 */
import { describe, expect, test } from 'vitest';
import { formatDouble17g, string2d, parseScoreBound, d2string } from '../../../sim/redis/protocol/double-text.js';

describe('formatDouble17g = printf("%.17g")', () => {
  test.each([
    [0.1, '0.10000000000000001'],
    [1.6, '1.6000000000000001'],
    [1.5, '1.5'],
    [16, '16'],
    [1e17, '1e+17'],
    [1e16, '10000000000000000'],
    [123456789.125, '123456789.125'],
    [1e-5, '1.0000000000000001e-05'],
    [0.0001, '0.0001'],
    [-2.5e-300, '-2.5e-300'],
    [2 ** -1074, '4.9406564584124654e-324'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [-0, '-0'],
    [0, '0'],
  ])('%d → %s', (d, text) => {
    expect(formatDouble17g(d)).toBe(text);
  });
  test('d2string prints integral values as integers (how a listpack stores a score)', () => {
    expect(d2string(3)).toBe('3');
    expect(d2string(1e17)).toBe('100000000000000000');
    expect(d2string(0.5)).toBe('0.5');
  });
});

describe('string2d (ZADD scores) and zslParseRange bounds', () => {
  test('whole-text numbers only; inf and hex accepted; NaN, spaces and overflow refused', () => {
    expect(string2d('1.5')).toBe(1.5);
    expect(string2d('+inf')).toBe(Infinity);
    expect(string2d('-Infinity')).toBe(-Infinity);
    expect(string2d('0x10')).toBe(16);
    expect(string2d('-0')).toBe(-0);
    for (const bad of ['', ' 1', '1 ', 'nan', 'abc', '1e400', '1e-400', '1.5x']) expect(string2d(bad), bad).toBeNull();
  });
  test('range bounds: "(" makes them exclusive; strtod skips leading spaces and saturates', () => {
    expect(parseScoreBound('(2')).toEqual({ value: 2, exclusive: true });
    expect(parseScoreBound(' 2')).toEqual({ value: 2, exclusive: false });
    expect(parseScoreBound('1e400')).toEqual({ value: Infinity, exclusive: false });
    expect(parseScoreBound('')).toEqual({ value: 0, exclusive: false });
    expect(parseScoreBound('a')).toBeNull();
    expect(parseScoreBound('2 ')).toBeNull();
  });
});
