/**
 * List commands, after t_list.c at 7.0.15: LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP, RPOP,
 * LLEN, LRANGE, LINDEX, LSET, LREM, LTRIM, LINSERT, LMOVE, RPOPLPUSH, and the blocking
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH on their non-blocking path.
 *
 * Propagation follows server.dirty: a command that changed nothing (LPOP of a missing key
 * or with count 0, LREM that found nothing, LTRIM that trimmed nothing, LINSERT without
 * the pivot) propagates nothing; the others go out as typed, except the blocking ones,
 * which Redis rewrites to what they did: BLPOP/BRPOP → `LPOP key`/`RPOP key`, BLMOVE →
 * `LMOVE src dst wherefrom whereto`, BRPOPLPUSH → `RPOPLPUSH src dst`.
 *
 * When a blocking pop finds nothing to pop it asks to block (ctx.blockOn; blocking.ts keeps
 * the client until a push makes one of its keys a non-empty list, or the timeout), except
 * inside MULTI, where it answers nil at once as Redis does.
 */
import { ok, int, bulk, nil, nilArray, array, emptyArray, bulkArray, err, ERR_SYNTAX, ERR_WRONGTYPE, type Reply } from '../protocol/reply.js';
import { type ExecContext, lookupRead, lookupWrite, propagate, addDirty } from './exec-context.js';
import { isReply, optionIs, parseLongLongArg, parsePositiveLongArg } from './command-args.js';
import { parseLongDouble } from '../protocol/long-double.js';
import { ListValue } from '../data/value-list.js';

const ERR_NO_SUCH_KEY = err('ERR no such key');
const ERR_INDEX_OUT_OF_RANGE = err('ERR index out of range');

type End = 'head' | 'tail';

/** getLongFromObjectOrReply: an index as a JS number (beyond 2^53 only its magnitude matters). */
function parseIndex(s: string): number | Reply {
  const v = parseLongLongArg(s);
  return isReply(v) ? v : Number(v);
}

/** The list at `key` for reading: undefined if missing, the WRONGTYPE reply if not a list. */
function readList(ctx: ExecContext, key: string): ListValue | undefined | Reply {
  const v = lookupRead(ctx, key);
  if (v === undefined) return undefined;
  return v instanceof ListValue ? v : ERR_WRONGTYPE;
}

/** The list at `key`, to be written; undefined if missing. */
function writeList(ctx: ExecContext, key: string): ListValue | undefined | Reply {
  const v = lookupWrite(ctx, key);
  if (v === undefined) return undefined;
  return v instanceof ListValue ? v : ERR_WRONGTYPE;
}

/** Mutates the (existing) list at `key` in place, then settles it (deleted when emptied). */
function editList<R>(ctx: ExecContext, key: string, edit: (l: ListValue) => R): R {
  const l = ctx.keyspace.mutableValue(ctx.db, key, ListValue);
  const r = edit(l);
  ctx.keyspace.settleValue(ctx.db, key, l);
  return r;
}

/** listTypePush to one end, creating the list if needed; returns the new length. */
function pushTo(ctx: ExecContext, key: string, exists: boolean, elements: readonly string[], from: number, end: End): number {
  const push = (l: ListValue): number => {
    for (let j = from; j < elements.length; j++) end === 'head' ? l.pushHead(elements[j]!) : l.pushTail(elements[j]!);
    return l.size;
  };
  if (exists) return editList(ctx, key, push);
  const l = new ListValue();
  push(l);
  ctx.keyspace.set(ctx.db, key, l);
  return l.size;
}

/** pushGenericCommand; `xx` for LPUSHX/RPUSHX (only onto an existing list). */
function pushGeneric(ctx: ExecContext, argv: string[], end: End, xx: boolean): Reply {
  const key = argv[1]!;
  const l = writeList(ctx, key);
  if (isReply(l)) return l;
  if (l === undefined && xx) return int(0);
  const len = pushTo(ctx, key, l !== undefined, argv, 2, end);
  addDirty(ctx, argv.length - 2);
  propagate(ctx, argv);
  return int(len);
}

