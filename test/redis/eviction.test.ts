/**
 * maxmemory on a master: performEvictions before each command, DEL propagated per evicted
 * key (replicas ignore maxmemory and follow), -OOM under noeviction for commands that may
 * grow memory (denyoom), reads still allowed.
 */
import { describe, expect, it } from 'vitest';
import { TestCluster } from '../helpers/cluster.js';

function cluster(policy: string, maxmemory = '3mb'): TestCluster {
  return new TestCluster(`
name: eviction
duration: 60s
config: { repl-diskless-sync-delay: 0, maxmemory: ${maxmemory}, maxmemory-policy: ${policy} }
nodes:
  m1: {}
  r1: { replicaof: m1 }
`);
}

function fill(c: TestCluster, n: number): void {
  for (let i = 0; i < n; i++) c.cmd('m1', 'SET', `k:${i}`, 'x'.repeat(1000));
}

describe('maxmemory eviction', () => {
  it('allkeys-random keeps the master under maxmemory, propagating a DEL for each evicted key', () => {
    const c = cluster('allkeys-random');
    c.runFor(1);
    fill(c, 6000); // ~6 MB of values into a 3 MB limit
    // Eviction runs before each command: the last SET left memory over the limit until the next one.
    c.cmd('m1', 'PING');
    c.runFor(1);
    const evicted = c.infoNum('m1', 'evicted_keys');
    expect(evicted).toBeGreaterThan(2000);
    // used_memory counts the replication buffer up to repl-backlog-size (1 MB here): the DELs
    // the last eviction propagated may have taken a new 16 KiB block since, and INFO's first
    // call its latency histogram (24,688 B).
    const m = c.node('m1').memory;
    expect(m.usedMemory() - m.notCountedForEviction()).toBeLessThanOrEqual(3 * 1024 * 1024 + 20_500 + 24_688);
    // The replica ignores maxmemory (replica-ignore-maxmemory yes) and applies the DELs.
    // (Compared on the keyspaces: a command on m1 could evict again — so would redis-server.)
    expect(c.infoNum('r1', 'evicted_keys')).toBe(0);
    expect(c.node('r1').keyspace.dbsize(0)).toBe(c.node('m1').keyspace.dbsize(0));
    expect(c.node('r1').keyspace.digest()).toBe(c.node('m1').keyspace.digest());
  });

  it('volatile-ttl evicts the keys closest to expiring first and leaves keys without a TTL', () => {
    // 4 MB: the 1.5 MB of keys without a TTL and the 1 MB backlog must fit.
    const c = cluster('volatile-ttl', '4mb');
    c.runFor(1);
    for (let i = 0; i < 1500; i++) c.cmd('m1', 'SET', `p:${i}`, 'x'.repeat(1000));
    for (let i = 0; i < 3000; i++) c.cmd('m1', 'SET', `t:${i}`, 'x'.repeat(1000), 'EX', String(1000 + i));
    expect(c.infoNum('m1', 'evicted_keys')).toBeGreaterThan(0);
    expect(c.text('m1', 'EXISTS', 'p:0')).toBe('(integer) 1');
    expect(c.text('m1', 'EXISTS', 't:0')).toBe('(integer) 0');
    expect(c.text('m1', 'EXISTS', 't:2999')).toBe('(integer) 1');
  });

  it('noeviction answers -OOM to writes that may grow memory, and still serves reads and DEL', () => {
    const c = cluster('noeviction');
    c.runFor(1);
    let oom = '';
    for (let i = 0; i < 6000 && oom === ''; i++) {
      const r = c.text('m1', 'SET', `k:${i}`, 'x'.repeat(1000));
      if (r !== 'OK') oom = r;
    }
    expect(oom).toBe("(error) OOM command not allowed when used memory > 'maxmemory'.");
    expect(c.text('m1', 'GET', 'k:0')).toMatch(/^"x+"$/);
    expect(c.text('m1', 'DEL', 'k:0')).toBe('(integer) 1');
    expect(c.infoNum('m1', 'evicted_keys')).toBe(0);
  });
});
