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

/** Idle virtual seconds before clusterModel's writes: every link of a chain of 5 is up by then. */
export const SETTLE_SEC = 10;

/** Replicas straight under the master (`star`), or each one under the previous (`chain`). */
export interface Topology {
  shape: 'star' | 'chain';
  replicas: number;
}

export interface ClusterMeasurement extends ThroughputMeasurement {
  /**
   * CPU time of this process (process.cpuUsage: user + system, GC threads included) over the
   * writes alone, virtual SETTLE_SEC to the last write: no set-up, first syncs or final
   * report. CPU rather than wall time, so that other processes on a shared machine stretch
   * it less.
   */
  writesCpuMs: number;
  /** writesCpuMs per write, in µs. */
  usPerWrite: number;
  /** Virtual seconds per CPU second of the whole run (a quiet machine's `speedup`, about). */
  cpuSpeedup: number;
}

/**
 * fullModel's workload on any number of replicas: SETs of 100 B over 100k keys at
 * `rateHz`, PINGs and ACKs on. The write window is measured apart through the runner's
 * per-virtual-second progress callback, so a cost per write is not diluted or inflated by
 * the first syncs and the final report (one DEBUG DIGEST per node).
 */
export function clusterModel(topo: Topology, virtualSec: number, rateHz: number, seed: string): ClusterMeasurement {
  const nodes = ['  m1: {}'];
  for (let i = 1; i <= topo.replicas; i++) nodes.push(`  r${i}: { replicaof: ${topo.shape === 'chain' && i > 1 ? `r${i - 1}` : 'm1'} }`);
  // A chain connects hop by hop (a replica serves its own replicas once its link is up):
  // the writes start when every link is, so the window holds no first sync.
  const settleSec = SETTLE_SEC;
  const yaml = `
name: bench-replicas-${topo.shape}-${topo.replicas}
duration: ${settleSec + virtualSec + 2}s
config: { repl-diskless-sync-delay: 0 }
nodes:
${nodes.join('\n')}
workload:
  - { node: m1, rate: ${rateHz}/s, from: ${settleSec}s, until: ${settleSec + virtualSec}s, keys: 100000, value-size: 100, ops: { set: 1 } }
`;
  const scenario = parseScenario(yaml, 'bench-replicas.yaml');
  let windowStart: NodeJS.CpuUsage = { user: 0, system: 0 };
  let window: NodeJS.CpuUsage = { user: 0, system: 0 };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = runScenario(scenario, {
    seed,
    onProgress: (t) => {
      if (t === settleSec * 1_000_000) windowStart = process.cpuUsage();
      if (t === (settleSec + virtualSec) * 1_000_000) window = process.cpuUsage(windowStart);
    },
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (!r.convergence.ok) throw new Error(`bench: the ${topo.shape} of ${topo.replicas} replicas did not converge: ${r.convergence.problems.join('; ')}`);
  const writes = virtualSec * rateHz;
  const writesCpuMs = (window.user + window.system) / 1000;
  const runSec = settleSec + virtualSec + 2;
  return {
    writes,
    wallMs,
    writesPerSec: (writes / wallMs) * 1000,
    speedup: runSec / (wallMs / 1000),
    writesCpuMs,
    usPerWrite: (writesCpuMs * 1000) / writes,
    cpuSpeedup: runSec / ((cpu.user + cpu.system) / 1e6),
  };
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
