/**
 * Consumer group administration (t_stream.c at 7.0.15): XGROUP CREATE | SETID | DESTROY |
 * CREATECONSUMER | DELCONSUMER | HELP, XSETID, XACK and XPENDING.
 *
 * These propagate as sent when they changed something (server.dirty moved): XGROUP CREATE
 * with `$` goes out as `$` and resolves to the replica's own last ID, which is the same
 * one; XACK only when it acknowledged something. A group's PEL, consumers and last ID reach
 * replicas through these, XREADGROUP's XCLAIMs and the RDB (the value carries its groups).
 */
import { array, bulk, err, int, nil, nilArray, ok, status, ERR_NOT_INTEGER, ERR_SYNTAX, ERR_WRONGTYPE, type Reply } from '../protocol/reply.js';
import { string2ll } from '../protocol/number-parse.js';
import { type ExecContext, addDirty, lookupRead, lookupWrite, propagate } from './exec-context.js';
import { checkArity, lookupCommandByArgv, unknownCommandError } from './command-table.js';
import { StreamValue } from '../data/value-stream.js';
import { compareIds, decrId, idText, incrId, MIN_ID, parseStreamId, UINT64_MAX, type StreamId } from '../data/stream-id.js';
import { createConsumer, createGroup, deleteConsumer, dropNack, lookupConsumer, SCG_INVALID_ENTRIES_READ, sortedNames } from '../data/stream-cg.js';
import { ERR_INVALID_ID } from './commands-stream.js';

const XGROUP_HELP = [
  'XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
  'HELP',
  '    Prints this help.',
];

/** addReplySubcommandSyntaxError. */
export function subcommandSyntaxError(argv: string[]): Reply {
  return err(`ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`);
}

interface GroupOptions {
  mkstream: boolean;
  entriesRead: number;
}

function parseGroupOptions(argv: string[]): GroupOptions | Reply {
  const opt = argv[1]!.toLowerCase();
  const o: GroupOptions = { mkstream: false, entriesRead: SCG_INVALID_ENTRIES_READ };
  for (let i = 5; i < argv.length; ) {
    const a = argv[i]!.toLowerCase();
    if (opt === 'create' && a === 'mkstream') {
      o.mkstream = true;
      i++;
    } else if ((opt === 'create' || opt === 'setid') && a === 'entriesread' && i + 1 < argv.length) {
      const n = string2ll(argv[i + 1]!);
      if (n === null) return ERR_NOT_INTEGER;
      if (n < 0n && n !== -1n) return err('ERR value for ENTRIESREAD must be positive or -1');
      o.entriesRead = Number(n);
      i += 2;
    } else return subcommandSyntaxError(argv);
  }
  return o;
}

/** XGROUP CREATE | SETID | DESTROY | CREATECONSUMER | DELCONSUMER | HELP (xgroupCommand). */
export function xgroupCommand(ctx: ExecContext, argv: string[]): Reply {
  const spec = lookupCommandByArgv(argv);
  if (spec === undefined) return unknownCommandError(argv);
  const arity = checkArity(spec, argv.length);
  if (arity !== null) return arity;
  if (spec.name === 'help') return array(XGROUP_HELP.map((l) => status(l)));
  const o = parseGroupOptions(argv);
  if ('type' in o) return o;
  const key = argv[2]!;
  const groupName = argv[3]!;
  const v = lookupWrite(ctx, key);
  if (v !== undefined && !(v instanceof StreamValue)) return ERR_WRONGTYPE;
  if (!o.mkstream) {
    if (v === undefined) return err('ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.');
    if (spec.name !== 'create' && spec.name !== 'destroy' && v.cgroups?.get(groupName) === undefined) return err(`NOGROUP No such consumer group '${groupName}' for key name '${key}'`);
  }
  switch (spec.name) {
    case 'create':
      return groupCreate(ctx, argv, v, o.entriesRead);
    case 'setid':
      return groupSetId(ctx, argv, v!, o.entriesRead);
    default:
      return groupMembers(ctx, argv, spec.name, v!);
  }
}

function groupCreate(ctx: ExecContext, argv: string[], v: StreamValue | undefined, entriesRead: number): Reply {
  if (argv.length > 8) return subcommandSyntaxError(argv);
  const key = argv[2]!;
  let id: StreamId;
  if (argv[4] === '$') id = v?.lastId ?? MIN_ID;
  else {
    const p = parseStreamId(argv[4]!, 0n, true);
    if (p === null) return ERR_INVALID_ID;
    id = p.id;
  }
  if (v === undefined) ctx.keyspace.set(ctx.db, key, new StreamValue()); // MKSTREAM
  const s = ctx.keyspace.mutableValue(ctx.db, key, StreamValue);
  s.cgroups ??= new Map();
  const exists = s.cgroups.has(argv[3]!);
  if (!exists) s.cgroups.set(argv[3]!, createGroup(id, entriesRead));
  ctx.keyspace.settleValue(ctx.db, key, s);
  if (exists) return err('BUSYGROUP Consumer Group name already exists');
  addDirty(ctx, 1);
  propagate(ctx, argv);
  return ok();
}

