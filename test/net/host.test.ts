import { describe, expect, it } from 'vitest';
import { ms, sec } from '../../sim/engine/time.js';
import type { Endpoint } from '../../sim/net/connection.js';
import { PORT, pair, watch, world } from './support/harness.js';

describe('crash and restart', () => {
  it('crash resets every connection: peers see reset after one latency, the crashed side hears nothing', () => {
    const w = world();
    const ab = pair(w, 'a', 'b');
    const cb = pair(w, 'c', 'b');
    const t0 = w.sim.now;
    ab.c.send(10, 'to-the-dead');
    w.net.host('b').crash();
    expect(w.net.host('b').up).toBe(false);
    expect(ab.s.state).toBe('closed');
    expect(cb.s.state).toBe('closed');
    w.sim.run();
    expect(w.log).toEqual([`${t0 + 100}:c:close:reset`, `${t0 + 100}:c:close:reset`]);
    expect(ab.c.bytesInFlight).toBe(0); // data sent to a crashed host is dropped
    expect(w.sim.trace.records().filter((r) => r.kind === 'net.reset').map((r) => r.cause)).toEqual(['crash', 'crash']);
  });

  it('power-off: peers hear nothing while the host is down; after it is back, their next segment draws an RST', () => {
    const w = world();
    const ab = pair(w, 'a', 'b');
    w.net.host('b').powerOff();
    expect(w.net.host('b').up).toBe(false);
    expect(ab.s.state).toBe('closed');
    w.sim.run({ until: w.sim.now + sec(5) });
    expect(ab.c.state).toBe('open'); // no RST, no FIN went out
    ab.c.send(10, 'into-the-void');
    w.sim.run({ until: w.sim.now + sec(5) });
    expect(ab.c.state).toBe('open');
    expect(ab.c.bytesInFlight).toBe(0); // dropped at the dead host
    w.net.host('b').restart();
    const t1 = w.sim.now;
    ab.c.send(10, 'after-reboot');
    w.sim.run();
    // One latency there, one back: the rebooted stack resets the connection it never knew.
    expect(w.log).toEqual([`${t1 + 200}:c:close:reset`]);
    expect(w.sim.trace.records().filter((r) => r.kind === 'net.reset').map((r) => r.cause)).toEqual(['unknown-connection']);
  });

  it('crash during a partition: the peer learns after the heal', () => {
    const w = world();
    const { c } = pair(w);
    const id = w.net.partition([['a'], ['b']]);
    w.net.host('b').crash();
    w.sim.run({ until: sec(10) });
    expect(c.state).toBe('open');
    w.net.heal(id);
    w.sim.run();
    expect(w.log).toEqual([`${sec(10) + 100}:c:close:reset`]);
  });

  it('removes listeners: connects are refused until the restarted process listens again', () => {
    const w = world();
    pair(w);
    w.net.host('b').crash();
    w.sim.run();
    const outcomes: string[] = [];
    const dial = (): Endpoint =>
      w.net.host('a').connect('b', PORT, {
        onConnect: () => void outcomes.push(`${w.sim.now}:connected`),
        onError: (r) => void outcomes.push(`${w.sim.now}:${r}`),
      });
    const t0 = w.sim.now;
    dial();
    w.sim.run();
    w.net.host('b').restart();
    expect(w.net.host('b').up).toBe(true);
    dial();
    w.sim.run();
    w.net.host('b').listen(PORT, (ep) => watch(w, ep, 's2'));
    dial();
    w.sim.run();
    expect(outcomes).toEqual([`${t0 + 200}:refused`, `${t0 + 400}:refused`, `${t0 + 600}:connected`]);
  });

  it('pending connects of the crashed host fail silently', () => {
    const w = world();
    w.net.host('b').listen(PORT, () => {});
    const id = w.net.partition([['a'], ['b']]);
    let called = false;
    const ep = w.net.host('a').connect('b', PORT, { onConnect: () => (called = true), onError: () => (called = true) });
    w.sim.run({ until: sec(2) });
    w.net.host('a').crash();
    w.net.heal(id);
    w.sim.run();
    expect(called).toBe(false);
    expect(ep.state).toBe('closed');
  });

  it('restart of a running host replaces its process; crashing a down host is an assertion', () => {
    const w = world();
    const { c } = pair(w);
    const t0 = w.sim.now;
    w.net.host('b').restart();
    w.sim.run();
    expect(w.log).toEqual([`${t0 + 100}:c:close:reset`]);
    expect(c.state).toBe('closed');
    expect(w.net.host('b')._listener(PORT)).toBeUndefined();
    expect(w.sim.trace.records().filter((r) => r.node === 'b').map((r) => r.kind)).toEqual(['net.reset', 'net.restart']);
    w.net.host('b').crash();
    expect(() => w.net.host('b').crash()).toThrow(/already down/);
  });
});

