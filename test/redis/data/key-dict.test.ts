/**
 * KeyDict (key-dict.ts) against a JS Map, the structure it replaced: random sets, overwrites
 * and deletes over dicts sharing one key table must give the same contents, size and walk
 * order (the order KEYS, SCAN, RANDOMKEY and RDB walks see), per dict.
 */
import { describe, expect, test } from 'vitest';
import { fc, test as fcTest } from '@fast-check/vitest';
import { KeyDict } from '../../../sim/redis/data/key-dict.js';
import { KeyTable } from '../../../sim/redis/data/key-table.js';
import type { Value } from '../../../sim/redis/data/value.js';

const val = (s: string): Value => s;

/** One generated op on dict `o.dict` and on its Map model: the same SET, or the same DEL answer. */
function setOrDelete(dicts: KeyDict[], maps: Map<string, Value>[], o: { dict: number; kind: string; key: number }, i: number): void {
  const key = `k:${o.key}`;
  if (o.kind === 'set') {
    const v = val(`v${i}`);
    dicts[o.dict]!.set(key, v);
    maps[o.dict]!.set(key, v);
  } else {
    expect(dicts[o.dict]!.delete(key)).toBe(maps[o.dict]!.delete(key));
  }
}

describe('KeyDict', () => {
  const op = fc.record({ dict: fc.integer({ min: 0, max: 2 }), kind: fc.constantFrom('set', 'set', 'delete'), key: fc.integer({ min: 0, max: 40 }) });
  fcTest.prop([fc.array(op, { maxLength: 300 })])('walks in the insertion order a Map keeps', (ops) => {
    const table = new KeyTable();
    const dicts = [new KeyDict(table), new KeyDict(table), new KeyDict(table)];
    const maps = [new Map<string, Value>(), new Map<string, Value>(), new Map<string, Value>()];
    ops.forEach((o, i) => setOrDelete(dicts, maps, o, i));
    for (let d = 0; d < 3; d++) {
      const dict = dicts[d]!;
      const map = maps[d]!;
      expect(dict.size).toBe(map.size);
      expect([...dict.keys()]).toEqual([...map.keys()]);
      const entries: [string, Value][] = [];
      dict.forEach((v, k) => entries.push([k, v]));
      expect(entries).toEqual([...map.entries()]);
      [...map.keys()].forEach((k, i) => expect(dict.keyAtPosition(i)).toBe(k));
      expect(dict.keyAtPosition(map.size)).toBeUndefined();
      for (let k = 0; k <= 40; k++) expect(dict.get(`k:${k}`)).toBe(map.get(`k:${k}`));
    }
  });

  // Values and links are paged (1024 ids a page): ids spread over several pages, with gaps
  // (ids a filler dict holds, pages this dict never needs), must behave as one array did.
  const wide = fc.record({ dict: fc.integer({ min: 0, max: 2 }), kind: fc.constantFrom('set', 'set', 'delete'), key: fc.integer({ min: 0, max: 4000 }) });
  fcTest.prop([fc.array(wide, { maxLength: 300 })])('ids on many pages, some far apart, walk and read as a Map does', (ops) => {
    const table = new KeyTable();
    const filler = new KeyDict(table);
    for (let k = 0; k < 2500; k++) filler.set(`filler:${k}`, val('f'));
    const dicts = [new KeyDict(table), new KeyDict(table), new KeyDict(table)];
    const maps = [new Map<string, Value>(), new Map<string, Value>(), new Map<string, Value>()];
    ops.forEach((o, i) => setOrDelete(dicts, maps, o, i));
    for (let d = 0; d < 3; d++) {
      expect(dicts[d]!.size).toBe(maps[d]!.size);
      expect([...dicts[d]!.keys()]).toEqual([...maps[d]!.keys()]);
      for (const o of ops) expect(dicts[d]!.get(`k:${o.key}`)).toBe(maps[d]!.get(`k:${o.key}`));
    }
    expect(filler.size).toBe(2500);
    filler.drop();
    for (const d of dicts) d.drop();
    expect(table.size).toBe(0);
  });

  test('a walk goes on after deleting the key it stands on, and sees keys added at the end', () => {
    const dict = new KeyDict(new KeyTable());
    for (let i = 0; i < 6; i++) dict.set(`k${i}`, val('x'));
    const seen: string[] = [];
    for (const key of dict.keys()) {
      seen.push(key);
      if (key === 'k1' || key === 'k2') dict.delete(key); // the current key
      if (key === 'k3') dict.delete('k4'); // one not reached yet
      if (key === 'k5') dict.set('k6', val('y'));
    }
    expect(seen).toEqual(['k0', 'k1', 'k2', 'k3', 'k5', 'k6']);
    expect([...dict.keys()]).toEqual(['k0', 'k3', 'k5', 'k6']);
  });

  test('a dict grows only to the ids it holds', () => {
    const table = new KeyTable();
    const big = new KeyDict(table);
    for (let i = 0; i < 1000; i++) big.set(`k${i}`, val('x'));
    const small = new KeyDict(table);
    small.set('k3', val('y'));
    expect(small.size).toBe(1);
    expect(small.get('k999')).toBeUndefined();
    expect(small.delete('k999')).toBe(false);
    expect(small.delete('never-seen')).toBe(false);
    expect(table.idOf('never-seen')).toBe(-1);
  });
});

