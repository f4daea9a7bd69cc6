/**
 * Doubles as Redis 7.0 reads and writes them in sorted-set commands: strtod-based parsing
 * (util.c string2d for scores and increments, t_zset.c zslParseRange for range bounds)
 * and printf's "%.17g" (networking.c addReplyDouble in RESP2, debug.c's digest, d2string).
 * 7.0 does not yet print the shortest round-trip form: ZADD z 0.1 m; ZSCORE z m is
 * "0.10000000000000001".
 *
 * JS's Number() rounds decimal text exactly like glibc's strtod; what differs is the
 * syntax around it (strtod takes "inf"/"infinity", hex floats, leading white space, and
 * reports overflow and underflow through ERANGE), handled here.
 */

const DECIMAL_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INF_RE = /^[+-]?inf(?:inity)?$/i;

/** strtod over the whole text (no trailing characters). `range` is true on ERANGE. */
function strtodWhole(s: string): { value: number; range: boolean } | null {
  if (INF_RE.test(s)) return { value: s.charCodeAt(0) === 45 ? -Infinity : Infinity, range: false };
  let value: number;
  let nonZeroDigits: boolean;
  if (DECIMAL_RE.test(s)) {
    value = Number(s);
    nonZeroDigits = /[1-9]/.test(s.replace(/[eE].*$/, ''));
  } else {
    const m = HEX_RE.exec(s);
    if (m === null || (m[2] === '' && (m[3] ?? '') === '')) return null;
    const digits = m[2]! + (m[3] ?? '');
    // Exact while the mantissa fits 53 bits, which is every hex float anyone types.
    value = parseInt(digits, 16) * Math.pow(2, Number(m[4] ?? '0') - 4 * (m[3] ?? '').length);
    if (m[1] === '-') value = -value;
    nonZeroDigits = /[1-9a-fA-F]/.test(digits);
  }
  const range = !Number.isFinite(value) || (value === 0 && nonZeroDigits);
  return { value, range };
}

/**
 * string2d (getDoubleFromObject): the whole text must be a number; leading white space,
 * NaN, and overflow or underflow to zero are refused. Returns null for
 * "ERR value is not a valid float".
 */
export function string2d(s: string): number | null {
  if (s.length === 0 || isCSpace(s.charCodeAt(0))) return null;
  const r = strtodWhole(s);
  if (r === null || Number.isNaN(r.value)) return null;
  if (r.range && (r.value === 0 || !Number.isFinite(r.value))) return null;
  return r.value;
}

/** One zslParseRange bound: "(x" exclusive, else inclusive. null: "min or max is not a float". */
export interface ScoreBound {
  value: number;
  exclusive: boolean;
}

/**
 * zslParseRange's bound parsing: strtod, which skips leading white space and saturates on
 * overflow; only trailing characters and NaN are errors. An empty text is 0 (strtod
 * converts nothing and stops at the terminating NUL).
 */
export function parseScoreBound(s: string): ScoreBound | null {
  let exclusive = false;
  let text = s;
  if (text.charCodeAt(0) === 40 /* ( */) {
    exclusive = true;
    text = text.slice(1);
  }
  if (text.length === 0) return { value: 0, exclusive };
  let i = 0;
  while (i < text.length && isCSpace(text.charCodeAt(i))) i++;
  const r = i < text.length ? strtodWhole(text.slice(i)) : null;
  if (r === null || Number.isNaN(r.value)) return null;
  return { value: r.value, exclusive };
}

/** isspace in the C locale. */
function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** printf("%.17g", d), as glibc prints it ("inf", "-0", "1e+17", "0.10000000000000001"). */
export function formatDouble17g(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (!Number.isFinite(d)) return d > 0 ? 'inf' : '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const expForm = d.toExponential(16); // 17 significant digits, exactly rounded
  const ePos = expForm.indexOf('e');
  const exp = Number(expForm.slice(ePos + 1));
  if (exp < -4 || exp >= 17) {
    const mant = stripZeros(expForm.slice(0, ePos));
    const sign = exp < 0 ? '-' : '+';
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${mant}e${sign}${digits}`;
  }
  return stripZeros(d.toFixed(16 - exp));
}

/** %g drops trailing zeros of the fraction, and the point if nothing is left after it. */
function stripZeros(s: string): string {
  if (s.indexOf('.') < 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

/**
 * d2string: how a score is stored in a listpack (and so what it costs there): an integral
 * value that fits a long long as its digits, else "%.17g".
 */
export function d2string(d: number): string {
  if (Number.isFinite(d) && d !== 0 && Number.isInteger(d) && Math.abs(d) < 2 ** 63) {
    return Math.abs(d) < 2 ** 53 ? String(d) : BigInt(d).toString();
  }
  return formatDouble17g(d);
}
