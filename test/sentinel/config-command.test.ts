/**
 * SENTINEL CONFIG GET | SET against what a real redis-sentinel 7.0.15 answered on loopback
 * (2026-12-07; raw RESP bytes in /work/notes/scmd/real-1.txt and real-2.txt), and what a SET
 * changes in the model: the hellos' address, the AUTH of Sentinel links, the config file.
 */
import { describe, expect, it } from 'vitest';
import { replyBytes } from '../../sim/redis/protocol/resp.js';
import type { Reply } from '../../sim/redis/protocol/reply.js';
import { resp2 } from '../helpers/resp2-bytes.js';
import { SentinelWorld } from '../helpers/sentinel-world.js';

function bytes(r: Reply): string {
  const s = resp2(r);
  expect(replyBytes(r)).toBe(Buffer.byteLength(s));
  return s;
}

function flat(r: Reply): Record<string, string> {
  const its = (r as { items: readonly Reply[] }).items;
  const o: Record<string, string> = {};
  for (let i = 0; i < its.length; i += 2) o[(its[i] as { value: string }).value] = (its[i + 1] as { value: string }).value;
  return o;
}

describe('SENTINEL CONFIG GET (bytes of a real 7.0.15)', () => {
  it('a glob, case-insensitive, picks options in sentinel.c order; unset strings are empty; no match is an empty array', () => {
    const w = new SentinelWorld();
    const s1 = w.sentinel('s1');
    const get = (p: string): string => bytes(w.call(s1, 'SENTINEL', 'CONFIG', 'GET', p));
    expect(get('*')).toBe(
      '*12\r\n$17\r\nresolve-hostnames\r\n$2\r\nno\r\n$18\r\nannounce-hostnames\r\n$2\r\nno\r\n$11\r\nannounce-ip\r\n$0\r\n\r\n' +
        '$13\r\nannounce-port\r\n$1\r\n0\r\n$13\r\nsentinel-user\r\n$0\r\n\r\n$13\r\nsentinel-pass\r\n$0\r\n\r\n',
    );
    expect(get('announce-*')).toBe('*6\r\n$18\r\nannounce-hostnames\r\n$2\r\nno\r\n$11\r\nannounce-ip\r\n$0\r\n\r\n$13\r\nannounce-port\r\n$1\r\n0\r\n');
    expect(get('ANNOUNCE-IP')).toBe('*2\r\n$11\r\nannounce-ip\r\n$0\r\n\r\n');
    expect(get('nosuch')).toBe('*0\r\n');
  });

  it('shows what SET stored (real: announce-ip 10.9.8.7, ANNOUNCE-PORT 5555, announce-hostnames YES, sentinel-user u1)', () => {
    const w = new SentinelWorld();
    const s1 = w.sentinel('s1');
    for (const [o, v] of [['announce-ip', '10.9.8.7'], ['ANNOUNCE-PORT', '5555'], ['announce-hostnames', 'YES'], ['sentinel-user', 'u1']] as const) {
      expect(w.call(s1, 'SENTINEL', 'CONFIG', 'SET', o, v)).toEqual({ type: 'status', text: 'OK' });
    }
    expect(bytes(w.call(s1, 'SENTINEL', 'CONFIG', 'GET', '*'))).toBe(
      '*12\r\n$17\r\nresolve-hostnames\r\n$2\r\nno\r\n$18\r\nannounce-hostnames\r\n$3\r\nyes\r\n$11\r\nannounce-ip\r\n$8\r\n10.9.8.7\r\n' +
        '$13\r\nannounce-port\r\n$4\r\n5555\r\n$13\r\nsentinel-user\r\n$2\r\nu1\r\n$13\r\nsentinel-pass\r\n$0\r\n\r\n',
    );
    expect(bytes(w.call(s1, 'SENTINEL', 'CONFIG', 'GET', '*-user'))).toBe('*2\r\n$13\r\nsentinel-user\r\n$2\r\nu1\r\n');
    expect(bytes(w.call(s1, 'SENTINEL', 'CONFIG', 'GET', '?nnounce-ip'))).toBe('*2\r\n$11\r\nannounce-ip\r\n$8\r\n10.9.8.7\r\n');
    // sentinel-user "" clears it (NULL), shown as "" again.
    w.call(s1, 'SENTINEL', 'CONFIG', 'SET', 'sentinel-user', '');
    expect(flat(w.call(s1, 'SENTINEL', 'CONFIG', 'GET', 'sentinel-user'))).toEqual({ 'sentinel-user': '' });
  });
});

