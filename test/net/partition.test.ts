import { describe, expect, it } from 'vitest';
import { ms, sec } from '../../sim/engine/time.js';
import { pair, world } from './support/harness.js';

/**
 * Linux's retransmission timer on these 100 µs links: RTO = srtt + TCP_RTO_MIN = 200 ms +
 * 200 µs, doubling at each expiry. The k-th retransmission of a segment sent at t leaves at
 * t + RTO·(2^k − 1) and arrives one latency (100 µs) later. pair() leaves the connection
 * open at t = 200 µs, so data sent right away left at 200.
 */
const RTO = 200_000 + 2 * 100;
const retransmitted = (sentAt: number, k: number): number => sentAt + RTO * (2 ** k - 1) + 100;

describe('partition', () => {
  it('does not close connections: data stalls, then arrives in order at the first retransmission after the heal', () => {
    const w = world();
    const { c, s } = pair(w);
    const id = w.net.partition([['a'], ['b']]);
    c.send(10, 'one');
    c.send(10, 'two');
    s.send(10, 'back');
    w.sim.run({ until: sec(30) });
    expect(w.log).toEqual([]);
    expect(c.state).toBe('open');
    expect(s.state).toBe('open');
    expect(c.bytesInFlight).toBe(20);
    w.net.heal(id);
    c.send(10, 'after-heal');
    w.sim.run();
    // Same-time events of the two directions may interleave either way; each is in order.
    // 200 + 200.2 ms × (2^8 − 1) = 51.0512 s is the first retransmission after 30 s (the 7th, at
    // 25.4 s, was before the heal): 21 s of silence after the heal, as on a real kernel.
    const at = retransmitted(200, 8);
    expect(at).toBe(51_051_300);
    expect(w.log.filter((l) => l.includes(':s:'))).toEqual([`${at}:s:data:one`, `${at}:s:data:two`, `${at}:s:data:after-heal`]);
    expect(w.log.filter((l) => l.includes(':c:'))).toEqual([`${at}:c:data:back`]);
    expect(c.bytesInFlight).toBe(0);
  });

  it('data already on the wire when the partition starts stalls too (checked on arrival)', () => {
    const w = world();
    const { c } = pair(w);
    c.send(1, 'in-flight');
    w.sim.run({ until: w.sim.now + 50 });
    const id = w.net.partition([['a'], ['b']]);
    w.sim.run({ until: sec(2) });
    expect(w.log).toEqual([]);
    w.net.heal(id);
    w.sim.run();
    expect(w.log).toEqual([`${retransmitted(200, 4)}:s:data:in-flight`]); // 3.0033 s: 0.2, 0.6, 1.4 were before the heal
  });

  it('a short partition that starts and ends while a segment is on the wire does not delay it', () => {
    const w = world();
    const { c } = pair(w);
    const t0 = w.sim.now;
    c.send(1, 'x');
    w.sim.at(t0 + 10, () => {
      const id = w.net.partition([['a'], ['b']]);
      w.sim.at(t0 + 20, () => w.net.heal(id));
    });
    w.sim.run();
    expect(w.log).toEqual([`${t0 + 100}:s:data:x`]);
  });

  it('stalled data flushes with a fresh random latency each, never reordered', () => {
    const w = world({ latency: { kind: 'uniform', minUs: 1, maxUs: 50_000 }, seed: 'flush' });
    const { c, s } = pair(w);
    const got: number[] = [];
    s.onData = (p) => void got.push(p as number);
    const id = w.net.partition([['a'], ['b']]);
    for (let i = 0; i < 200; i++) c.send(1, i);
    w.sim.run({ until: sec(5) });
    w.net.heal(id);
    w.sim.run();
    expect(got).toEqual([...Array(200).keys()]);
  });

  it('one-way: from → to stalls while the reverse direction works', () => {
    const w = world();
    const { c, s } = pair(w);
    const t0 = w.sim.now;
    const id = w.net.partitionOneWay(['a'], ['b']);
    expect(w.net.isBlocked('a', 'b')).toBe(true);
    expect(w.net.isBlocked('b', 'a')).toBe(false);
    c.send(1, 'stalls');
    s.send(1, 'flows');
    w.sim.run({ until: sec(1) });
    expect(w.log).toEqual([`${t0 + 100}:c:data:flows`]);
    w.net.heal(id);
    w.sim.run();
    expect(w.log).toEqual([`${t0 + 100}:c:data:flows`, `${retransmitted(t0, 3)}:s:data:stalls`]);
  });

  it('hosts not named are unaffected; a host always reaches itself', () => {
    const w = world();
    w.net.partition([['a'], ['b']]);
    expect(w.net.isBlocked('a', 'c')).toBe(false);
    expect(w.net.isBlocked('c', 'b')).toBe(false);
    expect(w.net.isBlocked('a', 'a')).toBe(false);
    expect(w.net.isBlocked('b', 'a')).toBe(true);
  });

  it('overlapping partitions: data flows only when no fault blocks the direction', () => {
    const w = world();
    const { c } = pair(w);
    const p1 = w.net.partition([['a'], ['b', 'c']]);
    const p2 = w.net.partitionOneWay(['a'], ['b']);
    c.send(1, 'x');
    w.sim.run({ until: sec(1) });
    w.net.heal(p1);
    w.sim.run({ until: sec(2) });
    expect(w.log).toEqual([]);
    w.net.heal(p2);
    w.net.heal(p2); // healing twice is harmless
    w.sim.run();
    expect(w.log).toEqual([`${retransmitted(200, 4)}:s:data:x`]);
  });

  it('healAll heals everything', () => {
    const w = world();
    const { c } = pair(w);
    w.net.partition([['a'], ['b']]);
    w.net.partitionOneWay(['a'], ['b']);
    c.send(1, 'x');
    w.sim.run({ until: sec(1) });
    w.net.healAll();
    w.sim.run();
    expect(w.log).toEqual([`${retransmitted(200, 3)}:s:data:x`]);
  });

  it('close during a partition: the FIN stalls behind the data and follows it after the heal', () => {
    const w = world();
    const { c } = pair(w);
    const id = w.net.partition([['a'], ['b']]);
    c.send(1, 'x');
    c.close();
    w.sim.run({ until: sec(1) });
    expect(w.log).toEqual([]);
    w.net.heal(id);
    w.sim.run();
    expect(w.log).toEqual([`${retransmitted(200, 3)}:s:data:x`, `${retransmitted(200, 3)}:s:close:fin`]);
  });

  it('reset during a partition drops the stalled data; the RST (never retransmitted) reaches the peer at the heal', () => {
    const w = world();
    const { c, s } = pair(w);
    const id = w.net.partition([['a'], ['b']]);
    c.send(100, 'stalled');
    w.sim.run({ until: sec(1) });
    c.reset();
    expect(c.bytesInFlight).toBe(0);
    w.sim.run({ until: sec(2) });
    expect(s.state).toBe('open');
    w.net.heal(id);
    w.sim.run();
    expect(w.log).toEqual([`${sec(2) + 100}:s:close:reset`]);
  });

  it('records partition and heal in the trace, not packets', () => {
    const w = world();
    const { c } = pair(w);
    const before = w.sim.trace.count;
    const id = w.net.partition([['a', 'c'], ['b']]);
    for (let i = 0; i < 10; i++) c.send(1, i);
    w.net.heal(id);
    w.sim.run();
    const kinds = w.sim.trace.records().slice(before).map((r) => r.kind);
    expect(kinds).toEqual(['net.partition', 'net.heal']);
    expect(w.sim.trace.records()[before]).toMatchObject({ id, groups: 'a,c|b' });
  });

  it('rejects unknown host names', () => {
    const w = world();
    expect(() => w.net.partition([['a'], ['nope']])).toThrow(/no host named "nope"/);
    expect(() => w.net.partition([['a'], ['a', 'b']])).toThrow(/more than one group/);
  });
});

