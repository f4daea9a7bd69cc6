/**
 * The fault proxy over plain TCP on loopback (no Redis needed): bytes flow both ways,
 * a cut direction holds its bytes without closing anything and a heal flushes them in
 * order, latency delays, a connect during a cut waits for a SYN retransmission, and a
 * refused upstream drops the client.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultProxy, type LinkPolicy } from '../../sim/diff/fault-proxy.js';
import { freePort } from '../../sim/diff/redis-process.js';

class TestPolicy implements LinkPolicy {
  cut = new Set<string>();
  lost = false;
  delay = 0;
  stalled(from: string, to: string): boolean {
    return this.cut.has(`${from}>${to}`);
  }
  synLost(): boolean {
    return this.lost;
  }
  delayMs(): number {
    return this.delay;
  }
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** An upstream "master" that records what it got and echoes it back upper-cased. */
async function upstream(): Promise<{ port: number; got: () => string; accepted: () => number; server: Server }> {
  let data = '';
  let accepted = 0;
  const server = createServer((s) => {
    accepted++;
    s.on('data', (d) => {
      data += d.toString();
      s.write(d.toString().toUpperCase());
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  cleanups.push(() => server.close());
  return { port: typeof addr === 'object' && addr ? addr.port : 0, got: () => data, accepted: () => accepted, server };
}

async function client(port: number): Promise<{ socket: Socket; got: () => string; closed: () => boolean }> {
  let data = '';
  let closed = false;
  const socket = connect({ port, host: '127.0.0.1' });
  socket.on('data', (d) => (data += d.toString()));
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  cleanups.push(() => socket.destroy());
  return { socket, got: () => data, closed: () => closed };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

async function proxyTo(port: number, policy: TestPolicy): Promise<FaultProxy> {
  const p = new FaultProxy('r1', 'm1', () => port, policy);
  await p.listen();
  cleanups.push(() => void p.close());
  return p;
}

describe('fault proxy', () => {
  it('relays both directions', async () => {
    const up = await upstream();
    const proxy = await proxyTo(up.port, new TestPolicy());
    const c = await client(proxy.port);
    c.socket.write('ping');
    await until(() => c.got() === 'PING');
    expect(up.got()).toBe('ping');
  });

  it('a cut direction holds bytes without closing; a heal flushes them in order', async () => {
    const up = await upstream();
    const policy = new TestPolicy();
    const proxy = await proxyTo(up.port, policy);
    const c = await client(proxy.port);
    c.socket.write('a');
    await until(() => c.got() === 'A');
    policy.cut.add('r1>m1');
    proxy.update();
    c.socket.write('b');
    c.socket.write('c');
    await sleep(100);
    expect(up.got()).toBe('a');
    expect(c.closed()).toBe(false);
    policy.cut.clear();
    proxy.update();
    await until(() => c.got() === 'ABC');
    expect(up.got()).toBe('abc');
  });

  it("cutting only master → replica still lets the replica's bytes through", async () => {
    const up = await upstream();
    const policy = new TestPolicy();
    const proxy = await proxyTo(up.port, policy);
    const c = await client(proxy.port);
    c.socket.write('x');
    await until(() => c.got() === 'X');
    policy.cut.add('m1>r1');
    proxy.update();
    c.socket.write('y');
    await until(() => up.got() === 'xy');
    await sleep(50);
    expect(c.got()).toBe('X');
    policy.cut.clear();
    proxy.update();
    await until(() => c.got() === 'XY');
  });

  it('adds latency to each direction', async () => {
    const up = await upstream();
    const policy = new TestPolicy();
    policy.delay = 60;
    const proxy = await proxyTo(up.port, policy);
    const c = await client(proxy.port);
    const t0 = Date.now();
    c.socket.write('q');
    await until(() => c.got() === 'Q');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
  });

  it('a connect during a partition reaches the master only at a SYN retransmission after the heal', async () => {
    const up = await upstream();
    const policy = new TestPolicy();
    policy.lost = true;
    policy.cut.add('r1>m1');
    const proxy = await proxyTo(up.port, policy);
    const t0 = Date.now();
    const c = await client(proxy.port);
    c.socket.write('hello');
    await sleep(100);
    policy.lost = false;
    policy.cut.clear();
    proxy.update();
    await sleep(200);
    expect(up.accepted()).toBe(0);
    await until(() => c.got() === 'HELLO', 3000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it("a refused upstream drops the replica's connection", async () => {
    const dead = await freePort();
    const proxy = await proxyTo(dead, new TestPolicy());
    const c = await client(proxy.port);
    await until(() => c.closed());
  });
});
