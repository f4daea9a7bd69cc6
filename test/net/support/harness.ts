/**
 * Small helpers for the net tests: a simulator + network with fixed latency, and an
 * accepted connection pair whose events are logged with their virtual times.
 */
import { expect } from 'vitest';
import { Simulator } from '../../../sim/engine/simulator.js';
import type { Endpoint } from '../../../sim/net/connection.js';
import type { LatencyModel } from '../../../sim/net/latency.js';
import { Network } from '../../../sim/net/network.js';

export const PORT = 6379;

export interface World {
  sim: Simulator;
  net: Network;
  /** "time:event" lines, in the order things happened. */
  log: string[];
  /** Server ends accepted by pair()'s listeners, in accept order. */
  accepted: Endpoint[];
}

export function world(opts: { latency?: LatencyModel; bandwidth?: number; hosts?: string[]; seed?: string } = {}): World {
  const sim = new Simulator({ seed: opts.seed ?? 'test', traceRetention: 'all' });
  const net = new Network(sim, {
    latency: opts.latency ?? { kind: 'fixed', us: 100 },
    bandwidthBytesPerSec: opts.bandwidth ?? Infinity,
  });
  for (const h of opts.hosts ?? ['a', 'b', 'c']) net.addHost(h);
  return { sim, net, log: [], accepted: [] };
}

/** Logs data and close events of an endpoint under `label`. */
export function watch(w: World, ep: Endpoint, label: string): void {
  ep.onData = (payload) => void w.log.push(`${w.sim.now}:${label}:data:${String(payload)}`);
  ep.onClose = (reason) => void w.log.push(`${w.sim.now}:${label}:close:${reason}`);
}

/**
 * Connects `from` to `to` (which starts listening), runs until both ends are open, and
 * returns them with their events logged as 'c' (client) and 's' (server).
 */
export function pair(w: World, from = 'a', to = 'b'): { c: Endpoint; s: Endpoint } {
  let c: Endpoint | undefined;
  if (w.net.host(to)._listener(PORT) === undefined) {
    w.net.host(to).listen(PORT, (ep) => {
      w.accepted.push(ep);
      watch(w, ep, 's');
    });
  }
  const acceptedBefore = w.accepted.length;
  const ep = w.net.host(from).connect(to, PORT, {
    onConnect: (e) => {
      c = e;
      watch(w, e, 'c');
    },
    onError: (r) => {
      throw new Error(`unexpected connect error ${r}`);
    },
  });
  while (c === undefined || w.accepted.length === acceptedBefore) {
    if (w.sim.run({ maxEvents: 1 }).events === 0) throw new Error('connect never completed');
  }
  const s = w.accepted[acceptedBefore]!;
  expect(c).toBe(ep);
  expect(s.remoteHost).toBe(from);
  return { c, s };
}
