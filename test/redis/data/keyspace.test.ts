import { describe, expect, test } from 'vitest';
import { fc, test as fcTest } from '@fast-check/vitest';
import { Keyspace } from '../../../sim/redis/data/keyspace.js';
import { SetValue } from '../../../sim/redis/data/value.js';
import { USED_MEMORY_STARTUP_BYTES } from '../../../sim/redis/data/memory-model.js';
import { RDB_EMPTY_BYTES } from '../../../sim/redis/data/rdb-size.js';
import { makeCtx, run, EPOCH_MS } from '../../helpers/exec.js';

describe('basics', () => {
  test('per-db maps, dbsize, totalKeys, expires', () => {
    const ks = new Keyspace(4);
    ks.set(0, 'a', 'x');
    ks.set(3, 'a', 'y');
    ks.setExpire(3, 'a', EPOCH_MS + 1000);
    expect([ks.dbsize(0), ks.dbsize(3), ks.totalKeys()]).toEqual([1, 1, 2]);
    expect([ks.expiresCount(0), ks.expiresCount(3)]).toEqual([0, 1]);
    expect([...ks.volatileKeys(3)]).toEqual([['a', EPOCH_MS + 1000]]);
    expect(ks.avgTtlMs(3, EPOCH_MS)).toBe(1000);
    ks.set(3, 'a', 'z'); // SET clears the TTL
    expect(ks.getExpire(3, 'a')).toBe(-1);
    expect(ks.avgTtlMs(3, EPOCH_MS)).toBe(0);
  });
  test('flushDb / flushAll return the number of keys removed', () => {
    const ks = new Keyspace();
    ks.populate(0, 10, 'key', 0);
    ks.populate(1, 5, 'key', 0);
    expect(ks.flushDb(1)).toBe(5);
    expect(ks.flushAll()).toBe(10);
    expect(ks.totalKeys()).toBe(0);
    expect(ks.usedMemoryBytes()).toBe(USED_MEMORY_STARTUP_BYTES);
    expect(ks.rdbSizeBytes()).toBe(RDB_EMPTY_BYTES);
  });
});

describe('DEBUG POPULATE semantics', () => {
  test('keys prefix:<i> for i in 0..count-1, values "value:<i>" cut or zero-padded to size', () => {
    const ks = new Keyspace();
    expect(ks.populate(0, 3, 'key', 0)).toBe(3);
    expect([...ks.keys(0)]).toEqual(['key:0', 'key:1', 'key:2']);
    const text = (k: string): string => {
      const ctx = makeCtx({ keyspace: ks });
      const r = run(ctx, 'get', k);
      return r;
    };
    expect(text('key:2')).toBe('"value:2"');
    ks.populate(0, 12, 'p', 3);
    expect(text('p:11')).toBe('"val"');
    ks.populate(0, 1, 'z', 10);
    expect(text('z:0')).toBe('"value:0\\x00\\x00\\x00"');
    ks.populate(0, 2, 'a:b', 0);
    expect(text('a:b:1')).toBe('"value:1"');
  });
  test('existing keys are left untouched, with their TTL', () => {
    const ks = new Keyspace();
    ks.set(0, 'key:1', 'mine');
    ks.setExpire(0, 'key:1', EPOCH_MS + 5);
    expect(ks.populate(0, 3, 'key', 100)).toBe(2);
    expect(ks.get(0, 'key:1')).toBe('mine');
    expect(ks.getExpire(0, 'key:1')).toBe(EPOCH_MS + 5);
    expect(ks.dbsize(0)).toBe(3);
  });
  test('populated values digest like the same text set as a plain string', () => {
    const a = new Keyspace();
    a.populate(0, 100, 'key', 30);
    const b = new Keyspace();
    for (let i = 0; i < 100; i++) b.set(0, `key:${i}`, ('value:' + i).padEnd(30, '\0'));
    expect(a.digest()).toBe(b.digest());
    const c = new Keyspace();
    c.populate(0, 100, 'key', 0);
    const d = new Keyspace();
    for (let i = 0; i < 100; i++) d.set(0, `key:${i}`, 'value:' + i);
    expect(c.digest()).toBe(d.digest());
    expect(c.digest()).not.toBe(a.digest());
  });
});

