/**
 * The workload's op kinds beyond strings (scenarios/FORMAT.md `ops`): each sends the
 * command FORMAT.md names, on keys of its own type, and a script op is replicated by its
 * effects — the replica ends with the same data. Existing scenarios are unchanged: the
 * extra kinds enter the normalized spec only when weighted.
 */
import { describe, expect, test } from 'vitest';
import { parseScenario } from '../../sim/scenario/load.js';
import { OpenLoopClient } from '../../sim/workload/open-loop.js';
import { TestCluster, runUntilTrue, linkUp, offset } from '../helpers/replication.js';

describe('workload op kinds', () => {
  test('a mix of hashes, lists, sets, sorted sets, streams and a script reaches the replica intact', () => {
    const yaml = `
duration: 3s
config: { repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
  r1: { replicaof: m1 }
workload:
  - node: m1
    rate: 500/s
    from: 500ms
    until: 2s
    keys: 50
    value-size: 10
    ops:
      hset: 1
      hincrby: 1
      lpush: 1
      rpop: 1
      sadd: 1
      zadd: 1
      xadd: 1
      eval: { weight: 2, script: "redis.call('incr', KEYS[1]); return redis.call('pexpire', KEYS[1], 60000)", keys: 1 }
`;
    const c = new TestCluster(yaml);
    // The scenario's own workload spec, as the runner builds it (semantics.ts), driving a client.
    const spec = parseScenario(yaml, 't.yaml').workload[0]!;
    new OpenLoopClient(c.world.sim, () => c.node('m1'), spec, c.world.sim.random.stream('workload/0')).start();
    runUntilTrue(c, () => linkUp(c, 'r1'), 'link up', 10);
    c.runUntil(2_500_000);
    runUntilTrue(c, () => offset(c, 'r1') === offset(c, 'm1'), 'caught up', 10);
    const m = c.node('m1');
    const types = new Set<string>();
    for (const k of m.keyspace.keys(0)) types.add(c.text('m1', 'TYPE', k));
    expect([...types].sort()).toEqual(['hash', 'list', 'set', 'stream', 'string', 'zset']);
    expect(c.text('r1', 'DEBUG', 'DIGEST')).toBe(c.text('m1', 'DEBUG', 'DIGEST'));
    // Script effects: INCR, and PEXPIRE (propagated as PEXPIREAT) on the string keys.
    const someKey = [...m.keyspace.keys(0)].find((k) => /^key:\d+$/.test(k))!;
    expect(Number(c.text('r1', 'PTTL', someKey).replace('(integer) ', ''))).toBeGreaterThan(0);
  });

  test('a scenario with only the string ops keeps its exact normalized spec', () => {
    const s = parseScenario('nodes: { m1: {} }\nworkload: { node: m1, rate: 10/s, ops: { set: 3, get: 1 } }\n', 't.yaml');
    expect(s.workload[0]!.ops).toEqual({ set: 0.75, incr: 0, get: 0.25, del: 0, expire: 0, append: 0 });
    expect(s.workload[0]!.eval).toBeUndefined();
  });

  test('eval needs a script', () => {
    expect(() => parseScenario('nodes: { m1: {} }\nworkload: { node: m1, rate: 10/s, ops: { eval: { weight: 1 } } }\n', 't.yaml')).toThrow(/script/);
  });
});
