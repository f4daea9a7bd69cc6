import { describe, expect, test } from 'vitest';
import { fc, test as fcTest } from '@fast-check/vitest';
import { respCommandBytes, encodeCommand, utf8ByteLength, decimalDigits } from '../../../sim/redis/protocol/resp.js';
import { formatReply, quoteRepr, ok, err, int, bulk, nil, array, bulkArray, emptyArray, nilArray, status } from '../../../sim/redis/protocol/reply.js';

/**
 * Byte counts derived by hand from RESP: `*<argc>\r\n` is 1 + digits(argc) + 2 bytes, each
 * argument `$<len>\r\n<arg>\r\n` is 1 + digits(len) + 2 + len + 2. The replication offsets
 * of redis-replication.md §3.1 (and of a real 7.0.15: `SET foo bar` moved
 * master_repl_offset by 31, a first write with its SELECT 0 by 54).
 */
describe('respCommandBytes', () => {
  const cases: Array<[string[], number, string]> = [
    [['SET', 'foo', 'bar'], 31, '4 + (4+5) + (4+5) + (4+5)'],
    [['SELECT', '0'], 23, '4 + (4+8) + (4+3)'],
    [['SELECT', '10'], 24, '4 + (4+8) + (4+4)'],
    [['ping'], 14, '4 + (4+6)'],
    [['REPLCONF', 'GETACK', '*'], 37, '4 + (4+10) + (4+8) + (4+3)'],
    [['MULTI'], 15, '4 + (4+7)'],
    [['EXEC'], 14, '4 + (4+6)'],
    [['DEL', 'foo'], 22, '4 + (4+5) + (4+5)'],
    [['UNLINK', 'foo'], 25, '4 + (4+8) + (4+5)'],
    [['INCR', 'x'], 21, '4 + (4+6) + (4+3)'],
    [['SREM', 's', 'a'], 28, '4 + (4+6) + (4+3) + (4+3)'],
    [['PEXPIREAT', 'foo', '1700000000000'], 48, '4 + (4+11) + (4+5) + (5+15)'],
    [['SET', 'foo', 'bar', 'PXAT', '1700000000000'], 61, '4 + 9 + 9 + 9 + (4+6) + (5+15)'],
  ];
  for (const [argv, bytes, derivation] of cases) {
    test(`${argv.join(' ')} = ${bytes} bytes (${derivation})`, () => {
      expect(respCommandBytes(argv)).toBe(bytes);
      expect(encodeCommand(argv).length).toBe(bytes); // all ASCII: chars = bytes
    });
  }

  test('the first write after a full sync: SELECT 0 + SET foo bar = 54 (real 7.0.15 offset delta)', () => {
    expect(respCommandBytes(['SELECT', '0']) + respCommandBytes(['SET', 'foo', 'bar'])).toBe(54);
  });

  test('lengths count UTF-8 bytes, not UTF-16 units', () => {
    expect(respCommandBytes(['SET', 'k', 'é'])).toBe(4 + 9 + 7 + (4 + 2 + 2));
    expect(respCommandBytes(['SET', 'k', '€'])).toBe(4 + 9 + 7 + (4 + 3 + 2));
    expect(respCommandBytes(['SET', 'k', '😀'])).toBe(4 + 9 + 7 + (4 + 4 + 2));
    expect(respCommandBytes(['SET', 'k', ''])).toBe(4 + 9 + 7 + (4 + 0 + 2));
  });

  test('argument lengths and counts with more digits', () => {
    const v = 'x'.repeat(12345);
    expect(respCommandBytes(['SET', 'k', v])).toBe(4 + 9 + 7 + (1 + 5 + 2 + 12345 + 2));
    const many = Array.from({ length: 1000 }, () => 'a');
    expect(respCommandBytes(many)).toBe(1 + 4 + 2 + 1000 * 7);
  });

  fcTest.prop([fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 8 })])(
    'equals the byte length of the encoded text for any argv',
    (argv) => {
      expect(respCommandBytes(argv)).toBe(new TextEncoder().encode(encodeCommand(argv)).length);
    },
  );

  fcTest.prop([fc.string({ unit: 'binary' })])('utf8ByteLength agrees with TextEncoder (lone surrogates: 3 bytes)', (s) => {
    expect(utf8ByteLength(s)).toBe(new TextEncoder().encode(s).length);
  });

  test('decimalDigits', () => {
    for (const [n, d] of [[0, 1], [9, 1], [10, 2], [4095, 4], [4096, 4], [9999, 4], [10000, 5], [1767225600000, 13]] as const) {
      expect(decimalDigits(n)).toBe(d);
    }
  });

  test('encodeCommand', () => {
    expect(encodeCommand(['SET', 'foo', 'bar'])).toBe('*3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n$3\r\nbar\r\n');
  });
});

describe('formatReply (redis-cli TTY form)', () => {
  test('scalars', () => {
    expect(formatReply(ok())).toBe('OK');
    expect(formatReply(status('PONG'))).toBe('PONG');
    expect(formatReply(int(1))).toBe('(integer) 1');
    expect(formatReply(int(-2))).toBe('(integer) -2');
    expect(formatReply(bulk('bar'))).toBe('"bar"');
    expect(formatReply(nil())).toBe('(nil)');
    expect(formatReply(err("READONLY You can't write against a read only replica."))).toBe(
      "(error) READONLY You can't write against a read only replica.",
    );
  });

  test('arrays: numbered, right-aligned indexes, nested prefixes', () => {
    expect(formatReply(bulkArray(['a', 'b']))).toBe('1) "a"\n2) "b"');
    expect(formatReply(emptyArray())).toBe('(empty array)');
    expect(formatReply(nilArray())).toBe('(nil)');
    const ten = bulkArray(Array.from({ length: 10 }, (_, i) => String(i)));
    expect(formatReply(ten).split('\n')[0]).toBe(' 1) "0"');
    expect(formatReply(ten).split('\n')[9]).toBe('10) "9"');
    expect(formatReply(array([int(1), bulkArray(['x', 'y']), nil()]))).toBe('1) (integer) 1\n2) 1) "x"\n   2) "y"\n3) (nil)');
  });

  test('bulk strings are escaped like sdscatrepr', () => {
    expect(quoteRepr('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteRepr('\n\r\t\x07\x08')).toBe('"\\n\\r\\t\\a\\b"');
    expect(quoteRepr('value:1\0\0')).toBe('"value:1\\x00\\x00"');
    expect(quoteRepr('é')).toBe('"\\xc3\\xa9"');
    expect(quoteRepr('\x7f')).toBe('"\\x7f"');
  });

  test('shared replies are reused (no allocation on the hot path)', () => {
    expect(ok()).toBe(ok());
    expect(nil()).toBe(nil());
    expect(int(1)).toBe(int(1));
    expect(int(123456).type).toBe('int');
  });
});
