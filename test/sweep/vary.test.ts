import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/load.js';
import { applyVary, parseVary, VaryError } from '../../sim/sweep/vary.js';
import { gridPoints, sweepSeeds } from '../../sim/sweep/sweep.js';

const base = parseScenario(`
name: v
seed: 1
duration: 60s
config: { repl-timeout: 10 }
nodes: { m1: {}, r1: { replicaof: m1, config: { repl-timeout: 5 } } }
network: { latency: 1ms, links: [ { between: [m1, r1], bandwidth: 100mbit } ] }
dataset: { node: m1, keys: 1000 }
workload: [ { node: m1, rate: 100/s }, { node: m1, rate: 5/s, until: 50s } ]
timeline:
  - { at: 5s, partition: [[m1], [r1]] }
  - { at: 10s, heal: all }
  - { at: 20s, pause: r1, for: 2s }
`);

describe('--vary', () => {
  it('sets redis.conf options on every node, including nodes that set them', () => {
    const s = applyVary(base, 'repl-timeout', '30');
    expect(s.config.replTimeoutSec).toBe(30);
    expect(s.nodes[1]!.config.replTimeoutSec).toBe(30);
    expect(s.configText['repl-timeout']).toBe('30');
    expect(applyVary(base, 'repl-backlog-size', '4mb').config.replBacklogSizeBytes).toBe(4 * 1024 * 1024);
    expect(applyVary(base, 'client-output-buffer-limit', 'replica 256mb 64mb 60').config.clientOutputBufferLimitReplica)
      .toEqual({ hardBytes: 256 * 1024 * 1024, softBytes: 64 * 1024 * 1024, softSeconds: 60 });
    // one node only
    const n = applyVary(base, 'nodes.r1.repl-timeout', '7');
    expect(n.nodes[1]!.config.replTimeoutSec).toBe(7);
    expect(n.config.replTimeoutSec).toBe(10);
    // the base is never touched
    expect(base.config.replTimeoutSec).toBe(10);
    expect(base.nodes[1]!.config.replTimeoutSec).toBe(5);
  });

  it('sets network, workload, dataset, costs and duration fields in their units', () => {
    expect(applyVary(base, 'network.latency', '5ms').network.latency).toEqual({ kind: 'fixed', us: 5000 });
    expect(applyVary(base, 'network.bandwidth', '1gbit').network.bandwidthBytesPerSec).toBe(125_000_000);
    expect(applyVary(base, 'network.links[0].bandwidth', '10mbit').network.links[0]!.bandwidthBytesPerSec).toBe(1_250_000);
    expect(applyVary(base, 'workload[0].rate', '10k/s').workload[0]!.rateHz).toBe(10_000);
    expect(applyVary(base, 'workload[1].rate', '250').workload[1]!.rateHz).toBe(250);
    expect(applyVary(base, 'workload[0].value-size', '1kb').workload[0]!.valueSize).toBe(1024);
    expect(applyVary(base, 'dataset.keys', '2m').dataset[0]!.keys).toBe(2_000_000);
    expect(applyVary(base, 'dataset[0].keys', '500k').dataset[0]!.keys).toBe(500_000);
    const c = applyVary(base, 'costs.rdb-load-keys-per-sec', '500000');
    expect(c.costs?.rdbLoadUsPerKey).toBe(2);
    expect(c.costsText).toEqual({ 'rdb-load-keys-per-sec': 500000 });
    expect(applyVary(base, 'duration', '2m').durationUs).toBe(120_000_000);
  });

  it('moves timeline steps, absolutely or after the step before, and keeps them in order', () => {
    expect(applyVary(base, 'timeline[1].at', '+3s').timeline[1]!.atUs).toBe(8_000_000);
    expect(applyVary(base, 'timeline[1].at', '+30s').timeline.find((t) => t.action.kind === 'heal')!.atUs).toBe(35_000_000);
    const moved = applyVary(base, 'timeline[1].at', '25s');
    expect(moved.timeline.map((t) => t.action.kind)).toEqual(['partition', 'pause', 'heal']);
    const p = applyVary(base, 'timeline[2].for', '7s').timeline[2]!.action;
    expect(p.kind === 'pause' && p.forUs).toBe(7_000_000);
  });

  it('says what is wrong, naming the key and the value', () => {
    const bad: Array<[string, RegExp]> = [
      ['repl-timout=5', /unknown redis.conf option "repl-timout".*did you mean repl-timeout/],
      ['repl-timeout=5s', /--vary repl-timeout=5s/],
      ['network.latency=5', /--vary network.latency=5: expected a duration like/],
      ['workload.rate=1/s', /2 workload entries; say which/],
      ['workload[3].rate=1/s', /no workload\[3\]/],
      ['timeline[1].at=+70s', /beyond the duration/],
      ['timeline[0].for=2s', /partition step, which has no for:/],
      ['timeline[0].at=+1s', /relative to the step before/],
      ['costs.fork-speed=1', /unknown cost parameter "fork-speed"/],
      ['dataset.keys=lots', /expected a whole number/],
      ['repl-timeout', /expects KEY=V1,V2/],
      ['repl-timeout=1,,2', /empty value/],
      ['repl-timeout=1,1', /given twice/],
    ];
    for (const [arg, re] of bad) {
      expect(() => parseVary(arg, base), arg).toThrow(VaryError);
      expect(() => parseVary(arg, base), arg).toThrow(re);
    }
  });

  it('grids every combination, the last key fastest; seeds are the base, then base-1, base-2', () => {
    const points = gridPoints([{ key: 'a', values: ['1', '2'] }, { key: 'b', values: ['x', 'y', 'z'] }]);
    expect(points).toEqual([
      { a: '1', b: 'x' }, { a: '1', b: 'y' }, { a: '1', b: 'z' },
      { a: '2', b: 'x' }, { a: '2', b: 'y' }, { a: '2', b: 'z' },
    ]);
    expect(sweepSeeds('42', 3)).toEqual(['42', '42-1', '42-2']);
  });
});
