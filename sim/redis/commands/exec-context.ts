/**
 * What a command runs against, and Redis's key lookup rules (db.c lookupKey /
 * expireIfNeeded at 7.0.15), which decide what an expired key looks like:
 *
 *  - master: a key whose TTL passed is deleted when touched, `DEL k` (or `UNLINK k` with
 *    lazyfree-lazy-expire) is propagated BEFORE the command's own op, expired_keys++.
 *  - replica, normal client, read: the key is reported missing but NOT deleted (DBSIZE
 *    still counts it); the master's DEL will remove it.
 *  - replica, normal client, write (only reachable on a writable replica): the key is
 *    deleted first, so the write re-creates it without a TTL.
 *  - replica, command from the master's stream: keys are never expired.
 *  - clients paused (CLIENT PAUSE WRITE / FAILOVER): reported missing, not deleted.
 *
 * Ops: every op a command appends is what Redis would hand to alsoPropagate, in order.
 * The server wraps more than one op of a unit in MULTI/EXEC and feeds them to the stream
 * only on a master: a replica proxies its master's bytes instead and never feeds its own
 * ops (replicationFeedSlaves returns when masterhost is set), so there they are only
 * informative (they are what Redis would write to the AOF).
 */
import type { Keyspace } from '../data/keyspace.js';
import type { Value } from '../data/value.js';
import type { Reply } from '../protocol/reply.js';
import type { ScriptingHost } from '../scripting/script-host.js';
import type { ScriptExecution } from '../scripting/lua-call.js';

export interface PropagatedOp {
  db: number;
  argv: string[];
  /** Forced to the replicas only (PROPAGATE_REPL, e.g. PUBLISH): not in the AOF, not counted dirty. */
  replOnly?: boolean;
  /**
   * Where it goes when not everywhere: PROPAGATE_AOF (1) or PROPAGATE_REPL (2), set by
   * redis.set_repl inside a script. Absent = both.
   */
  target?: number;
}

export interface ExecStats {
  expiredKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  /** server.dirty (changes since the last save), if the server wants it counted here. */
  dirty?: number;
}

export interface ExecContext {
  keyspace: Keyspace;
  /** The client's selected db; SELECT changes it. */
  db: number;
  /** This node's wall clock, unix ms (13 digits). */
  nowMs: number;
  isMaster: boolean;
  /** The command comes from the replication stream (server.current_client == server.master). */
  fromMaster: boolean;
  ops: PropagatedOp[];
  /**
   * What the commands propagate is thrown away (a replica applying its master's stream,
   * which it proxies as received; the AOF loader): propagate() does not build it, saving an
   * object per applied write on every replica. Other pushes to `ops` still happen.
   */
  discardOps: boolean;
  lazyfreeLazyExpire: boolean;
  lazyfreeLazyUserDel: boolean;
  stats: ExecStats;
  /** Clients are paused for writes: expired keys are hidden but kept (expireIfNeeded). */
  clientsPaused?: boolean;
  /** Running inside EXEC: blocking commands must not block. */
  inMulti?: boolean;
  /** Called by a script (redis.call / redis.pcall): CLIENT_SCRIPT. */
  inScript?: boolean;
  /** Serving a client that was blocked (blocking.ts): some rewrites differ. */
  servingBlocked?: boolean;
  /** Set by a blocking command that found nothing: block the client on these keys. */
  blockOn?: BlockRequest | null;
  /** The server's pub/sub delivery (pubsub.ts): returns the number of receivers. */
  publish?: (channel: string, message: string) => number;
  /** The process's scripting state and server gates (EVAL, SCRIPT, FUNCTION, FCALL). */
  scripting?: ScriptingHost;
  /** Virtual CPU time the command's scripts took (lua-call.ts): the server stays busy that long. */
  scriptCpuUs?: number;
  /** Set by EVAL / FCALL whose script ran past busy-reply-threshold: the server resumes it. */
  suspendedScript?: ScriptExecution | null;
}

/**
 * One ExecContext, with the defaults of a plain client on a master for what `init` leaves
 * out (the server, the AOF loader and the replica's stream applier each keep one and
 * refresh its per-command fields).
 */
export function createExecContext(keyspace: Keyspace, init: Partial<Omit<ExecContext, 'keyspace'>> = {}): ExecContext {
  return {
    keyspace,
    db: 0,
    nowMs: 0,
    isMaster: true,
    fromMaster: false,
    ops: [],
    discardOps: false,
    lazyfreeLazyExpire: false,
    lazyfreeLazyUserDel: false,
    stats: { expiredKeys: 0, keyspaceHits: 0, keyspaceMisses: 0 },
    ...init,
  };
}

