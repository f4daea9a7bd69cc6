/**
 * DEBUG POPULATE ranges against a naive model: random sequences of populate / set / delete
 * / TTL / flush / snapshot / load must leave the range-backed keyspace indistinguishable
 * from a plain map of strings (contents, dbsize, digest, used_memory), and every snapshot
 * must keep the contents it was taken with.
 */
import { describe, expect, test } from 'vitest';
import { fc, test as fcTest } from '@fast-check/vitest';
import { Keyspace, type KeyspaceSnapshot } from '../../../sim/redis/data/keyspace.js';
import { PopulatedRange } from '../../../sim/redis/data/populated-range.js';
import { stringText, SetValue } from '../../../sim/redis/data/value.js';

type Model = Map<string, { text: string; expire: number }>[]; // per db

const DBS = 2;
const populatedText = (i: number, size: number): string => {
  const base = `value:${i}`;
  return size === 0 ? base : size <= base.length ? base.slice(0, size) : base + '\0'.repeat(size - base.length);
};

type Op =
  | { kind: 'populate'; db: number; count: number; prefix: string; size: number }
  | { kind: 'set'; db: number; key: string; text: string; keepTtl: boolean }
  | { kind: 'del'; db: number; key: string }
  | { kind: 'expire'; db: number; key: string; when: number }
  | { kind: 'persist'; db: number; key: string }
  | { kind: 'flush'; db: number }
  | { kind: 'snapshot' }
  | { kind: 'load' };

