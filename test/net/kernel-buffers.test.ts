import { describe, expect, it } from 'vitest';
import { sec } from '../../sim/engine/time.js';
import { Network, TCP_RECEIVE_BUFFER_BYTES, TCP_SEND_BUFFER_BYTES } from '../../sim/net/network.js';
import { pair, world } from './support/harness.js';

const MiB = 1024 * 1024;
/** pair() opens at 200 µs; on 100 µs links the RTO is 200.2 ms (retransmit.test.ts). */
const RTO = 200_000 + 200;

describe('stalled bytes drain at the link bandwidth after a heal', () => {
  it('10 × 100 kB stalled on a 1 MB/s link take 1 s to arrive, from the first retransmission', () => {
    const w = world({ bandwidth: 1_000_000 });
    const { c, s } = pair(w);
    const got: number[] = [];
    s.onData = () => void got.push(w.sim.now);
    const id = w.net.partition([['a'], ['b']]);
    for (let i = 0; i < 10; i++) c.send(100_000, i);
    w.sim.run({ until: sec(2) });
    expect(got).toEqual([]);
    w.net.heal(id);
    w.sim.run();
    // The first left at 200 µs + 0.1 s of serialization; it arrived (stalled) one latency later.
    const sentAt = 200 + 100_000;
    const resume = sentAt + RTO * 15; // the 4th retransmission (3.3 s) is the first after the heal
    expect(got).toEqual([...Array(10).keys()].map((i) => resume + (i + 1) * 100_000 + 100));
  });
});

describe('the kernels hold at most SO_SNDBUF + the peer’s SO_RCVBUF', () => {
  it('a partitioned peer: only the send buffer is taken, the rest is the application’s', () => {
    const w = world();
    const { c } = pair(w);
    w.net.partition([['a'], ['b']]);
    for (let i = 0; i < 10; i++) c.send(MiB, i);
    w.sim.run({ until: sec(1) });
    expect(c.bytesInFlight).toBe(10 * MiB);
    expect(c.bytesInKernel).toBe(TCP_SEND_BUFFER_BYTES);
    expect(c.bytesUnsent).toBe(10 * MiB - TCP_SEND_BUFFER_BYTES);
  });

  it('a paused peer: its receive buffer fills, then the send buffer', () => {
    const w = world();
    const { c } = pair(w);
    w.net.host('b').pause();
    for (let i = 0; i < 10; i++) c.send(MiB, i);
    w.sim.run({ until: sec(1) });
    expect(c.bytesInKernel).toBe(TCP_RECEIVE_BUFFER_BYTES + TCP_SEND_BUFFER_BYTES);
    expect(c.bytesUnsent).toBe(10 * MiB - TCP_RECEIVE_BUFFER_BYTES - TCP_SEND_BUFFER_BYTES);
  });

  it('buffer sizes are network settings', () => {
    const w = world();
    const net = new Network(w.sim, { latency: { kind: 'fixed', us: 1 }, bandwidthBytesPerSec: Infinity, tcpSendBufferBytes: 1000, tcpReceiveBufferBytes: 10 });
    expect([net.tcpSendBufferBytes, net.tcpReceiveBufferBytes]).toEqual([1000, 10]);
    expect(() => new Network(w.sim, { latency: { kind: 'fixed', us: 1 }, bandwidthBytesPerSec: 1, tcpSendBufferBytes: -1 })).toThrow(/TCP buffer/);
  });

  it('close() discards what no kernel took: the peer gets the kernels’ bytes, then the FIN', () => {
    const w = world();
    const { c, s } = pair(w);
    const got: number[] = [];
    s.onData = (p) => void got.push(p as number);
    const id = w.net.partition([['a'], ['b']]);
    for (let i = 0; i < 10; i++) c.send(MiB, i);
    c.close();
    w.net.heal(id);
    w.sim.run();
    expect(got).toEqual([0, 1, 2, 3]); // 4 MiB: the send buffer
    expect(w.log.at(-1)).toMatch(/:s:close:fin$/);
  });

  it('a message the kernel took only part of is dropped whole', () => {
    const w = world();
    const { c, s } = pair(w);
    const got: number[] = [];
    s.onData = (p) => void got.push(p as number);
    w.net.partition([['a'], ['b']]);
    for (let i = 0; i < 4; i++) c.send(1.5 * MiB, i); // 6 MiB; the kernel holds 4 MiB = 2⅔ messages
    c.close();
    w.net.healAll();
    w.sim.run();
    expect(got).toEqual([0, 1]);
  });

  it('a paused reader that resumes gets what its kernel and the sender’s held', () => {
    const w = world();
    const { c, s } = pair(w);
    let bytes = 0;
    s.onData = (_p, n) => void (bytes += n);
    w.net.host('b').pause();
    for (let i = 0; i < 20; i++) c.send(MiB / 2, i);
    w.sim.run({ until: sec(1) });
    c.close();
    w.net.host('b').resume();
    w.sim.run();
    expect(bytes).toBe(TCP_RECEIVE_BUFFER_BYTES + TCP_SEND_BUFFER_BYTES);
  });
});

describe('ETIMEDOUT after tcp_retries2', () => {
  it('data unacknowledged for 924.6 s ends the connection at the sender; the peer learns from an RST', () => {
    const w = world();
    const { c, s } = pair(w);
    const id = w.net.partition([['a'], ['b']]);
    c.send(10, 'lost');
    w.sim.run({ until: sec(2000) });
    // Sent at 200: expiries at 200 + RTO·(2^k − 1) up to k = 10, then every 120 s; the first
    // at or past 924.6 s after the send is the 16th.
    const timedOut = 200 + 1023 * RTO + 6 * sec(120);
    expect(w.log).toEqual([`${timedOut}:c:close:timeout`]);
    expect(c.state).toBe('closed');
    expect(s.state).toBe('open');
    expect(w.sim.trace.records().some((r) => r.kind === 'net.timeout')).toBe(true);
    w.net.heal(id);
    s.send(1, 'hello?');
    w.sim.run();
    expect(w.log.at(-1)).toBe(`${sec(2000) + 200}:s:close:reset`);
  });

  it('a heal before the last retransmission keeps the connection; one after it does not', () => {
    for (const healAt of [sec(800), sec(900)]) {
      const w = world();
      const { c } = pair(w);
      const id = w.net.partition([['a'], ['b']]);
      c.send(10, 'x');
      w.sim.run({ until: healAt });
      w.net.heal(id);
      w.sim.run();
      // Expiries after 204.8 s come every 120 s: 804.8 s is a retransmission, 924.8 s gives up.
      if (healAt === sec(800)) expect(w.log).toEqual([`${200 + 1023 * RTO + 5 * sec(120) + 100}:s:data:x`]);
      else expect(w.log).toEqual([`${200 + 1023 * RTO + 6 * sec(120)}:c:close:timeout`]);
    }
  });
});