function groupSetId(ctx: ExecContext, argv: string[], v: StreamValue, entriesRead: number): Reply {
  if (argv.length !== 5 && argv.length !== 7) return subcommandSyntaxError(argv);
  let id: StreamId;
  if (argv[4] === '$') id = v.lastId;
  else {
    // streamParseIDOrReply: not strict, so "-" and "+" are accepted.
    const p = parseStreamId(argv[4]!, 0n, false);
    if (p === null) return ERR_INVALID_ID;
    id = p.id;
  }
  const s = ctx.keyspace.mutableValue(ctx.db, argv[2]!, StreamValue);
  const cg = s.cgroups!.get(argv[3]!)!;
  cg.lastId = id;
  cg.entriesRead = entriesRead;
  ctx.keyspace.settleValue(ctx.db, argv[2]!, s);
  addDirty(ctx, 1);
  propagate(ctx, argv);
  return ok();
}

function groupMembers(ctx: ExecContext, argv: string[], sub: string, v: StreamValue): Reply {
  const key = argv[2]!;
  const groupName = argv[3]!;
  if (sub === 'destroy' && v.cgroups?.get(groupName) === undefined) return int(0);
  const s = ctx.keyspace.mutableValue(ctx.db, key, StreamValue);
  const cg = s.cgroups!.get(groupName)!;
  let reply: Reply;
  let changed = true;
  if (sub === 'destroy') {
    s.cgroups!.delete(groupName);
    reply = int(1);
  } else if (sub === 'createconsumer') {
    changed = createConsumer(cg, argv[4]!, ctx.nowMs) !== null;
    reply = int(changed ? 1 : 0);
  } else {
    const c = lookupConsumer(cg, argv[4]!, null);
    changed = c !== undefined;
    reply = int(c === undefined ? 0 : deleteConsumer(cg, c));
  }
  ctx.keyspace.settleValue(ctx.db, key, s);
  if (changed) {
    addDirty(ctx, 1);
    propagate(ctx, argv);
  }
  return reply;
}

