import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { SimulationAssertion } from '../../sim/engine/assert.js';
import { transferTime } from '../../sim/engine/time.js';
import type { Endpoint } from '../../sim/net/connection.js';
import { PORT, pair, watch, world } from './support/harness.js';

describe('connect', () => {
  it('costs one round trip: onAccept after one latency, onConnect after two', () => {
    const w = world();
    const seen: string[] = [];
    w.net.host('b').listen(PORT, (ep) => {
      seen.push(`${w.sim.now}:accept:${ep.localHost}<-${ep.remoteHost}:${ep.state}`);
    });
    const ep = w.net.host('a').connect('b', PORT, {
      onConnect: (e) => seen.push(`${w.sim.now}:connect:${e.localHost}->${e.remoteHost}:${e.state}`),
      onError: (r) => seen.push(`error:${r}`),
    });
    expect(ep.state).toBe('connecting');
    w.sim.run();
    expect(seen).toEqual(['100:accept:b<-a:open', '200:connect:a->b:open']);
    expect(ep.port).toBe(PORT);
  });
});

describe('send', () => {
  it('delivers after serialization plus latency: 1 MiB over 1 Gbit/s is 8.39 ms + latency', () => {
    const w = world({ bandwidth: 1e9 / 8 });
    const { c } = pair(w);
    const t0 = w.sim.now;
    c.send(1024 * 1024, 'blob');
    w.sim.run();
    // 1 MiB = 8 388 608 bits at 1e9 bit/s = 8388.608 µs, rounded up once.
    expect(transferTime(1024 * 1024, 1e9 / 8)).toBe(8389);
    expect(w.log).toEqual([`${t0 + 8389 + 100}:s:data:blob`]);
  });

  it('queues a send behind the bytes sent earlier in the same direction', () => {
    const w = world({ bandwidth: 1_000_000 }); // 1 byte per µs
    const { c, s } = pair(w);
    const t0 = w.sim.now;
    c.send(1000, 'x1');
    c.send(500, 'x2');
    s.send(10, 'y'); // the other direction has its own serializer
    w.sim.run();
    expect(w.log).toEqual([`${t0 + 10 + 100}:c:data:y`, `${t0 + 1000 + 100}:s:data:x1`, `${t0 + 1500 + 100}:s:data:x2`]);
  });

  it('hands the payload and byte count to onData and counts bytes at both ends', () => {
    const w = world();
    const { c, s } = pair(w);
    const got: [unknown, number][] = [];
    s.onData = (p, n) => void got.push([p, n]);
    const payload = { cmd: ['SET', 'k', 'v'] };
    c.send(31, payload);
    c.send(14, 'ping');
    w.sim.run();
    expect(got).toEqual([
      [payload, 31],
      ['ping', 14],
    ]);
    expect(got[0]![0]).toBe(payload);
    expect(c.bytesSent).toBe(45);
    expect(s.bytesReceived).toBe(45);
    expect(s.bytesSent).toBe(0);
  });

  it('onData assigned after accept, before data arrives, is the one called', () => {
    const w = world();
    const { c, s } = pair(w);
    const got: unknown[] = [];
    c.send(1, 'late');
    w.sim.after(50, () => {
      s.onData = (p) => void got.push(p);
    });
    w.sim.run();
    expect(got).toEqual(['late']);
  });

  it('data with no onData handler is a loud assertion', () => {
    const w = world();
    let server: Endpoint | undefined;
    w.net.host('b').listen(PORT, (ep) => (server = ep));
    w.net.host('a').connect('b', PORT, { onConnect: (e) => e.send(1, 'x'), onError: () => {} });
    expect(() => w.sim.run()).toThrow(/no onData handler/);
    expect(server).toBeDefined();
  });

  it('send on a connecting or closed endpoint, or with a bad byte count, throws', () => {
    const w = world();
    const ep = w.net.host('a').connect('b', PORT, { onConnect: () => {}, onError: () => {} });
    expect(() => ep.send(1, 'x')).toThrow(SimulationAssertion);
    const { c } = pair(w, 'a', 'c');
    expect(() => c.send(-1, 'x')).toThrow(SimulationAssertion);
    expect(() => c.send(1.5, 'x')).toThrow(SimulationAssertion);
    c.close();
    expect(() => c.send(1, 'x')).toThrow(/send on a closed endpoint/);
  });

  // Random latency must never reorder a direction: whatever the samples, delivery order is
  // send order and delivery times never go backwards.
  test.prop([fc.string(), fc.array(fc.tuple(fc.nat(5000), fc.nat(3000)), { minLength: 1, maxLength: 60 })])(
    'is FIFO per direction under random latency and bandwidth',
    (seed, sends) => {
      const w = world({ seed, latency: { kind: 'uniform', minUs: 1, maxUs: 20_000 }, bandwidth: 10_000_000 });
      const { c, s } = pair(w);
      const got: number[] = [];
      const times: number[] = [];
      s.onData = (p) => {
        got.push(p as number);
        times.push(w.sim.now);
      };
      let at = w.sim.now;
      sends.forEach(([gap, bytes], i) => {
        at += gap;
        w.sim.at(at, () => c.send(bytes, i));
      });
      w.sim.run();
      expect(got).toEqual(sends.map((_, i) => i));
      expect([...times].sort((x, y) => x - y)).toEqual(times);
    },
  );
});

