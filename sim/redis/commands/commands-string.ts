/**
 * String commands, after t_string.c at 7.0.15: SET (EX/PX/EXAT/PXAT/NX/XX/KEEPTTL/GET),
 * SETEX, PSETEX, SETNX, GET, GETSET, GETDEL, GETEX, MSET, MSETNX, MGET, APPEND, STRLEN.
 * Counters live in commands-counter.ts.
 *
 * Propagation (checked against redis-server 7.0.15, test/redis/propagation.test.ts):
 *  - any TTL option, SETEX, PSETEX → the whole command becomes `SET k v PXAT <ms>` (NX, XX,
 *    GET and KEEPTTL are dropped: the outcome is decided);
 *  - SET … GET without a TTL → the client's argv minus every GET token, as typed;
 *  - GETSET → `SET k v`; GETDEL → `DEL k` / `UNLINK k` (lazyfree-lazy-user-del);
 *  - GETEX EX/PX/EXAT/PXAT → `PEXPIREAT k <ms>`, an EXAT/PXAT already past → `DEL`/`UNLINK`
 *    (lazyfree-lazy-expire), PERSIST that removed a TTL → `PERSIST k`, no option → nothing;
 *  - everything else → the client's argv, only when something changed.
 */
import { ok, err, bulk, nil, int, array, ERR_SYNTAX, ERR_NOT_INTEGER, ERR_WRONGTYPE, errArity, type Reply } from '../protocol/reply.js';
import { type ExecContext, lookupRead, lookupWrite, propagate, addDirty, setKeyExpire, setKeyWithExpire, alreadyExpired } from './exec-context.js';
import { optionIs, notString } from './command-args.js';
import { string2ll, LLONG_MAX, normalizeInt } from '../protocol/number-parse.js';
import { CollectionValue, stringText, stringByteLength } from '../data/value.js';
import { utf8ByteLength } from '../protocol/resp.js';

const OBJ_SET_NX = 1 << 0;
const OBJ_SET_XX = 1 << 1;
const OBJ_EX = 1 << 2;
const OBJ_PX = 1 << 3;
const OBJ_KEEPTTL = 1 << 4;
const OBJ_SET_GET = 1 << 5;
const OBJ_EXAT = 1 << 6;
const OBJ_PXAT = 1 << 7;
const OBJ_PERSIST = 1 << 8;
const ANY_TTL = OBJ_EX | OBJ_PX | OBJ_EXAT | OBJ_PXAT;

const PROTO_MAX_BULK_LEN = 512 * 1024 * 1024;

/** parseExtendedStringArgumentsOrReply: flags and the index of the TTL argument (0 = none), or the error. */
function parseExtended(argv: readonly string[], forSet: boolean): { flags: number; expireIdx: number } | Reply {
  let flags = 0;
  let expireIdx = 0;
  for (let j = forSet ? 3 : 2; j < argv.length; j++) {
    const opt = argv[j]!;
    const hasNext = j < argv.length - 1;
    if (forSet && optionIs(opt, 'nx') && !(flags & OBJ_SET_XX)) flags |= OBJ_SET_NX;
    else if (forSet && optionIs(opt, 'xx') && !(flags & OBJ_SET_NX)) flags |= OBJ_SET_XX;
    else if (forSet && optionIs(opt, 'get')) flags |= OBJ_SET_GET;
    else if (forSet && optionIs(opt, 'keepttl') && !(flags & (OBJ_PERSIST | ANY_TTL))) flags |= OBJ_KEEPTTL;
    else if (!forSet && optionIs(opt, 'persist') && !(flags & (ANY_TTL | OBJ_KEEPTTL))) flags |= OBJ_PERSIST;
    else if (optionIs(opt, 'ex') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EXAT | OBJ_PX | OBJ_PXAT)) && hasNext) {
      flags |= OBJ_EX;
      expireIdx = ++j;
    } else if (optionIs(opt, 'px') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_EXAT | OBJ_PXAT)) && hasNext) {
      flags |= OBJ_PX;
      expireIdx = ++j;
    } else if (optionIs(opt, 'exat') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_PX | OBJ_PXAT)) && hasNext) {
      flags |= OBJ_EXAT;
      expireIdx = ++j;
    } else if (optionIs(opt, 'pxat') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_EXAT | OBJ_PX)) && hasNext) {
      flags |= OBJ_PXAT;
      expireIdx = ++j;
    } else return ERR_SYNTAX;
  }
  return { flags, expireIdx };
}

/**
 * getExpireMillisecondsOrReply: the absolute expiry in ms (a bigint only beyond 2^53), or
 * the error. `fullname` is the command's, as in "invalid expire time in 'set' command".
 */
