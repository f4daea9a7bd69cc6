/**
 * What rdbcompression and a dataset's compressibility do to an RDB's size, from rdb.c's
 * rules: rdbSaveRawString stores a string longer than 20 bytes LZF-compressed only with
 * rdbcompression yes and only when that saves ≥ 4 bytes; otherwise a length prefix
 * (rdbSaveLen: 1, 2, 5 or 9 bytes) and the bytes. Checked against redis-server 7.0.15:
 * DEBUG POPULATE 100000 key 1024 saves 4,277,869 bytes with rdbcompression yes and
 * 103,688,988 with no; the model gives both within the 173-byte header's difference.
 */
import { describe, expect, test } from 'vitest';
import { Keyspace } from '../../../sim/redis/data/keyspace.js';
import { rdbLenBytes, rdbPopulatedValueBytes, RDB_EMPTY_BYTES, rdbDbHeaderBytes } from '../../../sim/redis/data/rdb-size.js';

/** An RDB of `keys` keys `key:<i>` with values of `size` bytes stored verbatim: type, key, length, bytes. */
function verbatimRdbBytes(keys: number, size: number): number {
  let total = RDB_EMPTY_BYTES + rdbDbHeaderBytes(0, keys, 0);
  for (let i = 0; i < keys; i++) {
    const keyLen = `key:${i}`.length;
    total += 1 + rdbLenBytes(keyLen) + keyLen + rdbLenBytes(size) + size;
  }
  return total;
}

describe('RDB size: rdbcompression and values', () => {
  test('rdbcompression no stores DEBUG POPULATE values verbatim', () => {
    const ks = new Keyspace(16);
    ks.populate(0, 100_000, 'key', 1024);
    expect(ks.rdbSizeBytes(false)).toBe(verbatimRdbBytes(100_000, 1024));
    // With compression the zero padding shrinks to a few bytes a value: ≈ 4.3 MB, not ≈ 104 MB.
    expect(ks.rdbSizeBytes(true)).toBeLessThan(verbatimRdbBytes(100_000, 1024) / 20);
    // Measured on redis-server 7.0.15 (header aside): within 200 bytes.
    expect(Math.abs(ks.rdbSizeBytes(true) - 4_277_869)).toBeLessThan(200);
    expect(Math.abs(ks.rdbSizeBytes(false) - 103_688_988)).toBeLessThan(200);
  });

  test('random values are incompressible: the same size with or without rdbcompression', () => {
    const ks = new Keyspace(16);
    ks.populate(0, 50_000, 'key', 1024, 'random');
    expect(ks.rdbSizeBytes(true)).toBe(verbatimRdbBytes(50_000, 1024));
    expect(ks.rdbSizeBytes(false)).toBe(verbatimRdbBytes(50_000, 1024));
  });

  test('5M keys of 1 KB random values make an RDB of ≈ 5 GB (4.84 GiB), 23× the DEBUG POPULATE one', () => {
    const random = new Keyspace(16);
    random.populate(0, 5_000_000, 'key', 1024, 'random');
    // 5M × (1 type + 1 + ≈11 key + 2 + 1024) ≈ 5.19e9 bytes.
    expect(random.rdbSizeBytes()).toBe(verbatimRdbBytes(5_000_000, 1024));
    expect(random.rdbSizeBytes() / 1e9).toBeCloseTo(5.19, 2);
    const populate = new Keyspace(16);
    populate.populate(0, 5_000_000, 'key', 1024);
    expect(random.rdbSizeBytes() / populate.rdbSizeBytes()).toBeGreaterThan(20);
  });

  test('a ratio prices the LZF blob at that fraction: opcode, both lengths, ceil(len × ratio) bytes', () => {
    // rdbSaveLzfStringObject: RDB_ENC_LZF byte, compressed length, original length, blob.
    expect(rdbPopulatedValueBytes(1000, 3, { ratio: 0.4 })).toBe(1 + rdbLenBytes(400) + rdbLenBytes(1000) + 400);
    // A saving under 4 bytes is not worth it: stored verbatim.
    expect(rdbPopulatedValueBytes(100, 3, { ratio: 0.99 })).toBe(rdbLenBytes(100) + 100);
    // Up to 20 bytes Redis never tries.
    expect(rdbPopulatedValueBytes(20, 2, { ratio: 0.1 })).toBe(rdbLenBytes(20) + 20);
  });

  test('rdbcompression no counts a rewritten key once, with its new value', () => {
    const ks = new Keyspace(16);
    ks.populate(0, 1000, 'key', 1024);
    ks.set(0, 'key:5', 'x'.repeat(30)); // shadows one range key
    const expected = verbatimRdbBytes(1000, 1024) - (rdbLenBytes(1024) + 1024) + (rdbLenBytes(30) + 30);
    expect(ks.rdbSizeBytes(false)).toBe(expected);
  });
});
