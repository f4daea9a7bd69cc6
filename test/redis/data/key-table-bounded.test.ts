/**
 * A long run whose key names never repeat (a cache workload writing ever-new keys with a TTL,
 * unique-name clients, DEL-heavy traffic) keeps the run's key table as small as the keyspaces
 * it serves: ids are freed by deletes, expiry, flushes, discarded keyspaces and released
 * snapshots (key-table.ts), and reused.
 */
import { describe, expect, test } from 'vitest';
import { Keyspace } from '../../../sim/redis/data/keyspace.js';
import { KeyTable } from '../../../sim/redis/data/key-table.js';

describe('the key table stays bounded', () => {
  test('1e6 unique keys, each deleted after a while, on a master and two replicas sharing the table', () => {
    const table = new KeyTable();
    const nodes = [new Keyspace(16, table), new Keyspace(16, table), new Keyspace(16, table)];
    const window = 100;
    let deleted = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const key = `cache:${i}`;
      for (const ks of nodes) ks.set(0, key, 'v');
      if (i >= window) {
        const gone = `cache:${i - window}`;
        for (const ks of nodes) if (ks.delete(0, gone)) deleted++;
      }
    }
    expect(deleted).toBe(3 * (1_000_000 - window));
    expect(nodes[0]!.dbsize(0)).toBe(window);
    expect(table.size).toBe(window);
    expect(table.capacity).toBeLessThanOrEqual(window + 1);
  });

  test('expired keys, flushes, snapshots and a discarded keyspace give their ids back', () => {
    const table = new KeyTable();
    const ks = new Keyspace(16, table);
    for (let i = 0; i < 1000; i++) {
      ks.set(0, `t:${i}`, 'v');
      ks.setExpire(0, `t:${i}`, 1_000 + i);
    }
    ks.activeExpireCycle(1_000_000, 1000);
    expect(ks.dbsize(0)).toBe(0);
    expect(table.size).toBe(0);

    for (let i = 0; i < 500; i++) ks.set(1, `s:${i}`, 'v');
    const snap = ks.snapshot();
    expect(ks.flushDb(1)).toBe(500);
    expect(table.size).toBe(500); // the snapshot still reads the flushed dict
    expect(snap.get(1, 's:7')).toBe('v');
    ks.set(1, 'after', 'v');
    expect(snap.get(1, 'after')).toBeUndefined();
    snap.release();
    expect(table.size).toBe(1);

    const s2 = ks.snapshot();
    const copy = Keyspace.fromSnapshot(s2);
    s2.release();
    expect(table.size).toBe(1);
    copy.discard();
    ks.discard();
    expect(table.size).toBe(0);
    expect(table.capacity).toBeLessThanOrEqual(1000);
  });
});
