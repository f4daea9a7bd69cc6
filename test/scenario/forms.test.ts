import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../sim/scenario/errors.js';
import { parseScenario } from '../../sim/scenario/load.js';
import { buildWorld } from '../../sim/scenario/world.js';

const nodes = 'nodes:\n  m1: {}\n  r1: { replicaof: m1 }\n  r2: { replicaof: m1 }\n';
const parse = (extra: string, head = 'duration: 30s\n') => parseScenario(`${head}${nodes}${extra}`, 'f.yaml');
const actions = (timeline: string) => parse(`timeline:\n${timeline}`).timeline.map((t) => t.action);
const rejects = (extra: string): string => {
  try {
    parse(extra);
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  throw new Error('expected a ScenarioError');
};

describe('defaults (FORMAT.md)', () => {
  const s = parseScenario(nodes, 'scenarios/dir/my-case.yaml');
  it('fills name from the file, 60s duration, loopback network, no seed', () => {
    expect(s.name).toBe('my-case');
    expect(s.description).toBe('');
    expect(s.durationUs).toBe(60_000_000);
    expect(s.seed).toBeNull();
    expect(s.network).toEqual({ latency: { kind: 'fixed', us: 200 }, bandwidthBytesPerSec: 125_000_000, tcpSendBufferBytes: 4 * 1024 * 1024, tcpReceiveBufferBytes: 512 * 1024, links: [] });
    expect([s.dataset, s.workload, s.timeline, s.expect]).toEqual([[], [], [], []]);
  });
  it('accepts a node written as `m1:` with no value', () => {
    expect(parseScenario('nodes:\n  m1:\n').nodes).toEqual([{ name: 'm1', replicaof: null, config: {}, configText: {} }]);
  });
  it('keeps a long numeric seed digit for digit', () => {
    expect(parse('', 'seed: 123456789012345678901234567890\n').seed).toBe('123456789012345678901234567890');
    expect(parse('', 'seed: abc\n').seed).toBe('abc');
  });
});

describe('network', () => {
  const latency = (l: string) => parse(`network:\n  latency: ${l}\n`).network.latency;
  it('reads every latency form', () => {
    expect(latency('250us')).toEqual({ kind: 'fixed', us: 250 });
    expect(latency('{ min: 200us, max: 2ms }')).toEqual({ kind: 'uniform', minUs: 200, maxUs: 2000 });
    expect(latency('{ mean: 1ms, stddev: 300us }')).toEqual({ kind: 'normal', meanUs: 1000, stddevUs: 300 });
    expect(latency('{ median: 1ms, sigma: 0.5, floor: 100us }')).toEqual({ kind: 'lognormal', medianUs: 1000, sigma: 0.5, floorUs: 100 });
  });
  it('reads bandwidths in bits and bytes, and per-link overrides', () => {
    const n = parse('network:\n  bandwidth: 100MB/s\n  links:\n    - { between: [m1, r2], latency: 5ms, bandwidth: 10mbit }\n').network;
    expect(n.bandwidthBytesPerSec).toBe(100 * 1024 * 1024);
    expect(n.links).toEqual([{ between: ['m1', 'r2'], latency: { kind: 'fixed', us: 5000 }, bandwidthBytesPerSec: 1_250_000 }]);
  });
  it('reads the TCP buffer sizes, reaching the world network', () => {
    const s = parse('network:\n  tcp-send-buffer: 1mb\n  tcp-receive-buffer: 64kb\n');
    expect([s.network.tcpSendBufferBytes, s.network.tcpReceiveBufferBytes]).toEqual([1024 * 1024, 64 * 1024]);
    const w = buildWorld(s, '1');
    expect([w.net.tcpSendBufferBytes, w.net.tcpReceiveBufferBytes]).toEqual([1024 * 1024, 64 * 1024]);
    expect(rejects('network:\n  tcp-send-buffer: lots\n')).toMatch(/network\.tcp-send-buffer/);
  });
  it('rejects min > max and a link from a node to itself', () => {
    expect(rejects('network:\n  latency: { min: 2ms, max: 1ms }\n')).toMatch(/network\.latency: expected min ≤ max/);
    expect(rejects('network:\n  links:\n    - { between: [m1, m1], latency: 1ms }\n')).toMatch(/expected two different nodes/);
  });
});

describe('timeline forms', () => {
  it('one-way partitions, with single names or lists', () => {
    expect(actions('  - { at: 1s, partition: { from: [m1], to: [r1, r2] } }\n  - { at: 2s, partition: { from: m1, to: r1 } }\n')).toEqual([
      { kind: 'partition-one-way', from: ['m1'], to: ['r1', 'r2'] },
      { kind: 'partition-one-way', from: ['m1'], to: ['r1'] },
    ]);
    expect(rejects('timeline:\n  - { at: 1s, partition: { from: [m1], to: [m1] } }\n')).toMatch(/node "m1" appears twice/);
  });
  it('pause without `for` lasts until resume', () => {
    expect(actions('  - { at: 1s, pause: r2 }\n  - { at: 2s, resume: r2 }\n')).toEqual([
      { kind: 'pause', node: 'r2', forUs: null },
      { kind: 'resume', node: 'r2' },
    ]);
  });
  it('latency without `for` lasts until heal', () => {
    expect(actions('  - { at: 1s, latency: { between: [m1, r1], add: 50ms } }\n')).toEqual([
      { kind: 'latency', between: ['m1', 'r1'], addUs: 50_000, forUs: null },
    ]);
  });
  it('write takes its node inside or beside it, with defaults', () => {
    expect(actions('  - { at: 1s, node: m1, write: { count: 10 } }\n  - { at: 1s, write: { node: m1, count: 2, value-size: 1kb, db: 3, prefix: big } }\n')).toEqual([
      { kind: 'write', node: 'm1', count: 10, valueSize: 100, db: 0, prefix: 'burst' },
      { kind: 'write', node: 'm1', count: 2, valueSize: 1024, db: 3, prefix: 'big' },
    ]);
    expect(rejects('timeline:\n  - { at: 1s, write: { count: 10 } }\n')).toMatch(/timeline\[0\]\.write: missing node/);
  });
  it('config-set in the short form (several options) and the long form', () => {
    expect(actions('  - { at: 1s, node: r1, config-set: { repl-timeout: 5, repl-backlog-size: 16kb } }\n' +
      '  - { at: 2s, config-set: { node: m1, option: min-slaves-to-write, value: 1 } }\n')).toEqual([
      { kind: 'config-set', node: 'r1', option: 'repl-timeout', value: '5' },
      { kind: 'config-set', node: 'r1', option: 'repl-backlog-size', value: '16kb' },
      { kind: 'config-set', node: 'm1', option: 'min-replicas-to-write', value: '1' },
    ]);
    expect(rejects('timeline:\n  - { at: 1s, node: r1, config-set: { repl-timout: 5 } }\n')).toMatch(/did you mean repl-timeout\?/);
    expect(rejects('timeline:\n  - { at: 1s, node: r1, config-set: { appendonly: maybe } }\n')).toMatch(/config-set\.appendonly: expected yes or no/);
  });
  it('commands are split like redis-cli, and steps at the same time keep file order', () => {
    // YAML single quotes double a quote; inside, redis-cli's own quoting applies.
    const s = parse("timeline:\n  - { at: 1s, node: m1, command: 'SET \"a b\" ''x\\''y'' \"\\x41\\n\"' }\n  - { at: 1s, node: r1, command: \"PING\" }\n");
    expect(s.timeline.map((t) => t.action)).toEqual([
      { kind: 'command', node: 'm1', command: `SET "a b" 'x\\'y' "\\x41\\n"`, argv: ['SET', 'a b', "x'y", 'A\n'] },
      { kind: 'command', node: 'r1', command: 'PING', argv: ['PING'] },
    ]);
  });
  it('an `at` equal to the duration is allowed', () => {
    expect(actions('  - { at: 30s, crash: m1 }\n')).toEqual([{ kind: 'crash', node: 'm1' }]);
  });
});

describe('dataset and workload', () => {
  it('dataset as a list; workload as a single map with defaults', () => {
    const s = parse('dataset:\n  - { node: m1, keys: 5 }\n  - { node: m1, keys: 7, value-size: 1kb, prefix: k2, db: 1, values: random }\n' +
      '  - { node: m1, keys: 9, prefix: k3, values: { ratio: 0.4 } }\n' +
      'workload: { node: m1, rate: 10k/s }\n');
    expect(s.dataset).toEqual([
      { node: 'm1', keys: 5, valueSize: 100, prefix: 'key', db: 0, values: 'populate' },
      { node: 'm1', keys: 7, valueSize: 1024, prefix: 'k2', db: 1, values: 'random' },
      { node: 'm1', keys: 9, valueSize: 100, prefix: 'k3', db: 0, values: { ratio: 0.4 } },
    ]);
    expect(rejects('dataset: { node: m1, keys: 5, values: zipped }\n')).toMatch(/dataset\.values/);
    expect(s.workload).toEqual([{
      node: 'm1', rateHz: 10_000, fromUs: 0, untilUs: 30_000_000, keys: 1000, valueSize: 100, db: 0,
      ops: { set: 1, incr: 0, get: 0, del: 0, expire: 0, append: 0 }, keyPrefix: 'key',
    }]);
  });
  it('normalizes op weights and requires a ttl for expire', () => {
    const s = parse('workload: { node: m1, rate: 100/s, ttl: 5s, ops: { set: 3, expire: 1 } }\n');
    expect(s.workload[0]!.ops).toEqual({ set: 0.75, incr: 0, get: 0, del: 0, expire: 0.25, append: 0 });
    expect(s.workload[0]!.ttlUs).toBe(5_000_000);
    expect(rejects('workload: { node: m1, rate: 100/s, ops: { expire: 1 } }\n')).toMatch(/expire ops need a ttl/);
    expect(rejects('workload: { node: m1, rate: 100/s, ops: { set: 0 } }\n')).toMatch(/at least one op/);
    expect(rejects('workload: { node: m1, rate: 100/s, from: 5s, until: 5s }\n')).toMatch(/the window is empty/);
  });
  it('checks db against databases', () => {
    expect(rejects('config: { databases: 2 }\ndataset: { node: m1, keys: 1, db: 2 }\n')).toMatch(/below databases \(2\)/);
  });
});

describe('expectation forms', () => {
  it('reads stat/info comparisons, dbsize, reply and converged', () => {
    const s = parse('expect:\n' +
      '  - { node: m1, stat: sync_full, between: [1, 2] }\n' +
      '  - { node: r1, info: role, not-equals: master }\n' +
      '  - { node: r1, info: master_repl_offset, at-most: 5 }\n' +
      '  - { node: r1, dbsize: 10 }\n' +
      '  - { node: r1, dbsize: { at-least: 3 } }\n' +
      '  - { node: r1, reply: "GET foo", equals: bar }\n' +
      '  - { converged: false }\n');
    expect(s.expect).toEqual([
      { kind: 'stat', node: 'm1', field: 'sync_full', op: 'between', value: [1, 2], line: 7 },
      { kind: 'info', node: 'r1', field: 'role', op: 'not-equals', value: 'master', line: 8 },
      { kind: 'info', node: 'r1', field: 'master_repl_offset', op: 'at-most', value: 5, line: 9 },
      { kind: 'dbsize', node: 'r1', op: 'equals', value: 10, line: 10 },
      { kind: 'dbsize', node: 'r1', op: 'at-least', value: 3, line: 11 },
      { kind: 'reply', node: 'r1', command: 'GET foo', argv: ['GET', 'foo'], op: 'equals', value: 'bar', line: 12 },
      { kind: 'converged', value: false, line: 13 },
    ]);
  });
  it('rejects two comparisons, none, reversed between, and empty reply commands', () => {
    expect(rejects('expect:\n  - { node: m1, stat: sync_full, equals: 1, at-least: 1 }\n')).toMatch(/only one comparison/);
    expect(rejects('expect:\n  - { node: m1, stat: sync_full }\n')).toMatch(/missing a comparison/);
    expect(rejects('expect:\n  - { node: m1, stat: sync_full, between: [3, 1] }\n')).toMatch(/low ≤ high/);
    expect(rejects('expect:\n  - { node: m1, reply: "", equals: x }\n')).toMatch(/empty command/);
    expect(rejects('expect:\n  - { node: m9, info: role, equals: master }\n')).toMatch(/expect\[0\]\.node: unknown node "m9"/);
  });
});

describe('topology', () => {
  it('rejects replication cycles and replicaof inside config', () => {
    expect(() => parseScenario('nodes:\n  a: { replicaof: b }\n  b: { replicaof: a }\n')).toThrow(/replication cycle: a → b → a/);
    expect(() => parseScenario('nodes:\n  a: { config: { replicaof: "b 6379" } }\n  b: {}\n')).toThrow(/replicaof is not set through config/);
    expect(() => parseScenario('nodes: {}\n')).toThrow(/at least one node/);
  });
  it('lets nodes share options through YAML anchors and merge keys', () => {
    const t = parseScenario('nodes:\n  m: { config: &common { repl-timeout: 5 } }\n  a: { replicaof: m, config: { <<: *common, hz: 100 } }\n');
    expect(t.nodes[1]!.config).toEqual({ replTimeoutSec: 5, hz: 100 });
  });
  it('accepts chained replicas and per-node config with aliases', () => {
    const s = parseScenario('nodes:\n  m: {}\n  a: { replicaof: m }\n  b: { replicaof: a, config: { slave-read-only: "no", repl-backlog-size: 1m } }\n');
    expect(s.nodes[2]).toEqual({
      name: 'b', replicaof: 'a',
      config: { replicaReadOnly: false, replBacklogSizeBytes: 1_000_000 },
      configText: { 'replica-read-only': 'no', 'repl-backlog-size': '1m' },
    });
  });
});
