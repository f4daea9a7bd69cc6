/**
 * The durability summary counts what a client was told and then lost, by cause. The
 * figures come from the schedule: a closed-loop client at 10 writes/s whose WAIT returns in
 * well under 100 ms sends exactly one write per 100 ms tick, so a 3 s split brain (3 s → 6 s)
 * puts 30 writes on the old master, and its demotion under the promoted replica (which never
 * saw them) flushes all 30 at its full resync.
 */
import { describe, expect, it } from 'vitest';
import { LOSS_CAUSE_IDS, LOSS_CAUSES } from '../../sim/check/loss-causes.js';
import { parseScenario } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';

/** `side`: the node partitioned together with the old master m1 (it acknowledges its writes), or none. */
function splitBrain(withM1: string[], expectLines = ''): string {
  const others = ['r1', 'r2'].filter((n) => !withM1.includes(n));
  const follow = withM1.map((n) => `  - { at: 3s, command: "REPLICAOF r1 6379", node: ${n} }\n`).join('')
    .replace(/at: 3s/g, 'at: 6s');
  const joinR1 = others.filter((n) => n !== 'r1').map((n) => `  - { at: 3s, command: "REPLICAOF r1 6379", node: ${n} }\n`).join('');
  return `
name: split-brain
seed: 3
duration: 12s
config: { repl-diskless-sync: "no" }
nodes:
  m1: {}
  r1: { replicaof: m1 }
  r2: { replicaof: m1 }
workload:
  - { node: m1, rate: 10/s, until: 10s, wait: { replicas: 1, timeout: 50ms } }
timeline:
  - { at: 3s, partition: [[m1${withM1.map((n) => `, ${n}`).join('')}], [${others.join(', ')}]] }
  - { at: 3s, command: "REPLICAOF NO ONE", node: r1 }
${joinR1}  - { at: 6s, heal: all }
  - { at: 6s, command: "REPLICAOF r1 6379", node: m1 }
${follow}expect:
  - { invariant: durability }
${expectLines}`;
}

describe('durability summary', () => {
  it('counts 30 acknowledged writes lost to a 3 s split brain whose old master is demoted', () => {
    const r = runScenario(parseScenario(splitBrain(['r2'], '  - { lost-acknowledged-writes: 0 }\n  - { lost-writes: { at-most: 30 } }\n')));
    const d = r.durability!;
    expect(d.ok).toBe(100); // 10 s × 10/s, each answered OK
    expect(d.lost).toBe(30);
    expect(d.lostAcknowledged).toBe(30); // r2, on m1's side, acknowledged each
    expect(d.byCause).toEqual([{ cause: 'demoted-master', title: LOSS_CAUSES['demoted-master'].title, lost: 30, lostAcknowledged: 30 }]);
    expect(d.first.map((w) => w.key)).toEqual(['ack:30', 'ack:31', 'ack:32', 'ack:33', 'ack:34']);
    expect(d.first[0]!.story).toMatch(/m1 demoted at 6s under r1, which did not have it/);
    // The invariant lets a documented loss pass; the count expectation does not.
    const verdicts = Object.fromEntries(r.expectations.map((e) => [e.description, [e.ok, e.actual]]));
    expect(verdicts['invariant durability holds']).toEqual([true, 'ok']);
    expect(verdicts['lost acknowledged writes = 0']).toEqual([false, 30]);
    expect(verdicts['lost writes answered OK ≤ 30']).toEqual([true, 30]);
    expect(r.ok).toBe(false);
  });

  it('counts writes a plain client got OK for that vanish although WAIT never acknowledged them', () => {
    // m1 alone on its side: WAIT 1 times out (0) for every write of the split brain.
    const r = runScenario(parseScenario(splitBrain([])));
    const d = r.durability!;
    expect(d.lost).toBe(30);
    expect(d.lostAcknowledged).toBe(0);
    expect(d.byCause.map((b) => [b.cause, b.lost, b.lostAcknowledged])).toEqual([['demoted-master', 30, 0]]);
    expect(d.first[0]).toMatchObject({ key: 'ack:30', node: 'm1', acked: 0, missingOn: 'r1' });
    expect(r.ok).toBe(true);
  });

  it('--strict (RunOptions.strict) fails on any loss, and is no-op without one', () => {
    const s = parseScenario(splitBrain([]));
    const strict = runScenario(s, { strict: true });
    expect(strict.ok).toBe(false);
    expect(strict.expectations.at(-1)).toMatchObject({ description: 'no write answered OK is lost (--strict)', ok: false, line: 0 });
    const quiet = parseScenario(splitBrain([]).replace(/  - \{ at: 3s, partition.*\n/, '').replace(/.*REPLICAOF.*\n/g, ''));
    expect(runScenario(quiet, { strict: true }).ok).toBe(true);
  });

  it('lists the causes with unexplained last, so new causes slot in before it', () => {
    expect(LOSS_CAUSE_IDS.at(-1)).toBe('unexplained');
    for (const id of LOSS_CAUSE_IDS) expect(LOSS_CAUSES[id].title.length).toBeGreaterThan(0);
  });

  it('refuses a lost-writes expectation without a wait: client', () => {
    expect(() => parseScenario('nodes: { m1: {} }\nexpect:\n  - { lost-acknowledged-writes: 0 }\n')).toThrow(/needs|has none/);
  });
});
