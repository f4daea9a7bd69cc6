/**
 * Stream commands after t_stream.c at 7.0.15: XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM.
 * XREAD and XREADGROUP are in commands-stream-read.ts, the consumer groups in
 * commands-stream-groups.ts and commands-stream-claim.ts, XINFO in commands-stream-info.ts.
 *
 * Propagation: XADD goes out with the ID it generated in place of `*` / `<ms>-*` — from
 * this node's own clock, so a skewed master writes skewed IDs into its replicas — and an
 * approximate trim (`~`) as the exact one it turned out to be: `MAXLEN = <length after>` or
 * `MINID = <first ID after>` (streamRewriteApproxSpecifier / streamRewriteTrimArgument), so
 * replicas and the AOF trim the same entries. XTRIM likewise; XDEL as sent when it deleted.
 */
import { array, bulk, err, errArity, int, nil, nilArray, ERR_NOT_INTEGER, ERR_SYNTAX, ERR_WRONGTYPE, type Reply } from '../protocol/reply.js';
import { string2ll } from '../protocol/number-parse.js';
import { type ExecContext, addDirty, lookupRead, lookupWrite, propagate } from './exec-context.js';
import { StreamValue } from '../data/value-stream.js';
import { compareIds, decrId, idText, incrId, MAX_ID, MIN_ID, parseStreamId, UINT64_MAX, type StreamId } from '../data/stream-id.js';

export const ERR_INVALID_ID = err('ERR Invalid stream ID specified as stream command argument');

interface TrimArgs {
  strategy: 'none' | 'maxlen' | 'minid';
  approx: boolean;
  maxlen: number;
  minid: StreamId;
  limit: number;
  /** argv index of the threshold (the `~`/`=` is just before it when given). */
  argIdx: number;
  approxIdx: number;
  noMkStream: boolean;
  id: StreamId | null;
  seqGiven: boolean;
  idPos: number;
}

