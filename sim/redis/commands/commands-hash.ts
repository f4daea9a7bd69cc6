/**
 * Hash commands, after t_hash.c at 7.0.15: HSET, HMSET, HSETNX, HGET, HMGET, HDEL, HLEN,
 * HSTRLEN, HEXISTS, HGETALL, HKEYS, HVALS, HINCRBY, HINCRBYFLOAT.
 *
 * Propagation follows server.dirty, as call() does: HSET/HMSET always (even when no value
 * changed), HSETNX only when it set, HDEL only when it deleted, HINCRBY always, each as
 * typed. HINCRBYFLOAT is rewritten to `HSET key field <result>` so replicas and the AOF
 * never redo long-double arithmetic.
 */
import { ok, int, bulk, nil, array, emptyArray, bulkArray, err, intExact, errArity, ERR_WRONGTYPE, ERR_NOT_FLOAT, type Reply } from '../protocol/reply.js';
import { type ExecContext, lookupRead, lookupWrite, propagate, addDirty } from './exec-context.js';
import { isReply, parseLongLongArg } from './command-args.js';
import { string2ll, LLONG_MAX, LLONG_MIN, normalizeInt } from '../protocol/number-parse.js';
import { parseLongDouble, addLongDouble, formatLongDoubleHuman } from '../protocol/long-double.js';
import { utf8ByteLength } from '../protocol/resp.js';
import { HashValue } from '../data/value-hash.js';
import type { Value } from '../data/value.js';

/** The hash at `key` for reading: undefined if missing, the WRONGTYPE reply if not a hash. */
function readHash(ctx: ExecContext, key: string): HashValue | undefined | Reply {
  const v = lookupRead(ctx, key);
  if (v === undefined) return undefined;
  return v instanceof HashValue ? v : ERR_WRONGTYPE;
}

/**
 * hashTypeLookupWriteOrCreate, then `edit` on a hash safe to mutate; the key is created
 * if missing and deleted if the edit emptied it. `edit` may return an error reply before
 * changing anything.
 */
function editHash<R>(ctx: ExecContext, key: string, edit: (h: HashValue) => R): R | Reply {
  const v: Value | undefined = lookupWrite(ctx, key);
  if (v !== undefined && !(v instanceof HashValue)) return ERR_WRONGTYPE;
  if (v === undefined) {
    const h = new HashValue();
    const r = edit(h);
    if (h.size > 0) ctx.keyspace.set(ctx.db, key, h);
    return r;
  }
  const h = ctx.keyspace.mutableValue(ctx.db, key, HashValue);
  const r = edit(h);
  ctx.keyspace.settleValue(ctx.db, key, h);
  return r;
}

/** HSET key field value [field value …] and the deprecated HMSET (replies OK). */
function hsetGeneric(ctx: ExecContext, argv: string[], hmset: boolean): Reply {
  if (argv.length % 2 === 1) return errArity(hmset ? 'hmset' : 'hset');
  const r = editHash(ctx, argv[1]!, (h) => {
    let created = 0;
    for (let i = 2; i < argv.length; i += 2) if (!h.set(argv[i]!, argv[i + 1]!)) created++;
    return created;
  });
  if (isReply(r)) return r;
  addDirty(ctx, (argv.length - 2) / 2);
  propagate(ctx, argv);
  return hmset ? ok() : int(r);
}

export function hsetCommand(ctx: ExecContext, argv: string[]): Reply {
  return hsetGeneric(ctx, argv, false);
}

export function hmsetCommand(ctx: ExecContext, argv: string[]): Reply {
  return hsetGeneric(ctx, argv, true);
}

export function hsetnxCommand(ctx: ExecContext, argv: string[]): Reply {
  const key = argv[1]!;
  const v = lookupWrite(ctx, key);
  if (v !== undefined && !(v instanceof HashValue)) return ERR_WRONGTYPE;
  if (v !== undefined && v.get(argv[2]!) !== undefined) return int(0);
  editHash(ctx, key, (h) => h.set(argv[2]!, argv[3]!));
  addDirty(ctx, 1);
  propagate(ctx, argv);
  return int(1);
}

export function hgetCommand(ctx: ExecContext, argv: string[]): Reply {
  const h = readHash(ctx, argv[1]!);
  if (h === undefined) return nil();
  if (isReply(h)) return h;
  const value = h.get(argv[2]!);
  return value === undefined ? nil() : bulk(value);
}

/** HMGET: a missing key is an empty hash (one nil per field). */
export function hmgetCommand(ctx: ExecContext, argv: string[]): Reply {
  const h = readHash(ctx, argv[1]!);
  if (isReply(h)) return h;
  const items: Reply[] = [];
  for (let j = 2; j < argv.length; j++) {
    const value = h?.get(argv[j]!);
    items.push(value === undefined ? nil() : bulk(value));
  }
  return array(items);
}