export const lpushCommand = (ctx: ExecContext, argv: string[]): Reply => pushGeneric(ctx, argv, 'head', false);
export const rpushCommand = (ctx: ExecContext, argv: string[]): Reply => pushGeneric(ctx, argv, 'tail', false);
export const lpushxCommand = (ctx: ExecContext, argv: string[]): Reply => pushGeneric(ctx, argv, 'head', true);
export const rpushxCommand = (ctx: ExecContext, argv: string[]): Reply => pushGeneric(ctx, argv, 'tail', true);

/** Pops up to `count` elements from one end, in pop order. */
function popElements(ctx: ExecContext, key: string, end: End, count: number): string[] {
  return editList(ctx, key, (l) => {
    const out: string[] = [];
    for (let n = Math.min(count, l.size); n > 0; n--) out.push(end === 'head' ? l.popHead()! : l.popTail()!);
    return out;
  });
}

/** popGenericCommand: LPOP/RPOP key [count]. */
function popGeneric(ctx: ExecContext, argv: string[], end: End): Reply {
  if (argv.length > 3) return err(`ERR wrong number of arguments for '${end === 'head' ? 'lpop' : 'rpop'}' command`);
  const hasCount = argv.length === 3;
  let count = 1;
  if (hasCount) {
    const c = parsePositiveLongArg(argv[2]!);
    if (isReply(c)) return c;
    count = c;
  }
  const key = argv[1]!;
  const l = writeList(ctx, key);
  if (l === undefined) return hasCount ? nilArray() : nil();
  if (isReply(l)) return l;
  if (hasCount && count === 0) return emptyArray();
  const popped = popElements(ctx, key, end, count);
  addDirty(ctx, popped.length);
  propagate(ctx, argv);
  return hasCount ? bulkArray(popped) : bulk(popped[0]!);
}

export const lpopCommand = (ctx: ExecContext, argv: string[]): Reply => popGeneric(ctx, argv, 'head');
export const rpopCommand = (ctx: ExecContext, argv: string[]): Reply => popGeneric(ctx, argv, 'tail');

export function llenCommand(ctx: ExecContext, argv: string[]): Reply {
  const l = readList(ctx, argv[1]!);
  if (l === undefined) return int(0);
  return isReply(l) ? l : int(l.size);
}

/** Redis's range sanitising (addListRangeReply, ltrimCommand): [start, end] or null if empty. */
function clampRange(start: number, end: number, len: number): [number, number] | null {
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return null;
  if (end >= len) end = len - 1;
  return [start, end];
}

export function lrangeCommand(ctx: ExecContext, argv: string[]): Reply {
  const start = parseIndex(argv[2]!);
  if (isReply(start)) return start;
  const end = parseIndex(argv[3]!);
  if (isReply(end)) return end;
  const l = readList(ctx, argv[1]!);
  if (l === undefined) return emptyArray();
  if (isReply(l)) return l;
  const r = clampRange(start, end, l.size);
  return r === null ? emptyArray() : bulkArray(l.items.slice(r[0], r[1] + 1));
}

export function lindexCommand(ctx: ExecContext, argv: string[]): Reply {
  const l = readList(ctx, argv[1]!);
  if (l === undefined) return nil();
  if (isReply(l)) return l;
  const index = parseIndex(argv[2]!);
  if (isReply(index)) return index;
  const i = index < 0 ? l.size + index : index;
  return i >= 0 && i < l.size ? bulk(l.items[i]!) : nil();
}

export function lsetCommand(ctx: ExecContext, argv: string[]): Reply {
  const key = argv[1]!;
  const l = writeList(ctx, key);
  if (l === undefined) return ERR_NO_SUCH_KEY;
  if (isReply(l)) return l;
  const index = parseIndex(argv[2]!);
  if (isReply(index)) return index;
  const i = index < 0 ? l.size + index : index;
  if (i < 0 || i >= l.size) return ERR_INDEX_OUT_OF_RANGE;
  editList(ctx, key, (m) => {
    m.account(m.items[i]!, -1);
    m.items[i] = argv[3]!;
    m.account(argv[3]!, 1);
  });
  addDirty(ctx, 1);
  propagate(ctx, argv);
  return ok();
}