const prefixArb = fc.constantFrom('key', 'p', 'a:b');
const keyArb = fc.oneof(
  fc.tuple(prefixArb, fc.integer({ min: 0, max: 40 })).map(([p, i]) => `${p}:${i}`),
  fc.constantFrom('key:007', 'key:', 'x', 'key:1x'),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('populate' as const), db: fc.integer({ min: 0, max: DBS - 1 }), count: fc.integer({ min: 0, max: 40 }), prefix: prefixArb, size: fc.constantFrom(0, 3, 12) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), db: fc.integer({ min: 0, max: DBS - 1 }), key: keyArb, text: fc.string({ maxLength: 5 }), keepTtl: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('del' as const), db: fc.integer({ min: 0, max: DBS - 1 }), key: keyArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('expire' as const), db: fc.integer({ min: 0, max: DBS - 1 }), key: keyArb, when: fc.integer({ min: 1, max: 1000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('persist' as const), db: fc.integer({ min: 0, max: DBS - 1 }), key: keyArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flush' as const), db: fc.integer({ min: 0, max: DBS - 1 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'snapshot' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'load' as const }) },
);

function plainKeyspace(model: Model): Keyspace {
  const ks = new Keyspace(DBS);
  model.forEach((m, db) => {
    for (const [key, { text, expire }] of m) {
      ks.set(db, key, text);
      if (expire !== -1) ks.setExpire(db, key, expire);
    }
  });
  return ks;
}

function cloneModel(model: Model): Model {
  return model.map((m) => new Map([...m].map(([k, v]) => [k, { ...v }])));
}

function checkSame(ks: Keyspace, model: Model): void {
  const plain = plainKeyspace(model);
  for (let db = 0; db < DBS; db++) {
    expect(ks.dbsize(db)).toBe(model[db]!.size);
    for (const [key, { text, expire }] of model[db]!) {
      const v = ks.get(db, key);
      expect(v, key).toBeDefined();
      expect(stringText(v as string, key)).toBe(text);
      expect(ks.getExpire(db, key)).toBe(expire);
    }
    expect([...ks.keys(db)].sort()).toEqual([...model[db]!.keys()].sort());
  }
  expect(ks.digest()).toBe(plain.digest());
  expect(ks.usedMemoryBytes()).toBe(plain.usedMemoryBytes());
}

function apply(ks: Keyspace, model: Model, op: Op): void {
  switch (op.kind) {
    case 'populate': {
      const added = ks.populate(op.db, op.count, op.prefix, op.size);
      let expected = 0;
      for (let i = 0; i < op.count; i++) {
        const key = `${op.prefix}:${i}`;
        if (!model[op.db]!.has(key)) {
          model[op.db]!.set(key, { text: populatedText(i, op.size), expire: -1 });
          expected++;
        }
      }
      expect(added).toBe(expected);
      break;
    }
    case 'set': {
      const prev = model[op.db]!.get(op.key);
      ks.set(op.db, op.key, op.text, op.keepTtl);
      model[op.db]!.set(op.key, { text: op.text, expire: op.keepTtl && prev ? prev.expire : -1 });
      break;
    }
    case 'del':
      expect(ks.delete(op.db, op.key)).toBe(model[op.db]!.delete(op.key));
      break;
    case 'expire': {
      const e = model[op.db]!.get(op.key);
      if (e) {
        ks.setExpire(op.db, op.key, op.when);
        e.expire = op.when;
      }
      break;
    }
    case 'persist': {
      const e = model[op.db]!.get(op.key);
      expect(ks.removeExpire(op.db, op.key)).toBe(e !== undefined && e.expire !== -1);
      if (e) e.expire = -1;
      break;
    }
    case 'flush':
      expect(ks.flushDb(op.db)).toBe(model[op.db]!.size);
      model[op.db]!.clear();
      break;
    default:
      break;
  }
}

describe('populated ranges', () => {
  fcTest.prop([fc.array(opArb, { maxLength: 40 })], { numRuns: 300 })('behave like plain keys, snapshots included', (ops) => {
    let ks = new Keyspace(DBS);
    const model: Model = Array.from({ length: DBS }, () => new Map());
    const snaps: Array<{ snap: KeyspaceSnapshot; expected: Model }> = [];
    for (const op of ops) {
      if (op.kind === 'snapshot') snaps.push({ snap: ks.snapshot(), expected: cloneModel(model) });
      else if (op.kind === 'load' && snaps.length > 0) {
        const { snap, expected } = snaps[snaps.length - 1]!;
        ks = Keyspace.fromSnapshot(snap);
        model.splice(0, DBS, ...cloneModel(expected));
        snaps.length = 0; // the old keyspace's snapshots no longer matter
      } else apply(ks, model, op);
      checkSame(ks, model);
    }
    for (const { snap, expected } of snaps) {
      expect(snap.digest()).toBe(plainKeyspace(expected).digest());
      const loaded = Keyspace.fromSnapshot(snap);
      checkSame(loaded, expected);
      expect(loaded.rdbSizeBytes()).toBe(snap.rdbSizeBytes);
    }
  });

  test('10 M populated keys cost O(1): populate, snapshot and load', () => {
    const ks = new Keyspace();
    ks.populate(0, 10_000_000, 'key', 100);
    expect(ks.dbsize(0)).toBe(10_000_000);
    const snap = ks.snapshot();
    ks.set(0, 'key:5', 'x');
    ks.delete(0, 'key:6');
    const replica = Keyspace.fromSnapshot(snap);
    expect(replica.dbsize(0)).toBe(10_000_000);
    expect(replica.get(0, 'key:6')).toBeDefined();
    expect(stringText(replica.get(0, 'key:5') as string, 'key:5')).toBe(populatedText(5, 100));
    expect(ks.dbsize(0)).toBe(9_999_999);
    // 176 bytes per key as at 1 M (keyspace.test.ts) plus 8 bytes × 2^24 buckets / 10 M.
    expect(Math.round((replica.usedMemoryBytes() - 876_320) / 1e7)).toBe(189);
  });

  test('range key parsing: canonical decimal indexes only', () => {
    const r = new PopulatedRange('a:b', 5, 20, 0);
    expect(r.indexOf('a:b:5')).toBe(5);
    expect(r.indexOf('a:b:19')).toBe(19);
    for (const k of ['a:b:4', 'a:b:20', 'a:b:05', 'a:b:', 'a:b:1x', 'a:bb:7', 'a:b7', 'x:b:7']) expect(r.indexOf(k), k).toBe(-1);
    expect(r.totalMemBytes()).toBe(Array.from({ length: 15 }, (_, j) => r.memBytesOf(5 + j)).reduce((a, b) => a + b));
  });

  test('sets are never range values; mutableSet still works next to ranges', () => {
    const ks = new Keyspace();
    ks.populate(0, 10, 'key', 0);
    ks.set(0, 's', new SetValue(['a']));
    const s = ks.mutableSet(0, 's');
    s.add('b');
    ks.settleSet(0, 's', s);
    expect(ks.dbsize(0)).toBe(11);
  });
});
