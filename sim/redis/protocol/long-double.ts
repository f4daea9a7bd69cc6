/**
 * Just enough x87 80-bit `long double` for INCRBYFLOAT, which Redis computes as
 * strtold(current) + strtold(increment) and prints with "%.17Lf" minus trailing zeros
 * (util.c string2ld / ld2string LD_STR_HUMAN). A JS double would print 0.1 + 0.2 as
 * "0.30000000000000004"; the 64-bit mantissa prints "0.3", as real Redis does.
 *
 * Values are exact binary floats (mantissa < 2^64, exponent ≥ -16445) held in bigints;
 * parsing and addition round to nearest, ties to even, like glibc. Not a hot path.
 */

export type LongDouble =
  | { readonly kind: 'finite'; readonly neg: boolean; readonly mant: bigint; readonly exp: number }
  | { readonly kind: 'inf'; readonly neg: boolean };

const MANT_BITS = 64;
const MIN_EXP = -16445; // exponent of the smallest subnormal's last bit
const MAX_EXP_LIMIT = 16384; // values ≥ 2^16384 overflow
const TWO64 = 1n << 64n;
const TWO63 = 1n << 63n;
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

const DEC_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_RE = /^[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?$/;
const INF_RE = /^[+-]?(?:inf|infinity)$/i;

export const LD_ZERO: LongDouble = { kind: 'finite', neg: false, mant: 0n, exp: 0 };

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Rounds the positive rational num/den × 2^baseExp to a long double (or inf). */
function round(neg: boolean, num: bigint, den: bigint, baseExp: number): LongDouble {
  if (num === 0n) return { kind: 'finite', neg, mant: 0n, exp: 0 };
  let e = Math.max(bitLength(num) - bitLength(den) + baseExp - MANT_BITS, MIN_EXP);
  for (;;) {
    const shift = baseExp - e; // q = num/den × 2^shift
    const n2 = shift >= 0 ? num << BigInt(shift) : num;
    const d2 = shift >= 0 ? den : den << BigInt(-shift);
    let q = n2 / d2;
    const r = n2 % d2;
    if (q >= TWO64) {
      e++;
      continue;
    }
    if (q < TWO63 && e > MIN_EXP) {
      e--;
      continue;
    }
    const twice = 2n * r;
    if (twice > d2 || (twice === d2 && (q & 1n) === 1n)) q++;
    if (q === TWO64) {
      q = TWO63;
      e++;
    }
    if (e + MANT_BITS > MAX_EXP_LIMIT) return { kind: 'inf', neg };
    return { kind: 'finite', neg, mant: q, exp: e };
  }
}

/** string2ld: strtold over the whole string, rejecting spaces, NaN, overflow and underflow to 0. */
export function parseLongDouble(s: string): LongDouble | null {
  if (s.length === 0 || s.length >= MAX_LONG_DOUBLE_CHARS) return null;
  const neg = s.charCodeAt(0) === 45;
  const body = s.charCodeAt(0) === 45 || s.charCodeAt(0) === 43 ? s.slice(1) : s;
  if (INF_RE.test(s)) return { kind: 'inf', neg };
  let result: LongDouble;
  let nonZero: boolean;
  if (HEX_RE.test(s)) {
    const m = /^0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?$/.exec(body)!;
    const digits = (m[1] ?? '') + (m[2] ?? '');
    const mant = BigInt('0x' + (digits === '' ? '0' : digits));
    const p = Number(m[3] ?? '0') - 4 * (m[2] ?? '').length;
    nonZero = mant !== 0n;
    if (p > 20000) return nonZero ? null : LD_ZERO;
    result = round(neg, mant, 1n, Math.max(p, -30000));
  } else if (DEC_RE.test(s)) {
    const m = /^(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(body)!;
    const intPart = m[1] ?? '';
    const frac = m[2] ?? '';
    const digits = (intPart + frac).replace(/^0+/, '');
    nonZero = digits !== '';
    if (!nonZero) return { kind: 'finite', neg, mant: 0n, exp: 0 };
    const exp10 = Number(m[3] ?? '0') - frac.length;
    const magnitude = digits.length + exp10; // value < 10^magnitude
    if (magnitude > 4940) return null; // beyond LDBL_MAX ≈ 1.19e4932: ERANGE, HUGE_VAL
    if (magnitude < -4960) return null; // below the smallest subnormal ≈ 3.6e-4951: ERANGE, 0
    const mant = BigInt(digits);
    result = exp10 >= 0 ? round(neg, mant * 10n ** BigInt(exp10), 1n, 0) : round(neg, mant, 10n ** BigInt(-exp10), 0);
  } else return null;
  if (result.kind === 'inf') return null; // overflow: ERANGE with HUGE_VAL
  if (nonZero && result.mant === 0n) return null; // underflow to zero: ERANGE
  return result;
}

export function longDoubleFromInt(v: number | bigint): LongDouble {
  const b = BigInt(v);
  return round(b < 0n, b < 0n ? -b : b, 1n, 0);
}

export function isFinite(x: LongDouble): boolean {
  return x.kind === 'finite';
}

/** a + b, rounded once. inf + -inf gives null (NaN). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (a.kind === 'inf' && b.kind === 'inf' && a.neg !== b.neg) return null;
    return a.kind === 'inf' ? a : b;
  }
  const e = Math.min(a.exp, b.exp);
  const sa = (a.neg ? -a.mant : a.mant) << BigInt(a.exp - e);
  const sb = (b.neg ? -b.mant : b.mant) << BigInt(b.exp - e);
  const sum = sa + sb;
  return round(sum < 0n, sum < 0n ? -sum : sum, 1n, e);
}

/** ld2string(LD_STR_HUMAN): "%.17Lf", trailing zeros and a bare '.' removed, "-0" → "0". */
export function formatLongDoubleHuman(x: LongDouble): string {
  if (x.kind === 'inf') return x.neg ? '-inf' : 'inf';
  const scale = 10n ** 17n;
  let q: bigint;
  if (x.exp >= 0) q = (x.mant << BigInt(x.exp)) * scale;
  else {
    const num = x.mant * scale;
    const den = 1n << BigInt(-x.exp);
    q = num / den;
    const twice = 2n * (num % den);
    if (twice > den || (twice === den && (q & 1n) === 1n)) q++;
  }
  const digits = q.toString().padStart(18, '0');
  const intPart = digits.slice(0, -17);
  const frac = digits.slice(-17).replace(/0+$/, '');
  let out = (x.neg ? '-' : '') + intPart + (frac === '' ? '' : '.' + frac);
  if (out === '-0') out = '0';
  return out;
}
