/**
 * XREAD and XREADGROUP (t_stream.c xreadCommand, streamReplyWithRange,
 * streamReplyWithRangeFromConsumerPEL at 7.0.15), with BLOCK.
 *
 * XREADGROUP is never propagated as itself (preventCommandPropagation): each entry it
 * delivers becomes a PEL entry, propagated as an idempotent
 *   XCLAIM key group consumer 0 id TIME <delivery ms> RETRYCOUNT <n> FORCE JUSTID LASTID <group last ID>
 * (streamPropagateXCLAIM); with NOACK no PEL entry is made, and the group's new last ID
 * goes out as `XGROUP SETID key group id ENTRIESREAD n` (streamPropagateGroupID), and a
 * consumer the read created as `XGROUP CREATECONSUMER` (streamPropagateConsumerCreation) —
 * without NOACK the XCLAIM creates the consumer on the replica. Reading a consumer's own
 * history (an ID other than `>`) propagates nothing, even when it created the consumer or
 * bumped delivery counts: a replica keeps the older counts, as Redis's do. More than one op
 * in a unit goes out in MULTI/EXEC (the server's propagatePendingCommands).
 *
 * BLOCK: a read with nothing to serve blocks (blocking.ts) with `$` resolved to the stream's
 * last ID at that moment and COUNT defaulted to 1000 (XREAD_BLOCKED_DEFAULT_COUNT); Redis
 * serves a waiter when a key it waits on is signalled (XADD, XGROUP DESTROY, the key deleted
 * or replaced) and then has entries past the waiter's ID — the model signals a stream when
 * its entries-added counter or its identity changed since the client blocked. An XREADGROUP
 * waiter whose key stopped being a stream gets -UNBLOCKED, whose group is gone -NOGROUP.
 * A served waiter gets one key, as in Redis: the first of its keys (in its order) that can
 * serve it — Redis takes the first signalled, which differs only when one command (EXEC)
 * readies several of its keys. Inside MULTI a read that would block answers a null
 * array (CLIENT_DENY_BLOCKING); from a script BLOCK is an error.
 */
import { array, bulk, err, nilArray, ERR_NOT_INTEGER, ERR_SYNTAX, ERR_WRONGTYPE, type Reply } from '../protocol/reply.js';
import { string2ll } from '../protocol/number-parse.js';
import { type ExecContext, type BlockRequest, addDirty, lookupRead, propagate } from './exec-context.js';
import { StreamValue } from '../data/value-stream.js';
import { compareIds, idText, incrId, MAX_ID, MIN_ID, parseStreamId, type StreamId } from '../data/stream-id.js';
import { createConsumer, lookupConsumer, SCG_INVALID_ENTRIES_READ, type StreamCG, type StreamConsumer, type StreamNack } from '../data/stream-cg.js';
import { estimateDistanceFromFirstEverEntry, rangeHasTombstones } from '../data/stream-lag.js';
import type { Value } from '../data/value.js';
import { entryReply, ERR_INVALID_ID } from './commands-stream.js';

const XREAD_BLOCKED_DEFAULT_COUNT = 1000;

/** streamPropagateXCLAIM. `idArg` is the ID as the command spelled it (XCLAIM passes its argv). */
export function propagateXclaim(ctx: ExecContext, key: string, groupName: string, cg: StreamCG, idArg: string, nack: StreamNack): void {
  propagate(ctx, ['XCLAIM', key, groupName, nack.consumer!.name, '0', idArg, 'TIME', String(nack.deliveryTime), 'RETRYCOUNT', String(nack.deliveryCount), 'FORCE', 'JUSTID', 'LASTID', idText(cg.lastId)]);
}

/** streamPropagateGroupID. */
export function propagateGroupId(ctx: ExecContext, key: string, groupName: string, cg: StreamCG): void {
  propagate(ctx, ['XGROUP', 'SETID', key, groupName, idText(cg.lastId), 'ENTRIESREAD', String(cg.entriesRead)]);
}

interface GroupRead {
  cg: StreamCG;
  consumer: StreamConsumer;
  key: string;
  groupName: string;
  noack: boolean;
}

/**
 * streamReplyWithRange from `start` to the end, with a group: moves the group's last ID and
 * read counter, and makes (or re-assigns) a NACK per entry unless NOACK, propagating each.
 */