describe('clog and loss', () => {
  it('clog adds latency both ways to packets sent during it, and not after', () => {
    const w = world();
    const { c, s } = pair(w);
    const t0 = w.sim.now;
    w.net.clog('a', 'b', ms(50), ms(10));
    c.send(1, 'slow');
    s.send(1, 'slow-back');
    w.sim.at(t0 + ms(10), () => c.send(1, 'fast'));
    w.sim.run();
    expect(w.log).toEqual([
      `${t0 + ms(50) + 100}:s:data:slow`,
      `${t0 + ms(50) + 100}:c:data:slow-back`,
      // FIFO: "fast" left after the clog ended and would arrive at +10.1 ms, but cannot overtake "slow".
      `${t0 + ms(50) + 100}:s:data:fast`,
    ]);
    expect(w.sim.trace.records().filter((r) => r.kind === 'net.clog')).toEqual([
      { t: t0, node: undefined, kind: 'net.clog', a: 'a', b: 'b', extraUs: ms(50), durationUs: ms(10) },
    ]);
  });

  it('loss is a retransmission delay, never lost bytes', () => {
    const w = world();
    const { c, s } = pair(w);
    const got: number[] = [];
    s.onData = (p) => void got.push(p as number);
    const t0 = w.sim.now;
    w.net.setLossRto('a', 'b', 1, ms(200));
    c.send(1, 0);
    w.sim.run();
    expect(w.sim.now).toBe(t0 + ms(200) + 100);
    w.net.setLossRto('a', 'b', 0.3, ms(200));
    for (let i = 1; i <= 100; i++) c.send(1, i);
    w.sim.run();
    expect(got).toEqual([...Array(101).keys()]);
  });
});