describe('pause and resume', () => {
  it('holds data and closes for a paused process and hands them over in order on resume', () => {
    const w = world();
    const { c, s } = pair(w);
    w.net.host('b').pause();
    expect(w.net.host('b').paused).toBe(true);
    c.send(3, 'one');
    c.send(4, 'two');
    c.close();
    w.sim.run({ until: sec(1) });
    expect(w.log).toEqual([]);
    expect(c.bytesInFlight).toBe(7); // held by the paused peer still counts
    expect(s.state).toBe('open');
    w.net.host('b').resume();
    w.sim.run();
    expect(w.log).toEqual([`${sec(1)}:s:data:one`, `${sec(1)}:s:data:two`, `${sec(1)}:s:close:fin`]);
    expect(c.bytesInFlight).toBe(0);
  });

  it('a segment reused after its hand-over never disturbs one still held for a paused process', () => {
    // Pipe.recycle: a segment handed over at its arrival is reused by the next send; one held
    // by the paused host's queue is not. The payloads must arrive whole and in order.
    const w = world({ latency: { kind: 'fixed', us: 100 } });
    const { c } = pair(w);
    const sent: string[] = [];
    const send = (p: string): void => {
      sent.push(p);
      c.send(1, p);
    };
    for (let round = 0; round < 3; round++) {
      send(`live${round}a`);
      send(`live${round}b`);
      w.sim.run({ until: w.sim.now + ms(1) });
      w.net.host('b').pause();
      send(`held${round}a`);
      w.sim.run({ until: w.sim.now + ms(1) });
      send(`held${round}b`);
      w.sim.run({ until: w.sim.now + ms(1) });
      w.net.host('b').resume();
      send(`after${round}`);
      w.sim.run({ until: w.sim.now + ms(1) });
    }
    expect(w.log.map((l) => l.split(':').slice(3).join(':'))).toEqual(sent);
    expect(c.bytesInFlight).toBe(0);
  });

  it('keeps arrival order across connections', () => {
    const w = world({ latency: { kind: 'fixed', us: 100 } });
    const ab = pair(w, 'a', 'b');
    const cb = pair(w, 'c', 'b');
    w.net.host('b').pause();
    ab.c.send(1, 'a1');
    w.sim.at(w.sim.now + 10, () => cb.c.send(1, 'c1'));
    w.sim.at(w.sim.now + 20, () => ab.c.send(1, 'a2'));
    w.sim.run({ until: sec(1) });
    w.net.host('b').resume();
    w.sim.run();
    expect(w.log.map((l) => l.split(':').slice(1).join(':'))).toEqual(['s:data:a1', 's:data:c1', 's:data:a2']);
  });

  it('a paused server completes the handshake, but accept runs on resume, before any data', () => {
    const w = world();
    const seen: string[] = [];
    w.net.host('b').listen(PORT, (ep) => {
      seen.push(`${w.sim.now}:accept`);
      ep.onData = (p) => void seen.push(`${w.sim.now}:data:${String(p)}`);
    });
    w.net.host('b').pause();
    w.net.host('a').connect('b', PORT, {
      onConnect: (ep) => {
        seen.push(`${w.sim.now}:connect`);
        ep.send(1, 'hello');
      },
      onError: () => {},
    });
    w.sim.run({ until: ms(5) });
    w.net.host('b').resume();
    w.sim.run();
    expect(seen).toEqual(['200:connect', `${ms(5)}:accept`, `${ms(5)}:data:hello`]);
  });

  it('data arriving just after resume waits behind what was held', () => {
    const w = world();
    const { c } = pair(w);
    w.net.host('b').pause();
    const t0 = w.sim.now;
    c.send(1, 'held');
    w.sim.at(t0 + 200, () => {
      w.net.host('b').resume();
      c.send(0, 'never-before-held');
    });
    w.sim.run();
    expect(w.log.map((l) => l.split(':').slice(1).join(':'))).toEqual(['s:data:held', 's:data:never-before-held']);
  });

  it('a crash while paused discards what was held', () => {
    const w = world();
    const { c } = pair(w);
    w.net.host('b').pause();
    c.send(1, 'lost');
    w.sim.run({ until: sec(1) });
    w.net.host('b').crash();
    w.sim.run();
    expect(w.log).toEqual([`${sec(1) + 100}:c:close:reset`]);
    expect(c.bytesInFlight).toBe(0);
    expect(w.net.host('b').paused).toBe(false);
  });

  it('records host lifecycle in the trace', () => {
    const w = world();
    const h = w.net.host('c');
    h.pause();
    h.pause();
    h.resume();
    h.crash();
    h.restart();
    expect(w.sim.trace.records().map((r) => `${r.kind}@${r.node}`)).toEqual([
      'net.pause@c',
      'net.resume@c',
      'net.crash@c',
      'net.restart@c',
    ]);
  });
});
