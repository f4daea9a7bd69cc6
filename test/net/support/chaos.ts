/**
 * A randomized engine + network workload for determinism tests: five hosts open and close
 * connections and send messages while a nemesis partitions (both kinds), heals, clogs,
 * injects loss, crashes, restarts, pauses and resumes hosts. Everything random comes from
 * the simulator's seeded streams, so one seed is one execution.
 *
 * The application checks its own invariants as it goes (per-connection FIFO, nothing after
 * a close, bytes in flight never negative) and records what it sees, so the trace hash
 * depends on every delivery time and order.
 */
import { Simulator } from '../../../sim/engine/simulator.js';
import type { TraceRetention } from '../../../sim/engine/trace.js';
import type { CloseReason, ConnectError, Endpoint } from '../../../sim/net/connection.js';
import type { LatencyModel } from '../../../sim/net/latency.js';
import { Network } from '../../../sim/net/network.js';

const PORT = 7000;
const HOSTS = ['h0', 'h1', 'h2', 'h3', 'h4'];

/** The test application's own trace records, declared as every layer declares its kinds. */
declare module '../../../sim/engine/trace.js' {
  interface TraceKinds {
    'app.accept': { conn: number; peer: string };
    'app.connect': { conn: number; peer: string };
    'app.idle': { conn: number };
    'app.data': { conn: number; seq: number; bytes: number };
    'app.close': { conn: number; reason: CloseReason };
    'app.connect-error': { to: string; reason: ConnectError };
  }
}

export interface ChaosResult {
  sim: Simulator;
  hash: string;
  records: number;
  events: number;
  delivered: number;
}

interface Msg {
  seq: number;
}