describe('bytesInFlight', () => {
  it('counts bytes serializing, on the wire, and not yet handed over; drops to 0 on delivery', () => {
    const w = world({ bandwidth: 1_000_000 });
    const { c, s } = pair(w);
    const t0 = w.sim.now;
    c.send(1000, 'a');
    c.send(500, 'b');
    expect(c.bytesInFlight).toBe(1500);
    expect(s.bytesInFlight).toBe(0);
    w.sim.run({ until: t0 + 1099 }); // first still on the wire
    expect(c.bytesInFlight).toBe(1500);
    w.sim.run({ until: t0 + 1100 }); // first delivered
    expect(c.bytesInFlight).toBe(500);
    w.sim.run();
    expect(c.bytesInFlight).toBe(0);
  });
});

describe('close and reset', () => {
  it('close: data already sent is delivered first, then the peer sees fin; both ends end closed', () => {
    const w = world({ bandwidth: 1_000_000 });
    const { c, s } = pair(w);
    const t0 = w.sim.now;
    c.send(1000, 'last-words');
    c.close();
    expect(c.state).toBe('closed');
    expect(s.state).toBe('open');
    w.sim.run();
    expect(w.log).toEqual([`${t0 + 1100}:s:data:last-words`, `${t0 + 1100}:s:close:fin`]);
    expect(s.state).toBe('closed');
    expect(c.bytesInFlight).toBe(0);
    c.close(); // idempotent, no second notification
    s.close();
    w.sim.run();
    expect(w.log).toHaveLength(2);
  });

  it('a closed end reads nothing more: data sent to it after its close is dropped', () => {
    const w = world();
    const { c, s } = pair(w);
    s.send(1, 'to-closed');
    c.close();
    w.sim.run();
    expect(w.log.filter((l) => l.includes(':c:'))).toEqual([]);
    expect(s.bytesInFlight).toBe(0);
  });

  it('reset: undelivered data is dropped and the peer sees reset after one latency', () => {
    const w = world({ bandwidth: 1_000_000 });
    const { c, s } = pair(w);
    const t0 = w.sim.now;
    c.send(1000, 'doomed');
    w.sim.run({ until: t0 + 500 });
    c.reset();
    expect(c.state).toBe('closed');
    expect(c.bytesInFlight).toBe(0);
    w.sim.run();
    expect(w.log).toEqual([`${t0 + 500 + 100}:s:close:reset`]);
    expect(s.state).toBe('closed');
    expect(w.sim.trace.records().some((r) => r.kind === 'net.reset' && r.node === 'a')).toBe(true);
  });

  it("the peer's own unsent data is discarded when it learns of the reset", () => {
    const w = world({ bandwidth: 1_000 }); // 1 byte per ms: 5000 bytes take 5 s to leave
    const { c, s } = pair(w);
    s.send(5000, 'slow');
    c.reset();
    expect(s.bytesInFlight).toBe(5000);
    w.sim.run();
    expect(s.bytesInFlight).toBe(0);
    expect(w.log.filter((l) => l.includes('data'))).toEqual([]);
  });
});
