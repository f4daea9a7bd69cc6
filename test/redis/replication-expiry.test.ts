/**
 * Key expiry with replicas (redis-replication.md §3.6, §9, upstream tests 17, 19, 22).
 * Checked on a real redis-server 7.0.15 pair (`--repl-diskless-sync no
 * --repl-ping-replica-period 3600`, master `DEBUG SET-ACTIVE-EXPIRE 0`):
 *  - SET k v PX 300 → master_repl_offset 80 (SELECT 0 = 23 + SET k v PXAT <13 digits> = 57);
 *  - 1 s later on the replica: GET k → nil, EXISTS k → 0, PTTL k → -2, but DBSIZE → 1 and
 *    INFO keyspace `db0:keys=1,expires=1`;
 *  - GET k on the master → nil and a bare DEL k (20) → 100; the replica's DBSIZE → 0;
 *  - SET n 1 PX 300 (57) → 157; after expiry INCR n → 227: MULTI (15) + DEL n (20) +
 *    INCR n (21) + EXEC (14) = 70;
 *  - SET e 1 (27) → 254; EXPIRE e -1 → DEL e (20) → 274;
 *  - master expired_keys:2, replica expired_keys:0.
 */
import { describe, expect, it } from 'vitest';
import { Client, TestCluster, digest, infoField, linkUp, offset, runUntilTrue } from '../helpers/replication.js';

function pair(extra = '', replicaConfig = '{}'): TestCluster {
  const c = new TestCluster(`
config: { repl-diskless-sync: "no", repl-ping-replica-period: 3600 }
nodes:
  m1: {}
  r1: { replicaof: m1, config: ${replicaConfig} }
${extra}`);
  runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
  c.runFor(0.5);
  return c;
}

describe('expiry on replicas', () => {
  it("replicas never expire keys themselves: an expired key reads as missing but DBSIZE counts it until the master's DEL arrives", () => {
    const c = pair();
    expect(c.text('m1', 'DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('OK');
    c.cmd('m1', 'SET', 'k', 'v', 'PX', '300');
    expect(offset(c, 'm1')).toBe(80);
    c.runFor(1);
    expect(c.text('r1', 'GET', 'k')).toBe('(nil)');
    expect(c.text('r1', 'EXISTS', 'k')).toBe('(integer) 0');
    expect(c.text('r1', 'PTTL', 'k')).toBe('(integer) -2');
    expect(c.text('r1', 'DBSIZE')).toBe('(integer) 1');
    expect(infoField(c, 'r1', 'db0', 'keyspace')).toMatch(/^keys=1,expires=1,/);
    expect(c.text('m1', 'DBSIZE')).toBe('(integer) 1');
    // The master's lazy expiry on a read propagates a bare DEL k.
    expect(c.text('m1', 'GET', 'k')).toBe('(nil)');
    expect(offset(c, 'm1')).toBe(100);
    c.runFor(0.2);
    expect(c.text('r1', 'DBSIZE')).toBe('(integer) 0');
    expect(offset(c, 'r1')).toBe(100);
    expect(c.infoNum('m1', 'expired_keys')).toBe(1);
    expect(c.infoNum('r1', 'expired_keys')).toBe(0);
  });

  it("a write on a key the master finds expired is propagated as MULTI, DEL, the write, EXEC (70 bytes for INCR)", () => {
    const c = pair();
    c.cmd('m1', 'DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    c.cmd('m1', 'SET', 'k', 'v', 'PX', '300'); // 80
    c.runFor(1);
    c.cmd('m1', 'GET', 'k'); // 100
    c.cmd('m1', 'SET', 'n', '1', 'PX', '300'); // 157
    expect(offset(c, 'm1')).toBe(157);
    c.runFor(1);
    expect(c.text('m1', 'INCR', 'n')).toBe('(integer) 1');
    expect(offset(c, 'm1')).toBe(227);
    c.cmd('m1', 'SET', 'e', '1'); // 254
    expect(c.text('m1', 'EXPIRE', 'e', '-1')).toBe('(integer) 1'); // DEL e
    expect(offset(c, 'm1')).toBe(274);
    c.runFor(0.2);
    expect(offset(c, 'r1')).toBe(274);
    expect(c.text('r1', 'GET', 'n')).toBe('"1"');
    expect(c.text('r1', 'PTTL', 'n')).toBe('(integer) -1');
    expect(c.infoNum('m1', 'expired_keys')).toBe(2);
    expect(c.infoNum('r1', 'expired_keys')).toBe(0);
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
  });

  it("with active expiry on, the master's expire cycle deletes keys and its DELs empty the replica", () => {
    const c = pair();
    const cl = new Client(c, 'm1');
    for (let i = 0; i < 20; i++) cl.run('SET', `t:${i}`, 'v', 'PX', '200');
    cl.run('SET', 'keep', 'v');
    c.runFor(2);
    expect(c.text('m1', 'DBSIZE')).toBe('(integer) 1');
    expect(c.text('r1', 'DBSIZE')).toBe('(integer) 1');
    expect(c.infoNum('m1', 'expired_keys')).toBe(20);
    expect(c.infoNum('r1', 'expired_keys')).toBe(0);
    expect(offset(c, 'r1')).toBe(offset(c, 'm1'));
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
  });

  it('commands from the master apply even to a key the replica already sees as expired (INCR sent before expiry, applied after)', () => {
    const c = pair();
    c.cmd('m1', 'DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    c.cmd('m1', 'SET', 'k', '1', 'PX', '500');
    c.runFor(0.05);
    c.act({ kind: 'pause', node: 'r1', forUs: 1_000_000 });
    expect(c.text('m1', 'INCR', 'k')).toBe('(integer) 2');
    c.runFor(1.2);
    // On the replica the key is logically expired, yet the INCR was applied to it, not to a new key.
    expect(c.text('r1', 'EXISTS', 'k')).toBe('(integer) 0');
    expect(c.text('r1', 'DBSIZE')).toBe('(integer) 1');
    expect(offset(c, 'r1')).toBe(offset(c, 'm1'));
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
  });

  it('EXPIRE is propagated as an absolute PEXPIREAT: a replica applying it late has the same remaining TTL as the master', () => {
    const c = pair();
    c.cmd('m1', 'SET', 'k', 'v');
    c.runFor(0.1);
    c.act({ kind: 'pause', node: 'r1', forUs: 2_000_000 });
    c.cmd('m1', 'EXPIRE', 'k', '100');
    c.runFor(2.5);
    const m = Number(c.text('m1', 'PTTL', 'k').replace('(integer) ', ''));
    const r = Number(c.text('r1', 'PTTL', 'k').replace('(integer) ', ''));
    expect(m).toBeLessThan(98_000);
    expect(Math.abs(m - r)).toBeLessThanOrEqual(1);
  });

  it('a writable replica expires the keys it wrote itself with a TTL', () => {
    const c = pair('', '{ replica-read-only: "no" }');
    expect(c.text('r1', 'SET', 'local', 'v', 'PX', '300')).toBe('OK');
    expect(c.text('r1', 'DBSIZE')).toBe('(integer) 1');
    c.runFor(1.5);
    expect(c.text('r1', 'DBSIZE')).toBe('(integer) 0');
  });
});
