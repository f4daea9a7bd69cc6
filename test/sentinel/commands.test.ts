/**
 * Commands a Sentinel serves (sentinelCommand, INFO, ROLE, PUBLISH, pub/sub of events),
 * over the simulated network and in-process.
 */
import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../sim/net/connection.js';
import { respCommandBytes } from '../../sim/redis/protocol/resp.js';
import { formatReply, type Reply } from '../../sim/redis/protocol/reply.js';
import type { WireMessage } from '../../sim/redis/wire.js';
import { SentinelWorld } from '../helpers/sentinel-world.js';

/** A networked client on its own host: sends commands, collects every reply and push. */
function client(w: SentinelWorld, to: string, port = 26379) {
  const name = `c-${to}-${w.net.hosts().length}`;
  const host = w.net.addHost(name);
  const got: Reply[] = [];
  let ep: Endpoint | null = null;
  host.connect(to, port, {
    onConnect: (e) => {
      ep = e;
      e.onData = (p) => void got.push((p as WireMessage & { t: 'reply' }).reply);
    },
    onError: () => {},
  });
  w.runForMs(5);
  return {
    got,
    send(...argv: string[]) {
      ep!.send(respCommandBytes(argv), { t: 'cmd', argv } satisfies WireMessage);
      w.runForMs(5);
      return got[got.length - 1]!;
    },
  };
}

function items(r: Reply | undefined): Reply[] {
  return (r as { items: readonly Reply[] }).items as Reply[];
}

function flat(r: Reply): Record<string, string> {
  const its = items(r);
  const o: Record<string, string> = {};
  for (let i = 0; i < its.length; i += 2) o[(its[i] as { value: string }).value] = (its[i + 1] as { value: string }).value;
  return o;
}

