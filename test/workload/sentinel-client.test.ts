import { describe, expect, it } from 'vitest';
import { Simulator } from '../../sim/engine/simulator.js';
import type { TraceRecord } from '../../sim/engine/trace.js';
import type { Endpoint } from '../../sim/net/connection.js';
import { Network } from '../../sim/net/network.js';
import { array, bulk, err, nilArray, ok, type Reply } from '../../sim/redis/protocol/reply.js';
import type { WireMessage } from '../../sim/redis/wire.js';
import { replyBytes } from '../../sim/redis/protocol/resp.js';
import { SentinelClient, type SentinelClientOptions } from '../../sim/workload/sentinel-client.js';

/** A fake process answering each command with `answer(argv)` (null: never answers). */
function serve(net: Network, host: string, port: number, answer: (argv: string[], ep: Endpoint) => Reply | null): void {
  net.host(host).listen(port, (ep) => {
    ep.onData = (payload) => {
      const m = payload as WireMessage;
      if (m.t !== 'cmd') return;
      const r = answer(m.argv, ep);
      if (r !== null) ep.send(replyBytes(r), { t: 'reply', reply: r } satisfies WireMessage);
    };
  });
}

/** A Sentinel that says `where()` is the master of mymaster. */
function fakeSentinel(net: Network, name: string, where: () => string | null): void {
  serve(net, name, 26379, (argv) => {
    if (argv[0] === 'SENTINEL' && argv[1] === 'get-master-addr-by-name') {
      const w = argv[2] === 'mymaster' ? where() : null;
      return w === null ? nilArray() : array([bulk(w), bulk('6379')]);
    }
    return err('ERR unknown command');
  });
}

function fakeRedis(net: Network, name: string, role: () => 'master' | 'slave', writes: string[]): void {
  serve(net, name, 6379, (argv) => {
    if (argv[0] === 'ROLE') return array([bulk(role())]);
    if (argv[0] === 'SET') {
      if (role() !== 'master') return err("READONLY You can't write against a read only replica.");
      writes.push(argv[1]!);
      return ok();
    }
    return err('ERR unknown command');
  });
}

function setup(hosts: string[]) {
  const sim = new Simulator({ seed: 't', traceRetention: 'none' });
  const net = new Network(sim, { latency: { kind: 'fixed', us: 200 }, bandwidthBytesPerSec: 125_000_000 });
  for (const h of [...hosts, 'app']) net.addHost(h);
  const records: TraceRecord[] = [];
  sim.trace.subscribe((r) => {
    if (r.kind.startsWith('client.')) records.push(r);
  });
  return { sim, net, records };
}

const opts = (o: Partial<SentinelClientOptions> = {}): SentinelClientOptions => ({
  host: 'app',
  sentinels: ['s1', 's2', 's3'].map((name) => ({ name, host: name, port: 26379 })),
  master: 'mymaster',
  rateHz: 100,
  fromUs: 0,
  untilUs: 1_000_000,
  roleCheck: true,
  retryDelayUs: 200_000,
  connectTimeoutUs: 300_000,
  timeoutUs: 1_000_000,
  subscribe: false,
  keyPrefix: 'sc',
  db: 0,
  ...o,
});

