/**
 * `--vary sentinel.<option>` and `sentinels.<name>.<option>`: what each Sentinel's
 * sentinel.conf would hold changes (every monitored master's option, or a SENTINEL DEBUG
 * timing), the base is untouched, and a wrong key or value names itself.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';
import { applyVary, parseVary, VaryError } from '../../sim/sweep/vary.js';

const base = parseScenario(`
name: vs
seed: 1
duration: 20s
nodes: { m1: {}, r1: { replicaof: m1 } }
sentinels: { s1: {}, s2: {}, s3: {} }
sentinel:
  monitor: { name: mymaster, master: m1, quorum: 2 }
  down-after-milliseconds: 5000
workload:
  - sentinel-client: { rate: 20/s }
timeline:
  - { at: 5s, crash: m1 }
`);

describe('--vary sentinel.<option>', () => {
  it('sets a per-master option on every Sentinel, in ms or as a duration', () => {
    for (const v of ['1000', '1s']) {
      const s = applyVary(base, 'sentinel.down-after-milliseconds', v);
      for (const spec of s.sentinels!) {
        expect(spec.config.masters[0]!.downAfterMs).toBe(1000);
        expect(spec.optionsText['down-after-milliseconds']).toBe('1000');
      }
    }
    expect(base.sentinels![0]!.config.masters[0]!.downAfterMs).toBe(5000);
    expect(applyVary(base, 'sentinel.quorum', '3').sentinels!.map((x) => x.config.masters[0]!.quorum)).toEqual([3, 3, 3]);
    expect(applyVary(base, 'sentinel.parallel-syncs', '2').sentinels![2]!.config.masters[0]!.parallelSyncs).toBe(2);
    expect(applyVary(base, 'sentinel.debug.info-period', '500').sentinels![1]!.config.timings.infoPeriodMs).toBe(500);
  });

  it('sets one Sentinel only with sentinels.<name>.<option>', () => {
    const s = applyVary(base, 'sentinels.s2.down-after-milliseconds', '3000');
    expect(s.sentinels!.map((x) => x.config.masters[0]!.downAfterMs)).toEqual([5000, 3000, 5000]);
  });

  it('changes the run: a shorter down-after-milliseconds fails over sooner', () => {
    const switchAt = (v: string): number => {
      const r = runScenario(applyVary(base, 'sentinel.down-after-milliseconds', v));
      return r.failovers![0]!.steps.find((x) => x.step === '+switch-master')!.t;
    };
    const fast = switchAt('1000');
    const slow = switchAt('8000');
    // The switch moves by about the difference in down-after (7 s), give or take a PING period and a tick.
    expect(slow - fast).toBeGreaterThan(6_000_000);
    expect(slow - fast).toBeLessThan(8_500_000);
  });

  it('says what is wrong, naming the key and the value', () => {
    const bad: Array<[string, RegExp]> = [
      ['sentinel.down-after-miliseconds=1000', /unknown Sentinel option "down-after-miliseconds"/],
      ['sentinel.down-after-milliseconds=fast', /--vary sentinel.down-after-milliseconds=fast: expected milliseconds/],
      ['sentinel.down-after-milliseconds=0', /≥ 1/],
      ['sentinel.quorum=4', /quorum 4 > 3 Sentinels/],
      ['sentinel.parallel-syncs=1s', /expected a whole number/],
      ['sentinel.debug.info-perod=100', /unknown SENTINEL DEBUG parameter "info-perod"/],
      ['sentinels.s9.quorum=2', /no Sentinel "s9"/],
    ];
    for (const [arg, re] of bad) {
      expect(() => parseVary(arg, base), arg).toThrow(VaryError);
      expect(() => parseVary(arg, base), arg).toThrow(re);
    }
    const plain = parseScenario('name: p\nduration: 5s\nnodes: { m1: {} }\n');
    expect(() => parseVary('sentinel.quorum=1', plain)).toThrow(/the scenario has no Sentinels/);
  });
});
