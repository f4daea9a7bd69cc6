/**
 * RENAME, RENAMENX and COPY, after db.c at 7.0.15. The value moves (or is copied, collections
 * cloned) with its TTL; each command is propagated as typed, and only when it changed
 * something. RENAME looks the source up for writing (an expired source is deleted first, its
 * DEL propagated); COPY looks it up for reading (it counts a keyspace hit or miss).
 */
import { err, int, ok, ERR_NOT_INTEGER, ERR_SYNTAX, type Reply } from '../protocol/reply.js';
import { type ExecContext, addDirty, lookupRead, lookupWrite, propagate } from './exec-context.js';
import { optionIs } from './command-args.js';
import { string2int } from '../protocol/number-parse.js';
import { ownedCopy } from '../data/snapshot.js';

const NO_SUCH_KEY = err('ERR no such key');
const SAME_OBJECT = err('ERR source and destination objects are the same');

function renameGeneric(ctx: ExecContext, argv: string[], nx: boolean): Reply {
  const [, from, to] = argv as [string, string, string];
  const ks = ctx.keyspace;
  const v = lookupWrite(ctx, from);
  if (v === undefined) return NO_SUCH_KEY;
  // Same name: nothing happens, but a missing key was still an error.
  if (from === to) return nx ? int(0) : ok();
  const expire = ks.getExpire(ctx.db, from);
  if (lookupWrite(ctx, to) !== undefined) {
    if (nx) return int(0);
    ks.delete(ctx.db, to);
  }
  ks.set(ctx.db, to, v);
  if (expire !== -1) ks.setExpire(ctx.db, to, expire);
  ks.delete(ctx.db, from);
  addDirty(ctx, 1);
  propagate(ctx, argv);
  return nx ? int(1) : ok();
}

export function renameCommand(ctx: ExecContext, argv: string[]): Reply {
  return renameGeneric(ctx, argv, false);
}

export function renamenxCommand(ctx: ExecContext, argv: string[]): Reply {
  return renameGeneric(ctx, argv, true);
}

/** COPY source destination [DB destination-db] [REPLACE] */
export function copyCommand(ctx: ExecContext, argv: string[]): Reply {
  const [, from, to] = argv as [string, string, string];
  let replace = false;
  let dstDb = ctx.db;
  for (let j = 3; j < argv.length; j++) {
    const more = argv.length - j - 1;
    if (optionIs(argv[j]!, 'replace')) replace = true;
    else if (optionIs(argv[j]!, 'db') && more >= 1) {
      const db = string2int(argv[j + 1]!);
      if (db === null) return ERR_NOT_INTEGER;
      if (db < 0 || db >= ctx.keyspace.databases) return err('ERR DB index is out of range');
      dstDb = db;
      j++;
    } else return ERR_SYNTAX;
  }
  if (dstDb === ctx.db && from === to) return SAME_OBJECT;
  const ks = ctx.keyspace;
  const v = lookupRead(ctx, from);
  if (v === undefined) return int(0);
  const expire = ks.getExpire(ctx.db, from);
  // lookupKeyWrite in the destination db (expiring a stale destination key there).
  const srcDb = ctx.db;
  ctx.db = dstDb;
  const exists = lookupWrite(ctx, to) !== undefined;
  ctx.db = srcDb;
  if (exists) {
    if (!replace) return int(0);
    ks.delete(dstDb, to);
  }
  ks.set(dstDb, to, ownedCopy(v));
  if (expire !== -1) ks.setExpire(dstDb, to, expire);
  addDirty(ctx, 1);
  propagate(ctx, argv);
  return int(1);
}
