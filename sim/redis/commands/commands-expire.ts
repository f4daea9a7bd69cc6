/**
 * TTL commands, after expire.c at 7.0.15: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with
 * NX/XX/GT/LT), PERSIST, TTL, PTTL, EXPIRETIME, PEXPIRETIME.
 *
 * Propagation (checked against redis-server 7.0.15): a TTL that was set goes out as
 * `PEXPIREAT k <abs-ms> [flags as typed]` — only argv[0] and argv[2] are rewritten, so the
 * NX/XX/GT/LT tokens keep the client's case, and a client's own PEXPIREAT keeps its
 * spelling ("pexpireat") because Redis does not rewrite the name when it is already
 * PEXPIREAT. A time already past, on a master, deletes the key and goes out as `DEL k`
 * (`UNLINK k` with lazyfree-lazy-expire). A replica never turns a past TTL into a delete
 * (checkAlreadyExpired): it stores it and waits for the master's DEL.
 */
import { err, int, ERR_NOT_INTEGER, type Reply } from '../protocol/reply.js';
import { type ExecContext, lookupRead, lookupWrite, propagate, addDirty, setKeyExpire, alreadyExpired } from './exec-context.js';
import { optionIs } from './command-args.js';
import { string2ll, LLONG_MAX, LLONG_MIN, normalizeInt } from '../protocol/number-parse.js';

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

function parseExpireFlags(argv: readonly string[]): number | Reply {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    if (optionIs(opt, 'nx')) flags |= EXPIRE_NX;
    else if (optionIs(opt, 'xx')) flags |= EXPIRE_XX;
    else if (optionIs(opt, 'gt')) flags |= EXPIRE_GT;
    else if (optionIs(opt, 'lt')) flags |= EXPIRE_LT;
    else return err(`ERR Unsupported option ${opt}`);
  }
  if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) {
    return err('ERR NX and XX, GT or LT options at the same time are not compatible');
  }
  if (flags & EXPIRE_GT && flags & EXPIRE_LT) return err('ERR GT and LT options at the same time are not compatible');
  return flags;
}

/** expireGenericCommand. `basetime` is now for relative forms, 0 for *AT. */
function expireGeneric(ctx: ExecContext, argv: string[], relative: boolean, seconds: boolean, fullname: string): Reply {
  const flags = parseExpireFlags(argv);
  if (typeof flags !== 'number') return flags;
  const parsed = string2ll(argv[2]!);
  if (parsed === null) return ERR_NOT_INTEGER;
  const basetime = relative ? ctx.nowMs : 0;
  let when: number | bigint;
  const fast = typeof parsed === 'number' ? (seconds ? parsed * 1000 : parsed) + basetime : NaN;
  if (Number.isSafeInteger(fast)) when = fast;
  else {
    // The exact int64 arithmetic and overflow checks of the C code.
    let w = BigInt(parsed);
    if (seconds) {
      if (w > LLONG_MAX / 1000n || w < LLONG_MIN / 1000n) return invalidExpire(fullname);
      w *= 1000n;
    }
    if (w > LLONG_MAX - BigInt(basetime)) return invalidExpire(fullname);
    when = normalizeInt(w + BigInt(basetime));
  }
  const key = argv[1]!;
  if (lookupWrite(ctx, key) === undefined) return int(0);
  const whenMs = Number(when);
  if (flags) {
    const current = ctx.keyspace.getExpire(ctx.db, key);
    if (flags & EXPIRE_NX && current !== -1) return int(0);
    if (flags & EXPIRE_XX && current === -1) return int(0);
    // GT treats "no TTL" as infinite, so it always fails then.
    if (flags & EXPIRE_GT && (whenMs <= current || current === -1)) return int(0);
    if (flags & EXPIRE_LT && current !== -1 && whenMs >= current) return int(0);
  }
  addDirty(ctx, 1);
  if (alreadyExpired(ctx, whenMs)) {
    ctx.keyspace.delete(ctx.db, key);
    propagate(ctx, [ctx.lazyfreeLazyExpire ? 'UNLINK' : 'DEL', key]);
    return int(1);
  }
  setKeyExpire(ctx, key, whenMs);
  const out = argv.slice();
  if (fullname !== 'pexpireat') out[0] = 'PEXPIREAT';
  if (relative || seconds) out[2] = String(when);
  propagate(ctx, out);
  return int(1);
}

function invalidExpire(fullname: string): Reply {
  return err(`ERR invalid expire time in '${fullname}' command`);
}

export function expireCommand(ctx: ExecContext, argv: string[]): Reply {
  return expireGeneric(ctx, argv, true, true, 'expire');
}
export function pexpireCommand(ctx: ExecContext, argv: string[]): Reply {
  return expireGeneric(ctx, argv, true, false, 'pexpire');
}
export function expireatCommand(ctx: ExecContext, argv: string[]): Reply {
  return expireGeneric(ctx, argv, false, true, 'expireat');
}
export function pexpireatCommand(ctx: ExecContext, argv: string[]): Reply {
  return expireGeneric(ctx, argv, false, false, 'pexpireat');
}

export function persistCommand(ctx: ExecContext, argv: string[]): Reply {
  const key = argv[1]!;
  if (lookupWrite(ctx, key) === undefined || !ctx.keyspace.removeExpire(ctx.db, key)) return int(0);
  addDirty(ctx, 1);
  propagate(ctx, argv);
  return int(1);
}

/** ttlGenericCommand: -2 missing (or logically expired), -1 no TTL, else the TTL (never negative). */
function ttlGeneric(ctx: ExecContext, argv: string[], outputMs: boolean, outputAbs: boolean): Reply {
  const key = argv[1]!;
  if (lookupRead(ctx, key) === undefined) return int(-2);
  const expire = ctx.keyspace.getExpire(ctx.db, key);
  if (expire === -1) return int(-1);
  let ttl = outputAbs ? expire : expire - ctx.nowMs;
  if (ttl < 0) ttl = 0;
  return int(outputMs ? ttl : Math.floor((ttl + 500) / 1000));
}

export function ttlCommand(ctx: ExecContext, argv: string[]): Reply {
  return ttlGeneric(ctx, argv, false, false);
}
export function pttlCommand(ctx: ExecContext, argv: string[]): Reply {
  return ttlGeneric(ctx, argv, true, false);
}
export function expiretimeCommand(ctx: ExecContext, argv: string[]): Reply {
  return ttlGeneric(ctx, argv, false, true);
}
export function pexpiretimeCommand(ctx: ExecContext, argv: string[]): Reply {
  return ttlGeneric(ctx, argv, true, true);
}
