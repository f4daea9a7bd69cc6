/**
 * Sorted-set commands, after t_zset.c at 7.0.15: ZADD (NX XX GT LT CH INCR), ZINCRBY,
 * ZREM, ZSCORE, ZMSCORE, ZCARD, ZRANK, ZREVRANK, ZCOUNT, ZPOPMIN, ZPOPMAX, and the range
 * family through zrangeGenericCommand: ZRANGE (BYSCORE, REV, LIMIT, WITHSCORES),
 * ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE. BYLEX is not modelled (a clear error).
 *
 * Scores are JS doubles, parsed like strtod and replied like "%.17g" (double-text.ts).
 * Propagation follows server.dirty: ZADD/ZINCRBY only when a member was added or its
 * score changed (ZADD of the same score, ZINCRBY by 0, a refused GT/LT propagate
 * nothing), ZREM and ZPOPMIN/ZPOPMAX when they removed something; all as typed.
 */
import { int, bulk, nil, array, emptyArray, err, ERR_SYNTAX, ERR_WRONGTYPE, ERR_NOT_FLOAT, type Reply } from '../protocol/reply.js';
import { type ExecContext, lookupRead, lookupWrite, propagate, addDirty } from './exec-context.js';
import { isReply, optionIs, parseLongLongArg, parsePositiveLongArg } from './command-args.js';
import { string2d, parseScoreBound, formatDouble17g, type ScoreBound } from '../protocol/double-text.js';
import { ZSetValue } from '../data/value-zset.js';

const ERR_RANGE_NOT_FLOAT = err('ERR min or max is not a float');

function readZset(ctx: ExecContext, key: string): ZSetValue | undefined | Reply {
  const v = lookupRead(ctx, key);
  if (v === undefined) return undefined;
  return v instanceof ZSetValue ? v : ERR_WRONGTYPE;
}

/** addReplyDouble in RESP2: a bulk string of "%.17g" ("inf" / "-inf"). */
function scoreReply(score: number): Reply {
  return bulk(formatDouble17g(score));
}

