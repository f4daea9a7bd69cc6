/**
 * Every accepted connection is a full client (sim/redis/client-connection.ts,
 * client-list.ts). Expected replies were read from redis-server 7.0.15 over a raw socket:
 *  - CLIENT SETNAME foo → +OK, GETNAME → "foo", CLIENT ID → an integer, CLIENT LIST lines
 *    `id=… addr=… laddr=… fd=… name=foo age=… idle=… flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 …
 *    cmd=client|list user=default redir=-1 resp=2\n`;
 *  - CLIENT KILL TYPE bogus → "ERR Unknown client type 'bogus'", ID abc → "ERR client-id should
 *    be greater than 0", ID 99999 → :0, `CLIENT KILL 1.2.3.4:5` → "ERR No such client",
 *    ADDR 1.2.3.4:5 → :0, SKIPME maybe → "ERR syntax error", `CLIENT KILL TYPE` (old form, addr
 *    "TYPE") → "ERR No such client", FOO bar → "ERR syntax error";
 *  - CLIENT KILL TYPE normal → the caller is skipped (:0 alone); SKIPME no → :1, and the
 *    caller's connection closes after that reply;
 *  - QUIT → +OK, then the connection closes;
 *  - MULTI, SLAVEOF NO ONE, CONFIG REWRITE, CLIENT KILL TYPE normal, CLIENT KILL TYPE pubsub, EXEC
 *    → `*4 +OK, -ERR The server is running without a config file, :0, :0` (no other client) and
 *    the caller stays connected (PING → +PONG).
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, linkUp, masterWithReplica, runUntilTrue } from '../helpers/replication.js';
import { NetClient, flat } from '../helpers/net-client.js';
import { formatReply } from '../../sim/redis/protocol/reply.js';

function single(config = ''): TestCluster {
  return new TestCluster(`
nodes:
  m1: { config: { ${config} } }
`);
}

function listLines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

function field(line: string, name: string): string {
  const m = new RegExp(`(?:^| )${name}=([^ ]*)`).exec(line);
  if (!m) throw new Error(`no ${name}= in ${line}`);
  return m[1]!;
}

describe('networked clients', () => {
  it('run any command, pipelined, with replies in order', () => {
    const c = single();
    const a = new NetClient(c, 'app1', 'm1');
    a.send('SET', 'k', 'v');
    a.send('GET', 'k');
    a.send('PING');
    a.send('INCR', 'k');
    expect([a.nextText(), a.nextText(), a.nextText(), a.nextText()]).toEqual([
      'OK',
      '"v"',
      'PONG',
      '(error) ERR value is not an integer or out of range',
    ]);
    expect(c.text('m1', 'GET', 'k')).toBe('"v"');
  });

  it('a blocked command holds the commands behind it until it is served', () => {
    const c = single();
    const a = new NetClient(c, 'app1', 'm1');
    a.send('BLPOP', 'q', '0');
    a.send('PING');
    c.runFor(1);
    expect(a.unread()).toEqual([]);
    expect(new NetClient(c, 'app2', 'm1').run('RPUSH', 'q', 'x')).toBe('(integer) 1');
    expect(flat(a.next())).toEqual(['q', 'x']);
    expect(a.nextText()).toBe('PONG');
  });

  it('requirepass: NOAUTH until AUTH, over the network as in-process', () => {
    const c = single('requirepass: pw');
    const a = new NetClient(c, 'app1', 'm1');
    expect(a.run('GET', 'k')).toBe('(error) NOAUTH Authentication required.');
    expect(a.run('AUTH', 'pw')).toBe('OK');
    expect(a.run('GET', 'k')).toBe('(nil)');
  });

  it('AUTH inside MULTI is queued and answered by EXEC (7.0.15: *1 -ERR AUTH <password> called without …)', () => {
    const a = new NetClient(single(), 'app1', 'm1');
    expect(a.run('MULTI')).toBe('OK');
    expect(a.run('AUTH', 'foo')).toBe('QUEUED');
    a.send('EXEC');
    expect(flat(a.next())).toEqual(['-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?']);
  });

  it('RESET forgets WATCH (7.0.15: WATCH k, RESET, SET k 3, MULTI, GET k, EXEC → *1 "3")', () => {
    const a = new NetClient(single(), 'app1', 'm1');
    expect(a.run('WATCH', 'k')).toBe('OK');
    expect(a.run('RESET')).toBe('RESET');
    expect(a.run('SET', 'k', '3')).toBe('OK');
    expect(a.run('MULTI')).toBe('OK');
    expect(a.run('GET', 'k')).toBe('QUEUED');
    a.send('EXEC');
    expect(flat(a.next())).toEqual(['3']);
  });

  it('CLIENT SETNAME / GETNAME / ID / LIST / INFO', () => {
    const c = single();
    const a = new NetClient(c, 'app1', 'm1');
    const b = new NetClient(c, 'app2', 'm1');
    expect(a.run('CLIENT', 'SETNAME', 'foo')).toBe('OK');
    expect(a.run('CLIENT', 'GETNAME')).toBe('"foo"');
    const idA = Number(a.run('CLIENT', 'ID').replace('(integer) ', ''));
    const idB = Number(b.run('CLIENT', 'ID').replace('(integer) ', ''));
    expect(idB).toBeGreaterThan(idA);
    b.send('SUBSCRIBE', 'x');
    b.next();
    a.send('CLIENT', 'LIST');
    const lines = listLines(flat(a.next()) as string);
    expect(lines.map((l) => field(l, 'id'))).toEqual([String(idA), String(idB)]);
    const [la, lb] = lines as [string, string];
    expect(la).toMatch(/^id=\d+ addr=app1:\d+ laddr=m1:6379 fd=\d+ name=foo age=\d+ idle=\d+ flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=\d+ qbuf-free=\d+ argv-mem=\d+ multi-mem=\d+ rbs=\d+ rbp=\d+ obl=\d+ oll=\d+ omem=\d+ tot-mem=\d+ events=r cmd=client\|list user=default redir=-1 resp=2$/);
    expect([field(lb, 'flags'), field(lb, 'sub'), field(lb, 'cmd')]).toEqual(['P', '1', 'subscribe']);
    a.send('CLIENT', 'LIST', 'TYPE', 'pubsub');
    expect(listLines(flat(a.next()) as string).map((l) => field(l, 'id'))).toEqual([String(idB)]);
    a.send('CLIENT', 'INFO');
    expect(field(flat(a.next()) as string, 'cmd')).toBe('client|info');
  });

  it('CLIENT KILL: argument errors as 7.0.15', () => {
    const c = single();
    const a = new NetClient(c, 'app1', 'm1');
    expect(a.run('CLIENT', 'KILL', 'TYPE', 'bogus')).toBe("(error) ERR Unknown client type 'bogus'");
    expect(a.run('CLIENT', 'KILL', 'ID', 'abc')).toBe('(error) ERR client-id should be greater than 0');
    expect(a.run('CLIENT', 'KILL', 'ID', '99999')).toBe('(integer) 0');
    expect(a.run('CLIENT', 'KILL', '1.2.3.4:5')).toBe('(error) ERR No such client');
    expect(a.run('CLIENT', 'KILL', 'ADDR', '1.2.3.4:5')).toBe('(integer) 0');
    expect(a.run('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'maybe')).toBe('(error) ERR syntax error');
    expect(a.run('CLIENT', 'KILL', 'TYPE')).toBe('(error) ERR No such client');
    expect(a.run('CLIENT', 'KILL', 'FOO', 'bar')).toBe('(error) ERR syntax error');
    expect(a.run('CLIENT', 'KILL', 'TYPE', 'normal')).toBe('(integer) 0');
    expect(a.closed).toBeNull();
    expect(a.run('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'no')).toBe('(integer) 1');
    c.runFor(1);
    expect(a.closed).toBe('fin');
  });

  it('CLIENT KILL TYPE normal|pubsub, ID and ADDR close the victims; the caller and in-process sessions stay', () => {
    const c = single();
    const killer = new NetClient(c, 'sentinel1', 'm1');
    const app = new NetClient(c, 'app1', 'm1');
    const sub = new NetClient(c, 'app2', 'm1');
    sub.send('SUBSCRIBE', '__sentinel__:hello');
    sub.next();
    const inProcess = c.node('m1').commands.newSession('workload');
    expect(killer.run('CLIENT', 'KILL', 'TYPE', 'pubsub')).toBe('(integer) 1');
    c.runFor(1);
    expect([sub.closed, app.closed, killer.closed]).toEqual(['fin', null, null]);
    expect(killer.run('CLIENT', 'KILL', 'TYPE', 'normal')).toBe('(integer) 1');
    c.runFor(1);
    expect(app.closed).toBe('fin');
    let reply = '';
    c.node('m1').commands.call(inProcess, ['PING'], (r) => (reply = formatReply(r)));
    expect(reply).toBe('PONG');
    const victim = new NetClient(c, 'app3', 'm1');
    const id = victim.run('CLIENT', 'ID').replace('(integer) ', '');
    expect(killer.run('CLIENT', 'KILL', 'ID', id)).toBe('(integer) 1');
    const byAddr = new NetClient(c, 'app4', 'm1');
    byAddr.send('CLIENT', 'INFO');
    const addr = field(flat(byAddr.next()) as string, 'addr');
    expect(killer.run('CLIENT', 'KILL', addr)).toBe('OK');
    c.runFor(1);
    expect([victim.closed, byAddr.closed, killer.closed]).toEqual(['fin', 'fin', null]);
  });

  it('QUIT answers +OK and closes', () => {
    const c = single();
    const a = new NetClient(c, 'app1', 'm1');
    a.send('QUIT');
    a.send('PING');
    expect(a.nextText()).toBe('OK');
    c.runFor(1);
    expect(a.closed).toBe('fin');
    expect(a.unread()).toEqual([]);
  });

  it("Sentinel's SLAVEOF transaction: replies as 7.0.15, the others are disconnected after EXEC, the caller survives", () => {
    const c = masterWithReplica();
    const sentinelCc = new NetClient(c, 's1', 'r1');
    const otherSentinelCc = new NetClient(c, 's2', 'r1');
    const hello = new NetClient(c, 's1b', 'r1');
    hello.send('SUBSCRIBE', '__sentinel__:hello');
    hello.next();
    for (const argv of [['MULTI'], ['SLAVEOF', 'NO', 'ONE'], ['CONFIG', 'REWRITE'], ['CLIENT', 'KILL', 'TYPE', 'normal'], ['CLIENT', 'KILL', 'TYPE', 'pubsub']]) {
      sentinelCc.send(...argv);
    }
    expect([sentinelCc.nextText(), sentinelCc.nextText(), sentinelCc.nextText(), sentinelCc.nextText(), sentinelCc.nextText()]).toEqual(['OK', 'QUEUED', 'QUEUED', 'QUEUED', 'QUEUED']);
    sentinelCc.send('EXEC');
    expect(flat(sentinelCc.next())).toEqual(['+OK', '-ERR The server is running without a config file', 1, 1]);
    c.runFor(1);
    expect([otherSentinelCc.closed, hello.closed, sentinelCc.closed]).toEqual(['fin', 'fin', null]);
    expect(sentinelCc.run('PING')).toBe('PONG');
    expect(c.info('r1', 'role')).toBe('master');
  });

  it('CLIENT KILL TYPE master on a replica drops its link, which reconnects', () => {
    const c = masterWithReplica();
    const admin = new NetClient(c, 'admin', 'r1');
    expect(admin.run('CLIENT', 'KILL', 'TYPE', 'master')).toBe('(integer) 1');
    expect(c.info('r1', 'master_link_status')).toBe('down');
    runUntilTrue(c, () => linkUp(c, 'r1'), 'link up again');
    expect(admin.run('CLIENT', 'KILL', 'TYPE', 'replica')).toBe('(integer) 0');
  });

  it('a killed client: its write postponed by CLIENT PAUSE never runs, its BLPOP never pops', () => {
    const c = single();
    const admin = new NetClient(c, 'admin', 'm1');
    const writer = new NetClient(c, 'app1', 'm1');
    const popper = new NetClient(c, 'app2', 'm1');
    popper.send('BLPOP', 'q', '0');
    expect(admin.run('CLIENT', 'PAUSE', '5000', 'WRITE')).toBe('OK');
    writer.send('SET', 'k', 'v');
    c.runFor(0.5);
    expect(writer.unread()).toEqual([]);
    expect(admin.run('CLIENT', 'KILL', 'TYPE', 'normal')).toBe('(integer) 2');
    expect(admin.run('CLIENT', 'UNPAUSE')).toBe('OK');
    expect(admin.run('RPUSH', 'q', 'x')).toBe('(integer) 1');
    c.runFor(1);
    expect(admin.run('GET', 'k')).toBe('(nil)');
    expect(admin.run('LLEN', 'q')).toBe('(integer) 1');
    expect([writer.closed, popper.closed]).toEqual(['fin', 'fin']);
  });
});
