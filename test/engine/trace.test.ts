import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { Trace, canonicalRecord, firstDifference, traceHashOfCanonical, type TraceRecord } from '../../sim/engine/trace.js';

describe('canonicalRecord', () => {
  it('puts t, node, kind first, then the other keys in insertion order', () => {
    const rec: TraceRecord = { kind: 'k', z: 1, t: 5, a: 'x', node: 'n1' };
    expect(canonicalRecord(rec)).toBe('{"t":5,"node":"n1","kind":"k","z":1,"a":"x"}');
  });

  it('omits undefined fields and node, encodes every value type unambiguously', () => {
    const rec: TraceRecord = { t: 0, node: undefined, kind: 'k', s: '1', n: 1, b: true, z: null, u: undefined };
    expect(canonicalRecord(rec)).toBe('{"t":0,"kind":"k","s":"1","n":1,"b":true,"z":null}');
  });

  it('numbers have one decimal form', () => {
    expect(canonicalRecord({ t: 1, kind: 'k', a: -0, b: 0.1 + 0.2, c: 1e21, d: NaN, e: -Infinity })).toBe(
      '{"t":1,"kind":"k","a":0,"b":0.30000000000000004,"c":1e+21,"d":NaN,"e":-Infinity}',
    );
  });
});

describe('Trace', () => {
  const recs: TraceRecord[] = [
    { t: 1, node: 'a', kind: 'x', v: 1 },
    { t: 2, node: 'b', kind: 'y', v: 'two' },
    { t: 3, kind: 'z' },
  ];

  it('the hash is 16 hex chars and depends on every record, its content and order', () => {
    const h = (rs: TraceRecord[]): string => {
      const tr = new Trace();
      rs.forEach((r) => tr.record(r));
      return tr.hash();
    };
    expect(h(recs)).toMatch(/^[0-9a-f]{16}$/);
    expect(h(recs)).toBe(h(recs.map((r) => ({ ...r }))));
    expect(h([])).not.toBe(h(recs));
    expect(h(recs.slice(0, 2))).not.toBe(h(recs));
    expect(h([recs[1]!, recs[0]!, recs[2]!])).not.toBe(h(recs));
    expect(h([{ ...recs[0]!, v: 2 }, recs[1]!, recs[2]!])).not.toBe(h(recs));
    // Key order inside a record is normalised for t/node/kind only.
    expect(h([{ kind: 'x', node: 'a', t: 1, v: 1 }, recs[1]!, recs[2]!])).toBe(h(recs));
  });

  it('hash() does not disturb the running state', () => {
    const a = new Trace();
    const b = new Trace();
    for (const r of recs) {
      a.record(r);
      a.hash();
      b.record(r);
    }
    expect(a.hash()).toBe(b.hash());
    expect(a.count).toBe(3);
  });

  it('retention none / all / ring', () => {
    const none = new Trace();
    const all = new Trace('all');
    const ring = new Trace({ ring: 2 });
    for (const r of recs) [none, all, ring].forEach((tr) => tr.record(r));
    expect(none.records()).toEqual([]);
    expect(all.records()).toEqual(recs);
    expect(ring.records()).toEqual(recs.slice(1));
    expect(none.hash()).toBe(all.hash());
    expect(ring.hash()).toBe(all.hash());
    const r5 = new Trace({ ring: 5 });
    for (let i = 0; i < 12; i++) r5.record({ t: i, kind: 'k' });
    expect(r5.records().map((r) => r.t)).toEqual([7, 8, 9, 10, 11]);
    expect(() => new Trace({ ring: 0 })).toThrow(RangeError);
  });

  it('subscribe delivers later records until unsubscribed', () => {
    const tr = new Trace();
    const seen: number[] = [];
    tr.record(recs[0]!);
    const off = tr.subscribe((r) => seen.push(r.t));
    tr.record(recs[1]!);
    off();
    off();
    tr.record(recs[2]!);
    expect(seen).toEqual([2]);
  });
});

describe('the hash is the hash of the canonical text', () => {
  const value = fc.oneof(
    fc.string({ unit: 'binary' }), // any UTF-16, lone surrogates and control characters included
    fc.string(),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
  );
  const record = fc
    .tuple(
      fc.nat(),
      fc.option(fc.string({ unit: 'binary' }), { nil: undefined }),
      fc.string(),
      fc.dictionary(fc.string({ unit: 'binary' }), value, { maxKeys: 6 }),
    )
    .map(([t, node, kind, fields]) => ({ ...fields, t, node, kind }) as TraceRecord);

  // Trace.record mixes pieces without building the string; it must equal the definition.
  test.prop([fc.array(record, { maxLength: 20 })])('record() path = hash over canonicalRecord lines', (recs) => {
    const tr = new Trace();
    recs.forEach((r) => tr.record(r));
    expect(tr.hash()).toBe(traceHashOfCanonical(recs.map(canonicalRecord)));
  });

  it('escapes what JSON escapes', () => {
    expect(canonicalRecord({ t: 0, kind: 'a"b\\c\n', s: '\ud800' })).toBe('{"t":0,"kind":"a\\"b\\\\c\\n","s":"\\ud800"}');
  });
});

describe('firstDifference', () => {
  it('is null for equal lists and names the first differing index otherwise', () => {
    const a: TraceRecord[] = [
      { t: 1, kind: 'x' },
      { t: 2, kind: 'y', v: 1 },
    ];
    expect(firstDifference(a, a.map((r) => ({ ...r })))).toBeNull();
    const b = [a[0]!, { t: 2, kind: 'y', v: 2 }];
    expect(firstDifference(a, b)).toEqual({ index: 1, a: a[1], b: b[1] });
    expect(firstDifference(a, a.slice(0, 1))).toEqual({ index: 1, a: a[1], b: undefined });
  });
});