/** zaddGenericCommand, for ZADD and (with `incrCommand`) ZINCRBY. */
function zaddGeneric(ctx: ExecContext, argv: string[], incrCommand: boolean): Reply {
  let nx = false;
  let xx = false;
  let gt = false;
  let lt = false;
  let ch = false;
  let incr = incrCommand;
  let scoreIdx = 2;
  for (; scoreIdx < argv.length; scoreIdx++) {
    const opt = argv[scoreIdx]!;
    if (optionIs(opt, 'nx')) nx = true;
    else if (optionIs(opt, 'xx')) xx = true;
    else if (optionIs(opt, 'ch')) ch = true;
    else if (optionIs(opt, 'incr')) incr = true;
    else if (optionIs(opt, 'gt')) gt = true;
    else if (optionIs(opt, 'lt')) lt = true;
    else break;
  }
  const pairsArgs = argv.length - scoreIdx;
  if (pairsArgs % 2 !== 0 || pairsArgs === 0) return ERR_SYNTAX;
  const elements = pairsArgs / 2;
  if (nx && xx) return err('ERR XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) return err('ERR GT, LT, and/or NX options at the same time are not compatible');
  if (incr && elements > 1) return err('ERR INCR option supports a single increment-element pair');
  // Every score is parsed before anything changes: the command runs fully or not at all.
  const scores: number[] = [];
  for (let j = 0; j < elements; j++) {
    const s = string2d(argv[scoreIdx + j * 2]!);
    if (s === null) return ERR_NOT_FLOAT;
    scores.push(s);
  }
  const key = argv[1]!;
  const v = lookupWrite(ctx, key);
  if (v !== undefined && !(v instanceof ZSetValue)) return ERR_WRONGTYPE;
  if (v === undefined && xx) return incr ? nil() : int(0);
  const z = v === undefined ? new ZSetValue() : ctx.keyspace.mutableValue(ctx.db, key, ZSetValue);
  let added = 0;
  let updated = 0;
  let processed = 0;
  let lastScore = 0;
  let nan = false;
  for (let j = 0; j < elements; j++) {
    const member = argv[scoreIdx + 1 + j * 2]!;
    let score = scores[j]!;
    const cur = z.score(member);
    if (cur === undefined) {
      if (xx) continue;
      z.insert(member, score);
      added++;
    } else {
      if (nx) continue;
      if (incr) {
        score += cur;
        if (Number.isNaN(score)) {
          nan = true;
          break;
        }
      }
      if ((lt && score >= cur) || (gt && score <= cur)) continue;
      if (score !== cur) {
        z.update(member, score);
        updated++;
      }
    }
    processed++;
    lastScore = score;
  }
  if (v === undefined) {
    if (z.size > 0) ctx.keyspace.set(ctx.db, key, z);
  } else ctx.keyspace.settleValue(ctx.db, key, z);
  if (nan) return err('ERR resulting score is not a number (NaN)');
  if (added + updated > 0) {
    addDirty(ctx, added + updated);
    propagate(ctx, argv);
  }
  if (incr) return processed > 0 ? scoreReply(lastScore) : nil();
  return int(ch ? added + updated : added);
}

export const zaddCommand = (ctx: ExecContext, argv: string[]): Reply => zaddGeneric(ctx, argv, false);
export const zincrbyCommand = (ctx: ExecContext, argv: string[]): Reply => zaddGeneric(ctx, argv, true);

export function zremCommand(ctx: ExecContext, argv: string[]): Reply {
  const key = argv[1]!;
  const v = lookupWrite(ctx, key);
  if (v === undefined) return int(0);
  if (!(v instanceof ZSetValue)) return ERR_WRONGTYPE;
  let any = false;
  for (let j = 2; j < argv.length && !any; j++) any = v.score(argv[j]!) !== undefined;
  if (!any) return int(0);
  const z = ctx.keyspace.mutableValue(ctx.db, key, ZSetValue);
  let deleted = 0;
  for (let j = 2; j < argv.length; j++) {
    if (z.delete(argv[j]!)) deleted++;
    if (z.size === 0) break; // Redis deletes the key and stops at once
  }
  ctx.keyspace.settleValue(ctx.db, key, z);
  addDirty(ctx, deleted);
  propagate(ctx, argv);
  return int(deleted);
}

export function zcardCommand(ctx: ExecContext, argv: string[]): Reply {
  const z = readZset(ctx, argv[1]!);
  if (z === undefined) return int(0);
  return isReply(z) ? z : int(z.size);
}

export function zscoreCommand(ctx: ExecContext, argv: string[]): Reply {
  const z = readZset(ctx, argv[1]!);
  if (z === undefined) return nil();
  if (isReply(z)) return z;
  const s = z.score(argv[2]!);
  return s === undefined ? nil() : scoreReply(s);
}

/** ZMSCORE: a missing key is an empty sorted set. */
export function zmscoreCommand(ctx: ExecContext, argv: string[]): Reply {
  const z = readZset(ctx, argv[1]!);
  if (isReply(z)) return z;
  const items: Reply[] = [];
  for (let j = 2; j < argv.length; j++) {
    const s = z?.score(argv[j]!);
    items.push(s === undefined ? nil() : scoreReply(s));
  }
  return array(items);
}

function zrankGeneric(ctx: ExecContext, argv: string[], reverse: boolean): Reply {
  const z = readZset(ctx, argv[1]!);
  if (z === undefined) return nil();
  if (isReply(z)) return z;
  if (z.score(argv[2]!) === undefined) return nil();
  const rank = z.rank(argv[2]!);
  return int(reverse ? z.size - 1 - rank : rank);
}

export const zrankCommand = (ctx: ExecContext, argv: string[]): Reply => zrankGeneric(ctx, argv, false);
export const zrevrankCommand = (ctx: ExecContext, argv: string[]): Reply => zrankGeneric(ctx, argv, true);

export function zcountCommand(ctx: ExecContext, argv: string[]): Reply {
  const min = parseScoreBound(argv[2]!);
  const max = parseScoreBound(argv[3]!);
  if (min === null || max === null) return ERR_RANGE_NOT_FLOAT;
  const z = readZset(ctx, argv[1]!);
  if (z === undefined) return int(0);
  if (isReply(z)) return z;
  const first = z.firstRankFrom(min.value, min.exclusive);
  const last = z.lastRankUpTo(max.value, max.exclusive);
  return int(Math.max(0, last - first + 1));
}

/** genericZpopCommand for ZPOPMIN/ZPOPMAX key [count]: a flat member, score array (RESP2). */
function zpopGeneric(ctx: ExecContext, argv: string[], max: boolean): Reply {
  if (argv.length > 3) return ERR_SYNTAX;
  let count = 1;
  if (argv.length === 3) {
    const c = parsePositiveLongArg(argv[2]!);
    if (isReply(c)) return c;
    count = c;
  }
  const key = argv[1]!;
  const v = lookupWrite(ctx, key);
  if (v === undefined) return emptyArray();
  if (!(v instanceof ZSetValue)) return ERR_WRONGTYPE;
  if (count === 0) return emptyArray();
  const z = ctx.keyspace.mutableValue(ctx.db, key, ZSetValue);
  const items: Reply[] = [];
  for (let n = Math.min(count, z.size); n > 0; n--) {
    const member = z.at(max ? z.size - 1 : 0);
    items.push(bulk(member), scoreReply(z.score(member)!));
    z.delete(member);
  }
  ctx.keyspace.settleValue(ctx.db, key, z);
  addDirty(ctx, items.length / 2);
  propagate(ctx, argv);
  return array(items);
}

export const zpopminCommand = (ctx: ExecContext, argv: string[]): Reply => zpopGeneric(ctx, argv, false);
export const zpopmaxCommand = (ctx: ExecContext, argv: string[]): Reply => zpopGeneric(ctx, argv, true);

// ---- zrangeGenericCommand ---------------------------------------------------------------

type RangeType = 'auto' | 'rank' | 'score';
type Direction = 'auto' | 'forward' | 'reverse';

/** zrangeGenericCommand for a client (not ZRANGESTORE): the key is argv[1], min/max argv[2..3]. */
function zrangeGeneric(ctx: ExecContext, argv: string[], rangeType: RangeType, direction: Direction): Reply {
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = 4; j < argv.length; j++) {
    const opt = argv[j]!;
    const left = argv.length - j - 1;
    if (optionIs(opt, 'withscores')) withScores = true;
    else if (optionIs(opt, 'limit') && left >= 2) {
      const o = parseLongLongArg(argv[j + 1]!);
      if (isReply(o)) return o;
      const l = parseLongLongArg(argv[j + 2]!);
      if (isReply(l)) return l;
      offset = Number(o);
      limit = Number(l);
      j += 2;
    } else if (direction === 'auto' && optionIs(opt, 'rev')) direction = 'reverse';
    else if (rangeType === 'auto' && optionIs(opt, 'bylex')) return err('ERR replsim does not model ZRANGE BYLEX');
    else if (rangeType === 'auto' && optionIs(opt, 'byscore')) rangeType = 'score';
    else return ERR_SYNTAX;
  }
  const reverse = direction === 'reverse';
  const type = rangeType === 'auto' ? 'rank' : rangeType;
  if (limit !== -1 && type === 'rank') {
    return err('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  }
  // A reversed score range is given as max, min.
  const minArg = reverse && type === 'score' ? argv[3]! : argv[2]!;
  const maxArg = reverse && type === 'score' ? argv[2]! : argv[3]!;
  let start = 0;
  let end = 0;
  let min: ScoreBound | null = null;
  let max: ScoreBound | null = null;
  if (type === 'rank') {
    const s = parseLongLongArg(minArg);
    if (isReply(s)) return s;
    const e = parseLongLongArg(maxArg);
    if (isReply(e)) return e;
    start = Number(s);
    end = Number(e);
  } else {
    min = parseScoreBound(minArg);
    max = parseScoreBound(maxArg);
    if (min === null || max === null) return ERR_RANGE_NOT_FLOAT;
  }
  const z = readZset(ctx, argv[1]!);
  if (z === undefined) return emptyArray();
  if (isReply(z)) return z;
  const ranks = type === 'rank' ? rankRange(z, start, end, reverse) : scoreRange(z, min!, max!, offset, limit, reverse);
  const items: Reply[] = [];
  for (const r of ranks) {
    const member = z.at(r);
    items.push(bulk(member));
    if (withScores) items.push(scoreReply(z.score(member)!));
  }
  return array(items);
}

/** genericZrangebyrankCommand: the ranks to emit, in emission order. */
function rankRange(z: ZSetValue, start: number, end: number, reverse: boolean): number[] {
  const len = z.size;
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return [];
  if (end >= len) end = len - 1;
  const out: number[] = [];
  for (let i = start; i <= end; i++) out.push(reverse ? len - 1 - i : i);
  return out;
}

/**
 * genericZrangebyscoreCommand: from the first (last, reversed) member in range, skip
 * `offset` members, then emit up to `limit` (negative: no limit) while still in range. A
 * negative offset walks off the end, as the C loop `while (ln && offset--)` does.
 */
function scoreRange(z: ZSetValue, min: ScoreBound, max: ScoreBound, offset: number, limit: number, reverse: boolean): number[] {
  const out: number[] = [];
  if (offset < 0 || (offset > 0 && offset >= z.size)) return out;
  if (!reverse) {
    for (let i = z.firstRankFrom(min.value, min.exclusive) + offset; i < z.size && limit-- !== 0; i++) {
      const s = z.score(z.at(i))!;
      if (max.exclusive ? s >= max.value : s > max.value) break;
      out.push(i);
    }
  } else {
    for (let i = z.lastRankUpTo(max.value, max.exclusive) - offset; i >= 0 && limit-- !== 0; i--) {
      const s = z.score(z.at(i))!;
      if (min.exclusive ? s <= min.value : s < min.value) break;
      out.push(i);
    }
  }
  return out;
}

export const zrangeCommand = (ctx: ExecContext, argv: string[]): Reply => zrangeGeneric(ctx, argv, 'auto', 'auto');
export const zrevrangeCommand = (ctx: ExecContext, argv: string[]): Reply => zrangeGeneric(ctx, argv, 'rank', 'reverse');
export const zrangebyscoreCommand = (ctx: ExecContext, argv: string[]): Reply => zrangeGeneric(ctx, argv, 'score', 'forward');
export const zrevrangebyscoreCommand = (ctx: ExecContext, argv: string[]): Reply => zrangeGeneric(ctx, argv, 'score', 'reverse');
