/**
 * requirepass and masterauth (Redis 7.0's default user). Checked on redis-server 7.0.15:
 *  - without requirepass: `AUTH foo` → "ERR AUTH <password> called without any password
 *    configured for the default user. …", `AUTH default foo` → OK, `AUTH bob foo` →
 *    WRONGPASS, `AUTH a b c` → "ERR syntax error";
 *  - with it: PING/SET → "NOAUTH Authentication required.", but unknown commands and arity
 *    errors come first; MULTI is refused too; a wrong password → WRONGPASS;
 *  - a replica without masterauth: REPLCONF listening-port/capa get NOAUTH ("Non critical"),
 *    PSYNC gets NOAUTH ("Unexpected reply to PSYNC"), "Retrying with SYNC...", SYNC gets
 *    NOAUTH ("MASTER aborted replication with an error") and it reconnects at once — about
 *    2000 handshakes a second; master_link_status down, the master's sync_full 0. After
 *    CONFIG SET masterauth the next attempt syncs.
 */
import { describe, expect, it } from 'vitest';
import { Client, TestCluster, infoField, linkUp, runUntilTrue, stat } from '../helpers/replication.js';

function cluster(masterConfig: string, replicaConfig: string): TestCluster {
  return new TestCluster(`
config:
  repl-diskless-sync-delay: 0
nodes:
  m1: { config: { ${masterConfig} } }
  r1: { replicaof: m1, config: { ${replicaConfig} } }
`);
}

describe('requirepass', () => {
  it('AUTH replies as 7.0.15 does, with and without a password', () => {
    const open = cluster('', '');
    const a = new Client(open, 'm1');
    expect(a.run('AUTH', 'foo')).toBe('(error) ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
    expect(a.run('AUTH', 'default', 'foo')).toBe('OK');
    expect(a.run('AUTH', 'bob', 'foo')).toBe('(error) WRONGPASS invalid username-password pair or user is disabled.');
    expect(a.run('AUTH', 'a', 'b', 'c')).toBe('(error) ERR syntax error');

    const closed = cluster('requirepass: pw', 'masterauth: pw');
    const b = new Client(closed, 'm1');
    expect(b.run('FOO')).toBe("(error) ERR unknown command 'FOO', with args beginning with: ");
    expect(b.run('SET', 'a')).toBe("(error) ERR wrong number of arguments for 'set' command");
    expect(b.run('PING')).toBe('(error) NOAUTH Authentication required.');
    expect(b.run('MULTI')).toBe('(error) NOAUTH Authentication required.');
    expect(b.run('AUTH', 'nope')).toBe('(error) WRONGPASS invalid username-password pair or user is disabled.');
    expect(b.run('AUTH', 'pw')).toBe('OK');
    expect(b.run('SET', 'a', '1')).toBe('OK');
    expect(new Client(closed, 'm1').run('AUTH', 'default', 'pw')).toBe('OK');
  });

  it('CONFIG SET requirepass: clients connected before stay in, new ones must AUTH; clearing it lets everyone in', () => {
    const c = cluster('', '');
    const before = new Client(c, 'm1');
    expect(before.run('PING')).toBe('PONG');
    c.cmd('m1', 'CONFIG', 'SET', 'requirepass', 'pw');
    expect(before.run('SET', 'k', 'v')).toBe('OK');
    const after = new Client(c, 'm1');
    expect(after.run('GET', 'k')).toBe('(error) NOAUTH Authentication required.');
    c.cmd('m1', 'CONFIG', 'SET', 'requirepass', '');
    expect(after.run('GET', 'k')).toBe('"v"');
  });

  it('a replica with the right masterauth syncs', () => {
    const c = cluster('requirepass: pw', 'masterauth: pw');
    runUntilTrue(c, () => linkUp(c, 'r1'), 'link up', 5);
    expect(stat(c, 'm1', 'sync_full')).toBe(1);
  });

  it('a replica without masterauth is refused at PSYNC and at the SYNC fallback, and retries at once until it gets one', () => {
    const c = cluster('requirepass: pw', '');
    c.runFor(2);
    expect(infoField(c, 'r1', 'master_link_status')).toBe('down');
    expect(stat(c, 'm1', 'sync_full')).toBe(0);
    expect(infoField(c, 'm1', 'connected_slaves')).toBe('0');
    const psync = c.traceKinds('replica.psync-error', 'r1');
    const sync = c.traceKinds('replica.sync-error', 'r1');
    expect(psync[0]!['reply']).toBe('NOAUTH Authentication required.');
    expect(sync[0]!['reply']).toBe('NOAUTH Authentication required.');
    expect(sync.length).toBeGreaterThan(200); // a tight loop, not the 1 Hz cron
    c.cmd('r1', 'CONFIG', 'SET', 'masterauth', 'pw');
    runUntilTrue(c, () => linkUp(c, 'r1'), 'link up', 1);
    expect(stat(c, 'm1', 'sync_full')).toBe(1);
  });

  it('a wrong masterauth fails the handshake at AUTH; the cron retries once a second', () => {
    const c = cluster('requirepass: pw', 'masterauth: nope');
    c.runFor(3.5);
    expect(infoField(c, 'r1', 'master_link_status')).toBe('down');
    const errors = c.traceKinds('replica.handshake-error', 'r1');
    expect(errors[0]!['reason']).toBe('AUTH: WRONGPASS invalid username-password pair or user is disabled.');
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(errors.length).toBeLessThanOrEqual(5);
  });
});