describe('SENTINEL subcommands', () => {
  it('answers get-master-addr-by-name, myid, masters/master/replicas/sentinels over the wire', () => {
    const w = new SentinelWorld();
    w.runFor(5);
    const c = client(w, 's1');
    expect(formatReply(c.send('SENTINEL', 'get-master-addr-by-name', 'mymaster'))).toBe('1) "m1"\n2) "6379"');
    expect(c.send('SENTINEL', 'get-master-addr-by-name', 'nope')).toEqual({ type: 'array', items: null });
    expect(c.send('SENTINEL', 'myid')).toEqual({ type: 'bulk', value: w.sentinel('s1').myid });
    const m = c.send('SENTINEL', 'master', 'mymaster');
    // 11-port-0.tcl reads num-other-sentinels at element 33 when no optional field is present.
    expect((items(m)[32] as { value: string }).value).toBe('num-other-sentinels');
    expect((items(m)[33] as { value: string }).value).toBe('2');
    expect(flat(m)).toMatchObject({ name: 'mymaster', ip: 'm1', port: '6379', flags: 'master', quorum: '2', 'num-slaves': '2' });
    expect(c.send('SENTINEL', 'master', 'nope')).toEqual({ type: 'error', text: 'ERR No such master with that name' });
    const reps = items(c.send('SENTINEL', 'replicas', 'mymaster')).map(flat);
    expect(reps.map((r) => r.name).sort()).toEqual(['r1:6379', 'r2:6379']);
    expect(reps[0]).toMatchObject({ flags: 'slave', 'master-host': 'm1', 'master-port': '6379', 'master-link-status': 'ok', 'slave-priority': '100' });
    const sents = items(c.send('SENTINEL', 'sentinels', 'mymaster')).map(flat);
    expect(sents.map((x) => x.ip).sort()).toEqual(['s2', 's3']);
    expect(sents[0]).toMatchObject({ flags: 'sentinel', 'voted-leader': '?', 'voted-leader-epoch': '0' });
    expect(items(c.send('SENTINEL', 'masters'))).toHaveLength(1);
  });

  it('10-replica-priority: replicas with replica-announced no are left out of SENTINEL REPLICAS', () => {
    const w = new SentinelWorld();
    w.peer('r1').replicaAnnounced = 0;
    w.runFor(5);
    const reps = items(w.call(w.sentinel('s1'), 'SENTINEL', 'replicas', 'mymaster')).map(flat);
    expect(reps.map((r) => r.name)).toEqual(['r2:6379']);
    expect(w.sentinel('s1').masterState('mymaster')!['num-slaves']).toBe('2');
  });

  it('06-ckquorum: OK with all up; NOQUORUM when quorum > usable; NOQUORUM without a majority', () => {
    const w = new SentinelWorld();
    w.runFor(5);
    const s1 = w.sentinel('s1');
    expect(w.call(s1, 'SENTINEL', 'ckquorum', 'mymaster')).toEqual({ type: 'status', text: 'OK 3 usable Sentinels. Quorum and failover authorization can be reached' });
    w.call(s1, 'SENTINEL', 'set', 'mymaster', 'quorum', '4');
    expect(w.call(s1, 'SENTINEL', 'ckquorum', 'mymaster')).toEqual({
      type: 'error',
      text: 'NOQUORUM 3 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master',
    });
    w.call(s1, 'SENTINEL', 'set', 'mymaster', 'quorum', '1');
    w.sentinel('s2').crash();
    w.sentinel('s3').crash();
    w.runFor(35); // default down-after 30 s: the two Sentinels go SDOWN
    expect(w.call(s1, 'SENTINEL', 'ckquorum', 'mymaster')).toEqual({
      type: 'error',
      text: 'NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the majority and authorize a failover',
    });
  });

  it('03-runtime-reconf: SENTINEL SET applies quorum and down-after (+set events); bad values and options are refused unchanged', () => {
    const w = new SentinelWorld();
    w.runFor(1);
    const s1 = w.sentinel('s1');
    expect(w.call(s1, 'SENTINEL', 'set', 'mymaster', 'quorum', '3', 'down-after-milliseconds', '2000')).toEqual({ type: 'status', text: 'OK' });
    expect(s1.masterState('mymaster')).toMatchObject({ quorum: '3', 'down-after-milliseconds': '2000' });
    expect(w.of('+set', 's1').map((e) => e.msg)).toEqual(['master mymaster m1 6379 quorum 3', 'master mymaster m1 6379 down-after-milliseconds 2000']);
    // Replicas follow the master's down-after.
    const rep = flat(items(w.call(s1, 'SENTINEL', 'replicas', 'mymaster'))[0]!);
    expect(rep['down-after-milliseconds']).toBe('2000');
    for (const bad of ['-20', 'abc']) {
      expect(w.call(s1, 'SENTINEL', 'set', 'mymaster', 'down-after-milliseconds', bad)).toEqual({
        type: 'error',
        text: `ERR Invalid argument '${bad}' for SENTINEL SET 'down-after-milliseconds'`,
      });
    }
    expect(s1.masterState('mymaster')!['down-after-milliseconds']).toBe('2000');
    expect(w.call(s1, 'SENTINEL', 'set', 'mymaster', 'nosuchoption', 'x')).toEqual({
      type: 'error',
      text: "ERR Unknown option or number of arguments for SENTINEL SET 'nosuchoption'",
    });
    expect(w.call(s1, 'SENTINEL', 'set', 'mymaster', 'auth-pass', 'pw')).toEqual({ type: 'status', text: 'OK' });
    expect(w.of('+set', 's1').at(-1)!.msg).toBe('master mymaster m1 6379 auth-pass ******');
  });

  it('SENTINEL DEBUG lists the 13 timings in order and changes them (> 0 only)', () => {
    const w = new SentinelWorld({ sentinels: 1 });
    const s1 = w.sentinel('s1');
    const r = items(w.call(s1, 'SENTINEL', 'debug'));
    const keys = r.filter((_, i) => i % 2 === 0).map((x) => (x as { value: string }).value);
    expect(keys).toEqual(['INFO-PERIOD', 'PING-PERIOD', 'ASK-PERIOD', 'PUBLISH-PERIOD', 'DEFAULT-DOWN-AFTER', 'DEFAULT-FAILOVER-TIMEOUT',
      'TILT-TRIGGER', 'TILT-PERIOD', 'SLAVE-RECONF-TIMEOUT', 'MIN-LINK-RECONNECT-PERIOD', 'ELECTION-TIMEOUT', 'SCRIPT-MAX-RUNTIME', 'SCRIPT-RETRY-DELAY']);
    expect(w.call(s1, 'SENTINEL', 'debug', 'info-period', '100', 'publish-period', '100')).toEqual({ type: 'status', text: 'OK' });
    expect(s1.timings.infoPeriodMs).toBe(100);
    expect(w.call(s1, 'SENTINEL', 'debug', 'info-period', '0')).toEqual({ type: 'error', text: "ERR Invalid argument '0' for SENTINEL DEBUG 'info-period'" });
  });

  it('is-master-down-by-addr: [isdown, leader, epoch]; a vote per epoch, first come first served; unknown address [0, *, 0]', () => {
    const w = new SentinelWorld({ sentinels: 1, master: { downAfterMs: 1000 } });
    w.runFor(2);
    const s1 = w.sentinel('s1');
    const ask = (epoch: number, runid: string, host = 'm1') =>
      formatReply(w.call(s1, 'SENTINEL', 'is-master-down-by-addr', host, '6379', String(epoch), runid)).replace(/\n/g, ' ');
    expect(ask(0, '*')).toBe('1) (integer) 0 2) "*" 3) (integer) 0');
    expect(ask(0, '*', 'nowhere')).toBe('1) (integer) 0 2) "*" 3) (integer) 0');
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    expect(ask(5, a)).toBe(`1) (integer) 0 2) "${a}" 3) (integer) 5`);
    expect(s1.currentEpoch).toBe(5);
    expect(w.of('+new-epoch', 's1').map((e) => e.msg)).toEqual(['5']);
    expect(w.of('+vote-for-leader', 's1').map((e) => e.msg)).toEqual([`${a} 5`]);
    // Same epoch, another candidate: the earlier vote is returned.
    expect(ask(5, b)).toBe(`1) (integer) 0 2) "${a}" 3) (integer) 5`);
    expect(ask(6, b)).toBe(`1) (integer) 0 2) "${b}" 3) (integer) 6`);
    w.peer('m1').crash();
    w.runFor(3);
    expect(ask(6, '*')).toMatch(/^1\) \(integer\) 1 /);
  });

  it('ROLE, INFO sentinel, PING, and PUBLISH accepting only hellos', () => {
    const w = new SentinelWorld();
    w.runFor(3);
    const s1 = w.sentinel('s1');
    expect(formatReply(w.call(s1, 'ROLE')).replace(/\n/g, ' ')).toBe('1) "sentinel" 2) 1) "mymaster"');
    const info = (w.call(s1, 'INFO') as { value: string }).value;
    expect(info).toContain('redis_mode:sentinel');
    expect(info).toContain('sentinel_tilt:0\r\nsentinel_tilt_since_seconds:-1\r\n');
    expect(info).toContain('master0:name=mymaster,status=ok,address=m1:6379,slaves=2,sentinels=3\r\n');
    expect(w.call(s1, 'PING')).toEqual({ type: 'status', text: 'PONG' });
    expect(w.call(s1, 'PUBLISH', 'other', 'x')).toEqual({ type: 'error', text: 'ERR Only HELLO messages are accepted by Sentinel instances.' });
  });
});

