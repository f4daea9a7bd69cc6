/**
 * Generated cases are ordinary scenarios: every case of every profile loads through the
 * scenario loader, its timeline is in time order with one step per fault line, failovers
 * happen at one instant, and case seeds, shards and summaries behave.
 */
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { caseArb } from '../../sim/fuzz/case.js';
import { generateCase } from '../../sim/fuzz/property.js';
import { PROFILES, profileNamed } from '../../sim/fuzz/profiles.js';
import { caseScenario, caseSteps, caseText } from '../../sim/fuzz/scenario-text.js';
import { caseSeedOf, parseShard, shardIndex } from '../../sim/fuzz/shards.js';
import { addRun, emptySummary, mergeSummaries } from '../../sim/fuzz/summary.js';
import { quietPoint } from '../../sim/scenario/invariants.js';

describe('fuzz cases as scenario files', () => {
  for (const name of Object.keys(PROFILES)) {
    it(`${name}: every generated case loads, in time order, ending its faults before the liveness window`, () => {
      fc.assert(
        fc.property(caseArb(profileNamed(name)), (c) => {
          const s = caseScenario(c);
          const { steps, quietMs } = caseSteps(c);
          expect(s.timeline).toHaveLength(steps.length);
          for (let i = 1; i < s.timeline.length; i++) expect(s.timeline[i]!.atUs).toBeGreaterThanOrEqual(s.timeline[i - 1]!.atUs);
          const q = quietPoint(s);
          expect(q).not.toBeNull();
          expect(q).toBeLessThanOrEqual(quietMs * 1000);
          expect(s.durationUs).toBeGreaterThan(q! + 10_000_000);
          expect(s.expect).toEqual([{ kind: 'invariant', checker: 'all', line: expect.any(Number) }]);
          // A failover is one instant: each re-pointing shares its `at` with its promotion.
          for (const t of s.timeline) {
            const m = t.action.kind === 'command' ? /^REPLICAOF (\S+) 6379$/.exec(t.action.command) : null;
            if (!m) continue;
            expect(s.timeline.some((p) => p.atUs === t.atUs && p.action.kind === 'command' && p.action.node === m[1] && p.action.command === 'REPLICAOF NO ONE')).toBe(true);
          }
        }),
        { numRuns: 40, seed: 11 },
      );
    });
  }

  it('writes the text the loader reads back into the same scenario', () => {
    const c = generateCase(123, profileNamed('default'));
    const text = caseText(c);
    expect(caseScenario(c)).toEqual(caseScenario(c));
    expect(text).toMatch(/^name: fuzz-\d+\n/);
    expect(text).toContain('expect:\n  - { invariant: all }\n');
  });

  it('a power-loss episode takes down the masked hosts at one instant and restarts them; AOF persistence reaches the nodes', () => {
    const c = generateCase(5, profileNamed('quick'));
    c.enabled = ['power-loss'];
    c.episodes = [{ pick: 0, atMs: 1000, forMs: 2000, a: 1, b: 0, mask: [true, true, false, false], addMs: 1, count: 100 }];
    c.parents = [0, 0];
    c.persistence = ['aof everysec', 'aof always', 'save 1 1', ''];
    const s = caseScenario(c);
    const lost = s.timeline.filter((t) => t.action.kind === 'power-loss');
    expect(lost.map((t) => [t.atUs, 'node' in t.action ? t.action.node : ''])).toEqual([[1_200_000, 'r1'], [1_200_000, 'm1']]);
    expect(s.timeline.filter((t) => t.action.kind === 'restart').map((t) => t.atUs)).toEqual([3_200_000, 3_200_000]);
    expect(s.nodes.map((n) => [n.config.appendonly ?? false, n.config.appendfsync ?? null])).toEqual([
      [true, 'everysec'], [true, 'always'], [false, null],
    ]);
  });

  it('sentinel profile: Sentinels, priorities and clients in the file; faults name Sentinels and client hosts, from 6 s', () => {
    const c = generateCase(5, profileNamed('sentinel'));
    c.parents = [0, 0];
    c.sentinel = { count: 3, quorum: 5, downAfterMs: 2000, failoverTimeoutMs: 6000, parallelSyncs: 1, priorities: [0, 100, 10, 10],
      clients: [{ rate: 50, roleCheck: true, subscribe: false, first: 1 }] };
    c.enabled = ['crash', 'partition', 'failover'];
    c.persistence = c.persistence.map(() => '');
    const mask = (...on: number[]) => [...Array(12).keys()].map((i) => on.includes(i));
    // Hosts in index order: m1 r1 r2 | s1 s2 s3 | app1; a = 4 is s2, 5 and 6 are the extra m1 slots.
    c.episodes = [
      { pick: 0, atMs: 0, forMs: 3000, a: 4, b: 0, mask: mask(), addMs: 1, count: 100 },
      { pick: 0, atMs: 100, forMs: 3000, a: 6, b: 0, mask: mask(), addMs: 1, count: 100 },
      { pick: 1, atMs: 200, forMs: 3000, a: 0, b: 0, mask: mask(0, 3, 6), addMs: 1, count: 100 },
      { pick: 2, atMs: 300, forMs: 3000, a: 1, b: 0, mask: mask(), addMs: 1, count: 100 },
    ];
    const text = caseText(c);
    expect(text).toContain('sentinels: { s1: {}, s2: {}, s3: {} }\nsentinel:\n  monitor: { name: mymaster, master: m1, quorum: 2 }\n');
    expect(text).toContain('  r1: { replicaof: m1, config: { replica-priority: 0 } }\n  r2: { replicaof: m1 }\n');
    expect(text).toContain('  - sentinel-client: { sentinels: [s2, s3, s1], rate: 50/s');
    const s = caseScenario(c);
    expect(s.timeline.map((t) => [t.atUs, t.action.kind, 'node' in t.action ? t.action.node : 'groups' in t.action ? t.action.groups.map((g) => g.join(',')).join(' | ') : ''])).toEqual([
      [6_000_000, 'crash', 's2'],
      [6_100_000, 'crash', 'm1'],
      [6_200_000, 'partition', 'm1,s1,app1 | r1,r2,s2,s3'],
      [6_300_000, 'command', 's2'],
      [9_000_000, 'restart', 's2'],
      [9_100_000, 'restart', 'm1'],
      [9_200_000, 'heal', ''],
    ]);
    expect(s.timeline[3]!.action).toMatchObject({ command: 'SENTINEL FAILOVER mymaster' });
  });

  it('generates the same case from the same seed', () => {
    expect(generateCase(77, profileNamed('quick'))).toEqual(generateCase(77, profileNamed('quick')));
    expect(caseText(generateCase(77, profileNamed('quick')))).not.toBe(caseText(generateCase(78, profileNamed('quick'))));
  });
});

