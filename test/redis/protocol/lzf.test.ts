import { expect, test } from 'vitest';
import { rdbCompressibleBytes } from '../../../sim/redis/data/rdb-size.js';
import { lzfCompressedLength } from '../../../sim/redis/protocol/lzf.js';

function populated(i: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  const text = `value:${i}`;
  for (let j = 0; j < Math.min(size, text.length); j++) out[j] = text.charCodeAt(j);
  return out;
}

// DEBUG OBJECT key:<i> serializedlength after DEBUG POPULATE 1000000 key 100 on a real 7.0.15.
test.each([
  [0, 19], [1, 19], [5, 19], [12, 20], [31415, 23], [77777, 22], [100000, 23], [123456, 24], [999999, 22],
])('populated value %i (100 bytes) saves as %i bytes, like real Redis', (i, bytes) => {
  expect(rdbCompressibleBytes(populated(i, 100))).toBe(bytes);
});

test('incompressible data is stored verbatim (LZF must save at least 4 bytes)', () => {
  const noise = new Uint8Array(64);
  let x = 12345;
  for (let i = 0; i < noise.length; i++) noise[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  expect(lzfCompressedLength(noise, noise.length - 4)).toBe(0);
  expect(rdbCompressibleBytes(noise)).toBe(2 + 64); // 64 needs the 14-bit length form
  expect(rdbCompressibleBytes(new Uint8Array(1000))).toBeLessThan(30);
});