/** XSETID key last-id [ENTRIESADDED n] [MAXDELETEDID id] (xsetidCommand). */
export function xsetidCommand(ctx: ExecContext, argv: string[]): Reply {
  const p = parseStreamId(argv[2]!, 0n, true);
  if (p === null) return ERR_INVALID_ID;
  const id = p.id;
  let entriesAdded = -1;
  let maxXdel: StreamId = MIN_ID;
  for (let i = 3; i < argv.length; i += 2) {
    const more = argv.length - 1 - i;
    const opt = argv[i]!.toLowerCase();
    if (opt === 'entriesadded' && more > 0) {
      const n = string2ll(argv[i + 1]!);
      if (n === null) return ERR_NOT_INTEGER;
      if (n < 0n) return err('ERR entries_added must be positive');
      entriesAdded = Number(n);
    } else if (opt === 'maxdeletedid' && more > 0) {
      const m = parseStreamId(argv[i + 1]!, 0n, true);
      if (m === null) return ERR_INVALID_ID;
      if (compareIds(id, m.id) < 0) return err('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
      maxXdel = m.id;
    } else return ERR_SYNTAX;
  }
  const v = lookupWrite(ctx, argv[1]!);
  if (v === undefined) return err('ERR no such key');
  if (!(v instanceof StreamValue)) return ERR_WRONGTYPE;
  if (v.length > 0) {
    if (compareIds(id, v.lastValidId()) < 0) return err('ERR The ID specified in XSETID is smaller than the target stream top item');
    if (entriesAdded !== -1 && v.length > entriesAdded) return err('ERR The entries_added specified in XSETID is smaller than the target stream length');
  }
  const s = ctx.keyspace.mutableValue(ctx.db, argv[1]!, StreamValue);
  s.lastId = id;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (maxXdel.ms !== 0n || maxXdel.seq !== 0n) s.maxDeletedId = maxXdel;
  ctx.keyspace.settleValue(ctx.db, argv[1]!, s);
  addDirty(ctx, 1);
  propagate(ctx, argv);
  return ok();
}

/** XACK key group id … (xackCommand): all IDs are parsed before any is acknowledged. */
export function xackCommand(ctx: ExecContext, argv: string[]): Reply {
  const v = lookupRead(ctx, argv[1]!);
  if (v !== undefined && !(v instanceof StreamValue)) return ERR_WRONGTYPE;
  if (v === undefined || v.cgroups?.get(argv[2]!) === undefined) return int(0);
  const ids: StreamId[] = [];
  for (let j = 3; j < argv.length; j++) {
    const p = parseStreamId(argv[j]!, 0n, true);
    if (p === null) return ERR_INVALID_ID;
    ids.push(p.id);
  }
  const s = ctx.keyspace.mutableValue(ctx.db, argv[1]!, StreamValue);
  const cg = s.cgroups!.get(argv[2]!)!;
  let acked = 0;
  for (const id of ids) {
    const nack = cg.pel.find(id);
    if (nack === undefined) continue;
    dropNack(cg, id, nack);
    acked++;
  }
  ctx.keyspace.settleValue(ctx.db, argv[1]!, s);
  addDirty(ctx, acked);
  if (acked > 0) propagate(ctx, argv);
  return int(acked);
}

/** streamParseIntervalIDOrReply plus the exclusive-bound step of XPENDING / XAUTOCLAIM. */
export function intervalBound(arg: string, missingSeq: bigint, isStart: boolean): StreamId | Reply {
  const exclusive = arg.length > 1 && arg[0] === '(';
  const p = exclusive ? parseStreamId(arg.slice(1), missingSeq, true) : parseStreamId(arg, missingSeq, false);
  if (p === null) return ERR_INVALID_ID;
  if (!exclusive) return p.id;
  const stepped = isStart ? incrId(p.id) : decrId(p.id);
  return stepped ?? err(`ERR invalid ${isStart ? 'start' : 'end'} ID for the interval`);
}

/** XPENDING key group [[IDLE min-idle] start end count [consumer]] (xpendingCommand). */
export function xpendingCommand(ctx: ExecContext, argv: string[]): Reply {
  const justInfo = argv.length === 3;
  if (argv.length !== 3 && (argv.length < 6 || argv.length > 9)) return ERR_SYNTAX;
  let start: StreamId = MIN_ID;
  let end: StreamId = MIN_ID;
  let count = 0;
  let minIdle = 0;
  let consumerName: string | null = null;
  if (!justInfo) {
    let at = 3;
    if (argv[3]!.toLowerCase() === 'idle') {
      const n = string2ll(argv[4]!);
      if (n === null) return ERR_NOT_INTEGER;
      minIdle = Number(n);
      if (argv.length < 8) return ERR_SYNTAX;
      at += 2;
    }
    const c = string2ll(argv[at + 2]!);
    if (c === null) return ERR_NOT_INTEGER;
    count = c < 0n ? 0 : Number(c);
    const s = intervalBound(argv[at]!, 0n, true);
    if ('type' in s) return s;
    const e = intervalBound(argv[at + 1]!, UINT64_MAX, false);
    if ('type' in e) return e;
    start = s;
    end = e;
    if (at + 3 < argv.length) consumerName = argv[at + 3]!;
  }
  const v = lookupRead(ctx, argv[1]!);
  if (v !== undefined && !(v instanceof StreamValue)) return ERR_WRONGTYPE;
  const cg = v?.cgroups?.get(argv[2]!);
  if (cg === undefined) return err(`NOGROUP No such key '${argv[1]}' or consumer group '${argv[2]}'`);
  if (justInfo) {
    if (cg.pel.size === 0) return array([int(0), nil(), nil(), nilArray()]);
    const owners: Reply[] = [];
    for (const name of sortedNames(cg.consumers.keys())) {
      const c = cg.consumers.get(name)!;
      if (c.pel.size > 0) owners.push(array([bulk(name), bulk(String(c.pel.size))]));
    }
    return array([int(cg.pel.size), bulk(idText(cg.pel.ids[0]!)), bulk(idText(cg.pel.ids[cg.pel.size - 1]!)), array(owners)]);
  }
  let pel = cg.pel;
  if (consumerName !== null) {
    const c = lookupConsumer(cg, consumerName, null);
    if (c === undefined) return array([]);
    pel = c.pel;
  }
  const out: Reply[] = [];
  for (let i = pel.lowerBound(start); count > 0 && i < pel.size && compareIds(pel.ids[i]!, end) <= 0; i++) {
    const nack = pel.nacks[i]!;
    const idle = ctx.nowMs - nack.deliveryTime;
    if (minIdle !== 0 && idle < minIdle) continue;
    count--;
    out.push(array([bulk(idText(pel.ids[i]!)), bulk(nack.consumer!.name), int(Math.max(0, idle)), int(nack.deliveryCount)]));
  }
  return array(out);
}
