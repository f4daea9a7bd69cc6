/**
 * The history recorder watches without touching: a run's trace hash is the same with and
 * without it, and what it records is what the checkers need (samples with digests where
 * positions match, acknowledged writes with the nodes that held them, the liveness phase).
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';
import { quietPoint } from '../../sim/scenario/invariants.js';

const TEXT = `
name: recorded
seed: 5
duration: 20s
config: { repl-diskless-sync-delay: 0, repl-timeout: 3, repl-ping-replica-period: 1 }
nodes:
  m1: {}
  r1: { replicaof: m1 }
  r2: { replicaof: m1 }
network: { latency: { min: 100us, max: 2ms } }
workload:
  - { node: m1, rate: 300/s, until: 6s, keys: 50, ops: { set: 3, incr: 1, expire: 1 }, ttl: 300ms }
  - { node: m1, rate: 10/s, until: 6s, wait: { replicas: 2, timeout: 100ms } }
timeline:
  - { at: 2s, kill-link: r1 }
  - { at: 3s, pause: r2, for: 500ms }
  - { at: 4s, partition: [[m1], [r1, r2]] }
  - { at: 5s, heal: all }
expect:
  - { invariant: all }
`;

describe('history recorder', () => {
  it('leaves the trace hash unchanged and finds nothing wrong in a healthy run', () => {
    const s = parseScenario(TEXT);
    const checked = runScenario(s);
    const plain = runScenario({ ...s, expect: [] });
    expect(checked.traceHash).toBe(plain.traceHash);
    expect(checked.check?.violations).toEqual([]);
    expect(checked.ok).toBe(true);
    const notes = Object.fromEntries(checked.check!.results.map((r) => [r.checker, r.notes.join('; ')]));
    expect(notes['convergence']).toMatch(/^converged .* after the faults ended/);
    expect(notes['durability']).toMatch(/^[1-9]\d* acknowledged write\(s\) of \d+/);
    expect(checked.check!.samples).toBeGreaterThan(3 * (20 / 0.2));
  });

  it('puts the liveness phase after the last fault, pause and client', () => {
    expect(quietPoint(parseScenario(TEXT))).toBe(6_000_000);
    const open = parseScenario(TEXT.replace('{ at: 5s, heal: all }', '{ at: 5s, pause: r1 }'));
    expect(quietPoint(open)).toBeNull();
  });

  it('rejects an unknown invariant with a suggestion', () => {
    expect(() => parseScenario(TEXT.replace('invariant: all', 'invariant: durabilty'))).toThrow(/unknown invariant "durabilty"[\s\S]*did you mean durability/);
  });
});
