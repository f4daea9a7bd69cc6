/**
 * State-triggered faults: `when:` steps fire on a protocol event or on a condition over
 * INFO fields, once, at the moment the scenario names.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/load.js';
import { ScenarioError } from '../../sim/scenario/errors.js';
import { recordedRun } from '../../sim/scenario/determinism.js';
import { parseTrigger, TriggerError } from '../../sim/scenario/trigger.js';

const base = (timeline: string, extra = '') => `
name: triggers
duration: 20s
config: { repl-diskless-sync-delay: 0${extra} }
nodes:
  m1: {}
  r1: { replicaof: m1 }
  r2: {}
dataset: { node: m1, keys: 50000, value-size: 100 }
timeline:
${timeline}
`;

function errorOf(yaml: string): string {
  try {
    parseScenario(yaml, 't.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('parsing when: conditions', () => {
  it('reads events and comparisons', () => {
    expect(parseTrigger('r1 enters transfer', ['m1', 'r1'])).toMatchObject({ kind: 'event', node: 'r1', phrase: 'enters transfer' });
    const c = parseTrigger('r1.lag_bytes > 0.9 * repl-backlog-size', ['m1', 'r1']);
    expect(c).toMatchObject({ kind: 'condition', op: '>', defaultNode: 'r1' });
    expect(parseTrigger('m1.master_repl_offset >= 1mb', ['m1'])).toMatchObject({ right: { kind: 'num', value: 1048576 } });
  });

  it('rejects unknown nodes, events and fields with the names it knows', () => {
    expect(() => parseTrigger('r9 enters transfer', ['m1', 'r1'])).toThrow(TriggerError);
    expect(() => parseTrigger('r1 explodes', ['m1', 'r1'])).toThrow(/unknown event "explodes"/);
    expect(() => parseTrigger('r1.lag > 5', ['m1', 'r1'])).toThrow(/unknown field "lag"/);
    expect(() => parseTrigger('5 > 3', ['m1'])).toThrow(/at least one node field/);
  });

  it('a bad when: in a file names file, line, path and what is known', () => {
    const msg = errorOf(base('  - { when: "r1 enters nirvana", kill-link: r1 }'));
    expect(msg).toMatch(/t\.yaml:\d+:\d+ timeline\[0\]\.when: unknown event "enters nirvana"/);
    expect(msg).toContain('enters transfer');
  });

  it('a step needs at or when, not both', () => {
    expect(errorOf(base('  - { at: 1s, when: "r1 enters transfer", kill-link: r1 }'))).toMatch(/either at or when/);
  });
});

describe('firing', () => {
  it('an event trigger fires at the protocol moment, once', () => {
    const yaml = base(`  - { at: 3s, node: r2, command: "REPLICAOF m1 6379" }
  - { when: "r2 enters transfer", crash: m1 }`);
    const { records } = recordedRun(parseScenario(yaml, 't.yaml'), { seed: '1' });
    const transfer = records.find((r) => r.kind === 'replica.state' && r.node === 'r2' && r.state === 'transfer')!;
    const fired = records.filter((r) => r.kind === 'trigger.fired');
    const crash = records.find((r) => r.kind === 'fault.crash')!;
    expect(fired).toHaveLength(1);
    expect(crash.t).toBe(transfer.t); // acted on in the very next event, at the same virtual time
    expect(records.filter((r) => r.kind === 'fault.crash')).toHaveLength(1);
  });

  it('a condition trigger fires when the lag passes the threshold, within its 10 ms poll', () => {
    const yaml = `
name: lag-trigger
duration: 20s
config: { repl-diskless-sync-delay: 0, repl-timeout: 60 }
nodes:
  m1: {}
  r1: { replicaof: m1 }
workload:
  - { node: m1, rate: 1000/s, from: 1s, until: 15s, keys: 1000, value-size: 1000, ops: { set: 1 } }
timeline:
  - { at: 2s, pause: r1, for: 5s }
  - { when: "r1.lag_bytes > 0.5 * repl-backlog-size", kill-link: r1 }
`;
    const { records } = recordedRun(parseScenario(yaml, 't.yaml'), { seed: '2' });
    const fired = records.filter((r) => r.kind === 'trigger.fired');
    expect(fired).toHaveLength(1);
    // ~1 KB per write at 1000/s: half a 1 MB backlog of lag builds up ≈ 0.5 s into the pause.
    const t = fired[0]!.t / 1e6;
    expect(t).toBeGreaterThan(2.4);
    expect(t).toBeLessThan(2.7);
  });
});
