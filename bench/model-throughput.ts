/**
 * What fidelity costs: the full Redis model (1 master + 2 replicas, SET key:<0..99999> of
 * 100 B at a fixed rate, PINGs and ACKs on) against a bare micro-model driven by the same
 * engine — the same writes applied to three Maps, the replicas' copies delivered one
 * latency later, no protocol. Also the idle case: a quiet cluster for a long virtual time.
 */
import { Simulator } from '../sim/engine/simulator.js';
import { parseScenario } from '../sim/scenario/load.js';
import { runScenario } from '../sim/scenario/runner.js';

export interface ThroughputMeasurement {
  writes: number;
  wallMs: number;
  writesPerSec: number;
  /** Virtual seconds per wall second. */
  speedup: number;
}

export function fullModel(virtualSec: number, rateHz: number, seed: string): ThroughputMeasurement {
  const yaml = `
name: bench-fidelity-price
duration: ${virtualSec + 2}s
config: { repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
  r1: { replicaof: m1 }
  r2: { replicaof: m1 }
workload:
  - { node: m1, rate: ${rateHz}/s, from: 1s, until: ${virtualSec + 1}s, keys: 100000, value-size: 100, ops: { set: 1 } }
`;
  const scenario = parseScenario(yaml, 'bench.yaml');
  const t0 = performance.now();
  const r = runScenario(scenario, { seed });
  const wallMs = performance.now() - t0;
  if (!r.convergence.ok) throw new Error(`bench: the full model did not converge: ${r.convergence.problems.join('; ')}`);
  const writes = virtualSec * rateHz;
  return { writes, wallMs, writesPerSec: (writes / wallMs) * 1000, speedup: (virtualSec + 1) / (wallMs / 1000) };
}

export function microModel(virtualSec: number, rateHz: number, seed: string): ThroughputMeasurement {
  const sim = new Simulator({ seed });
  const rng = sim.random.stream('workload');
  const master = new Map<string, string>();
  const replicas = [new Map<string, string>(), new Map<string, string>()];
  const value = 'v'.repeat(100);
  const interval = Math.round(1e6 / rateHz);
  const end = (virtualSec + 1) * 1e6;
  const deliver = (arg: unknown): void => {
    const [i, key] = arg as [number, string];
    replicas[i]!.set(key, value);
  };
  const write = (): void => {
    const key = `key:${rng.int(0, 99_999)}`;
    master.set(key, value);
    sim.after(200, deliver, [0, key]);
    sim.after(200, deliver, [1, key]);
    if (sim.now + interval < end) sim.after(interval, write);
  };
  sim.at(1e6, write);
  const t0 = performance.now();
  sim.run({ until: end });
  const wallMs = performance.now() - t0;
  const writes = virtualSec * rateHz;
  return { writes, wallMs, writesPerSec: (writes / wallMs) * 1000, speedup: (virtualSec + 1) / (wallMs / 1000) };
}

/**
 * A cluster with no writes: crons, PINGs and ACKs only; with `sentinels`, three Sentinels
 * monitor it too (their 10–19 Hz timers, PING every second, INFO every 10 s and hello every
 * 2 s to each instance: ≈ 4.5× the events of the bare cluster).
 */
export function idleCluster(virtualSec: number, seed: string, sentinels = false): { wallMs: number; speedup: number; eventsPerVirtualSec: number } {
  const yaml = `
name: bench-idle
duration: ${virtualSec}s
config: { repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
  r1: { replicaof: m1 }
  r2: { replicaof: m1 }
${sentinels ? 'sentinels: { s1: {}, s2: {}, s3: {} }\nsentinel: { monitor: { name: mymaster, master: m1, quorum: 2 } }\n' : ''}`;
  const t0 = performance.now();
  const r = runScenario(parseScenario(yaml, 'bench-idle.yaml'), { seed });
  const wallMs = performance.now() - t0;
  return { wallMs, speedup: virtualSec / (wallMs / 1000), eventsPerVirtualSec: r.events / virtualSec };
}