export function runChaos(seed: string, opts: { durationUs?: number; retention?: TraceRetention } = {}): ChaosResult {
  const durationUs = opts.durationUs ?? 2_000_000;
  const sim = new Simulator({ seed, traceRetention: opts.retention ?? 'none' });
  const rng = sim.random.stream('chaos');
  const latencies: LatencyModel[] = [
    { kind: 'fixed', us: 150 },
    { kind: 'uniform', minUs: 50, maxUs: 5_000 },
    { kind: 'normal', meanUs: 1_000, stddevUs: 400, floorUs: 100 },
    { kind: 'lognormal', medianUs: 800, sigma: 0.8 },
  ];
  const net = new Network(sim, { latency: rng.choice(latencies), bandwidthBytesPerSec: rng.choice([Infinity, 1e6, 1e8]) });
  for (const h of HOSTS) net.addHost(h);

  /** Open endpoints the applications know about, in the order they opened. */
  const open: Endpoint[] = [];
  const sendSeq = new Map<number, number>();
  const recvSeq = new Map<number, number>();
  const idleTimer = new Map<number, number>();
  let delivered = 0;

  const forget = (ep: Endpoint): void => {
    const i = open.indexOf(ep);
    if (i >= 0) open.splice(i, 1);
    const t = idleTimer.get(ep.id);
    if (t !== undefined) sim.cancel(t);
    idleTimer.delete(ep.id);
  };

  // An application-level idle timeout, re-armed on every message: exercises cancel().
  const onIdle = (ep: Endpoint): void => {
    idleTimer.delete(ep.id);
    if (ep.state !== 'open') return;
    if (net.host(ep.localHost).paused) {
      idleTimer.set(ep.id, sim.after(100_000, onIdle, ep));
      return;
    }
    sim.record('app.idle', ep.localHost, { conn: ep.id });
    forget(ep);
    ep.reset();
  };
  const armIdle = (ep: Endpoint): void => {
    const t = idleTimer.get(ep.id);
    if (t !== undefined) sim.cancel(t);
    idleTimer.set(ep.id, sim.after(rng.int(200_000, 800_000), onIdle, ep));
  };

  const adopt = (ep: Endpoint, how: 'app.accept' | 'app.connect'): void => {
    open.push(ep);
    sendSeq.set(ep.id, 0);
    recvSeq.set(ep.id, 0);
    sim.record(how, ep.localHost, { conn: ep.id, peer: ep.remoteHost });
    armIdle(ep);
    ep.onData = (payload, bytes) => {
      const m = payload as Msg;
      const want = recvSeq.get(ep.id)!;
      if (ep.state !== 'open') throw new Error(`data on a ${ep.state} endpoint #${ep.id}`);
      if (m.seq !== want) throw new Error(`FIFO violated on #${ep.id}: got ${m.seq}, expected ${want}`);
      recvSeq.set(ep.id, want + 1);
      delivered++;
      sim.record('app.data', ep.localHost, { conn: ep.id, seq: m.seq, bytes });
      armIdle(ep);
    };
    ep.onClose = (reason) => {
      sim.record('app.close', ep.localHost, { conn: ep.id, reason });
      forget(ep);
    };
  };

  const listen = (h: string): void => net.host(h).listen(PORT, (ep) => adopt(ep, 'app.accept'));
  HOSTS.forEach(listen);

  const runningHosts = (): string[] => HOSTS.filter((h) => net.host(h).up && !net.host(h).paused);
  const usable = (): Endpoint[] => open.filter((ep) => ep.state === 'open' && !net.host(ep.localHost).paused);
  const faults: number[] = [];

  const act = (): void => {
    const roll = rng.next();
    const live = usable();
    const running = runningHosts();
    if (roll < 0.35) {
      if (live.length === 0) return;
      const ep = rng.choice(live);
      for (let burst = rng.int(1, 6); burst > 0; burst--) {
        const seq = sendSeq.get(ep.id)!;
        sendSeq.set(ep.id, seq + 1);
        ep.send(rng.int(0, 20_000), { seq } satisfies Msg);
      }
      if (ep.bytesInFlight < 0) throw new Error('negative bytes in flight');
    } else if (roll < 0.47) {
      if (running.length === 0) return;
      const from = rng.choice(running);
      const to = rng.choice(HOSTS);
      const port = rng.bernoulli(0.1) ? PORT + 1 : PORT;
      const ep = net.host(from).connect(to, port, {
        onConnect: (e) => adopt(e, 'app.connect'),
        onError: (reason) => sim.record('app.connect-error', from, { to, reason }),
      });
      // Sometimes the caller's own timeout aborts a slow connect.
      if (rng.bernoulli(0.2)) sim.after(rng.int(1, 3_000_000), (e: Endpoint) => e.state === 'connecting' && e.close(), ep);
    } else if (roll < 0.52 || roll < 0.57) {
      if (live.length === 0) return;
      const ep = rng.choice(live);
      forget(ep);
      if (roll < 0.52) ep.close();
      else ep.reset();
    } else if (roll < 0.63) {
      const shuffled = rng.shuffle([...HOSTS]);
      const cut = rng.int(1, HOSTS.length - 1);
      faults.push(net.partition([shuffled.slice(0, cut), shuffled.slice(cut, rng.int(cut, HOSTS.length))]));
    } else if (roll < 0.66) {
      faults.push(net.partitionOneWay([rng.choice(HOSTS)], [rng.choice(HOSTS)]));
    } else if (roll < 0.76) {
      if (rng.bernoulli(0.2)) net.healAll();
      else if (faults.length > 0) net.heal(faults.splice(rng.int(0, faults.length - 1), 1)[0]!);
    } else if (roll < 0.79) {
      const up = HOSTS.filter((h) => net.host(h).up);
      if (up.length === 0) return;
      const h = rng.choice(up);
      for (const ep of [...open]) if (ep.localHost === h) forget(ep);
      net.host(h).crash();
    } else if (roll < 0.83) {
      const down = HOSTS.filter((h) => !net.host(h).up);
      if (down.length === 0) return;
      const h = rng.choice(down);
      net.host(h).restart();
      listen(h);
    } else if (roll < 0.86) {
      if (running.length > 0) net.host(rng.choice(running)).pause();
    } else if (roll < 0.9) {
      const paused = HOSTS.filter((h) => net.host(h).paused);
      if (paused.length > 0) net.host(rng.choice(paused)).resume();
    } else if (roll < 0.95) {
      net.clog(rng.choice(HOSTS), rng.choice(HOSTS), rng.int(1_000, 200_000), rng.int(1_000, 500_000));
    } else {
      net.setLossRto(rng.choice(HOSTS), rng.choice(HOSTS), rng.choice([0, 0.01, 0.2]), rng.int(10_000, 300_000));
    }
  };

  const tick = (): void => {
    if (sim.now >= durationUs) return;
    act();
    sim.after(Math.round(rng.exponential(5_000)), tick);
  };
  sim.at(0, tick);
  sim.run({ until: durationUs });
  // Quiesce: heal, wake everyone, let retransmissions and idle timers play out.
  net.healAll();
  for (const h of HOSTS) if (net.host(h).paused) net.host(h).resume();
  sim.run({ until: durationUs + 200_000_000 });
  for (const ep of open) if (ep.bytesInFlight < 0) throw new Error('negative bytes in flight');
  return { sim, hash: sim.trace.hash(), records: sim.trace.count, events: sim.eventsProcessed, delivered };
}