export function hdelCommand(ctx: ExecContext, argv: string[]): Reply {
  const key = argv[1]!;
  const v = lookupWrite(ctx, key);
  if (v === undefined) return int(0);
  if (!(v instanceof HashValue)) return ERR_WRONGTYPE;
  let any = false;
  for (let j = 2; j < argv.length && !any; j++) any = v.get(argv[j]!) !== undefined;
  if (!any) return int(0);
  const deleted = editHash(ctx, key, (h) => {
    let n = 0;
    for (let j = 2; j < argv.length; j++) {
      if (h.delete(argv[j]!)) n++;
      if (h.size === 0) break; // Redis deletes the key and stops at once
    }
    return n;
  }) as number;
  addDirty(ctx, deleted);
  propagate(ctx, argv);
  return int(deleted);
}

export function hlenCommand(ctx: ExecContext, argv: string[]): Reply {
  const h = readHash(ctx, argv[1]!);
  if (h === undefined) return int(0);
  return isReply(h) ? h : int(h.size);
}

export function hstrlenCommand(ctx: ExecContext, argv: string[]): Reply {
  const h = readHash(ctx, argv[1]!);
  if (h === undefined) return int(0);
  if (isReply(h)) return h;
  const value = h.get(argv[2]!);
  return int(value === undefined ? 0 : utf8ByteLength(value));
}

export function hexistsCommand(ctx: ExecContext, argv: string[]): Reply {
  const h = readHash(ctx, argv[1]!);
  if (h === undefined) return int(0);
  if (isReply(h)) return h;
  return int(h.get(argv[2]!) !== undefined ? 1 : 0);
}

/** genericHgetallCommand: fields, values, or both interleaved (a flat array in RESP2). */
function hgetallGeneric(ctx: ExecContext, argv: string[], keys: boolean, values: boolean): Reply {
  const h = readHash(ctx, argv[1]!);
  if (h === undefined) return emptyArray();
  if (isReply(h)) return h;
  const out: string[] = [];
  for (const [f, v] of h.fields) {
    if (keys) out.push(f);
    if (values) out.push(v);
  }
  return bulkArray(out);
}

export function hgetallCommand(ctx: ExecContext, argv: string[]): Reply {
  return hgetallGeneric(ctx, argv, true, true);
}
export function hkeysCommand(ctx: ExecContext, argv: string[]): Reply {
  return hgetallGeneric(ctx, argv, true, false);
}
export function hvalsCommand(ctx: ExecContext, argv: string[]): Reply {
  return hgetallGeneric(ctx, argv, false, true);
}

export function hincrbyCommand(ctx: ExecContext, argv: string[]): Reply {
  const incr = parseLongLongArg(argv[3]!);
  if (isReply(incr)) return incr;
  const field = argv[2]!;
  const r = editHash(ctx, argv[1]!, (h): number | bigint | Reply => {
    const current = h.get(field);
    const old = current === undefined ? 0 : string2ll(current);
    if (old === null) return err('ERR hash value is not an integer');
    let value: number | bigint;
    if (typeof old === 'number' && typeof incr === 'number' && Number.isSafeInteger(old + incr)) value = old + incr;
    else {
      const o = BigInt(old);
      const i = BigInt(incr);
      if ((i < 0n && o < 0n && i < LLONG_MIN - o) || (i > 0n && o > 0n && i > LLONG_MAX - o)) {
        return err('ERR increment or decrement would overflow');
      }
      value = normalizeInt(o + i);
    }
    h.set(field, String(value));
    return value;
  });
  if (isReply(r)) return r;
  addDirty(ctx, 1);
  propagate(ctx, argv);
  return intExact(r);
}

export function hincrbyfloatCommand(ctx: ExecContext, argv: string[]): Reply {
  const incr = parseLongDouble(argv[3]!);
  if (incr === null) return ERR_NOT_FLOAT;
  if (incr.kind === 'inf') return err('ERR value is NaN or Infinity');
  const key = argv[1]!;
  const field = argv[2]!;
  const r = editHash(ctx, key, (h): string | Reply => {
    const current = h.get(field);
    const old = current === undefined ? parseLongDouble('0') : parseLongDouble(current);
    if (old === null) return err('ERR hash value is not a float');
    const sum = addLongDouble(old, incr);
    if (sum === null || sum.kind === 'inf') return err('ERR increment would produce NaN or Infinity');
    const text = formatLongDoubleHuman(sum);
    h.set(field, text);
    return text;
  });
  if (isReply(r)) return r;
  addDirty(ctx, 1);
  propagate(ctx, ['HSET', key, field, r]);
  return bulk(r);
}