/** A dataset as a list of operations, to build the same content in different orders. */
type Entry = { db: number; key: string; kind: 'str' | 'int' | 'set'; value: string; members: string[]; ttl: number | null };
const entryArb: fc.Arbitrary<Entry> = fc.record({
  db: fc.integer({ min: 0, max: 3 }),
  key: fc.string({ minLength: 1, maxLength: 6 }),
  kind: fc.constantFrom('str' as const, 'int' as const, 'set' as const),
  value: fc.string({ maxLength: 8 }),
  members: fc.uniqueArray(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 5 }),
  ttl: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null }),
});
const datasetArb = fc.uniqueArray(entryArb, { selector: (e) => `${e.db}/${e.key}`, maxLength: 30 });

function build(entries: readonly Entry[], memberOrder: 'asc' | 'desc' = 'asc'): Keyspace {
  const ks = new Keyspace(4);
  for (const e of entries) {
    if (e.kind === 'set') ks.set(e.db, e.key, new SetValue(memberOrder === 'asc' ? e.members : [...e.members].reverse()));
    else if (e.kind === 'int') ks.set(e.db, e.key, e.value.length);
    else ks.set(e.db, e.key, e.value);
    if (e.ttl !== null) ks.setExpire(e.db, e.key, EPOCH_MS + e.ttl);
  }
  return ks;
}