function deliverNew(ctx: ExecContext, s: StreamValue, start: StreamId, count: number, g: GroupRead): Reply[] {
  const out: Reply[] = [];
  let propagateLastId = false;
  for (let i = s.lowerBound(start); i < s.entries.length; i++) {
    const e = s.entries[i]!;
    const { cg } = g;
    if (compareIds(e.id, cg.lastId) > 0) {
      if (cg.entriesRead !== SCG_INVALID_ENTRIES_READ && !rangeHasTombstones(s, e.id, null)) cg.entriesRead++;
      else if (s.entriesAdded > 0) cg.entriesRead = estimateDistanceFromFirstEverEntry(s, e.id);
      cg.lastId = e.id;
      if (g.noack) propagateLastId = true;
    }
    out.push(entryReply(e));
    if (!g.noack) {
      let nack = cg.pel.find(e.id);
      if (nack === undefined) {
        nack = { deliveryTime: ctx.nowMs, deliveryCount: 1, consumer: g.consumer };
        cg.pel.insert(e.id, nack);
        g.consumer.pel.insert(e.id, nack);
      } else {
        // Already pending (XGROUP SETID moved the group back): the new reader owns it now.
        nack.consumer!.pel.remove(e.id);
        nack.consumer = g.consumer;
        nack.deliveryTime = ctx.nowMs;
        nack.deliveryCount = 1;
        g.consumer.pel.insert(e.id, nack);
      }
      propagateXclaim(ctx, g.key, g.groupName, cg, idText(e.id), nack);
    }
    if (count > 0 && out.length === count) break;
  }
  if (propagateLastId) propagateGroupId(ctx, g.key, g.groupName, g.cg);
  return out;
}

/** streamReplyWithRangeFromConsumerPEL: the consumer's own pending entries from `start`. */
function deliverHistory(ctx: ExecContext, s: StreamValue, start: StreamId, count: number, consumer: StreamConsumer): Reply[] {
  const out: Reply[] = [];
  const pel = consumer.pel;
  for (let i = pel.lowerBound(start); i < pel.size && (count === 0 || out.length < count); i++) {
    const id = pel.ids[i]!;
    const at = s.lowerBound(id);
    const e = s.entries[at];
    if (e === undefined || compareIds(e.id, id) !== 0) {
      // Pending, but deleted from the stream since: the ID with a null entry.
      out.push(array([bulk(idText(id)), nilArray()]));
      continue;
    }
    out.push(entryReply(e));
    const nack = pel.nacks[i]!;
    nack.deliveryTime = ctx.nowMs;
    nack.deliveryCount++;
  }
  return out;
}

/**
 * Whether `s` serves a reader past `gt`: at once when its last live entry is past it
 * (streamLastValidID); a blocked reader when the last ID is (serveClientsBlockedOnStreamKey),
 * which answers it even if the new entries were deleted meanwhile, with an empty list.
 */
function hasNewEntries(ctx: ExecContext, s: StreamValue, gt: StreamId): boolean {
  if (ctx.servingBlocked) return compareIds(s.lastId, gt) > 0;
  return s.length > 0 && compareIds(s.lastValidId(), gt) > 0;
}

interface ReadArgs {
  timeoutMs: number; // -1: no BLOCK
  count: number;
  noack: boolean;
  groupName: string | null;
  consumerName: string | null;
  keys: string[];
  idArgs: string[];
}