describe('SENTINEL CONFIG errors (texts of a real 7.0.15)', () => {
  it.each([
    [['CONFIG'], "-ERR wrong number of arguments for 'sentinel|config' command\r\n"],
    [['CONFIG', 'GET'], '-ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.\r\n'],
    [['CONFIG', 'GET', 'a', 'b'], '-ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.\r\n'],
    [['CONFIG', 'SET', 'announce-ip'], '-ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.\r\n'],
    [['CONFIG', 'FOO', 'x'], '-ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.\r\n'],
    [['CONFIG', 'SET', 'announce-port', '70000'], "-ERR Invalid value '70000' to SENTINEL CONFIG SET 'announce-port'\r\n"],
    [['CONFIG', 'SET', 'announce-port', '-1'], "-ERR Invalid value '-1' to SENTINEL CONFIG SET 'announce-port'\r\n"],
    [['CONFIG', 'SET', 'announce-port', 'abc'], "-ERR Invalid value 'abc' to SENTINEL CONFIG SET 'announce-port'\r\n"],
    [['CONFIG', 'SET', 'resolve-hostnames', 'maybe'], "-ERR Invalid value 'maybe' to SENTINEL CONFIG SET 'resolve-hostnames'\r\n"],
    [['CONFIG', 'SET', 'nosuch', '1'], "-ERR Invalid argument 'nosuch' to SENTINEL CONFIG SET\r\n"],
  ])('SENTINEL %j', (args, real) => {
    const w = new SentinelWorld();
    const s1 = w.sentinel('s1');
    expect(bytes(w.call(s1, 'SENTINEL', ...args))).toBe(real);
    // Nothing changed.
    expect(flat(w.call(s1, 'SENTINEL', 'CONFIG', 'GET', '*'))).toMatchObject({ 'announce-port': '0', 'resolve-hostnames': 'no' });
  });
});

describe('what SENTINEL CONFIG SET changes', () => {
  it('announce-ip / announce-port go into the hellos: the others see this Sentinel move (+sentinel-address-switch)', () => {
    const w = new SentinelWorld();
    w.runFor(5);
    const s1 = w.sentinel('s1');
    w.call(s1, 'SENTINEL', 'CONFIG', 'SET', 'announce-ip', '10.9.8.7');
    w.call(s1, 'SENTINEL', 'CONFIG', 'SET', 'announce-port', '5555');
    w.runFor(5);
    const seen = (w.call(w.sentinel('s2'), 'SENTINEL', 'sentinels', 'mymaster') as { items: readonly Reply[] }).items.map(flat);
    expect(seen.find((x) => x.name === s1.myid)).toMatchObject({ ip: '10.9.8.7', port: '5555' });
    expect(w.of('+sentinel-address-switch', 's2').map((e) => e.msg)).toContain(`master mymaster m1 6379 ip 10.9.8.7 port 5555 for ${s1.myid}`);
    // Persisted: a restart keeps announcing it.
    s1.restart();
    expect(flat(w.call(s1, 'SENTINEL', 'CONFIG', 'GET', 'announce-*'))).toMatchObject({ 'announce-ip': '10.9.8.7', 'announce-port': '5555' });
  });

  it('announce-ip "" makes the hellos carry an empty ip, which the others cannot resolve: they forget this Sentinel until it restarts', () => {
    // Seen on the real 7.0.15: the peer logged "Failed to resolve hostname ''",
    // +sentinel-address-switch "ip  port …", and num-other-sentinels dropped from 1 to 0;
    // after a restart the loader skipped `sentinel announce-ip ""` and the peers saw it again.
    const w = new SentinelWorld();
    w.runFor(5);
    const s1 = w.sentinel('s1');
    const others = (name: string): string => w.sentinel(name).masterState('mymaster')!['num-other-sentinels']!;
    expect(others('s2')).toBe('2');
    w.call(s1, 'SENTINEL', 'CONFIG', 'SET', 'announce-ip', '');
    w.runFor(5);
    expect(others('s2')).toBe('1');
    expect(w.of('+sentinel-address-switch', 's2').map((e) => e.msg)).toContain(`master mymaster m1 6379 ip  port 26379 for ${s1.myid}`);
    const logs = w.sim.trace.records().flatMap((r) => (r.kind === 'sentinel.log' && r.node === 's2' ? [r.msg] : []));
    expect(logs).toContain("Failed to resolve hostname ''");
    s1.restart();
    expect(flat(w.call(s1, 'SENTINEL', 'CONFIG', 'GET', 'announce-ip'))).toEqual({ 'announce-ip': '' });
    w.runFor(5);
    expect(others('s2')).toBe('2');
  });

  it('sentinel-user / sentinel-pass: the links to other Sentinels are dropped and reconnect with the new AUTH', () => {
    const w = new SentinelWorld();
    w.runFor(5);
    const s1 = w.sentinel('s1');
    const connectsBefore = w.sim.trace.records().filter((r) => r.kind === 'net.connect' && r.node === 's1').length;
    expect(w.call(s1, 'SENTINEL', 'CONFIG', 'SET', 'sentinel-pass', 'secret')).toEqual({ type: 'status', text: 'OK' });
    // The drop is immediate: every Sentinel link shows disconnected in SENTINEL SENTINELS.
    const flags = (w.call(s1, 'SENTINEL', 'sentinels', 'mymaster') as { items: readonly Reply[] }).items.map((r) => flat(r).flags);
    expect(flags).toEqual(['sentinel,disconnected', 'sentinel,disconnected']);
    w.runFor(2);
    const connects = w.sim.trace.records().filter((r) => r.kind === 'net.connect' && r.node === 's1').slice(connectsBefore);
    expect(connects.map((r) => (r as { to?: string }).to ?? '').filter((to) => to.startsWith('s'))).toHaveLength(2);
    // The Sentinels answer AUTH with an error (no password set on them); the link stays up (an AUTH error does not drop cc).
    const after = (w.call(s1, 'SENTINEL', 'sentinels', 'mymaster') as { items: readonly Reply[] }).items.map((r) => flat(r).flags);
    expect(after).toEqual(['sentinel', 'sentinel']);
    expect(s1.disk!.globals.sentinelPass).toBe('secret');
  });
});
