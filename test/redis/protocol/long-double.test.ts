import { describe, expect, test } from 'vitest';
import { fc, test as fcTest } from '@fast-check/vitest';
import { parseLongDouble, addLongDouble, formatLongDoubleHuman, longDoubleFromInt } from '../../../sim/redis/protocol/long-double.js';

const fmt = (s: string): string | null => {
  const x = parseLongDouble(s);
  return x === null ? null : formatLongDoubleHuman(x);
};

describe('80-bit long double (INCRBYFLOAT arithmetic)', () => {
  test('strtold grammar as string2ld accepts it', () => {
    expect(fmt('1.5')).toBe('1.5');
    expect(fmt('-1.5e2')).toBe('-150');
    expect(fmt('+.25')).toBe('0.25');
    expect(fmt('5.')).toBe('5');
    expect(fmt('0x10')).toBe('16');
    expect(fmt('0x1.8p1')).toBe('3');
    expect(fmt('-0')).toBe('0');
    for (const bad of ['', ' 1', '1 ', '1e', 'e5', '.', '0x', 'nan', '-nan', '1,5', '1e5000', 'x'.repeat(6000)]) expect(fmt(bad), bad).toBeNull();
    expect(parseLongDouble('inf')).toEqual({ kind: 'inf', neg: false });
    expect(parseLongDouble('-Infinity')).toEqual({ kind: 'inf', neg: true });
  });
  test('decimal rounding uses the 64-bit mantissa (0.1 prints as 0.1, not 0.10000000000000001)', () => {
    expect(fmt('0.1')).toBe('0.1');
    expect(fmt('0.3')).toBe('0.3');
    expect(fmt('1000000.1')).toBe('1000000.10000000000002274'); // real 7.0.15 INCRBYFLOAT 1000000 0.1
  });
  test('inf + -inf is NaN', () => {
    expect(addLongDouble(parseLongDouble('inf')!, parseLongDouble('-inf')!)).toBeNull();
  });
  fcTest.prop([fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n })])(
    'integers below 2^64 add exactly',
    (a, b) => {
      const sum = addLongDouble(longDoubleFromInt(a), longDoubleFromInt(b))!;
      const exact = a + b;
      if (exact >= -(2n ** 64n) && exact < 2n ** 64n) expect(formatLongDoubleHuman(sum)).toBe(exact.toString());
    },
  );
  test('larger values show the binary error in the 17th decimal, as real 7.0.15 does', () => {
    // INCRBYFLOAT f <v> on f = 0, real redis-server 7.0.15.
    expect(fmt('128.43')).toBe('128.42999999999999999');
    expect(fmt('12345.67')).toBe('12345.66999999999999993');
    expect(fmt('99.99')).toBe('99.99');
    expect(fmt('3.14159')).toBe('3.14159');
  });
  // Below 64 the rounding error (≤ 2^-58) is under half of the 17th decimal.
  fcTest.prop([fc.integer({ min: -63, max: 63 }), fc.integer({ min: 0, max: 99 })])(
    'short decimals below 64 print back as typed',
    (int, cents) => {
      const text = `${int}.${String(cents).padStart(2, '0')}`.replace(/\.?0+$/, '');
      expect(fmt(text)).toBe(text === '-0' ? '0' : text);
    },
  );
});
