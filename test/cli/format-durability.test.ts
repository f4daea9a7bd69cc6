/**
 * `replsim run` prints what happened to the wait: client's writes beside the ✓ of the
 * durability invariant: a documented loss passes the invariant but is never hidden.
 * Also the verdict line of a timeline command that got an error, and the link-state words.
 */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatDurability } from '../../sim/cli/format-durability.js';
import { formatExpectations } from '../../sim/cli/format-report.js';
import { linkDownText } from '../../sim/check/link-state.js';
import { parseScenario } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';

const plain = new Chalk({ level: 0 });

const SPLIT = `
name: split
seed: 3
duration: 12s
config: { repl-diskless-sync: "no" }
nodes: { m1: {}, r1: { replicaof: m1 } }
workload:
  - { node: m1, rate: 10/s, until: 10s, wait: { replicas: 1, timeout: 50ms } }
timeline:
  - { at: 3s, partition: [[m1], [r1]] }
  - { at: 3s, command: "REPLICAOF NO ONE", node: r1 }
  - { at: 6s, heal: all }
  - { at: 6s, command: "REPLICAOF r1 6379", node: m1 }
expect:
  - { invariant: durability }
`;

describe('run output: durability section', () => {
  it('shows answered, acknowledged, lost by cause and the first lost writes with their story', () => {
    const r = runScenario(parseScenario(SPLIT));
    const text = formatDurability(r, plain);
    // 3 s of split brain at 10 writes/s: 30 writes answered OK by m1 alone (WAIT 1 → 0), flushed by its demotion.
    expect(text).toMatch(/^durability\n {2}100 write\(s\) answered OK, \d+ of them acknowledged by WAIT ≥ 1/);
    expect(text).toMatch(/ {2}30 lost at the end, 0 of them acknowledged\n/);
    expect(text).toMatch(/ {4}demoted master resynced +30 \(0 acknowledged\)/);
    expect(text).toMatch(/ {4}ack:30 = 30: on m1 at 3\.\d+s, WAIT 1 → 0; missing on r1: m1 demoted at 6s under r1, which did not have it/);
    expect(text).toMatch(/… 25 more/);
    expect(formatExpectations(r, plain)).toMatch(/✓ invariant durability holds/);
  });

  it('says 0 lost when nothing was', () => {
    const r = runScenario(parseScenario(SPLIT.replace(/timeline:\n( {2}- \{ at: [36]s, .*\n)+/, '')));
    expect(formatDurability(r, plain)).toMatch(/0 lost: every write answered OK is on its client's master at the end/);
  });

  it('prints nothing without a wait: client', () => {
    const r = runScenario(parseScenario('nodes: { m1: {} }\nduration: 1s\n'));
    expect(r.durability).toBeUndefined();
    expect(formatDurability(r, plain)).toBe('');
  });
});

describe('run verdict: timeline commands that fail', () => {
  const TEXT = `
nodes: { m1: {}, r1: { replicaof: m1 } }
duration: 2s
timeline:
  - { at: 1s, command: "REPLICAOF NOONE", node: r1 }
  - { at: 1s, command: "REPLICAOF NO", node: r1, reply: ERR }
  - { at: 1s, command: "SET a b", node: m1 }
`;
  it('fails the run on an error reply the step did not expect, naming the step and its line', () => {
    const r = runScenario(parseScenario(TEXT));
    const bad = r.expectations.filter((e) => !e.ok);
    // Redis: REPLICAOF takes exactly two arguments (arity 3), so both get ERR wrong number of arguments.
    expect(bad).toEqual([{ description: 'r1 REPLICAOF NOONE at 1s succeeds', ok: false, actual: "(error) ERR wrong number of arguments for 'replicaof' command", line: 5, kind: 'command-error' }]);
    expect(r.expectations.find((e) => e.description.startsWith('r1 REPLICAOF NO at'))?.ok).toBe(true);
    expect(r.ok).toBe(false);
  });
  it('a SHUTDOWN whose connection closes succeeded', () => {
    const r = runScenario(parseScenario('nodes: { m1: {} }\nduration: 2s\ntimeline:\n  - { at: 1s, command: "SHUTDOWN NOSAVE", node: m1 }\n'));
    expect(r.expectations).toEqual([]);
    expect(r.ok).toBe(true);
  });
});

describe('link states in words', () => {
  it('never says "master link is connect"', () => {
    for (const s of ['connect', 'connecting', 'receive_ping_reply', 'send_psync', 'transfer']) {
      expect(linkDownText(s)).toMatch(/^master link down, .*\(state \w+\)$/);
    }
    expect(linkDownText('connect')).toMatch(/reconnect/);
  });
});
