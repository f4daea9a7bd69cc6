/**
 * `run --liveness` (sim/scenario/liveness.ts): after the scenario's duration every fault is
 * lifted and the cluster must converge within the bound sim/check/bounds.ts derives from
 * the config; the scenario's own expectations are judged before the heal.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';

const NEVER_HEALED = `
name: faults-never-end
seed: 4
duration: 20s
config: { repl-diskless-sync-delay: 0, repl-timeout: 5 }
nodes:
  m1: {}
  r1: { replicaof: m1 }
  r2: { replicaof: m1 }
  r3: { replicaof: r1 }
dataset: { node: m1, keys: 1000, value-size: 100 }
workload:
  - { node: m1, rate: 200/s, until: 15s }
timeline:
  - { at: 2s, partition: [[m1], [r1, r3]] }
  - { at: 3s, pause: r2 }
  - { at: 4s, crash: r3 }
  - { at: 5s, disk: { node: r1, full: true } }
  - { at: 6s, latency: { between: [m1, r2], add: 500ms } }
  - { when: "r3 boots", crash: r2 }
expect:
  - { converged: false }
`;

describe('run --liveness', () => {
  it('heals every fault the timeline left, converges within the bound, and judges the expectations before the heal', () => {
    const scenario = parseScenario(NEVER_HEALED, 'never.yaml');
    const plain = runScenario(scenario);
    expect(plain.liveness).toBeUndefined();
    expect(plain.ok).toBe(true);

    const r = runScenario(scenario, { liveness: true });
    const l = r.liveness!;
    expect(l.healedAtUs).toBe(20_000_000);
    expect(l.healed).toEqual(['partitions and clogs', 'disk of r1 healthy', 'resumed r2', 'restarted r3']);
    expect(l.ok).toBe(true);
    expect(l.convergedAfterUs).not.toBeNull();
    expect(l.convergedAfterUs!).toBeGreaterThan(0); // r3 restarts empty and must full-sync
    expect(l.convergedAfterUs!).toBeLessThanOrEqual(l.bound.boundUs);
    // The bound is the checkers' formula: two repl-timeout detections at least.
    expect(l.bound.boundUs).toBeGreaterThanOrEqual(2 * (5 + 2) * 1_000_000);
    // `converged: false` held at 20 s, before the heal; the liveness verdict is one more line.
    expect(r.expectations.map((e) => e.ok)).toEqual([true, true]);
    expect(r.expectations[1]!.description).toMatch(/^converges within .* after heal-all at 20s \(--liveness\)$/);
    expect(r.ok).toBe(true);
    expect(r.virtualTimeUs).toBe(l.healedAtUs + Math.ceil(l.convergedAfterUs! / 100_000) * 100_000);
    // The trigger was disarmed: nothing crashed during the liveness phase.
    const kinds = r.timeline.filter((e) => e.t >= l.healedAtUs).map((e) => e.kind);
    expect(kinds).toContain('liveness.heal-all');
    expect(kinds).toContain('liveness.converged');
    expect(kinds.filter((k) => k === 'fault.crash' || k === 'trigger.fired')).toEqual([]);
    // Deterministic: the same seed gives the same hash, with the liveness phase in it.
    expect(runScenario(scenario, { liveness: true }).traceHash).toBe(r.traceHash);
    expect(r.traceHash).not.toBe(plain.traceHash);
  });

  it('fails when the cluster cannot converge, at the bound, naming what is still wrong', () => {
    const scenario = parseScenario(`
name: replica-points-nowhere
seed: 1
duration: 5s
nodes:
  m1: {}
  r1: { replicaof: m1 }
timeline:
  - { at: 1s, node: r1, command: "REPLICAOF m1 7000" }
`, 'nowhere.yaml');
    const r = runScenario(scenario, { liveness: true });
    const l = r.liveness!;
    expect(l.ok).toBe(false);
    expect(l.convergedAfterUs).toBeNull();
    expect(l.problems.join('\n')).toMatch(/r1: master link down, waiting for replicationCron to reconnect \(state connect\)/);
    expect(r.virtualTimeUs).toBe(5_000_000 + l.bound.boundUs);
    expect(r.ok).toBe(false);
    const verdict = r.expectations.at(-1)!;
    expect(verdict.ok).toBe(false);
    expect(String(verdict.actual)).toMatch(/^not converged: r1: master link down, waiting for replicationCron to reconnect \(state connect\)/);
  });

  it('runs BGSAVE where a failed one left -MISCONF: a healthy disk alone never clears it', () => {
    // The fuzz case CI found (seed 1754102409): the master restarts, its replica's full sync
    // fails on the disk, and with nothing dirty (min-replicas-to-write refuses the writes)
    // no save point ever fires again while the replica's PINGs get -MISCONF.
    const scenario = parseScenario(`
name: misconf-wedge
seed: 1754102409
duration: 3s
config: { repl-diskless-sync: "no", repl-diskless-sync-delay: 0, repl-timeout: 5, min-replicas-to-write: 1 }
nodes:
  m1: { config: { save: "1 1" } }
  r1: { replicaof: m1 }
workload: { node: m1, rate: 100, until: 2s, keys: 100, value-size: 100, ops: { set: 1 } }
timeline:
  - { at: 200ms, disk: { node: m1, fail-bgsave: 2 } }
  - { at: 200ms, power-loss: m1 }
  - { at: 300ms, restart: m1 }
`, 'misconf.yaml');
    const r = runScenario(scenario, { liveness: true });
    expect(r.liveness!.healed).toContain('disk of m1 healthy');
    expect(r.liveness!.ok).toBe(true);
    expect(r.commands.filter((c) => c.node === 'm1' && c.command === 'BGSAVE SCHEDULE').map((c) => c.reply)).toContain('Background saving started');
  });

  it('a healthy scenario converges at once', () => {
    const r = runScenario(parseScenario('duration: 5s\nnodes: { m1: {}, r1: { replicaof: m1 } }\n', 'ok.yaml'), { liveness: true });
    expect(r.liveness).toMatchObject({ ok: true, healed: ['partitions and clogs'] });
    expect(r.liveness!.convergedAfterUs).toBeLessThanOrEqual(100_000); // one look: a PING may be in flight
  });
});
