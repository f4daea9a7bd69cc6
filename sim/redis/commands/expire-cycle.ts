/**
 * The server-driven halves of expiry, with their propagation:
 *  - activeExpire: a master's databasesCron activeExpireCycle (hz 10). Each expired key
 *    goes out as a bare `DEL k` / `UNLINK k` (lazyfree-lazy-expire), not wrapped in
 *    MULTI/EXEC (propagate_no_multi), and counts in expired_keys.
 *  - expireSlaveKeys: a writable replica expiring the keys it gave a TTL itself. Its ops go
 *    nowhere (a replica feeds no sub-replicas with its own writes) but are returned alike.
 * Both only append to ctx.ops; ctx.db is not used (each op carries its key's db).
 */
import type { ExecContext, PropagatedOp } from './exec-context.js';
import type { ExpiredKey } from '../data/keyspace.js';

function emit(ctx: ExecContext, expired: ExpiredKey[]): PropagatedOp[] {
  const cmd = ctx.lazyfreeLazyExpire ? 'UNLINK' : 'DEL';
  const ops: PropagatedOp[] = [];
  for (const { db, key } of expired) {
    const op = { db, argv: [cmd, key] };
    ops.push(op);
    ctx.ops.push(op);
  }
  ctx.stats.expiredKeys += expired.length;
  return ops;
}

/** Expires up to `maxKeys` due keys (TTL strictly before ctx.nowMs); returns their ops. */
export function activeExpire(ctx: ExecContext, maxKeys: number): PropagatedOp[] {
  if (ctx.clientsPaused) return []; // paused writes keep the dataset constant
  return emit(ctx, ctx.keyspace.activeExpireCycle(ctx.nowMs, maxKeys));
}

/** A writable replica's expireSlaveKeys pass. */
export function expireSlaveKeys(ctx: ExecContext): PropagatedOp[] {
  return emit(ctx, ctx.keyspace.expireSlaveKeys(ctx.nowMs));
}
