/**
 * Length of the LZF compression of a byte string, ported from liblzf 3.6 as vendored by
 * Redis 7.0.15 (src/lzf_c.c with HLOG 16, VERY_FAST 1, ULTRA_FAST 0).
 *
 * Redis compresses every string longer than 20 bytes when it writes an RDB and keeps the
 * result only if it saves at least 4 bytes (rdbSaveLzfStringObject). The RDB size model
 * (rdb-size.ts) uses this to price DEBUG POPULATE values, which compress about 3×.
 *
 * One deliberate difference: Redis leaves the hash table uninitialised (INIT_HTAB 0), so a
 * stale slot from an earlier call can occasionally produce an extra match. We start from
 * a zeroed table, which makes the result deterministic and at most a few bytes larger.
 */

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

const htab = new Int32Array(HSIZE);

function idx(h: number): number {
  // VERY_FAST: ((h >> (3*8 - HLOG)) - h*5) & (HSIZE - 1), in 32-bit unsigned arithmetic.
  return ((h >>> (24 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1);
}

/**
 * Compressed length of `input`, or 0 if it does not fit in `outLen` bytes (lzf_compress's
 * contract: Redis passes outLen = len - 4, so 0 means "store verbatim").
 */
export function lzfCompressedLength(input: Uint8Array, outLen: number): number {
  const inLen = input.length;
  if (inLen === 0 || outLen <= 0) return 0;
  htab.fill(0);
  const inEnd = inLen;
  let ip = 0;
  let op = 1; // the first literal run's control byte
  let lit = 0;
  let hval = (input[0]! << 8) | (input[1] ?? 0);
  while (ip < inEnd - 2) {
    hval = ((hval << 8) | input[ip + 2]!) >>> 0;
    const slot = idx(hval);
    const ref = htab[slot]! - 1; // slots store position + 1 so that 0 means empty
    htab[slot] = ip + 1;
    const off = ip - ref - 1;
    if (
      ref > 0 && // Redis requires ref > in_data: position 0 is never a match source
      ref < ip &&
      off < MAX_OFF &&
      input[ref + 2] === input[ip + 2] &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      let len = 2;
      let maxlen = inEnd - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op + 3 + 1 >= outLen && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outLen) return 0;
      if (lit === 0) op -= 1; // undo the empty run
      do len++;
      while (len < maxlen && input[ref + len] === input[ip + len]);
      len -= 2;
      ip++;
      op += len < 7 ? 2 : 3;
      lit = 0;
      op++; // start a new run
      ip += len + 1;
      if (ip >= inEnd - 2) break;
      // VERY_FAST: rehash the two positions before the new ip.
      ip -= 2;
      hval = (input[ip]! << 8) | input[ip + 1]!;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      htab[idx(hval)] = ip + 1;
      ip++;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      htab[idx(hval)] = ip + 1;
      ip++;
    } else {
      if (op >= outLen) return 0;
      lit++;
      op++;
      ip++;
      if (lit === MAX_LIT) {
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outLen) return 0;
  while (ip < inEnd) {
    lit++;
    op++;
    ip++;
    if (lit === MAX_LIT) {
      lit = 0;
      op++;
    }
  }
  if (lit === 0) op -= 1;
  return op;
}
