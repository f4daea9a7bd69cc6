/**
 * XCLAIM and XAUTOCLAIM (t_stream.c xclaimCommand / xautoclaimCommand at 7.0.15): move
 * pending entries idle for at least min-idle-time to another consumer (created if needed).
 *
 * Neither propagates as itself: each entry claimed — and each pending entry found deleted
 * from the stream, which the claim drops from the PEL — goes out as the idempotent
 * `XCLAIM key group consumer 0 id TIME … RETRYCOUNT … FORCE JUSTID LASTID …`
 * (commands-stream-read.ts propagateXclaim) with the ID as the command spelled it (XCLAIM)
 * or in canonical form (XAUTOCLAIM). An XCLAIM LASTID that moved the group's last ID and
 * claimed nothing goes out as XGROUP SETID … ENTRIESREAD. A replica applying these XCLAIMs
 * (FORCE, TIME, RETRYCOUNT, LASTID) rebuilds the same PEL; TIME in its future is clamped to
 * its own clock, as Redis's is.
 */
import { array, bulk, err, ERR_SYNTAX, ERR_WRONGTYPE, type Reply } from '../protocol/reply.js';
import { string2ll } from '../protocol/number-parse.js';
import { type ExecContext, addDirty, lookupRead } from './exec-context.js';
import { StreamValue } from '../data/value-stream.js';
import { compareIds, idText, MIN_ID, parseStreamId, type StreamId } from '../data/stream-id.js';
import { createConsumer, dropNack, lookupConsumer, type StreamCG, type StreamConsumer, type StreamNack } from '../data/stream-cg.js';
import { entryReply, ERR_INVALID_ID } from './commands-stream.js';
import { propagateGroupId, propagateXclaim } from './commands-stream-read.js';
import { intervalBound } from './commands-stream-groups.js';

function groupOrError(ctx: ExecContext, argv: string[]): StreamValue | Reply {
  const v = lookupRead(ctx, argv[1]!);
  if (v !== undefined && !(v instanceof StreamValue)) return ERR_WRONGTYPE;
  if (v === undefined || v.cgroups?.get(argv[2]!) === undefined) return err(`NOGROUP No such key '${argv[1]}' or consumer group '${argv[2]}'`);
  return v;
}

/** The claiming consumer, looked up (seen-time refreshed) or created on the first claim. */
function claimer(ctx: ExecContext, cg: StreamCG, name: string): StreamConsumer {
  const c = lookupConsumer(cg, name, ctx.nowMs);
  if (c !== undefined) return c;
  addDirty(ctx, 1);
  return createConsumer(cg, name, ctx.nowMs)!;
}

/** Gives `nack` (pending as `id`) to `consumer`; a NACK just made by FORCE has no owner yet. */
function transfer(id: StreamId, nack: StreamNack, consumer: StreamConsumer): void {
  if (nack.consumer === consumer) return;
  nack.consumer?.pel.remove(id);
  consumer.pel.insert(id, nack);
  nack.consumer = consumer;
}

interface ClaimOptions {
  force: boolean;
  justid: boolean;
  /** -1: neither IDLE nor TIME. */
  deliveryTime: number;
  retryCount: number;
  lastId: StreamId;
}

function parseClaimOptions(ctx: ExecContext, argv: string[], from: number): ClaimOptions | Reply {
  const o: ClaimOptions = { force: false, justid: false, deliveryTime: -1, retryCount: -1, lastId: MIN_ID };
  const number = (arg: string, what: string): number | Reply => {
    const n = string2ll(arg);
    return n === null ? err(`ERR Invalid ${what} option argument for XCLAIM`) : Number(n);
  };
  for (let j = from; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j]!.toLowerCase();
    let n: number | Reply = 0;
    if (opt === 'force') o.force = true;
    else if (opt === 'justid') o.justid = true;
    else if (opt === 'idle' && more > 0) {
      if (typeof (n = number(argv[++j]!, 'IDLE')) !== 'number') return n;
      o.deliveryTime = ctx.nowMs - n;
    } else if (opt === 'time' && more > 0) {
      if (typeof (n = number(argv[++j]!, 'TIME')) !== 'number') return n;
      o.deliveryTime = n;
    } else if (opt === 'retrycount' && more > 0) {
      if (typeof (n = number(argv[++j]!, 'RETRYCOUNT')) !== 'number') return n;
      o.retryCount = n;
    } else if (opt === 'lastid' && more > 0) {
      const p = parseStreamId(argv[++j]!, 0n, true);
      if (p === null) return ERR_INVALID_ID;
      o.lastId = p.id;
    } else return err(`ERR Unrecognized XCLAIM option '${argv[j]}'`);
  }
  // A bogus time (negative, or in this node's future) means now: clients compute it from their own clocks.
  if (o.deliveryTime === -1 || o.deliveryTime < 0 || o.deliveryTime > ctx.nowMs) o.deliveryTime = ctx.nowMs;
  return o;
}

