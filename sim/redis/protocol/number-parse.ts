/**
 * Integer parsing exactly as Redis's util.c string2ll: an optional '-', then either a
 * single "0" or a digit 1-9 followed by digits; no '+', no spaces, no leading zeros, and
 * the value must fit a signed 64-bit integer. Anything else is "not an integer" (for
 * arguments: `-ERR value is not an integer or out of range`).
 *
 * Hand-written because it runs for every INCR/EXPIRE/SETEX argument: a JS number while
 * the value is a safe integer, a bigint only beyond ±2^53.
 */

export const LLONG_MAX = 9223372036854775807n;
export const LLONG_MIN = -9223372036854775808n;

/**
 * string2ll. Returns a number for |v| ≤ 2^53-1, a bigint for other int64 values, null if
 * the text is not a canonical 64-bit integer.
 */
export function string2ll(s: string): number | bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  let neg = false;
  if (s.charCodeAt(0) === 45 /* - */) {
    neg = true;
    i = 1;
    if (n === 1) return null;
  }
  const first = s.charCodeAt(i);
  if (first === 48 /* 0 */) return n === 1 ? 0 : null; // "-0" and "01" are rejected
  if (first < 49 || first > 57) return null;
  // Up to 15 digits always fit a safe integer.
  if (n - i <= 15) {
    let v = first - 48;
    for (let j = i + 1; j < n; j++) {
      const c = s.charCodeAt(j) - 48;
      if (c < 0 || c > 9) return null;
      v = v * 10 + c;
    }
    return neg ? -v : v;
  }
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  const big = BigInt(s);
  if (big > LLONG_MAX || big < LLONG_MIN) return null;
  const asNum = Number(big);
  return Number.isSafeInteger(asNum) ? asNum : big;
}

/** The text is a canonical integer in JS's safe range: returns it, else null. */
export function parseCanonicalInt(s: string): number | null {
  if (s.length > 16) return null;
  const v = string2ll(s);
  return typeof v === 'number' ? v : null;
}

/** Normalises an int64 bigint result back to a number when it is safe. */
export function normalizeInt(v: bigint): number | bigint {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

/** getIntFromObject: string2ll plus the 32-bit int range. */
export function string2int(s: string): number | null {
  const v = string2ll(s);
  if (typeof v !== 'number' || v > 2147483647 || v < -2147483648) return null;
  return v;
}