export function lremCommand(ctx: ExecContext, argv: string[]): Reply {
  const toRemove = parseIndex(argv[2]!);
  if (isReply(toRemove)) return toRemove;
  const key = argv[1]!;
  const l = writeList(ctx, key);
  if (l === undefined) return int(0);
  if (isReply(l)) return l;
  const element = argv[3]!;
  if (!l.items.includes(element)) return int(0);
  const removed = editList(ctx, key, (m) => {
    const limit = toRemove === 0 ? Infinity : Math.abs(toRemove);
    // The matches to drop: from the head, or from the tail for a negative count.
    const drop = new Set<number>();
    const n = m.items.length;
    for (let k = 0; k < n && drop.size < limit; k++) {
      const i = toRemove < 0 ? n - 1 - k : k;
      if (m.items[i] === element) drop.add(i);
    }
    m.items = m.items.filter((_, i) => !drop.has(i));
    for (let k = 0; k < drop.size; k++) m.account(element, -1);
    return drop.size;
  });
  addDirty(ctx, removed);
  propagate(ctx, argv);
  return int(removed);
}

export function ltrimCommand(ctx: ExecContext, argv: string[]): Reply {
  const start = parseIndex(argv[2]!);
  if (isReply(start)) return start;
  const end = parseIndex(argv[3]!);
  if (isReply(end)) return end;
  const key = argv[1]!;
  const l = writeList(ctx, key);
  if (l === undefined) return ok();
  if (isReply(l)) return l;
  const r = clampRange(start, end, l.size);
  const ltrim = r === null ? l.size : r[0];
  const rtrim = r === null ? 0 : l.size - r[1] - 1;
  if (ltrim + rtrim === 0) return ok();
  editList(ctx, key, (m) => {
    for (const e of m.items.splice(m.items.length - rtrim, rtrim)) m.account(e, -1);
    for (const e of m.items.splice(0, ltrim)) m.account(e, -1);
  });
  addDirty(ctx, ltrim + rtrim);
  propagate(ctx, argv);
  return ok();
}

export function linsertCommand(ctx: ExecContext, argv: string[]): Reply {
  const where = argv[2]!;
  const after = optionIs(where, 'after');
  if (!after && !optionIs(where, 'before')) return ERR_SYNTAX;
  const key = argv[1]!;
  const l = writeList(ctx, key);
  if (l === undefined) return int(0);
  if (isReply(l)) return l;
  const pivot = l.items.indexOf(argv[3]!);
  if (pivot < 0) return int(-1);
  const len = editList(ctx, key, (m) => {
    m.items.splice(after ? pivot + 1 : pivot, 0, argv[4]!);
    m.account(argv[4]!, 1);
    return m.size;
  });
  addDirty(ctx, 1);
  propagate(ctx, argv);
  return int(len);
}

/** getListPositionFromObjectOrReply: LEFT or RIGHT, else a syntax error. */
function parseEnd(s: string): End | Reply {
  if (optionIs(s, 'right')) return 'tail';
  if (optionIs(s, 'left')) return 'head';
  return ERR_SYNTAX;
}

/**
 * lmoveGenericCommand: pops from `src`, pushes onto `dst` (they may be the same list) and
 * propagates `propagated`. null when the source is missing (the caller replies nil or blocks).
 */
function lmoveGeneric(ctx: ExecContext, src: string, dst: string, from: End, to: End, propagated: string[]): Reply | null {
  const s = writeList(ctx, src);
  if (s === undefined) return null;
  if (isReply(s)) return s;
  const d = writeList(ctx, dst);
  if (isReply(d)) return d;
  // Push before settling the source, so a one-element list moved onto itself never empties.
  const value = editList(ctx, src, (m) => {
    const v = from === 'head' ? m.popHead()! : m.popTail()!;
    if (src === dst) to === 'head' ? m.pushHead(v) : m.pushTail(v);
    return v;
  });
  if (src !== dst) pushTo(ctx, dst, d !== undefined, [value], 0, to);
  addDirty(ctx, 1);
  propagate(ctx, propagated);
  return bulk(value);
}