/** Key ids are reference counted (key-table.ts): ids of keys no dict holds are freed and reused. */
describe('KeyTable id reuse', () => {
  const op = fc.record({
    dict: fc.integer({ min: 0, max: 3 }),
    kind: fc.constantFrom('set', 'set', 'delete', 'delete', 'drop'),
    key: fc.integer({ min: 0, max: 200 }),
  });
  fcTest.prop([fc.array(op, { maxLength: 400 })])('the table holds exactly the keys some dict holds, and reuses freed ids', (ops) => {
    const table = new KeyTable();
    const dicts = [0, 1, 2, 3].map(() => new KeyDict(table));
    const maps = [0, 1, 2, 3].map(() => new Map<string, Value>());
    let peak = 0;
    ops.forEach((o, i) => {
      if (o.kind === 'set' || o.kind === 'delete') {
        setOrDelete(dicts, maps, o, i);
      } else if (i % 7 === 0) {
        // the owner lets go (a flush): a fresh dict takes the slot
        dicts[o.dict]!.drop();
        dicts[o.dict] = new KeyDict(table);
        maps[o.dict] = new Map();
      }
      const held = new Set<string>();
      for (const m of maps) for (const k of m.keys()) held.add(k);
      expect(table.size).toBe(held.size);
      peak = Math.max(peak, held.size);
      // LIFO reuse: never more ids than keys held at the busiest moment
      expect(table.capacity).toBe(peak);
    });
    for (let d = 0; d < dicts.length; d++) {
      expect(dicts[d]!.size).toBe(maps[d]!.size);
      const entries: [string, Value][] = [];
      dicts[d]!.forEach((v, k) => entries.push([k, v]));
      expect(entries).toEqual([...maps[d]!.entries()]);
      [...maps[d]!.keys()].forEach((k, i) => expect(dicts[d]!.keyAtPosition(i)).toBe(k));
      for (let k = 0; k <= 200; k++) expect(dicts[d]!.get(`k:${k}`)).toBe(maps[d]!.get(`k:${k}`));
    }
  });

  test('a freed id is reused for a new key, and the old key is no longer found', () => {
    const table = new KeyTable();
    const dict = new KeyDict(table);
    dict.set('old', val('a'));
    const id = table.idOf('old'); // also the table's last-resolved key
    dict.delete('old');
    expect(table.idOf('old')).toBe(-1);
    dict.set('new', val('b'));
    expect(table.idOf('new')).toBe(id);
    expect(dict.get('old')).toBeUndefined();
    expect(table.size).toBe(1);
    expect(table.capacity).toBe(1);
  });

  test('the empty string is a key like any other', () => {
    const table = new KeyTable();
    const dict = new KeyDict(table);
    dict.set('', val('e'));
    expect(dict.get('')).toBe('e');
    expect([...dict.keys()]).toEqual(['']);
  });

  test('a walk that deletes the key it stands on and adds keys sees them at the end, as a Map walk does', () => {
    const table = new KeyTable();
    const dict = new KeyDict(table);
    const map = new Map<string, Value>();
    for (let i = 0; i < 5; i++) {
      dict.set(`k${i}`, val('x'));
      map.set(`k${i}`, val('x'));
    }
    const walk = (d: { keys(): IterableIterator<string>; delete(k: string): boolean; set(k: string, v: Value): unknown }): string[] => {
      const seen: string[] = [];
      let added = 0;
      for (const key of d.keys()) {
        seen.push(key);
        if (key === 'k1' || key === 'k3') {
          d.delete(key); // frees its id
          d.set(`n${added++}`, val('y')); // must not take the id the walk stands on
        }
      }
      return seen;
    };
    expect(walk(dict)).toEqual(walk(map));
    expect([...dict.keys()]).toEqual([...map.keys()]);
    // after the walk the freed ids are reused
    const cap = table.capacity;
    dict.delete('k0');
    dict.set('z', val('z'));
    expect(table.capacity).toBe(cap);
  });
});

