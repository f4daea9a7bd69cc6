import { describe, expect, it } from 'vitest';
import { sec } from '../../sim/engine/time.js';
import type { Endpoint } from '../../sim/net/connection.js';
import { SYN_GIVE_UP_AT_US, SYN_RETRANSMIT_AT_US } from '../../sim/net/handshake.js';
import { PORT, watch, world, type World } from './support/harness.js';

/** Starts a connect from a to b and logs its outcome. */
function dial(w: World, from = 'a', to = 'b'): Endpoint {
  return w.net.host(from).connect(to, PORT, {
    onConnect: (e) => {
      w.log.push(`${w.sim.now}:connected`);
      watch(w, e, 'c');
    },
    onError: (r) => void w.log.push(`${w.sim.now}:error:${r}`),
  });
}

function listen(w: World, host = 'b'): void {
  w.net.host(host).listen(PORT, (ep) => {
    w.log.push(`${w.sim.now}:accepted`);
    watch(w, ep, 's');
  });
}

describe('connect outcomes', () => {
  it('is refused after a round trip when nothing listens on the port', () => {
    const w = world();
    const ep = dial(w);
    w.sim.run();
    expect(w.log).toEqual(['200:error:refused']);
    expect(ep.state).toBe('closed');
  });

  it('is refused when the peer host is down', () => {
    const w = world();
    listen(w);
    w.net.host('b').crash();
    dial(w);
    w.sim.run();
    expect(w.log).toEqual(['200:error:refused']);
  });

  it('an unknown host is unreachable', () => {
    const w = world();
    dial(w, 'a', 'nowhere');
    w.sim.run();
    expect(w.log).toEqual(['0:error:unreachable']);
  });

  it('the retransmission schedule is Linux’s: 1, 3, 7, 15, 31, 63 s, giving up at 127 s', () => {
    expect(SYN_RETRANSMIT_AT_US).toEqual([1, 3, 7, 15, 31, 63].map(sec));
    expect(SYN_GIVE_UP_AT_US).toBe(sec(127));
  });

  it('during a partition it hangs, and times out at 127 s if never healed', () => {
    const w = world();
    listen(w);
    w.net.partition([['a'], ['b']]);
    const ep = dial(w);
    w.sim.run({ until: sec(126) });
    expect(w.log).toEqual([]);
    expect(ep.state).toBe('connecting');
    w.sim.run();
    expect(w.log).toEqual([`${sec(127)}:error:timeout`]);
    expect(ep.state).toBe('closed');
  });

  it('after a heal it completes at the next SYN retransmission', () => {
    const w = world();
    listen(w);
    const id = w.net.partition([['a'], ['b']]);
    dial(w);
    w.sim.at(sec(5), () => w.net.heal(id)); // between the retransmissions at 3 s and 7 s
    w.sim.run();
    expect(w.log).toEqual([`${sec(7) + 100}:accepted`, `${sec(7) + 200}:connected`]);
  });

  it('the caller may abort a hanging connect with close(); nothing is reported afterwards', () => {
    const w = world();
    listen(w);
    const id = w.net.partition([['a'], ['b']]);
    const ep = dial(w);
    w.sim.at(sec(2), () => ep.close());
    w.sim.at(sec(4), () => w.net.heal(id));
    w.sim.run();
    expect(w.log).toEqual([]);
    expect(ep.state).toBe('closed');
    expect(w.sim.pending()).toBe(0);
  });

  it('one-way partition server → client: the server accepts, the client connects at the next SYN retransmission after the heal, and what the server sent meanwhile follows at the server’s next retransmission', () => {
    const w = world();
    w.net.host('b').listen(PORT, (ep) => {
      w.log.push(`${w.sim.now}:accepted`);
      watch(w, ep, 's');
      ep.send(5, 'greeting');
    });
    const id = w.net.partitionOneWay(['b'], ['a']);
    dial(w);
    w.sim.at(sec(2), () => w.net.heal(id));
    w.sim.run();
    // The greeting (sent at 100 µs) waits for the server's own retransmission timer:
    // 100 + 200.2 ms × (2^4 − 1) = 3.0031 s, then one latency.
    expect(w.log).toEqual([
      '100:accepted',
      `${sec(3) + 200}:connected`,
      `${100 + (200_000 + 200) * 15 + 100}:c:data:greeting`,
    ]);
  });

  it('a client that gives up resets the connection the server had accepted', () => {
    const w = world();
    listen(w);
    w.net.partitionOneWay(['b'], ['a']);
    dial(w);
    w.sim.run();
    expect(w.log).toEqual(['100:accepted', `${sec(127)}:error:timeout`, `${sec(127) + 100}:s:close:reset`]);
  });

  it('connect, listen and port misuse are assertions', () => {
    const w = world();
    listen(w);
    expect(() => listen(w)).toThrow(/address already in use/);
    expect(() => w.net.host('a').connect('b', 0, { onConnect: () => {}, onError: () => {} })).toThrow(/bad port/);
    w.net.host('a').crash();
    expect(() => dial(w)).toThrow(/down/);
  });

  it('unlisten makes later connects fail but keeps accepted connections', () => {
    const w = world();
    listen(w);
    dial(w);
    w.sim.run();
    w.net.host('b').unlisten(PORT);
    dial(w);
    w.sim.run();
    expect(w.log).toEqual(['100:accepted', '200:connected', '400:error:refused']);
  });
});
