/**
 * One measurement of figure 5, in a process of its own (forked by memory.ts with
 * --expose-gc) so that one size's heap does not pollute the next: build a cluster with a
 * preloaded dataset, run it, keep the world alive, force a GC and report RSS and heap.
 */
import { parseScenario } from '../sim/scenario/load.js';
import { runScenario } from '../sim/scenario/runner.js';
import type { World } from '../sim/scenario/world.js';

export type MemoryMode = 'preload' | 'sync' | 'lazy' | 'written';

export interface MemoryJob {
  mode: MemoryMode;
  keys: number;
}

export interface MemorySample {
  job: MemoryJob;
  /** After loading the model's modules, before the scenario (after GC). */
  baselineRssBytes: number;
  baselineHeapBytes: number;
  /** After the run, the cluster still reachable, after GC. */
  rssBytes: number;
  heapUsedBytes: number;
  /** getrusage maxrss of this process. */
  peakRssBytes: number;
  /** runScenario, all of it. */
  wallMs: number;
  /** Until the last virtual second ran; the rest is the final report (INFO, DEBUG DIGEST of every node). */
  simulateMs: number;
  virtualSec: number;
  ok: boolean;
  dbsize: Record<string, number>;
  digests: Record<string, string>;
  linkUp: boolean;
  converged: boolean;
  problems: string[];
}

/** Virtual time a full sync of `keys` needs with the default costs (≈ 3.5 s per million keys, calibration.md), plus slack. */
export function syncSeconds(keys: number): number {
  return Math.ceil(8 + (4 * keys) / 1e6);
}

export function scenarioText(job: MemoryJob): string {
  const { keys } = job;
  if (job.mode === 'preload') {
    return `name: bench-memory-preload
duration: 1s
nodes:
  m1: {}
dataset: { node: m1, keys: ${keys} }
`;
  }
  if (job.mode === 'written') {
    // No dataset: every key is made by a SET, so dbsize counts exactly the keys held as dict entries.
    return `name: bench-memory-written
duration: 6s
nodes:
  m1: {}
workload:
  - { node: m1, rate: 100000/s, from: 0s, until: 5s, keys: ${keys}, value-size: 100, ops: { set: 1 } }
`;
  }
  if (job.mode === 'lazy') {
    // Writes to random keys of the whole range: each one materialises a key; dbsize must not move.
    return `name: bench-memory-lazy
duration: 3s
nodes:
  m1: {}
dataset: { node: m1, keys: ${keys} }
workload:
  - { node: m1, rate: 20000/s, from: 0s, until: 2s, keys: ${keys}, value-size: 100, ops: { set: 1 } }
`;
  }
  const dur = syncSeconds(keys);
  // A full sync with writes all along it (5k SETs/s over the first 100k keys of the dataset).
  return `name: bench-memory-sync
duration: ${dur}s
config: { repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
  r1: { replicaof: m1 }
dataset: { node: m1, keys: ${keys} }
workload:
  - { node: m1, rate: 5000/s, from: 0s, until: ${dur - 4}s, keys: ${Math.min(keys, 100_000)}, value-size: 100, ops: { set: 1 } }
`;
}

const gc = (globalThis as { gc?: () => void }).gc;

function settle(): void {
  if (!gc) throw new Error('memory-child needs --expose-gc');
  gc();
  gc();
}

export function measureJob(job: MemoryJob): MemorySample {
  const scenario = parseScenario(scenarioText(job), `bench-${job.mode}-${job.keys}.yaml`);
  settle();
  const base = process.memoryUsage();
  // Holds the cluster until after the measurement, so the GC cannot take it.
  const kept: { world?: World } = {};
  let lastProgress = 0;
  const t0 = performance.now();
  const res = runScenario(scenario, {
    seed: 'bench',
    observe: { world: (w) => (kept.world = w) },
    onProgress: () => (lastProgress = performance.now()),
  });
  const wallMs = performance.now() - t0;
  settle();
  const after = process.memoryUsage();
  const dbsize: Record<string, number> = {};
  const digests: Record<string, string> = {};
  for (const [name, n] of Object.entries(res.nodes)) {
    dbsize[name] = n.dbsize;
    digests[name] = n.digest;
  }
  const sample: MemorySample = {
    job,
    baselineRssBytes: base.rss,
    baselineHeapBytes: base.heapUsed,
    rssBytes: after.rss,
    heapUsedBytes: after.heapUsed,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    wallMs,
    simulateMs: lastProgress - t0,
    virtualSec: scenario.durationUs / 1e6,
    ok: res.ok && res.error === undefined,
    dbsize,
    digests,
    linkUp: res.nodes['r1'] === undefined || res.nodes['r1'].info['master_link_status'] === 'up',
    converged: res.convergence.ok,
    problems: [...res.convergence.problems, ...(res.error !== undefined ? [res.error.split('\n')[0]!] : [])],
  };
  if (kept.world === undefined) throw new Error('bench: the run never built its world');
  return sample;
}

// Forked by memory.ts: argv[2] is the job as JSON; the sample goes back over IPC.
if (process.send && process.argv[2] !== undefined) {
  const job = JSON.parse(process.argv[2]) as MemoryJob;
  const sample = measureJob(job);
  process.send(sample, () => process.exit(0));
}