function parseRead(ctx: ExecContext, argv: string[], xreadgroup: boolean): ReadArgs | Reply {
  const a: ReadArgs = { timeoutMs: -1, count: 0, noack: false, groupName: null, consumerName: null, keys: [], idArgs: [] };
  let streamsArg = 0;
  for (let i = 1; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const o = argv[i]!.toLowerCase();
    if (o === 'block' && more > 0) {
      if (ctx.inScript) return err(`ERR ${argv[0]} command is not allowed with BLOCK option from scripts`);
      const t = string2ll(argv[++i]!);
      if (t === null) return err('ERR timeout is not an integer or out of range');
      if (t < 0n) return err('ERR timeout is negative');
      a.timeoutMs = Number(t);
    } else if (o === 'count' && more > 0) {
      const n = string2ll(argv[++i]!);
      if (n === null) return ERR_NOT_INTEGER;
      a.count = n < 0n ? 0 : Number(n);
    } else if (o === 'streams' && more > 0) {
      streamsArg = i + 1;
      if ((argv.length - streamsArg) % 2 !== 0) return err("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
      break;
    } else if (o === 'group' && more >= 2) {
      if (!xreadgroup) return err('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
      a.groupName = argv[i + 1]!;
      a.consumerName = argv[i + 2]!;
      i += 2;
    } else if (o === 'noack') {
      if (!xreadgroup) return err('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
      a.noack = true;
    } else return ERR_SYNTAX;
  }
  if (streamsArg === 0) return ERR_SYNTAX;
  if (xreadgroup && a.groupName === null) return err('ERR Missing GROUP option for XREADGROUP');
  const n = (argv.length - streamsArg) / 2;
  a.keys = argv.slice(streamsArg, streamsArg + n);
  a.idArgs = argv.slice(streamsArg + n);
  return a;
}

/** The IDs each stream must be read past ('>' is MAX_ID), or the error of the first bad one. */
function resolveIds(ctx: ExecContext, a: ReadArgs, xreadgroup: boolean): StreamId[] | Reply {
  const ids: StreamId[] = [];
  for (let j = 0; j < a.keys.length; j++) {
    const key = a.keys[j]!;
    const o = lookupRead(ctx, key);
    if (o !== undefined && !(o instanceof StreamValue)) return ctx.servingBlocked && a.groupName !== null ? err('UNBLOCKED the stream key no longer exists') : ERR_WRONGTYPE;
    if (a.groupName !== null && (o === undefined || o.cgroups?.get(a.groupName) === undefined)) {
      if (ctx.servingBlocked) return o === undefined ? err('UNBLOCKED the stream key no longer exists') : err('NOGROUP the consumer group this client was blocked on no longer exists');
      return err(`NOGROUP No such key '${key}' or consumer group '${a.groupName}' in XREADGROUP with GROUP option`);
    }
    const arg = a.idArgs[j]!;
    if (arg === '$') {
      if (xreadgroup) {
        return err(
          'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
        );
      }
      ids.push(o instanceof StreamValue ? o.lastId : MIN_ID);
    } else if (arg === '>') {
      if (!xreadgroup) return err('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
      ids.push(MAX_ID);
    } else {
      const p = parseStreamId(arg, 0n, true);
      if (p === null) return ERR_INVALID_ID;
      ids.push(p.id);
    }
  }
  return ids;
}

/** XREAD [COUNT n] [BLOCK ms] STREAMS key … id …; XREADGROUP GROUP g c [COUNT n] [BLOCK ms] [NOACK] STREAMS key … id … */
export function xreadCommand(ctx: ExecContext, argv: string[]): Reply {
  const xreadgroup = argv[0]!.length === 10;
  const a = parseRead(ctx, argv, xreadgroup);
  if ('type' in a) return a;
  const ids = resolveIds(ctx, a, xreadgroup);
  if ('type' in ids) return ids;
  const out: Reply[] = [];
  a.keys.forEach((key, i) => {
    const o = lookupRead(ctx, key);
    if (!(o instanceof StreamValue)) return;
    let gt = ids[i]!;
    const history = a.groupName !== null && compareIds(gt, MAX_ID) !== 0;
    if (a.groupName !== null && !history) gt = o.cgroups!.get(a.groupName)!.lastId;
    if (!history && !hasNewEntries(ctx, o, gt)) return;
    const start = incrId(gt) ?? MIN_ID; // streamIncrID wraps the maximum ID to 0-0
    if (a.groupName === null) {
      const from = o.lowerBound(start);
      out.push(array([bulk(key), array(o.entries.slice(from, a.count > 0 ? from + a.count : undefined).map(entryReply))]));
      return;
    }
    const s = ctx.keyspace.mutableValue(ctx.db, key, StreamValue);
    const cg = s.cgroups!.get(a.groupName)!;
    let consumer = lookupConsumer(cg, a.consumerName!, ctx.nowMs);
    if (consumer === undefined) {
      consumer = createConsumer(cg, a.consumerName!, ctx.nowMs)!;
      addDirty(ctx, 1);
      if (a.noack) propagate(ctx, ['XGROUP', 'CREATECONSUMER', key, a.groupName, a.consumerName!]);
    }
    const entries = history ? deliverHistory(ctx, s, start, a.count, consumer) : deliverNew(ctx, s, start, a.count, { cg, consumer, key, groupName: a.groupName, noack: a.noack });
    ctx.keyspace.settleValue(ctx.db, key, s);
    addDirty(ctx, 1);
    out.push(array([bulk(key), array(entries)]));
  });
  if (out.length > 0) return array(out);
  if (a.timeoutMs === -1 || ctx.inMulti) return nilArray();
  ctx.blockOn = blockRequest(ctx, argv[0]!, a, ids);
  return nilArray();
}

/** blockForKeys(BLOCKED_STREAM): what the client waits for, and the read it runs when served. */
function blockRequest(ctx: ExecContext, cmd: string, a: ReadArgs, ids: StreamId[]): BlockRequest {
  const seen = a.keys.map((k) => {
    const v = ctx.keyspace.get(ctx.db, k);
    return { value: v, added: v instanceof StreamValue ? v.entriesAdded : -1 };
  });
  const group = a.groupName;
  // The key that was signalled and can serve: the waiter is served from it alone.
  let chosen = 0;
  const keyReady = (lookup: (key: string) => Value | undefined, key: string, i: number): boolean => {
    const v = lookup(key);
    if (!(v instanceof StreamValue)) return group !== null && seen[i]!.value !== v;
    // A group is gone only by XGROUP DESTROY or the key replaced, both of which signal.
    const cg = group === null ? undefined : v.cgroups?.get(group);
    if (group !== null && cg === undefined) return true;
    if (v === seen[i]!.value && v.entriesAdded === seen[i]!.added) return false; // not signalled
    return compareIds(v.lastId, cg === undefined ? ids[i]! : cg.lastId) > 0;
  };
  const ready = (lookup: (key: string) => Value | undefined): boolean => (chosen = a.keys.findIndex((key, i) => keyReady(lookup, key, i))) >= 0;
  const retryArgv = (): string[] => {
    const argv = [cmd, 'COUNT', String(a.count || XREAD_BLOCKED_DEFAULT_COUNT), 'BLOCK', String(a.timeoutMs)];
    if (group !== null) argv.push('GROUP', group, a.consumerName!, ...(a.noack ? ['NOACK'] : []));
    argv.push('STREAMS', a.keys[chosen]!, group !== null ? '>' : idText(ids[chosen]!));
    return argv;
  };
  return { keys: a.keys, timeoutMs: a.timeoutMs, onTimeout: nilArray(), retryArgv, ready };
}
