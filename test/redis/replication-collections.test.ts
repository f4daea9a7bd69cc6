/**
 * Hashes, lists and sorted sets through replication: what a full sync's RDB snapshot
 * holds, what the stream carries afterwards, and a partial resync's backlog. The values
 * are mutated in place (Keyspace.mutableValue), so writes made while the BGSAVE child
 * "runs" must not leak into the snapshot — a replica would then apply them twice (an
 * RPUSH twice, a HINCRBY twice) and its digest would differ.
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, Client, digest, linkUp, runUntilConverged, runUntilTrue, stat } from '../helpers/replication.js';

const SETUP: string[][] = [
  ['HSET', 'h', 'a', '1', 'b', '2'],
  ['RPUSH', 'l', 'x', 'y', 'z'],
  ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
  ['HSET', 'gone', 'f', 'v'],
];

/** In-place mutations of every type, including one that empties a key. */
const MUTATIONS: string[][] = [
  ['HINCRBY', 'h', 'a', '10'],
  ['HINCRBYFLOAT', 'h', 'f', '0.1'],
  ['HDEL', 'gone', 'f'],
  ['LPUSH', 'l', 'w'],
  ['LSET', 'l', '1', 'X'],
  ['LREM', 'l', '0', 'z'],
  ['RPOPLPUSH', 'l', 'l2'],
  ['ZINCRBY', 'z', '2.5', 'a'],
  ['ZREM', 'z', 'b'],
  ['ZPOPMAX', 'z'],
];

const MORE: string[][] = [
  ['HSET', 'h', 'c', '3'],
  ['LTRIM', 'l', '0', '0'],
  ['LINSERT', 'l', 'BEFORE', 'w', 'v'],
  ['ZADD', 'z', 'GT', '10', 'a', '0.5', 'd'],
  ['LPOP', 'l2', '5'],
  ['BLPOP', 'l', '0'],
];

describe('hashes, lists and sorted sets replicate', () => {
  it('a replica converges through a full sync whose snapshot predates in-place writes, and through a partial resync', () => {
    const c = new TestCluster(`
config:
  repl-diskless-sync: "no"
nodes:
  m1: {}
  r1: { replicaof: m1 }
dataset: { node: m1, keys: 2000, value-size: 100 }
`);
    const m = new Client(c, 'm1');
    for (const argv of SETUP) m.run(...argv);
    // Write while the BGSAVE child holds its snapshot of these very values.
    runUntilTrue(c, () => c.infoNum('m1', 'rdb_bgsave_in_progress') === 1, 'the full sync BGSAVE', 10, 1);
    for (const argv of MUTATIONS) expect(m.run(...argv)).not.toMatch(/^\(error\)/);
    runUntilConverged(c);
    expect(stat(c, 'm1', 'sync_full')).toBe(1);
    const r = new Client(c, 'r1');
    expect(r.run('LRANGE', 'l', '0', '-1')).toBe('1) "w"\n2) "X"');
    expect(r.run('HGETALL', 'h')).toBe('1) "a"\n2) "11"\n3) "b"\n4) "2"\n5) "f"\n6) "0.1"');
    expect(r.run('ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toBe('1) "c"\n2) "3"'); // a (3.5) was popped
    expect(r.run('EXISTS', 'gone')).toBe('(integer) 0');
    expect(r.run('DEBUG', 'DIGEST')).toBe(m.run('DEBUG', 'DIGEST'));

    // The link drops; the writes made meanwhile come back from the backlog.
    c.act({ kind: 'kill-link', node: 'r1' });
    for (const argv of MORE) expect(m.run(...argv)).not.toMatch(/^\(error\)/);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    runUntilConverged(c);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(1);
    expect(stat(c, 'm1', 'sync_full')).toBe(1);
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
    expect(r.run('DEBUG', 'DIGEST')).toBe(m.run('DEBUG', 'DIGEST'));
    expect(r.run('ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toBe('1) "d"\n2) "0.5"\n3) "c"\n4) "3"\n5) "a"\n6) "10"');
    expect(r.run('LRANGE', 'l', '0', '-1')).toBe('1) "w"');
    expect(r.run('EXISTS', 'l2')).toBe('(integer) 0');
  });

  it('the AOF replays them: a crashed master with appendonly restarts with the same collections', () => {
    const c = new TestCluster(`
config: { appendonly: "yes", appendfsync: always }
nodes: { m1: {} }
`);
    const m = new Client(c, 'm1');
    for (const argv of [...SETUP, ...MUTATIONS, ...MORE]) m.run(...argv);
    const before = digest(c, 'm1');
    c.act({ kind: 'crash', node: 'm1' });
    c.runFor(0.5);
    c.act({ kind: 'restart', node: 'm1' });
    runUntilTrue(c, () => !c.node('m1').loading, 'm1 loaded', 10);
    expect(digest(c, 'm1')).toBe(before);
    expect(c.text('m1', 'HGET', 'h', 'f')).toBe('"0.1"'); // replayed as HSET h f 0.1
    expect(c.text('m1', 'ZCARD', 'z')).toBe('(integer) 3');
  });
});