function expireMsOrReply(ctx: ExecContext, text: string, flags: number, fullname: string): number | bigint | Reply {
  const v = string2ll(text);
  if (v === null) return ERR_NOT_INTEGER;
  const seconds = (flags & (OBJ_EX | OBJ_EXAT)) !== 0;
  const relative = (flags & (OBJ_EX | OBJ_PX)) !== 0;
  // A safe-integer v is always ≤ LLONG_MAX/1000, so only a bigint needs the range check.
  if (v <= 0 || (seconds && typeof v === 'bigint' && v > LLONG_MAX / 1000n)) return invalidExpire(fullname);
  if (typeof v === 'number') {
    const ms = (seconds ? v * 1000 : v) + (relative ? ctx.nowMs : 0);
    if (Number.isSafeInteger(ms)) return ms;
  }
  const ms = BigInt(v) * (seconds ? 1000n : 1n) + (relative ? BigInt(ctx.nowMs) : 0n);
  if (ms > LLONG_MAX) return invalidExpire(fullname); // the C code sees the signed overflow as ms <= 0
  return normalizeInt(ms);
}

function invalidExpire(fullname: string): Reply {
  return err(`ERR invalid expire time in '${fullname}' command`);
}

/** getGenericCommand: the reply to GET (value or nil), or WRONGTYPE. */
function getGeneric(ctx: ExecContext, key: string): Reply {
  const v = lookupRead(ctx, key);
  if (v === undefined) return nil();
  if (v instanceof CollectionValue) return ERR_WRONGTYPE;
  return bulk(stringText(v, key));
}

/** setGenericCommand. `okReply`/`abortReply` differ for SETNX (1/0). */
function setGeneric(ctx: ExecContext, argv: string[], flags: number, key: string, val: string, expireText: string | null, fullname: string, okReply: Reply, abortReply: Reply): Reply {
  let when: number | bigint = 0;
  if (expireText !== null) {
    const r = expireMsOrReply(ctx, expireText, flags, fullname);
    if (typeof r === 'object') return r;
    when = r;
  }
  let getReply: Reply | null = null;
  if (flags & OBJ_SET_GET) {
    getReply = getGeneric(ctx, key);
    if (getReply.type === 'error') return getReply;
  }
  const found = lookupWrite(ctx, key) !== undefined;
  if (((flags & OBJ_SET_NX) && found) || ((flags & OBJ_SET_XX) && !found)) return getReply ?? abortReply;
  addDirty(ctx, 1);
  if (expireText !== null) {
    setKeyWithExpire(ctx, key, val, Number(when));
    propagate(ctx, ['SET', key, val, 'PXAT', String(when)]);
    return getReply ?? okReply;
  }
  ctx.keyspace.set(ctx.db, key, val, (flags & OBJ_KEEPTTL) !== 0);
  if (flags & OBJ_SET_GET) {
    const out: string[] = [];
    for (let j = 0; j < argv.length; j++) if (j < 3 || !optionIs(argv[j]!, 'get')) out.push(argv[j]!);
    propagate(ctx, out);
  } else propagate(ctx, argv);
  return getReply ?? okReply;
}

export function setCommand(ctx: ExecContext, argv: string[]): Reply {
  if (argv.length === 3) return setGeneric(ctx, argv, 0, argv[1]!, argv[2]!, null, 'set', ok(), nil());
  const parsed = parseExtended(argv, true);
  if ('type' in parsed) return parsed;
  const expireText = parsed.expireIdx > 0 ? argv[parsed.expireIdx]! : null;
  return setGeneric(ctx, argv, parsed.flags, argv[1]!, argv[2]!, expireText, 'set', ok(), nil());
}

export function setnxCommand(ctx: ExecContext, argv: string[]): Reply {
  return setGeneric(ctx, argv, OBJ_SET_NX, argv[1]!, argv[2]!, null, 'setnx', int(1), int(0));
}

export function setexCommand(ctx: ExecContext, argv: string[]): Reply {
  return setGeneric(ctx, argv, OBJ_EX, argv[1]!, argv[3]!, argv[2]!, 'setex', ok(), nil());
}

export function psetexCommand(ctx: ExecContext, argv: string[]): Reply {
  return setGeneric(ctx, argv, OBJ_PX, argv[1]!, argv[3]!, argv[2]!, 'psetex', ok(), nil());
}

export function getCommand(ctx: ExecContext, argv: string[]): Reply {
  return getGeneric(ctx, argv[1]!);
}

export function getsetCommand(ctx: ExecContext, argv: string[]): Reply {
  const key = argv[1]!;
  const reply = getGeneric(ctx, key);
  if (reply.type === 'error') return reply;
  lookupWrite(ctx, key); // setKey's own lookupKeyWrite: deletes an expired key on a writable replica
  ctx.keyspace.set(ctx.db, key, argv[2]!);
  addDirty(ctx, 1);
  propagate(ctx, ['SET', key, argv[2]!]);
  return reply;
}