export function lmoveCommand(ctx: ExecContext, argv: string[]): Reply {
  const from = parseEnd(argv[3]!);
  if (isReply(from)) return from;
  const to = parseEnd(argv[4]!);
  if (isReply(to)) return to;
  return lmoveGeneric(ctx, argv[1]!, argv[2]!, from, to, argv) ?? nil();
}

export function rpoplpushCommand(ctx: ExecContext, argv: string[]): Reply {
  return lmoveGeneric(ctx, argv[1]!, argv[2]!, 'tail', 'head', argv) ?? nil();
}

// ---- blocking variants ---------------------------------------------------------------------

/** getTimeoutFromObjectOrReply (seconds, as a long double): the timeout in ms (0 = none), or the error. */
function parseTimeout(s: string): number | Reply {
  const t = parseLongDouble(s);
  if (t === null) return err('ERR timeout is not a float or out of range');
  // (long long) ceill(t * 1000): negative below -0.001 s; ±inf casts to LLONG_MIN.
  if (t.kind === 'inf' || (t.neg && Math.ceil(-Number(t.mant) * 2 ** t.exp * 1000) < 0)) {
    return err('ERR timeout is negative');
  }
  if (t.kind !== 'finite' || t.neg) return 0;
  return Math.max(0, Math.ceil(Number(t.mant) * 2 ** t.exp * 1000));
}

/**
 * Nothing to pop: inside MULTI the answer is nil at once; otherwise the client blocks on
 * `keys` (the reply returned here is never sent).
 */
function block(ctx: ExecContext, keys: string[], timeoutMs: number, nothing: Reply): Reply {
  if (ctx.inMulti) return nothing;
  ctx.blockOn = { keys, timeoutMs, onTimeout: nothing };
  return nothing;
}

/** blockingPopGenericCommand for BLPOP/BRPOP key [key …] timeout. */
function blockingPop(ctx: ExecContext, argv: string[], end: End): Reply {
  const timeout = parseTimeout(argv[argv.length - 1]!);
  if (isReply(timeout)) return timeout;
  for (let j = 1; j < argv.length - 1; j++) {
    const key = argv[j]!;
    const l = writeList(ctx, key);
    if (l === undefined) continue;
    if (isReply(l)) return l;
    const [value] = popElements(ctx, key, end, 1);
    addDirty(ctx, 1);
    propagate(ctx, [end === 'head' ? 'LPOP' : 'RPOP', key]);
    return array([bulk(key), bulk(value!)]);
  }
  return block(ctx, argv.slice(1, -1), timeout, nilArray());
}

export const blpopCommand = (ctx: ExecContext, argv: string[]): Reply => blockingPop(ctx, argv, 'head');
export const brpopCommand = (ctx: ExecContext, argv: string[]): Reply => blockingPop(ctx, argv, 'tail');

export function blmoveCommand(ctx: ExecContext, argv: string[]): Reply {
  const from = parseEnd(argv[3]!);
  if (isReply(from)) return from;
  const to = parseEnd(argv[4]!);
  if (isReply(to)) return to;
  const timeout = parseTimeout(argv[5]!);
  if (isReply(timeout)) return timeout;
  const src = argv[1]!;
  const dst = argv[2]!;
  // A blocked client served later propagates LMOVE with LEFT/RIGHT spelled out (serveClientBlockedOnList).
  const where = ctx.servingBlocked ? [from === 'head' ? 'LEFT' : 'RIGHT', to === 'head' ? 'LEFT' : 'RIGHT'] : [argv[3]!, argv[4]!];
  return lmoveGeneric(ctx, src, dst, from, to, ['LMOVE', src, dst, ...where]) ?? block(ctx, [src], timeout, nil());
}

export function brpoplpushCommand(ctx: ExecContext, argv: string[]): Reply {
  const timeout = parseTimeout(argv[3]!);
  if (isReply(timeout)) return timeout;
  const src = argv[1]!;
  const dst = argv[2]!;
  return lmoveGeneric(ctx, src, dst, 'tail', 'head', ['RPOPLPUSH', src, dst]) ?? block(ctx, [src], timeout, nil());
}
