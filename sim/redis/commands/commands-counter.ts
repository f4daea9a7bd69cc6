/**
 * Counters, after t_string.c incrDecrCommand / incrbyfloatCommand at 7.0.15.
 *
 * INCR & co. keep the TTL (dbOverwrite), are propagated as typed, and store the result as
 * a JS number (value.ts) so the next INCR does not re-parse. Values beyond ±2^53 take a
 * bigint path and are stored as their decimal text; the reply then carries the exact text.
 *
 * INCRBYFLOAT is computed in emulated 80-bit long double (long-double.ts) and always
 * propagated as `SET k <result> KEEPTTL`, so replicas never redo float arithmetic.
 */
import { err, bulk, intExact, ERR_NOT_FLOAT, ERR_NOT_INTEGER, ERR_WRONGTYPE, type Reply } from '../protocol/reply.js';
import { type ExecContext, lookupWrite, propagate, addDirty } from './exec-context.js';
import { string2ll, LLONG_MAX, LLONG_MIN, normalizeInt } from '../protocol/number-parse.js';
import { PopulatedValue, CollectionValue, stringText, type Value } from '../data/value.js';
import { parseLongDouble, longDoubleFromInt, addLongDouble, formatLongDoubleHuman, LD_ZERO } from '../protocol/long-double.js';

const ERR_OVERFLOW = err('ERR increment or decrement would overflow');

/** The integer held by a string value (getLongLongFromObject), or null. */
function integerOf(v: Value, key: string): number | bigint | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return string2ll(v);
  if (v instanceof PopulatedValue) return string2ll(v.textFor(key));
  return null;
}

function incrDecr(ctx: ExecContext, argv: string[], incr: number | bigint): Reply {
  const key = argv[1]!;
  const v = lookupWrite(ctx, key);
  let old: number | bigint = 0;
  if (v !== undefined) {
    if (v instanceof CollectionValue) return ERR_WRONGTYPE;
    const parsed = integerOf(v, key);
    if (parsed === null) return ERR_NOT_INTEGER;
    old = parsed;
  }
  let result: number | bigint;
  if (typeof old === 'number' && typeof incr === 'number' && Number.isSafeInteger(old + incr)) {
    result = old + incr;
  } else {
    const o = BigInt(old);
    const i = BigInt(incr);
    if ((i < 0n && o < 0n && i < LLONG_MIN - o) || (i > 0n && o > 0n && i > LLONG_MAX - o)) return ERR_OVERFLOW;
    result = normalizeInt(o + i);
  }
  // Keep the TTL: incrDecrCommand overwrites the value in place (dbOverwrite).
  ctx.keyspace.set(ctx.db, key, typeof result === 'number' ? result : result.toString(), true);
  addDirty(ctx, 1);
  propagate(ctx, argv);
  return intExact(result);
}

export function incrCommand(ctx: ExecContext, argv: string[]): Reply {
  return incrDecr(ctx, argv, 1);
}

export function decrCommand(ctx: ExecContext, argv: string[]): Reply {
  return incrDecr(ctx, argv, -1);
}

export function incrbyCommand(ctx: ExecContext, argv: string[]): Reply {
  const incr = string2ll(argv[2]!);
  if (incr === null) return ERR_NOT_INTEGER;
  return incrDecr(ctx, argv, incr);
}

export function decrbyCommand(ctx: ExecContext, argv: string[]): Reply {
  const incr = string2ll(argv[2]!);
  if (incr === null) return ERR_NOT_INTEGER;
  // Negating LLONG_MIN overflows.
  if (typeof incr === 'bigint' && incr === LLONG_MIN) return err('ERR decrement would overflow');
  return incrDecr(ctx, argv, typeof incr === 'number' ? -incr : -incr);
}

export function incrbyfloatCommand(ctx: ExecContext, argv: string[]): Reply {
  const key = argv[1]!;
  const v = lookupWrite(ctx, key);
  let current = LD_ZERO;
  if (v !== undefined) {
    if (v instanceof CollectionValue) return ERR_WRONGTYPE;
    const parsed = typeof v === 'number' ? longDoubleFromInt(v) : parseLongDouble(stringText(v, key));
    if (parsed === null) return ERR_NOT_FLOAT;
    current = parsed;
  }
  const incr = parseLongDouble(argv[2]!);
  if (incr === null) return ERR_NOT_FLOAT;
  const sum = addLongDouble(current, incr);
  if (sum === null || sum.kind === 'inf') return err('ERR increment would produce NaN or Infinity');
  const text = formatLongDoubleHuman(sum);
  ctx.keyspace.set(ctx.db, key, text, true);
  addDirty(ctx, 1);
  propagate(ctx, ['SET', key, text, 'KEEPTTL']);
  return bulk(text);
}