/** XCLAIM key group consumer min-idle-time id … [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id] */
export function xclaimCommand(ctx: ExecContext, argv: string[]): Reply {
  const v = groupOrError(ctx, argv);
  if (!(v instanceof StreamValue)) return v;
  const minIdleArg = string2ll(argv[4]!);
  if (minIdleArg === null) return err('ERR Invalid min-idle-time argument for XCLAIM');
  const minIdle = minIdleArg < 0n ? 0 : Number(minIdleArg);
  const ids: StreamId[] = [];
  let j = 5;
  for (let p; j < argv.length && (p = parseStreamId(argv[j]!, 0n, true)) !== null; j++) ids.push(p.id);
  const o = parseClaimOptions(ctx, argv, j);
  if ('type' in o) return o;
  const key = argv[1]!;
  const groupName = argv[2]!;
  const s = ctx.keyspace.mutableValue(ctx.db, key, StreamValue);
  const cg = s.cgroups!.get(groupName)!;
  let propagateLastId = false;
  if (compareIds(o.lastId, cg.lastId) > 0) {
    cg.lastId = o.lastId;
    propagateLastId = true;
  }
  let consumer: StreamConsumer | null = null;
  const out: Reply[] = [];
  ids.forEach((id, k) => {
    const idArg = argv[5 + k]!;
    let nack = cg.pel.find(id);
    if (!s.entryExists(id)) {
      if (nack !== undefined) {
        // Pending but deleted from the stream: dropped, and the drop propagated.
        propagateXclaim(ctx, key, groupName, cg, idArg, nack);
        propagateLastId = false;
        addDirty(ctx, 1);
        dropNack(cg, id, nack);
      }
      return;
    }
    if (o.force && nack === undefined) {
      nack = { deliveryTime: ctx.nowMs, deliveryCount: 1, consumer: null };
      cg.pel.insert(id, nack);
    }
    if (nack === undefined) return;
    if (nack.consumer !== null && minIdle > 0 && ctx.nowMs - nack.deliveryTime < minIdle) return;
    consumer ??= claimer(ctx, cg, argv[3]!);
    transfer(id, nack, consumer);
    nack.deliveryTime = o.deliveryTime;
    if (o.retryCount >= 0) nack.deliveryCount = o.retryCount;
    else if (!o.justid) nack.deliveryCount++;
    out.push(o.justid ? bulk(idText(id)) : entryReply(s.entries[s.lowerBound(id)]!));
    propagateXclaim(ctx, key, groupName, cg, idArg, nack);
    propagateLastId = false;
    addDirty(ctx, 1);
  });
  if (propagateLastId) {
    propagateGroupId(ctx, key, groupName, cg);
    addDirty(ctx, 1);
  }
  ctx.keyspace.settleValue(ctx.db, key, s);
  return array(out);
}

const XAUTOCLAIM_ATTEMPTS_FACTOR = 10;
const XAUTOCLAIM_MAX_COUNT = 576460752303423487; // LONG_MAX / 16

/** XAUTOCLAIM key group consumer min-idle-time start [COUNT n] [JUSTID] */
export function xautoclaimCommand(ctx: ExecContext, argv: string[]): Reply {
  const minIdleArg = string2ll(argv[4]!);
  if (minIdleArg === null) return err('ERR Invalid min-idle-time argument for XAUTOCLAIM');
  const minIdle = minIdleArg < 0n ? 0 : Number(minIdleArg);
  const start = intervalBound(argv[5]!, 0n, true);
  if ('type' in start) return start;
  let count = 100;
  let justid = false;
  for (let j = 6; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    if (opt === 'count' && argv.length - 1 - j > 0) {
      const n = string2ll(argv[j + 1]!);
      if (n === null || n < 1n || n > BigInt(XAUTOCLAIM_MAX_COUNT)) return err('ERR COUNT must be > 0');
      count = Number(n);
      j++;
    } else if (opt === 'justid') justid = true;
    else return ERR_SYNTAX;
  }
  const v = groupOrError(ctx, argv);
  if (!(v instanceof StreamValue)) return v;
  const key = argv[1]!;
  const groupName = argv[2]!;
  const s = ctx.keyspace.mutableValue(ctx.db, key, StreamValue);
  const cg = s.cgroups!.get(groupName)!;
  let consumer: StreamConsumer | null = null;
  const claimed: Reply[] = [];
  const deleted: Reply[] = [];
  let attempts = count * XAUTOCLAIM_ATTEMPTS_FACTOR;
  let i = cg.pel.lowerBound(start);
  while (attempts-- > 0 && count > 0 && i < cg.pel.size) {
    const id = cg.pel.ids[i]!;
    const nack = cg.pel.nacks[i]!;
    if (!s.entryExists(id)) {
      propagateXclaim(ctx, key, groupName, cg, idText(id), nack);
      addDirty(ctx, 1);
      dropNack(cg, id, nack); // the next pending entry moves into slot i
      deleted.push(bulk(idText(id)));
      count--;
      continue;
    }
    i++;
    if (minIdle > 0 && ctx.nowMs - nack.deliveryTime < minIdle) continue;
    consumer ??= claimer(ctx, cg, argv[3]!);
    transfer(id, nack, consumer);
    nack.deliveryTime = ctx.nowMs;
    if (!justid) nack.deliveryCount++;
    claimed.push(justid ? bulk(idText(id)) : entryReply(s.entries[s.lowerBound(id)]!));
    count--;
    propagateXclaim(ctx, key, groupName, cg, idText(id), nack);
    addDirty(ctx, 1);
  }
  const cursor = i < cg.pel.size ? cg.pel.ids[i]! : MIN_ID;
  ctx.keyspace.settleValue(ctx.db, key, s);
  return array([bulk(idText(cursor)), array(claimed), array(deleted)]);
}