/** A workload's pinned keys (key-table.ts pin / expect): ids that outlive every dict, and the lookup hint. */
describe('KeyTable pins', () => {
  test('a pinned id stays its key\'s after every dict let go of it, and is never reused', () => {
    const table = new KeyTable();
    const dict = new KeyDict(table);
    const id = table.pin('w:1');
    dict.set('w:1', val('a'));
    expect(table.idOf('w:1')).toBe(id);
    dict.delete('w:1');
    dict.set('other', val('b')); // would take a freed id
    expect(table.idOf('w:1')).toBe(id);
    expect(table.idOf('other')).not.toBe(id);
    dict.set('w:1', val('c'));
    expect(dict.get('w:1')).toBe('c');
  });

  test('expect() answers the next lookup of that key without changing what any dict holds', () => {
    const table = new KeyTable();
    const a = new KeyDict(table);
    const b = new KeyDict(table);
    const ids = ['w:0', 'w:1', 'w:2'].map((k) => table.pin(k));
    a.set('w:2', val('x'));
    table.expect('w:1', ids[1]!);
    expect(a.get('w:1')).toBeUndefined(); // absent in this dict although the table knows the key
    table.expect('w:1', ids[1]!);
    a.set('w:1', val('y'));
    b.set('w:0', val('z'));
    table.expect('w:0', ids[0]!);
    expect(a.get('w:0')).toBeUndefined();
    expect([...a.keys()]).toEqual(['w:2', 'w:1']); // insertion order, not id order
    expect(b.get('w:0')).toBe('z');
    // a hint no lookup follows leaves the other keys' lookups right
    table.expect('w:2', ids[2]!);
    expect(a.get('w:1')).toBe('y');
    expect(a.get('w:2')).toBe('x');
  });

  test.each([3, 12])('lookups %i hints late (a replica applying the stream) find their keys, in the ring or past it', (lag) => {
    const table = new KeyTable();
    const master = new KeyDict(table);
    const replica = new KeyDict(table);
    const keys = Array.from({ length: 40 }, (_, i) => `w:${i}`);
    const ids = keys.map((k) => table.pin(k));
    table.pin('other');
    for (let i = 0; i < keys.length; i++) {
      table.expect(keys[i]!, ids[i]!);
      master.set(keys[i]!, val(`v${i}`));
      if (i >= lag) replica.set(keys[i - lag]!, val(`v${i - lag}`));
      if (i % 10 === 0) expect(replica.get('other')).toBeUndefined(); // a key no hint named
      if (i >= lag) expect(table.idOf(keys[i - lag]!)).toBe(ids[i - lag]);
    }
    for (let i = keys.length - lag; i < keys.length; i++) replica.set(keys[i]!, val(`v${i}`));
    expect([...replica.keys()]).toEqual(keys);
    keys.forEach((k, i) => expect(replica.get(k)).toBe(`v${i}`));
    expect(table.idOf('w:nope')).toBe(-1);
  });
});