/** streamParseAddOrTrimArgsOrReply. */
function parseAddOrTrim(ctx: ExecContext, argv: string[], xadd: boolean): TrimArgs | Reply {
  const a: TrimArgs = { strategy: 'none', approx: false, maxlen: 0, minid: MIN_ID, limit: 0, argIdx: -1, approxIdx: -1, noMkStream: false, id: null, seqGiven: true, idPos: -1 };
  let limitGiven = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const opt = argv[i]!;
    const lower = opt.toLowerCase();
    if (xadd && opt === '*') break;
    if ((lower === 'maxlen' || lower === 'minid') && more > 0) {
      if (a.strategy !== 'none') return err('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
      a.approx = false;
      const next = argv[i + 1]!;
      if (more >= 2 && next === '~') {
        a.approx = true;
        a.approxIdx = i + 1;
        i++;
      } else if (more >= 2 && next === '=') i++;
      if (lower === 'maxlen') {
        const n = string2ll(argv[i + 1]!);
        if (n === null) return ERR_NOT_INTEGER;
        if (n < 0) return err('ERR The MAXLEN argument must be >= 0.');
        a.maxlen = Number(n);
        a.strategy = 'maxlen';
      } else {
        const p = parseStreamId(argv[i + 1]!, 0n, true);
        if (p === null) return ERR_INVALID_ID;
        a.minid = p.id;
        a.strategy = 'minid';
      }
      i++;
      a.argIdx = i;
    } else if (lower === 'limit' && more > 0) {
      const n = string2ll(argv[i + 1]!);
      if (n === null) return ERR_NOT_INTEGER;
      if (n < 0) return err('ERR The LIMIT argument must be >= 0.');
      a.limit = Number(n);
      limitGiven = true;
      i++;
    } else if (xadd && lower === 'nomkstream') {
      a.noMkStream = true;
    } else if (xadd) {
      const p = parseStreamId(opt, 0n, true, true);
      if (p === null) return ERR_INVALID_ID;
      a.id = p.id;
      a.seqGiven = p.seqGiven;
      break;
    } else return ERR_SYNTAX;
  }
  a.idPos = i;
  if (a.limit && a.strategy === 'none') return err('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
  if (!xadd && a.strategy === 'none') return err('ERR syntax error, XTRIM must be called with a trimming strategy');
  if (ctx.fromMaster) a.limit = 0;
  else if (limitGiven) {
    if (!a.approx) return err('ERR syntax error, LIMIT cannot be used without the special ~ option');
  } else a.limit = a.approx ? 100 * 100 : 0; // 100 * stream-node-max-entries
  return a;
}

/** Trims per `a`, and rewrites an approximate trim in `out` (the argv to propagate). */
function trimAndRewrite(s: StreamValue, a: TrimArgs, out: string[]): number {
  if (a.strategy === 'none') return 0;
  const removed = s.trim(a.strategy, a.maxlen, a.minid, a.approx, a.limit);
  if (a.approx) {
    out[a.approxIdx] = '=';
    // streamGetEdgeID(first) of an empty stream is the maximum ID.
    out[a.argIdx] = a.strategy === 'maxlen' ? String(s.length) : idText(s.entries[0]?.id ?? MAX_ID);
  }
  return removed;
}

function readStream(ctx: ExecContext, key: string): StreamValue | undefined | Reply {
  const v = lookupRead(ctx, key);
  if (v === undefined) return undefined;
  return v instanceof StreamValue ? v : ERR_WRONGTYPE;
}

export function xaddCommand(ctx: ExecContext, argv: string[]): Reply {
  const a = parseAddOrTrim(ctx, argv, true);
  if ('type' in a) return a;
  const fieldPos = a.idPos + 1;
  if (argv.length - fieldPos < 2 || (argv.length - fieldPos) % 2 === 1) return errArity('xadd');
  if (a.id !== null && a.seqGiven && a.id.ms === 0n && a.id.seq === 0n) return err('ERR The ID specified in XADD must be greater than 0-0');
  const key = argv[1]!;
  const existing = lookupWrite(ctx, key);
  if (existing !== undefined && !(existing instanceof StreamValue)) return ERR_WRONGTYPE;
  if (existing === undefined && a.noMkStream) return nil();
  const s = existing === undefined ? new StreamValue() : ctx.keyspace.mutableValue(ctx.db, key, StreamValue);
  const settle = (): void => {
    if (existing === undefined) ctx.keyspace.set(ctx.db, key, s);
    else ctx.keyspace.settleValue(ctx.db, key, s);
  };
  if (s.lastId.ms === UINT64_MAX && s.lastId.seq === UINT64_MAX) {
    settle();
    return err('ERR The stream has exhausted the last possible ID, unable to add more items');
  }
  // streamAppendItem's ID choice: the node's clock for `*`, the next sequence for `<ms>-*`.
  let id: StreamId | null;
  if (a.id === null) {
    const now = BigInt(ctx.nowMs);
    id = now > s.lastId.ms ? { ms: now, seq: 0n } : incrId(s.lastId);
  } else if (!a.seqGiven) {
    if (a.id.ms === s.lastId.ms) id = s.lastId.seq === UINT64_MAX ? null : { ms: a.id.ms, seq: s.lastId.seq + 1n };
    else id = a.id.ms > s.lastId.ms ? a.id : null;
  } else id = compareIds(a.id, s.lastId) > 0 ? a.id : null;
  if (id === null) {
    settle();
    return err('ERR The ID specified in XADD is equal or smaller than the target stream top item');
  }
  s.append(id, argv.slice(fieldPos));
  const out = argv.slice();
  trimAndRewrite(s, a, out);
  if (a.id === null || !a.seqGiven) out[a.idPos] = idText(id);
  settle();
  addDirty(ctx, 1);
  propagate(ctx, out);
  return bulk(idText(id));
}

export function xlenCommand(ctx: ExecContext, argv: string[]): Reply {
  const s = readStream(ctx, argv[1]!);
  if (s === undefined) return int(0);
  return s instanceof StreamValue ? int(s.length) : s;
}

export function entryReply(e: { id: StreamId; fields: readonly string[] }): Reply {
  return array([bulk(idText(e.id)), array(e.fields.map((f) => bulk(f)))]);
}

/** streamParseIntervalIDOrReply with "(" for exclusive bounds. */
function intervalId(s: string, missingSeq: bigint): { id: StreamId; exclusive: boolean } | null {
  const exclusive = s.length > 1 && s[0] === '(';
  const p = exclusive ? parseStreamId(s.slice(1), missingSeq, true) : parseStreamId(s, missingSeq, false);
  return p === null ? null : { id: p.id, exclusive };
}

function xrangeGeneric(ctx: ExecContext, argv: string[], rev: boolean): Reply {
  const start = intervalId(rev ? argv[3]! : argv[2]!, 0n);
  if (start === null) return ERR_INVALID_ID;
  let startId: StreamId | null = start.id;
  if (start.exclusive && (startId = incrId(start.id)) === null) return err('ERR invalid start ID for the interval');
  const end = intervalId(rev ? argv[2]! : argv[3]!, UINT64_MAX);
  if (end === null) return ERR_INVALID_ID;
  let endId: StreamId | null = end.id;
  if (end.exclusive && (endId = decrId(end.id)) === null) return err('ERR invalid end ID for the interval');
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (argv[j]!.toLowerCase() === 'count' && j + 1 < argv.length) {
      const n = string2ll(argv[++j]!);
      if (n === null) return ERR_NOT_INTEGER;
      count = n < 0 ? 0 : Number(n);
    } else return ERR_SYNTAX;
  }
  const s = readStream(ctx, argv[1]!);
  if (s === undefined) return array([]);
  if (!(s instanceof StreamValue)) return s;
  if (count === 0) return nilArray();
  const out: Reply[] = [];
  if (compareIds(startId!, endId!) > 0) return array(out);
  const from = s.lowerBound(startId!);
  const after = incrId(endId!);
  const to = after === null ? s.entries.length : s.lowerBound(after);
  const slice = s.entries.slice(from, to);
  if (rev) slice.reverse();
  for (const e of slice) {
    if (count > 0 && out.length >= count) break;
    out.push(entryReply(e));
  }
  return array(out);
}