/** What a blocking command asks for when it cannot answer yet. */
export interface BlockRequest {
  keys: string[];
  /** 0 = forever. */
  timeoutMs: number;
  /** The reply at the timeout (a null array for BLPOP, a null bulk for BLMOVE). */
  onTimeout: Reply;
  /**
   * The command to run when served, if not the one that blocked (XREAD with `$` resolved,
   * for the key `ready` found); called right after `ready` said yes.
   */
  retryArgv?: () => string[];
  /**
   * Whether a key it waits on was signalled and can serve it, given the db's values; absent:
   * a key holds a non-empty list (the blocking list commands).
   */
  ready?: (lookup: (key: string) => Value | undefined) => boolean;
}

/** Thrown by executeCommand for commands the server runs itself (command-table.ts executor 'server'). */
export class ServerCommandError extends Error {
  constructor(readonly command: string) {
    super(`'${command}' is executed by the server, not by executeCommand`);
    this.name = 'ServerCommandError';
  }
}

export function propagate(ctx: ExecContext, argv: string[]): void {
  if (ctx.discardOps) return;
  ctx.ops.push({ db: ctx.db, argv });
}

export function addDirty(ctx: ExecContext, n: number): void {
  if (ctx.stats.dirty !== undefined) ctx.stats.dirty += n;
}

/** deleteExpiredKeyAndPropagate. */
export function deleteExpiredKey(ctx: ExecContext, key: string): void {
  ctx.keyspace.delete(ctx.db, key);
  ctx.ops.push({ db: ctx.db, argv: [ctx.lazyfreeLazyExpire ? 'UNLINK' : 'DEL', key] });
  ctx.stats.expiredKeys++;
}

/**
 * expireIfNeeded: true if the key must be treated as missing. `forceDelete` is
 * EXPIRE_FORCE_DELETE_EXPIRED (write lookups, which only writable replicas let through).
 */
export function expireIfNeeded(ctx: ExecContext, key: string, forceDelete: boolean): boolean {
  if (!ctx.keyspace.isLogicallyExpired(ctx.db, key, ctx.nowMs)) return false;
  if (!ctx.isMaster) {
    if (ctx.fromMaster) return false;
    if (!forceDelete) return true;
  }
  if (ctx.clientsPaused) return true;
  deleteExpiredKey(ctx, key);
  return true;
}

/** lookupKeyRead: counts keyspace hits/misses. */
export function lookupRead(ctx: ExecContext, key: string): Value | undefined {
  const v = ctx.keyspace.get(ctx.db, key);
  if (v === undefined || expireIfNeeded(ctx, key, false)) {
    ctx.stats.keyspaceMisses++;
    return undefined;
  }
  ctx.stats.keyspaceHits++;
  return v;
}

/** lookupKeyRead with LOOKUP_NOSTATS. */
export function lookupReadNoStats(ctx: ExecContext, key: string): Value | undefined {
  const v = ctx.keyspace.get(ctx.db, key);
  if (v === undefined || expireIfNeeded(ctx, key, false)) return undefined;
  return v;
}

/** lookupKeyWrite: no stats; deletes an expired key on a master or writable replica. */
export function lookupWrite(ctx: ExecContext, key: string): Value | undefined {
  const v = ctx.keyspace.get(ctx.db, key);
  if (v === undefined || expireIfNeeded(ctx, key, true)) return undefined;
  return v;
}

/** setExpire as called by a command: a writable replica remembers its own TTLs (expireSlaveKeys). */
export function setKeyExpire(ctx: ExecContext, key: string, whenMs: number): void {
  ctx.keyspace.setExpire(ctx.db, key, whenMs);
  if (!ctx.isMaster && !ctx.fromMaster) ctx.keyspace.rememberSlaveKeyWithExpire(ctx.db, key);
}

/** setKey + setKeyExpire (SET with a TTL option, SETEX, PSETEX). */
export function setKeyWithExpire(ctx: ExecContext, key: string, value: string, whenMs: number): void {
  ctx.keyspace.setWithExpire(ctx.db, key, value, whenMs);
  if (!ctx.isMaster && !ctx.fromMaster) ctx.keyspace.rememberSlaveKeyWithExpire(ctx.db, key);
}

/** checkAlreadyExpired: only a master turns a TTL in the past into a delete. */
export function alreadyExpired(ctx: ExecContext, whenMs: number): boolean {
  return whenMs <= ctx.nowMs && ctx.isMaster;
}