describe('SentinelClient (the Sentinel client spec, §17)', () => {
  it('asks the Sentinels in order, skips one that is down, moves the one that answered to the head, and writes to the master it named', () => {
    const { sim, net, records } = setup(['s1', 's2', 's3', 'm1']);
    // s1 has no listener: connection refused. s2 answers.
    fakeSentinel(net, 's2', () => 'm1');
    fakeSentinel(net, 's3', () => 'm1');
    const writes: string[] = [];
    fakeRedis(net, 'm1', () => 'master', writes);
    const c = new SentinelClient(sim, net, opts());
    c.start();
    sim.run({ until: 1_000_000 });
    expect(c.sentinelOrder).toEqual(['s2', 's1', 's3']);
    const discover = records.filter((r) => r.kind === 'client.discover');
    expect(discover.map((r) => [r['sentinel'], r['address']])).toEqual([['s1', ''], ['s2', 'm1:6379']]);
    // 100/s for 1 s, one at a time with sub-ms round trips: every tick writes (the first tick comes before ROLE's answer).
    expect(writes.length).toBeGreaterThanOrEqual(98);
    const done = records.filter((r) => r.kind === 'client.acked-write');
    expect(done.length).toBe(writes.length);
    expect(done.every((r) => r['set'] === 'OK' && r.node === 'm1')).toBe(true);
    const invoked = records.filter((r) => r.kind === 'client.write').map((r) => r['key']);
    expect(invoked).toEqual(writes);
  });

  it('an unknown master name (a null reply) sends it to the next Sentinel', () => {
    const { sim, net, records } = setup(['s1', 's2', 's3', 'm1']);
    serve(net, 's1', 26379, () => nilArray());
    fakeSentinel(net, 's2', () => 'm1');
    const writes: string[] = [];
    fakeRedis(net, 'm1', () => 'master', writes);
    new SentinelClient(sim, net, opts({ untilUs: 100_000 })).start();
    sim.run({ until: 100_000 });
    expect(records.filter((r) => r.kind === 'client.discover').map((r) => r['sentinel'])).toEqual(['s1', 's2']);
    expect(writes.length).toBeGreaterThan(0);
  });

  it('with the ROLE check, a stale answer naming a replica is not written to; the client asks again after the retry delay', () => {
    const { sim, net, records } = setup(['s1', 'm1', 'r1']);
    let answer = 'r1';
    fakeSentinel(net, 's1', () => answer);
    const m1: string[] = [];
    const r1: string[] = [];
    fakeRedis(net, 'm1', () => 'master', m1);
    fakeRedis(net, 'r1', () => 'slave', r1);
    sim.at(500_000, () => (answer = 'm1'));
    new SentinelClient(sim, net, opts({ sentinels: [{ name: 's1', host: 's1', port: 26379 }] })).start();
    sim.run({ until: 1_000_000 });
    expect(r1).toEqual([]);
    expect(records.filter((r) => r.kind === 'client.role-check').every((r) => r['role'] === 'slave')).toBe(true);
    // Asked at 0, then every 200 ms retry delay (+ round trips) until the answer changes at 500 ms.
    expect(records.filter((r) => r.kind === 'client.discover').map((r) => r['address'])).toEqual(['r1:6379', 'r1:6379', 'r1:6379', 'm1:6379']);
    expect(m1.length).toBeGreaterThan(0);
  });

  it('without the ROLE check, it writes to what the Sentinel said; -READONLY sends it back to discovery', () => {
    const { sim, net, records } = setup(['s1', 'm1', 'r1']);
    let answer = 'r1';
    fakeSentinel(net, 's1', () => answer);
    const m1: string[] = [];
    fakeRedis(net, 'm1', () => 'master', m1);
    fakeRedis(net, 'r1', () => 'slave', []);
    sim.at(300_000, () => (answer = 'm1'));
    new SentinelClient(sim, net, opts({ sentinels: [{ name: 's1', host: 's1', port: 26379 }], roleCheck: false })).start();
    sim.run({ until: 1_000_000 });
    const failed = records.filter((r) => r.kind === 'client.acked-write' && String(r['set']).startsWith('(error) READONLY'));
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.node === 'r1')).toBe(true);
    expect(m1.length).toBeGreaterThan(0);
  });

  it('a reset connection (CLIENT KILL) sends it back to step 1; the write in flight completes as "no reply"', () => {
    const { sim, net, records } = setup(['s1', 'm1', 'r1']);
    let answer = 'm1';
    fakeSentinel(net, 's1', () => answer);
    const r1: string[] = [];
    let killed = false;
    serve(net, 'm1', 6379, (argv, ep) => {
      if (argv[0] === 'ROLE') return array([bulk('master')]);
      if (sim.now >= 400_000 && !killed) {
        killed = true;
        answer = 'r1';
        ep.reset();
        return null;
      }
      return ok();
    });
    fakeRedis(net, 'r1', () => 'master', r1);
    new SentinelClient(sim, net, opts({ sentinels: [{ name: 's1', host: 's1', port: 26379 }] })).start();
    sim.run({ until: 1_000_000 });
    const noReply = records.filter((r) => r.kind === 'client.acked-write' && r['set'] === 'no reply');
    expect(noReply.map((r) => r.node)).toEqual(['m1']);
    expect(records.filter((r) => r.kind === 'client.discover').map((r) => r['address'])).toEqual(['m1:6379', 'r1:6379']);
    expect(r1.length).toBeGreaterThan(0);
  });

  it('a master that stops answering (a partition keeps TCP up) is given up after the command timeout', () => {
    const { sim, net, records } = setup(['s1', 'm1']);
    fakeSentinel(net, 's1', () => 'm1');
    const m1: string[] = [];
    fakeRedis(net, 'm1', () => 'master', m1);
    sim.at(300_000, () => net.partition([['m1'], ['app', 's1']]));
    new SentinelClient(sim, net, opts({ sentinels: [{ name: 's1', host: 's1', port: 26379 }], timeoutUs: 250_000, untilUs: 800_000 })).start();
    sim.run({ until: 1_000_000 });
    const noReply = records.filter((r) => r.kind === 'client.acked-write' && r['set'] === 'no reply');
    expect(noReply.length).toBe(1);
    // Sent just before or after the cut, given up one timeout later.
    expect(noReply[0]!.t - Number(noReply[0]!['invoked_us'])).toBe(250_000);
  });

  it('with subscribe, a +switch-master naming another address sends it to discovery at once', () => {
    const { sim, net, records } = setup(['s1', 'm1', 'r1']);
    let answer = 'm1';
    let subscriber: Endpoint | null = null;
    serve(net, 's1', 26379, (argv, ep) => {
      if (argv[0] === 'SUBSCRIBE') {
        subscriber = ep;
        return array([bulk('subscribe'), bulk('+switch-master'), { type: 'int', value: 1 }]);
      }
      return array([bulk(answer), bulk('6379')]);
    });
    const r1: string[] = [];
    fakeRedis(net, 'm1', () => 'master', []);
    fakeRedis(net, 'r1', () => 'master', r1);
    sim.at(500_000, () => {
      answer = 'r1';
      const push = array([bulk('message'), bulk('+switch-master'), bulk('mymaster m1 6379 r1 6379')]);
      subscriber!.send(replyBytes(push), { t: 'reply', reply: push } satisfies WireMessage);
    });
    new SentinelClient(sim, net, opts({ sentinels: [{ name: 's1', host: 's1', port: 26379 }], subscribe: true })).start();
    sim.run({ until: 1_000_000 });
    expect(records.filter((r) => r.kind === 'client.switch-master').map((r) => r['to'])).toEqual(['r1']);
    expect(r1.length).toBeGreaterThan(0);
    const firstR1 = records.find((r) => r.kind === 'client.write' && r.node === 'r1')!;
    expect(firstR1.t).toBeLessThan(520_000);
  });
});
