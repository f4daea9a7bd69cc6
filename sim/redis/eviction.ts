/**
 * maxmemory eviction on a master (performEvictions, evict.c): before a command that may
 * grow memory runs, keys are evicted by the policy until used memory is under the limit;
 * each eviction is propagated as a bare DEL (UNLINK with lazyfree-lazy-eviction).
 * Replicas ignore maxmemory by default (replica-ignore-maxmemory yes) and get the DELs.
 *
 * Simplification: Redis's LRU/LFU are approximations over sampled keys using access
 * clocks replsim does not keep; here *-lru and *-lfu evict the oldest-inserted key (the
 * preloaded dataset first), the closest deterministic stand-in. volatile-ttl evicts the key nearest to expiring.
 */
import type { RedisServer } from './server.js';

/**
 * getMaxmemoryState: the bytes to free, 0 when used_memory (less what the replication
 * buffer holds beyond repl-backlog-size, freeMemoryGetNotCountedMemory) is within maxmemory.
 */
export function memoryToFree(s: RedisServer): number {
  const limit = s.config.maxmemoryBytes;
  const reported = s.memory.usedMemory();
  if (reported <= limit) return 0;
  const used = Math.max(0, reported - s.memory.notCountedForEviction());
  return used <= limit ? 0 : used - limit;
}

/** Result of performEvictions: false means the policy could not free enough (→ -OOM). */
export function performEvictions(s: RedisServer): boolean {
  const cfg = s.config;
  if (cfg.maxmemoryBytes <= 0) return true;
  if (!s.isMaster && cfg.replicaIgnoreMaxmemory) return true;
  // isSafeToPerformEvictions: a paused server keeps its dataset static (and refuses nothing).
  if (s.pause.check()) return true;
  const toFree = memoryToFree(s);
  if (toFree === 0) return true;
  if (cfg.maxmemoryPolicy === 'noeviction') return false;
  const ks = s.keyspace;
  // As evict.c: mem_freed adds up what each deletion gave back (the zmalloc delta around
  // dbGenericDelete); the DELs are propagated after the loop (propagatePendingCommands), so
  // the replication buffer they grow is not subtracted from what was freed.
  let freed = 0;
  const dels: Array<{ db: number; argv: string[] }> = [];
  while (freed < toFree) {
    const victim = pickVictim(s);
    if (!victim) break;
    const before = ks.usedMemoryBytes();
    ks.delete(victim.db, victim.key);
    freed += before - ks.usedMemoryBytes();
    s.stats.evictedKeys++;
    s.trace('evict', { db: victim.db, key: victim.key, policy: cfg.maxmemoryPolicy });
    dels.push({ db: victim.db, argv: [cfg.lazyfreeLazyEviction ? 'UNLINK' : 'DEL', victim.key] });
    // Every 16 keys Redis looks again whether memory is already under the limit.
    if (dels.length % 16 === 0 && memoryToFree(s) === 0) break;
  }
  for (const op of dels) s.commands.propagate([op], null);
  return freed >= toFree || memoryToFree(s) === 0;
}

function pickVictim(s: RedisServer): { db: number; key: string } | null {
  const ks = s.keyspace;
  const policy = s.config.maxmemoryPolicy;
  const volatile = policy.startsWith('volatile-');
  for (let db = 0; db < s.config.databases; db++) {
    if (volatile) {
      if (ks.expiresCount(db) === 0) continue;
      if (policy === 'volatile-ttl') {
        let best: string | null = null;
        let bestAt = Infinity;
        for (const [key, at] of ks.volatileKeys(db)) {
          if (at < bestAt) {
            bestAt = at;
            best = key;
          }
        }
        if (best !== null) return { db, key: best };
        continue;
      }
      if (policy === 'volatile-random') {
        const n = ks.expiresCount(db);
        let i = ks.randomBelow(n);
        for (const [key] of ks.volatileKeys(db)) if (i-- === 0) return { db, key };
        continue;
      }
      for (const [key] of ks.volatileKeys(db)) return { db, key };
      continue;
    }
    if (ks.dbsize(db) === 0) continue;
    if (policy === 'allkeys-random') {
      const key = ks.randomKey(db);
      if (key !== undefined) return { db, key };
      continue;
    }
    // The oldest-inserted key (preloaded ones first): what an LRU/LFU sample would favour.
    for (const key of ks.keysOldestFirst(db)) return { db, key };
  }
  return null;
}