describe('13-info-command', () => {
  it('INFO default/all/everything has exactly the server, clients, stats, cpu and sentinel sections; sections can be picked', () => {
    const w = new SentinelWorld({ sentinels: 1 });
    w.runFor(2);
    const s1 = w.sentinel('s1');
    const headers = (...argv: string[]) => ((w.call(s1, 'INFO', ...argv) as { value: string }).value.match(/^# \w+/gm) ?? []).join(',');
    for (const a of [[], ['default'], ['all'], ['everything']]) expect(headers(...a)).toBe('# Server,# Clients,# Stats,# CPU,# Sentinel');
    expect(headers('sentinel')).toBe('# Sentinel');
    expect(headers('server', 'sentinel')).toBe('# Server,# Sentinel');
    expect(headers('replication')).toBe('');
    const server = (w.call(s1, 'INFO', 'server') as { value: string }).value;
    // The process run_id is not the Sentinel id.
    expect(server).toMatch(/\r\nrun_id:[0-9a-f]{40}\r\n/);
    expect(server).not.toContain(s1.myid);
  });
});

describe('SENTINEL RESET', () => {
  it('forgets replicas and Sentinels (+reset-master), which come back from the next INFO and hellos', () => {
    const w = new SentinelWorld();
    w.runFor(5);
    const s1 = w.sentinel('s1');
    expect(w.call(s1, 'SENTINEL', 'reset', 'my*')).toEqual({ type: 'int', value: 1 });
    expect(w.call(s1, 'SENTINEL', 'reset', 'nomatch')).toEqual({ type: 'int', value: 0 });
    expect(w.of('+reset-master', 's1').map((e) => e.msg)).toEqual(['master mymaster m1 6379']);
    expect(s1.masterState('mymaster')).toMatchObject({ 'num-slaves': '0', 'num-other-sentinels': '0' });
    // info_refresh survives the reset, so the master's next INFO comes up to info-period (10 s) later.
    w.runFor(12);
    expect(s1.masterState('mymaster')).toMatchObject({ 'num-slaves': '2', 'num-other-sentinels': '2' });
  });

  it('+set names the option as the client wrote it', () => {
    const w = new SentinelWorld({ sentinels: 1 });
    w.call(w.sentinel('s1'), 'SENTINEL', 'SET', 'mymaster', 'QUORUM', '1');
    expect(w.of('+set').map((e) => e.msg)).toEqual(['master mymaster m1 6379 QUORUM 1']);
  });
});

describe('events on the Sentinel pub/sub', () => {
  it('SUBSCRIBE +switch-master and PSUBSCRIBE * receive events with their payloads; other commands are refused while subscribed', () => {
    const w = new SentinelWorld({ master: { downAfterMs: 2000, failoverTimeoutMs: 20000 } });
    w.runFor(4);
    const sub = client(w, 's2');
    expect(formatReply(sub.send('SUBSCRIBE', '+switch-master')).replace(/\n/g, ' ')).toBe('1) "subscribe" 2) "+switch-master" 3) (integer) 1');
    expect(sub.send('SENTINEL', 'myid')).toEqual({
      type: 'error',
      text: "ERR Can't execute 'sentinel': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
    });
    const all = client(w, 's2');
    all.send('PSUBSCRIBE', '*');
    const t0 = w.now;
    w.peer('m1').crash();
    w.runFor(20);
    const switches = sub.got.filter((r) => r.type === 'array' && (r.items![0] as { value: string }).value === 'message');
    expect(switches).toHaveLength(1);
    const payload = items(switches[0])[2] as { value: string };
    expect(payload.value).toBe(w.of('+switch-master', 's2')[0]!.msg);
    expect(payload.value).toMatch(/^mymaster m1 6379 r[12] 6379$/);
    const pm = all.got.filter((r) => r.type === 'array' && (r.items![0] as { value: string }).value === 'pmessage');
    const types = pm.map((r) => (items(r)[2] as { value: string }).value);
    expect(types).toEqual(w.events.filter((e) => e.sentinel === 's2' && e.t > t0).map((e) => e.type));
  });
});

describe('SENTINEL INFO-CACHE and PENDING-SCRIPTS', () => {
  // Shapes seen on a real 7.0.15 (2026-12-07, /work/notes/scmd/real-2.txt): INFO-CACHE
  // mymaster → *2 [ "mymaster", *2 [ *2 [:8906, $4991 "# Server…"], *2 [:3739, $5158 …] ] ],
  // the master first; `INFO-CACHE mymaster mymaster nosuch` → the same single entry;
  // `INFO-CACHE nosuch` → *0; PENDING-SCRIPTS with no script configured → *0.
  it('gives per named master its name and [age ms, last INFO] for the master, then each replica', () => {
    const w = new SentinelWorld();
    w.runFor(5);
    const s1 = w.sentinel('s1');
    const r = w.call(s1, 'SENTINEL', 'INFO-CACHE', 'mymaster', 'mymaster', 'nosuch');
    const top = items(r);
    expect(top).toHaveLength(2);
    expect(top[0]).toEqual({ type: 'bulk', value: 'mymaster' });
    const entries = items(top[1]).map(items);
    expect(entries).toHaveLength(3);
    // The master's age is SENTINEL MASTER's info-refresh at the same instant.
    expect(entries[0]![0]).toEqual({ type: 'int', value: Number(s1.masterState('mymaster')!['info-refresh']) });
    expect((entries[0]![1] as { value: string }).value).toBe(w.peer('m1').infoText());
    for (const [age, info] of entries) {
      expect(age!.type).toBe('int');
      expect((age as { value: number }).value).toBeLessThanOrEqual(10_000);
      expect((info as { value: string }).value).toMatch(/role:(master|slave)/);
    }
    expect(w.call(s1, 'SENTINEL', 'INFO-CACHE', 'nosuch')).toEqual({ type: 'array', items: [] });
    expect(w.call(s1, 'SENTINEL', 'PENDING-SCRIPTS')).toEqual({ type: 'array', items: [] });
  });

  it('a replica never refreshed: a null INFO, and an age of now − 0 because the master was refreshed (7.0.15 tests the master\'s info_refresh)', () => {
    const w = new SentinelWorld();
    w.peer('r2').hung = true;
    w.runFor(5);
    const s1 = w.sentinel('s1');
    const entries = items(items(w.call(s1, 'SENTINEL', 'INFO-CACHE', 'mymaster'))[1]).map(items);
    const r2 = entries.find((e) => e[1]!.type === 'bulk' && (e[1] as { value: string | null }).value === null)!;
    expect(r2[0]).toEqual({ type: 'int', value: s1.mstime() });
  });
});