export function xrangeCommand(ctx: ExecContext, argv: string[]): Reply {
  return xrangeGeneric(ctx, argv, false);
}
export function xrevrangeCommand(ctx: ExecContext, argv: string[]): Reply {
  return xrangeGeneric(ctx, argv, true);
}

export function xdelCommand(ctx: ExecContext, argv: string[]): Reply {
  const ids: StreamId[] = [];
  for (let j = 2; j < argv.length; j++) {
    const p = parseStreamId(argv[j]!, 0n, true);
    if (p === null) return ERR_INVALID_ID;
    ids.push(p.id);
  }
  const v = lookupWrite(ctx, argv[1]!);
  if (v === undefined) return int(0);
  if (!(v instanceof StreamValue)) return ERR_WRONGTYPE;
  const s = ctx.keyspace.mutableValue(ctx.db, argv[1]!, StreamValue);
  let deleted = 0;
  for (const id of ids) if (s.deleteId(id)) deleted++;
  ctx.keyspace.settleValue(ctx.db, argv[1]!, s);
  addDirty(ctx, deleted);
  if (deleted > 0) propagate(ctx, argv);
  return int(deleted);
}

export function xtrimCommand(ctx: ExecContext, argv: string[]): Reply {
  const v = lookupWrite(ctx, argv[1]!);
  if (v !== undefined && !(v instanceof StreamValue)) return ERR_WRONGTYPE;
  const a = parseAddOrTrim(ctx, argv, false);
  if ('type' in a) return a;
  if (v === undefined) return int(0);
  const s = ctx.keyspace.mutableValue(ctx.db, argv[1]!, StreamValue);
  const out = argv.slice();
  const removed = trimAndRewrite(s, a, out);
  ctx.keyspace.settleValue(ctx.db, argv[1]!, s);
  addDirty(ctx, removed);
  if (removed > 0) propagate(ctx, out);
  return int(removed);
}