export function getdelCommand(ctx: ExecContext, argv: string[]): Reply {
  const key = argv[1]!;
  const reply = getGeneric(ctx, key);
  if (reply.type === 'error') return reply;
  // Like Redis, the delete is unconditional: on a replica a logically expired key reads as
  // nil but is still deleted (and the delete counts as a change).
  if (ctx.keyspace.delete(ctx.db, key)) {
    propagate(ctx, [ctx.lazyfreeLazyUserDel ? 'UNLINK' : 'DEL', key]);
    addDirty(ctx, 1);
  }
  return reply;
}

export function getexCommand(ctx: ExecContext, argv: string[]): Reply {
  const parsed = parseExtended(argv, false);
  if ('type' in parsed) return parsed;
  const { flags, expireIdx } = parsed;
  const key = argv[1]!;
  const v = lookupRead(ctx, key);
  if (v === undefined) return nil();
  if (v instanceof CollectionValue) return ERR_WRONGTYPE;
  let when: number | bigint = 0;
  if (expireIdx > 0) {
    const r = expireMsOrReply(ctx, argv[expireIdx]!, flags, 'getex');
    if (typeof r === 'object') return r;
    when = r;
  }
  const reply = bulk(stringText(v, key));
  if ((flags & (OBJ_PXAT | OBJ_EXAT)) && alreadyExpired(ctx, Number(when))) {
    ctx.keyspace.delete(ctx.db, key);
    propagate(ctx, [ctx.lazyfreeLazyExpire ? 'UNLINK' : 'DEL', key]);
    addDirty(ctx, 1);
  } else if (expireIdx > 0) {
    setKeyExpire(ctx, key, Number(when));
    propagate(ctx, ['PEXPIREAT', key, String(when)]);
    addDirty(ctx, 1);
  } else if (flags & OBJ_PERSIST) {
    if (ctx.keyspace.removeExpire(ctx.db, key)) {
      propagate(ctx, ['PERSIST', key]);
      addDirty(ctx, 1);
    }
  }
  return reply;
}

function msetGeneric(ctx: ExecContext, argv: string[], nx: boolean, fullname: string): Reply {
  if (argv.length % 2 === 0) return errArity(fullname);
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) if (lookupWrite(ctx, argv[j]!) !== undefined) return int(0);
  }
  for (let j = 1; j < argv.length; j += 2) {
    lookupWrite(ctx, argv[j]!); // setKey's lookup: lazily expires (and propagates DEL) first
    ctx.keyspace.set(ctx.db, argv[j]!, argv[j + 1]!);
  }
  addDirty(ctx, (argv.length - 1) / 2);
  propagate(ctx, argv);
  return nx ? int(1) : ok();
}

export function msetCommand(ctx: ExecContext, argv: string[]): Reply {
  return msetGeneric(ctx, argv, false, 'mset');
}

export function msetnxCommand(ctx: ExecContext, argv: string[]): Reply {
  return msetGeneric(ctx, argv, true, 'msetnx');
}

export function mgetCommand(ctx: ExecContext, argv: string[]): Reply {
  const items: Reply[] = new Array(argv.length - 1);
  for (let j = 1; j < argv.length; j++) {
    const key = argv[j]!;
    const v = lookupRead(ctx, key);
    items[j - 1] = v === undefined || v instanceof CollectionValue ? nil() : bulk(stringText(v, key));
  }
  return array(items);
}

export function appendCommand(ctx: ExecContext, argv: string[]): Reply {
  const key = argv[1]!;
  const suffix = argv[2]!;
  const v = lookupWrite(ctx, key);
  let total: number;
  if (v === undefined) {
    ctx.keyspace.set(ctx.db, key, suffix);
    total = utf8ByteLength(suffix);
  } else {
    const wrong = notString(v);
    if (wrong) return wrong;
    const oldLen = stringByteLength(v as string, key);
    const addLen = utf8ByteLength(suffix);
    if (oldLen + addLen > PROTO_MAX_BULK_LEN) return err('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
    ctx.keyspace.set(ctx.db, key, stringText(v as string, key) + suffix, true);
    total = oldLen + addLen;
  }
  addDirty(ctx, 1);
  propagate(ctx, argv);
  return int(total);
}

export function strlenCommand(ctx: ExecContext, argv: string[]): Reply {
  const key = argv[1]!;
  const v = lookupRead(ctx, key);
  if (v === undefined) return int(0);
  if (v instanceof CollectionValue) return ERR_WRONGTYPE;
  return int(stringByteLength(v, key));
}
