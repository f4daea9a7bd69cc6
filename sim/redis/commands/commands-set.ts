/**
 * Set commands, after t_set.c at 7.0.15: SADD, SREM, SPOP, SMEMBERS, SCARD, SISMEMBER,
 * SMISMEMBER.
 *
 * SPOP's propagation is the classic rewrite (checked against redis-server 7.0.15):
 *  - SPOP k            → `SREM k <member>` (the replica's SREM deletes an emptied set itself)
 *  - SPOP k n, n ≥ size → `DEL k` (always DEL, whatever lazyfree says)
 *  - SPOP k n, n < size → one `SREM k <member>` per popped member (the server wraps >1 op
 *                          in MULTI/EXEC), never the SPOP itself.
 * "Random" members come from the keyspace's deterministic stream, so they differ from a
 * real Redis's picks but not from run to run.
 */
import { int, bulk, nil, array, emptyArray, bulkArray, ERR_SYNTAX, ERR_WRONGTYPE, type Reply } from '../protocol/reply.js';
import { type ExecContext, lookupRead, lookupWrite, propagate, addDirty } from './exec-context.js';
import { parsePositiveLongArg } from './command-args.js';
import { SetValue } from '../data/value.js';

/** SPOP_MOVE_STRATEGY_MUL: above count·5 < remaining, pop one by one; else pick the survivors. */
const SPOP_MOVE_STRATEGY_MUL = 5;

export function saddCommand(ctx: ExecContext, argv: string[]): Reply {
  const key = argv[1]!;
  const v = lookupWrite(ctx, key);
  let added = 0;
  if (v === undefined) {
    const set = new SetValue();
    for (let j = 2; j < argv.length; j++) if (set.add(argv[j]!)) added++;
    ctx.keyspace.set(ctx.db, key, set);
  } else {
    if (!(v instanceof SetValue)) return ERR_WRONGTYPE;
    let anyNew = false;
    for (let j = 2; j < argv.length && !anyNew; j++) anyNew = !v.members.has(argv[j]!);
    if (!anyNew) return int(0);
    const set = ctx.keyspace.mutableSet(ctx.db, key);
    for (let j = 2; j < argv.length; j++) if (set.add(argv[j]!)) added++;
    ctx.keyspace.settleSet(ctx.db, key, set);
  }
  addDirty(ctx, added);
  propagate(ctx, argv);
  return int(added);
}

export function sremCommand(ctx: ExecContext, argv: string[]): Reply {
  const key = argv[1]!;
  const v = lookupWrite(ctx, key);
  if (v === undefined) return int(0);
  if (!(v instanceof SetValue)) return ERR_WRONGTYPE;
  let anyPresent = false;
  for (let j = 2; j < argv.length && !anyPresent; j++) anyPresent = v.members.has(argv[j]!);
  if (!anyPresent) return int(0);
  const set = ctx.keyspace.mutableSet(ctx.db, key);
  let removed = 0;
  for (let j = 2; j < argv.length; j++) {
    if (set.delete(argv[j]!)) removed++;
    if (set.size === 0) break; // Redis stops and deletes the key once the set is empty
  }
  ctx.keyspace.settleSet(ctx.db, key, set);
  addDirty(ctx, removed);
  propagate(ctx, argv);
  return int(removed);
}

/** A member chosen by the keyspace's deterministic stream (setTypeRandomElement). */
function randomMember(ctx: ExecContext, set: SetValue): string {
  let i = ctx.keyspace.randomBelow(set.size);
  for (const m of set.members) if (i-- === 0) return m;
  throw new Error('randomMember on an empty set');
}

export function spopCommand(ctx: ExecContext, argv: string[]): Reply {
  if (argv.length === 3) return spopWithCount(ctx, argv);
  if (argv.length > 3) return ERR_SYNTAX;
  const key = argv[1]!;
  const v = lookupWrite(ctx, key);
  if (v === undefined) return nil();
  if (!(v instanceof SetValue)) return ERR_WRONGTYPE;
  const set = ctx.keyspace.mutableSet(ctx.db, key);
  const member = randomMember(ctx, set);
  set.delete(member);
  ctx.keyspace.settleSet(ctx.db, key, set);
  propagate(ctx, ['SREM', key, member]);
  addDirty(ctx, 1);
  return bulk(member);
}

function spopWithCount(ctx: ExecContext, argv: string[]): Reply {
  const count = parsePositiveLongArg(argv[2]!);
  if (typeof count !== 'number') return count;
  const key = argv[1]!;
  const v = lookupWrite(ctx, key);
  if (v === undefined) return emptyArray();
  if (!(v instanceof SetValue)) return ERR_WRONGTYPE;
  if (count === 0) return emptyArray();
  const size = v.size;
  addDirty(ctx, Math.min(count, size));
  if (count >= size) {
    const all = [...v.members];
    ctx.keyspace.delete(ctx.db, key);
    propagate(ctx, ['DEL', key]);
    return bulkArray(all);
  }
  const set = ctx.keyspace.mutableSet(ctx.db, key);
  const popped: string[] = [];
  let remaining = size - count;
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    for (let n = count; n > 0; n--) {
      const m = randomMember(ctx, set);
      set.delete(m);
      popped.push(m);
    }
  } else {
    // Pick the survivors instead; the popped members are the rest, in set order.
    const keep = new Set<string>();
    while (remaining-- > 0) {
      const m = randomMember(ctx, set);
      set.delete(m);
      keep.add(m);
    }
    for (const m of set.members) popped.push(m);
    for (const m of popped) set.delete(m);
    for (const m of keep) set.add(m);
  }
  ctx.keyspace.settleSet(ctx.db, key, set);
  for (const m of popped) propagate(ctx, ['SREM', key, m]);
  return bulkArray(popped);
}

/** SMEMBERS (sinterCommand with one key in 7.0). */
export function smembersCommand(ctx: ExecContext, argv: string[]): Reply {
  const v = lookupRead(ctx, argv[1]!);
  if (v === undefined) return emptyArray();
  if (!(v instanceof SetValue)) return ERR_WRONGTYPE;
  return bulkArray([...v.members]);
}

export function scardCommand(ctx: ExecContext, argv: string[]): Reply {
  const v = lookupRead(ctx, argv[1]!);
  if (v === undefined) return int(0);
  if (!(v instanceof SetValue)) return ERR_WRONGTYPE;
  return int(v.size);
}

export function sismemberCommand(ctx: ExecContext, argv: string[]): Reply {
  const v = lookupRead(ctx, argv[1]!);
  if (v === undefined) return int(0);
  if (!(v instanceof SetValue)) return ERR_WRONGTYPE;
  return int(v.members.has(argv[2]!) ? 1 : 0);
}

export function smismemberCommand(ctx: ExecContext, argv: string[]): Reply {
  const v = lookupRead(ctx, argv[1]!);
  if (v !== undefined && !(v instanceof SetValue)) return ERR_WRONGTYPE;
  const items: Reply[] = [];
  for (let j = 2; j < argv.length; j++) items.push(int(v !== undefined && v.members.has(argv[j]!) ? 1 : 0));
  return array(items);
}