describe('case seeds and shards', () => {
  it('derives case seeds from the campaign seed and index alone (replays of old seeds depend on it)', () => {
    expect(caseSeedOf('abc', 0)).toBe(caseSeedOf('abc', 0));
    expect(caseSeedOf('abc', 0)).not.toBe(caseSeedOf('abc', 1));
    expect(caseSeedOf('abc', 25)).toBe(1183027052);
    for (let i = 0; i < 100; i++) expect(caseSeedOf('x', i)).toBeGreaterThanOrEqual(0);
  });

  it('splits the index space into disjoint shards', () => {
    const seen = new Set<number>();
    for (let s = 0; s < 4; s++) for (let n = 0; n < 25; n++) seen.add(shardIndex(parseShard(`${s}/4`), n));
    expect(seen.size).toBe(100);
    expect([...seen].sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
    expect(() => parseShard('4/4')).toThrow(/0 ≤ i < n/);
    expect(() => parseShard('1-4')).toThrow(/i\/n/);
  });

  it('merges shard summaries by adding them up', () => {
    const stats = { events: 10, virtualUs: 5e6, wallMs: 3, faults: { crash: 1 }, syncsFull: 2, syncsPartial: 1 };
    const a = emptySummary('s', 'quick', [], { index: 0, count: 2 });
    const b = emptySummary('s', 'quick', [], { index: 1, count: 2 });
    addRun(a, { index: 0, caseSeed: 1, failure: null, attributable: true, stats, reproducer: null, traceHash: 'h1' }, null, '');
    addRun(b, { index: 1, caseSeed: 2, failure: { checker: 'liveness', message: 'm', violation: null }, attributable: true, stats, reproducer: null, traceHash: 'h2' }, null, 'replay');
    const m = mergeSummaries([a, b]);
    expect(m).toMatchObject({ runs: 2, failedRuns: 1, events: 20, syncsFull: 4, faults: { crash: 2 }, failuresByChecker: { liveness: 1 }, shards: ['0/2', '1/2'] });
    // The worker threads' CPU time adds up only when every shard knows its own.
    expect(m.runCpuMs).toBeUndefined();
    expect(mergeSummaries([{ ...a, runCpuMs: 40 }, { ...b, runCpuMs: 2 }]).runCpuMs).toBe(42);
    expect(mergeSummaries([{ ...a, runCpuMs: 40 }, b]).runCpuMs).toBeUndefined();
  });
});