describe('digest: equal iff the datasets are equal', () => {
  fcTest.prop([datasetArb, fc.integer()])('any insertion order (and set member order) gives the same digest', (entries, seed) => {
    const shuffled = fc.sample(fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }), { seed, numRuns: 1 })[0]!;
    expect(build(shuffled, 'desc').digest()).toBe(build(entries).digest());
  });

  fcTest.prop([datasetArb.filter((d) => d.length > 0), fc.nat(), fc.constantFrom('value', 'ttl', 'db', 'key', 'type', 'drop')])(
    'changing one value, TTL, db, key name or type — or dropping a key — changes it',
    (entries, pick, what) => {
      const i = pick % entries.length;
      const e = entries[i]!;
      const changed: Entry = { ...e };
      if (what === 'value') {
        if (e.kind === 'set') changed.members = [...e.members, '\u0001new'];
        else if (e.kind === 'int') changed.value = e.value + 'x';
        else changed.value = e.value + 'x';
      } else if (what === 'ttl') changed.ttl = e.ttl === null ? 5 : e.ttl + 1;
      else if (what === 'db') changed.db = (e.db + 1) % 4;
      else if (what === 'key') changed.key = e.key + '\u0002';
      else if (what === 'type') changed.kind = e.kind === 'set' ? 'str' : 'set';
      const others = entries.filter((_, j) => j !== i);
      if (others.some((o) => o.db === changed.db && o.key === changed.key)) return; // would collide
      const variant = what === 'drop' ? others : [...others, changed];
      expect(build(variant).digest()).not.toBe(build(entries).digest());
    },
  );

  test('one value object under many keys, or equal text built separately, digests the same (the value-hash cache)', () => {
    const shared = 'v'.repeat(1000);
    const a = new Keyspace();
    const b = new Keyspace();
    for (let i = 0; i < 50; i++) {
      a.set(0, `k${i}`, shared);
      b.set(0, `k${i}`, ['v'.repeat(500), 'v'.repeat(500)].join('')); // a new object each time
    }
    expect(a.digest()).toBe(b.digest());
    b.set(0, 'k7', 'v'.repeat(999) + 'w');
    expect(b.digest()).not.toBe(a.digest());
    expect(a.digest()).toBe(a.digest());
  });

  test('a number and its decimal text are the same Redis string', () => {
    const a = new Keyspace();
    a.set(0, 'c', 42);
    const b = new Keyspace();
    b.set(0, 'c', '42');
    expect(a.digest()).toBe(b.digest());
    expect(new Keyspace().digest()).toBe('0'.repeat(16));
  });

  test('1 M populated keys digest in well under a few seconds', () => {
    const ks = new Keyspace();
    ks.populate(0, 1_000_000, 'key', 100);
    expect(ks.digest()).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('snapshots (copy-on-write)', () => {
  test('writes after snapshot() do not show in it', () => {
    const ctx = makeCtx();
    const ks = ctx.keyspace;
    run(ctx, 'set', 'a', '1');
    run(ctx, 'set', 'b', '2', 'PX', '1000');
    run(ctx, 'sadd', 's', 'x', 'y');
    run(ctx, 'incr', 'n');
    ks.populate(0, 5, 'key', 10);
    const before = ks.digest();
    const snap = ks.snapshot();
    expect(snap.digest()).toBe(before);
    run(ctx, 'set', 'a', 'changed');
    run(ctx, 'del', 'b');
    run(ctx, 'sadd', 's', 'z');
    run(ctx, 'srem', 's', 'x');
    run(ctx, 'incr', 'n');
    run(ctx, 'pexpire', 'key:1', '50');
    run(ctx, 'set', 'new', 'v');
    run(ctx, 'append', 'key:2', '!');
    run(ctx, 'select', '2');
    run(ctx, 'set', 'other', 'db');
    expect(ks.digest()).not.toBe(before);
    expect(snap.digest()).toBe(before);
    expect(snap.get(0, 'a')).toBe('1');
    expect(snap.get(0, 'new')).toBeUndefined();
    expect(snap.getExpire(0, 'b')).toBe(EPOCH_MS + 1000);
    expect((snap.get(0, 's') as SetValue).members).toEqual(new Set(['x', 'y']));
    expect(snap.totalKeys).toBe(9);
    expect(Keyspace.fromSnapshot(snap).digest()).toBe(before);
  });
  test('flushes after the snapshot orphan its maps but do not change it', () => {
    const ks = new Keyspace();
    ks.populate(0, 100, 'key', 0);
    ks.populate(1, 10, 'key', 0);
    const before = ks.digest();
    const snap = ks.snapshot();
    ks.flushDb(1);
    ks.set(1, 'x', 'y');
    ks.flushAll();
    ks.set(0, 'key:1', 'overwritten');
    expect(snap.digest()).toBe(before);
    expect(ks.activeSnapshots).toBe(0); // every base map orphaned: nothing left to record
  });
  test('a long-lived snapshot detaches once most keys changed: writes stop paying for it, its view stays exact', () => {
    const ks = new Keyspace();
    for (let i = 0; i < 4000; i++) ks.set(0, `k${i}`, `v${i}`);
    for (let i = 0; i < 50; i++) ks.setExpire(0, `k${i}`, EPOCH_MS + i);
    ks.set(0, 'set', new SetValue(['a', 'b']));
    ks.populate(0, 1000, 'pop', 0);
    ks.set(3, 'other', 'db3');
    const before = ks.digest();
    const snap = ks.snapshot();
    // Change keys one by one, deleting some, growing a set in place, touching range keys.
    for (let i = 0; i < 3000; i++) {
      if (i % 7 === 0) ks.delete(0, `k${i}`);
      else ks.set(0, `k${i}`, `w${i}`);
      if (i === 10) {
        const set = ks.mutableSet(0, 'set');
        set.add('c');
        ks.settleSet(0, 'set', set);
      }
      if (i < 20) ks.set(0, `pop:${i}`, 'x');
    }
    expect(ks.activeSnapshots).toBe(0); // detached: nothing left to record
    // After the detach: in-place changes of live objects must not leak into the snapshot.
    const set = ks.mutableSet(0, 'set');
    set.add('d');
    ks.settleSet(0, 'set', set);
    ks.set(3, 'other', 'changed');
    ks.flushAll();
    expect(snap.digest()).toBe(before);
    expect(snap.get(0, 'k7')).toBe('v7');
    expect(snap.getExpire(0, 'k3')).toBe(EPOCH_MS + 3);
    expect(snap.get(0, 'pop:5')).toBeDefined();
    expect((snap.get(0, 'set') as SetValue).members).toEqual(new Set(['a', 'b']));
    expect(snap.totalKeys).toBe(4000 + 1 + 1000 + 1);
    expect(Keyspace.fromSnapshot(snap).digest()).toBe(before);
    snap.release();
    expect(() => snap.get(0, 'k1')).toThrow(/release/);
  });
  test('several snapshots, released in any order', () => {
    const ks = new Keyspace();
    ks.set(0, 'k', 'v0');
    const s0 = ks.snapshot();
    ks.set(0, 'k', 'v1');
    ks.set(0, 's', new SetValue(['a']));
    const s1 = ks.snapshot();
    const d1 = ks.digest();
    const set = ks.mutableSet(0, 's');
    set.add('b');
    ks.settleSet(0, 's', set);
    ks.set(0, 'k', 'v2');
    expect(s0.get(0, 'k')).toBe('v0');
    expect(s0.get(0, 's')).toBeUndefined();
    expect(s1.get(0, 'k')).toBe('v1');
    expect(s1.digest()).toBe(d1);
    s0.release();
    expect(ks.activeSnapshots).toBe(1);
    expect(() => s0.get(0, 'k')).toThrow(/release/);
    const set2 = ks.mutableSet(0, 's'); // s1 already holds its own before-image
    set2.add('c');
    ks.settleSet(0, 's', set2);
    expect(s1.digest()).toBe(d1);
    s1.release();
    expect(ks.activeSnapshots).toBe(0);
  });
  test('a set whose TTL changed first is still copied before its members change', () => {
    const ctx = makeCtx();
    run(ctx, 'sadd', 's', 'a');
    const snap = ctx.keyspace.snapshot();
    const d = snap.digest();
    run(ctx, 'expire', 's', '100'); // before-image recorded, same SetValue object
    run(ctx, 'sadd', 's', 'b'); // must not mutate the object the snapshot holds
    expect(snap.digest()).toBe(d);
  });
  test('a loaded keyspace owns its sets (mutating it leaves the source alone)', () => {
    const ctx = makeCtx();
    run(ctx, 'sadd', 's', 'a');
    const snap = ctx.keyspace.snapshot();
    const replica = makeCtx({ keyspace: Keyspace.fromSnapshot(snap) });
    run(replica, 'sadd', 's', 'b');
    expect(run(ctx, 'scard', 's')).toBe('(integer) 1');
    expect(snap.digest()).toBe(ctx.keyspace.digest());
  });
  test('a snapshot carries the size of the RDB it stands for, and a load keeps expired keys', () => {
    const ks = new Keyspace();
    ks.populate(0, 1000, 'key', 100);
    ks.set(0, 'gone', 'v');
    ks.setExpire(0, 'gone', 1); // long past
    const snap = ks.snapshot();
    expect(snap.rdbSizeBytes).toBe(ks.rdbSizeBytes());
    expect(snap.usedMemoryBytes).toBe(ks.usedMemoryBytes());
    const loaded = Keyspace.fromSnapshot(snap);
    expect(loaded.has(0, 'gone')).toBe(true);
    expect(loaded.usedMemoryBytes()).toBe(ks.usedMemoryBytes());
    expect(loaded.rdbSizeBytes()).toBe(ks.rdbSizeBytes());
    expect(loaded.activeExpireCycle(EPOCH_MS, 10)).toEqual([{ db: 0, key: 'gone' }]);
  });

  fcTest.prop([datasetArb, datasetArb])('snapshot = state at snapshot time, whatever happens after', (first, second) => {
    const ks = build(first);
    const expected = ks.digest();
    const snap = ks.snapshot();
    for (const e of second) {
      if (e.ttl !== null && ks.has(e.db, e.key)) ks.setExpire(e.db, e.key, e.ttl);
      else if (e.kind === 'set' && ks.get(e.db, e.key) instanceof SetValue) {
        const s = ks.mutableSet(e.db, e.key);
        for (const m of e.members) s.add(m);
        s.delete(e.value);
        ks.settleSet(e.db, e.key, s);
      } else if (e.kind === 'int') ks.delete(e.db, e.key);
      else ks.set(e.db, e.key, e.value);
    }
    expect(snap.digest()).toBe(expected);
    expect(Keyspace.fromSnapshot(snap).digest()).toBe(expected);
  });
});

describe('active expiry heap', () => {
  test('only keys whose TTL is strictly before now; changed TTLs are honoured', () => {
    const ks = new Keyspace();
    for (const [k, t] of [['a', 10], ['b', 20], ['c', 30]] as const) {
      ks.set(0, k, 'v');
      ks.setExpire(0, k, t);
    }
    ks.setExpire(0, 'a', 100); // stale heap entry at 10
    ks.removeExpire(0, 'b'); // stale heap entry at 20
    expect(ks.activeExpireCycle(30, 10)).toEqual([]);
    expect(ks.activeExpireCycle(31, 10)).toEqual([{ db: 0, key: 'c' }]);
    expect(ks.activeExpireCycle(1000, 10)).toEqual([{ db: 0, key: 'a' }]);
    expect(ks.totalKeys()).toBe(1);
  });
  test('ties expire in the order their TTLs were set', () => {
    const ks = new Keyspace();
    const keys = ['q', 'w', 'e', 'r', 't', 'y'];
    for (const k of keys) {
      ks.set(0, k, 'v');
      ks.setExpire(0, k, 5);
    }
    expect(ks.activeExpireCycle(6, 100).map((e) => e.key)).toEqual(keys);
  });
  test('many re-expired keys keep the heap bounded', () => {
    const ks = new Keyspace();
    for (let i = 0; i < 100; i++) ks.set(0, `k${i}`, 'v');
    for (let round = 0; round < 200; round++) for (let i = 0; i < 100; i++) ks.setExpire(0, `k${i}`, 1_000_000 + round);
    expect(ks.activeExpireCycle(1_000_000 + 199, 1000)).toEqual([]);
    expect(ks.activeExpireCycle(1_000_000 + 200, 1000)).toHaveLength(100);
  });
});

describe('used_memory and RDB size estimates (calibrated on redis-server 7.0.15)', () => {
  test('DEBUG POPULATE 1M key 100: used_memory +184,388,152 bytes (real), ~184 per key', () => {
    const ks = new Keyspace();
    ks.populate(0, 1_000_000, 'key', 100);
    const delta = ks.usedMemoryBytes() - USED_MEMORY_STARTUP_BYTES;
    expect(Math.abs(delta - 184_388_152) / 184_388_152).toBeLessThan(0.001);
  });
  test.each([
    [0, 9_048_120],
    [10, 9_048_120],
    [100, 18_648_120],
    [1000, 109_848_120],
  ])('DEBUG POPULATE 100k key %i: used_memory +%i bytes (real)', (size, real) => {
    const ks = new Keyspace();
    ks.populate(0, 100_000, 'key', size);
    expect(Math.abs(ks.usedMemoryBytes() - USED_MEMORY_STARTUP_BYTES - real) / real).toBeLessThan(0.001);
  });
  // Written with redis-cli --pipe on a real 7.0.15: used_memory deltas.
  const writes: Array<{ label: string; n: number; argv: (i: number) => string[]; real: number }> = [
    { label: 'set k:<i> abcdefghij', n: 20_000, argv: (i) => ['set', `k:${i}`, 'abcdefghij'], real: 1_806_832 },
    { label: 'set k:<i> <100000+i>', n: 20_000, argv: (i) => ['set', `k:${i}`, String(100000 + i)], real: 1_482_640 },
    { label: 'set k:<i> abcdefghij EX 1000', n: 20_000, argv: (i) => ['set', `k:${i}`, 'abcdefghij', 'EX', '1000'], real: 2_663_792 },
    { label: 'set k:<i> <300 bytes>', n: 20_000, argv: (i) => ['set', `k:${i}`, 'x'.repeat(300)], real: 7_882_656 },
    { label: 'sadd s:<i> a bb ccc', n: 20_000, argv: (i) => ['sadd', `s:${i}`, 'a', 'bb', 'ccc'], real: 5_761_616 },
    { label: 'sadd s:<i> 1 2 300 (intset)', n: 20_000, argv: (i) => ['sadd', `s:${i}`, '1', '2', '300'], real: 1_782_160 },
    { label: 'sadd s:<i> 0..599 (hashtable)', n: 200, argv: (i) => ['sadd', `s:${i}`, ...Array.from({ length: 600 }, (_, j) => String(j))], real: 6_464_448 },
  ];
  for (const { label, n, argv, real } of writes) {
    test(`${label} ×${n}: within 2% of the real used_memory delta (${real})`, () => {
      const ctx = makeCtx();
      for (let i = 0; i < n; i++) run(ctx, ...argv(i));
      const delta = ctx.keyspace.usedMemoryBytes() - USED_MEMORY_STARTUP_BYTES;
      expect(Math.abs(delta - real) / real).toBeLessThan(0.02);
    });
  }
  test('RDB of DEBUG POPULATE 1M key 100: 35,777,692 bytes with SAVE (real), ~36 per key', () => {
    const ks = new Keyspace();
    ks.populate(0, 1_000_000, 'key', 100);
    expect(Math.abs(ks.rdbSizeBytes() - 35_777_692) / 35_777_692).toBeLessThan(0.0001);
  });
  test('the RDB counts incompressible user values in full, integers as integers', () => {
    const ks = new Keyspace();
    const base = ks.rdbSizeBytes();
    ks.set(0, 'k', 'x'.repeat(1000)); // 1 type + (1+1) key + (2+1000) value
    ks.set(0, 'n', '123'); // 1 + 2 + 2 (int8 encoding)
    ks.set(0, 'm', 70000); // 1 + 2 + 5 (int32 encoding)
    ks.setExpire(0, 'n', EPOCH_MS); // + 9
    const dbHeader = 1 + 1 + 1 + 1 + 1;
    expect(ks.rdbSizeBytes() - base).toBe(dbHeader + 1005 + 5 + 8 + 9);
  });
});
