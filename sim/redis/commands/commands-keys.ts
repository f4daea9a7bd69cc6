/**
 * Type-agnostic keyspace commands, after db.c at 7.0.15: DEL, UNLINK, EXISTS, TOUCH, TYPE,
 * DBSIZE, FLUSHDB, FLUSHALL, SELECT, KEYS, RANDOMKEY.
 *
 * DEL/UNLINK are propagated as typed (never rewritten: with lazyfree-lazy-user-del a DEL
 * frees lazily but still goes out as "del") and only if something was deleted. FLUSHDB and
 * FLUSHALL are always propagated, even on an empty dataset (forceCommandPropagation).
 * The server must also react to FLUSHALL itself (kill an RDB child, save) — the data part
 * is done here.
 */
import { ok, err, int, bulk, nil, status, bulkArray, ERR_SYNTAX, ERR_NOT_INTEGER, type Reply } from '../protocol/reply.js';
import { type ExecContext, lookupRead, expireIfNeeded, propagate, addDirty } from './exec-context.js';
import { optionIs } from './command-args.js';
import { string2int } from '../protocol/number-parse.js';
import { typeName } from '../data/value.js';
import { stringMatch } from '../protocol/glob.js';

function delGeneric(ctx: ExecContext, argv: string[]): Reply {
  let deleted = 0;
  for (let j = 1; j < argv.length; j++) {
    const key = argv[j]!;
    // On a master an expired key is expired (and its DEL propagated) first, so the
    // command itself then finds nothing; on a replica it is just deleted.
    expireIfNeeded(ctx, key, false);
    if (ctx.keyspace.delete(ctx.db, key)) deleted++;
  }
  if (deleted > 0) {
    addDirty(ctx, deleted);
    propagate(ctx, argv);
  }
  return int(deleted);
}

export function delCommand(ctx: ExecContext, argv: string[]): Reply {
  return delGeneric(ctx, argv);
}
export function unlinkCommand(ctx: ExecContext, argv: string[]): Reply {
  return delGeneric(ctx, argv);
}

/** EXISTS and TOUCH: how many of the keys exist (repeats count each time). */
export function existsCommand(ctx: ExecContext, argv: string[]): Reply {
  let count = 0;
  for (let j = 1; j < argv.length; j++) if (lookupRead(ctx, argv[j]!) !== undefined) count++;
  return int(count);
}

export function typeCommand(ctx: ExecContext, argv: string[]): Reply {
  const v = lookupRead(ctx, argv[1]!);
  return status(v === undefined ? 'none' : typeName(v));
}

export function dbsizeCommand(ctx: ExecContext): Reply {
  return int(ctx.keyspace.dbsize(ctx.db));
}

/** getFlushCommandFlags: no argument, SYNC or ASYNC (the data effect is the same here). */
function flushArgsError(argv: string[]): Reply | null {
  if (argv.length === 1) return null;
  if (argv.length === 2 && (optionIs(argv[1]!, 'sync') || optionIs(argv[1]!, 'async'))) return null;
  return ERR_SYNTAX;
}

export function flushdbCommand(ctx: ExecContext, argv: string[]): Reply {
  const bad = flushArgsError(argv);
  if (bad) return bad;
  addDirty(ctx, ctx.keyspace.flushDb(ctx.db));
  propagate(ctx, argv);
  return ok();
}

export function flushallCommand(ctx: ExecContext, argv: string[]): Reply {
  const bad = flushArgsError(argv);
  if (bad) return bad;
  addDirty(ctx, ctx.keyspace.flushAll());
  propagate(ctx, argv);
  return ok();
}

export function selectCommand(ctx: ExecContext, argv: string[]): Reply {
  const id = string2int(argv[1]!);
  if (id === null) return ERR_NOT_INTEGER;
  if (id < 0 || id >= ctx.keyspace.databases) return err('ERR DB index is out of range');
  ctx.db = id;
  return ok();
}

/** KEYS hides logically expired keys on every role but never deletes them. */
export function keysCommand(ctx: ExecContext, argv: string[]): Reply {
  const pattern = argv[1]!;
  const all = pattern === '*';
  const ks = ctx.keyspace;
  const out: string[] = [];
  for (const key of ks.keys(ctx.db)) {
    if ((all || stringMatch(pattern, key)) && !ks.isLogicallyExpired(ctx.db, key, ctx.nowMs)) out.push(key);
  }
  return bulkArray(out);
}

/**
 * dbRandomKey: a random key that is not expired. A master deletes (and propagates) the
 * expired keys it draws; a replica skips them, but when every key is volatile it gives up
 * after 100 draws and returns an expired one, as Redis does to avoid looping forever.
 */
export function randomkeyCommand(ctx: ExecContext): Reply {
  const ks = ctx.keyspace;
  const allVolatile = ks.dbsize(ctx.db) === ks.expiresCount(ctx.db);
  let maxTries = 100;
  for (;;) {
    const key = ks.randomKey(ctx.db);
    if (key === undefined) return nil();
    if (ks.getExpire(ctx.db, key) !== -1) {
      // (7.0 applies the cap on replicas only; a paused master would spin forever, which
      // 7.2 fixed by capping there too — so do we.)
      if (allVolatile && (!ctx.isMaster || ctx.clientsPaused) && --maxTries === 0) return bulk(key);
      if (expireIfNeeded(ctx, key, false)) continue;
    }
    return bulk(key);
  }
}

/** SWAPDB index1 index2 (dbSwapDatabases); propagated as sent. */
export function swapdbCommand(ctx: ExecContext, argv: string[]): Reply {
  const a = string2int(argv[1]!);
  if (a === null) return err('ERR invalid first DB index');
  const b = string2int(argv[2]!);
  if (b === null) return err('ERR invalid second DB index');
  const n = ctx.keyspace.databases;
  if (a < 0 || a >= n || b < 0 || b >= n) return err('ERR DB index is out of range');
  ctx.keyspace.swapDbs(a, b);
  propagate(ctx, argv);
  addDirty(ctx, 1);
  return ok();
}
