/**
 * Figure 5: memory. A preloaded dataset of 10 M keys must cost ≤ 1 GB RSS and a full sync
 * of it must run; 100 M keys must at least load lazily, with dbsize exact. Every
 * measurement runs in a forked child (memory-child.ts) with --expose-gc.
 */
import { fork } from 'node:child_process';
import type { Scale } from './args.js';
import type { MemoryJob, MemorySample } from './memory-child.js';
import { compiledSibling } from './repo.js';
import { check, figure, measure, type FigureResult, type Measure } from './stats.js';

const MB = 1024 * 1024;

interface Plan {
  /** Keys a workload writes (each one a dict entry), for the cost of a key that is not in a range. */
  written: number[];
  preload: number[];
  sync: number[];
  lazy: number[];
}

const PLANS: Record<Scale, Plan> = {
  full: { written: [200_000], preload: [1_000_000, 10_000_000], sync: [10_000_000], lazy: [100_000_000] },
  quick: { written: [200_000], preload: [1_000_000, 10_000_000], sync: [1_000_000], lazy: [] },
  tiny: { written: [1000], preload: [10_000], sync: [10_000], lazy: [100_000] },
};

function runChild(script: string, job: MemoryJob): Promise<MemorySample> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [JSON.stringify(job)], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let sample: MemorySample | null = null;
    child.on('message', (m) => (sample = m as MemorySample));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (sample) resolve(sample);
      else reject(new Error(`bench: the memory child for ${job.mode} ${job.keys} exited with code ${code} and no sample`));
    });
  });
}

function label(keys: number): string {
  return keys >= 1e6 ? `${keys / 1e6} M` : `${keys / 1e3}k`;
}

export async function figMemory(scale: Scale, runs: number, log: (s: string) => void): Promise<FigureResult> {
  const t0 = performance.now();
  const script = compiledSibling('memory-child');
  if (script === null) throw new Error('bench: figure 5 forks dist/bench/memory-child.js; build first (npm run bench builds)');
  const plan = PLANS[scale];
  const measures: Measure[] = [];
  const notes: string[] = [];
  const samplesOf = async (job: MemoryJob): Promise<MemorySample[]> => {
    const out: MemorySample[] = [];
    for (let r = 0; r < runs; r++) out.push(await runChild(script, job));
    log(`  figure 5: ${job.mode} ${label(job.keys)} keys done`);
    return out;
  };
  const rssTarget = (keys: number) => (keys === 10_000_000 ? { op: '<=' as const, value: 1024 } : undefined);

  for (const keys of plan.preload) {
    const s = await samplesOf({ mode: 'preload', keys });
    measures.push(measure(`${label(keys)} keys preloaded: RSS`, 'MB', s.map((x) => x.rssBytes / MB), rssTarget(keys)));
    measures.push(measure(`${label(keys)} keys preloaded: RSS above the empty model, per million keys`, 'MB', s.map((x) => ((x.rssBytes - x.baselineRssBytes) / MB / keys) * 1e6)));
    measures.push(measure(`${label(keys)} keys preloaded: wall (load, 1 s virtual, final report)`, 's', s.map((x) => x.wallMs / 1000)));
    measures.push(check(`${label(keys)} keys preloaded: dbsize exact`, s.map((x) => x.dbsize['m1'] === keys)));
  }
  for (const keys of plan.written) {
    const s = await samplesOf({ mode: 'written', keys });
    measures.push(measure(`written keys (SETs of 100 B): RSS per million keys`, 'MB', s.map((x) => ((x.rssBytes - x.baselineRssBytes) / MB / x.dbsize['m1']!) * 1e6)));
    measures.push(measure(`written keys: heap per key`, 'B', s.map((x) => (x.heapUsedBytes - x.baselineHeapBytes) / x.dbsize['m1']!)));
    notes.push(`written keys: no dataset; 100k SETs/s for 5 s over ${label(keys)} key names make ${s[0]!.dbsize['m1']!.toLocaleString('en-US')} keys, each a Map entry (for comparison, Redis used_memory ≈ 177 B/key, calibration.md).`);
  }
  for (const keys of plan.sync) {
    const s = await samplesOf({ mode: 'sync', keys });
    measures.push(measure(`full sync of ${label(keys)} keys: wall`, 's', s.map((x) => x.wallMs / 1000)));
    measures.push(measure(`full sync of ${label(keys)} keys: of which the final DEBUG DIGEST`, 's', s.map((x) => (x.wallMs - x.simulateMs) / 1000)));
    measures.push(measure(`full sync of ${label(keys)} keys: peak RSS`, 'MB', s.map((x) => x.peakRssBytes / MB), rssTarget(keys)));
    measures.push(measure(`full sync of ${label(keys)} keys: RSS at the end`, 'MB', s.map((x) => x.rssBytes / MB)));
    measures.push(check(`full sync of ${label(keys)} keys: replica up, digests and dbsize equal`, s.map((x) => x.linkUp && x.converged && x.digests['m1'] === x.digests['r1'] && x.dbsize['m1'] === keys && x.dbsize['r1'] === keys)));
    notes.push(`full sync: m1 with ${label(keys)} keys, r1 replicaof m1 at 0 s, 5k SETs/s of 100 B over 100k of the keys until 4 s before the end, ${s[0]!.virtualSec} s virtual.`);
    const bad = s.find((x) => x.problems.length > 0);
    if (bad) notes.push(`full sync problems: ${bad.problems.join('; ')}`);
  }
  for (const keys of plan.lazy) {
    const s = await samplesOf({ mode: 'lazy', keys });
    measures.push(measure(`${label(keys)} keys lazily: RSS`, 'MB', s.map((x) => x.rssBytes / MB)));
    measures.push(measure(`${label(keys)} keys lazily: RSS above the empty model, per million keys`, 'MB', s.map((x) => ((x.rssBytes - x.baselineRssBytes) / MB / keys) * 1e6)));
    measures.push(measure(`${label(keys)} keys lazily: wall`, 's', s.map((x) => x.wallMs / 1000)));
    measures.push(measure(`${label(keys)} keys lazily: of which the final DEBUG DIGEST`, 's', s.map((x) => (x.wallMs - x.simulateMs) / 1000)));
    measures.push(check(`${label(keys)} keys lazily: dbsize exact after 40k writes`, s.map((x) => x.dbsize['m1'] === keys)));
    notes.push(`lazy: ${label(keys)} keys preloaded, then 20k SETs/s for 2 s on random keys of the whole range (each write materialises one key; none adds one).`);
  }
  if (plan.lazy.length === 0) notes.push('--quick skips the 100 M keys run (its final DEBUG DIGEST alone takes ≈ 20 s).');
  notes.push('RSS: process.memoryUsage().rss after two forced GCs with the cluster still reachable, one fresh process per run; peak RSS: getrusage maxrss.');
  return figure(5, 'memory', 'memory: 10 M keys preloaded and fully synced, 100 M loaded lazily', '10 M keys ≤ 1 GB RSS, and a full sync of them completes; 100 M keys load lazily with dbsize exact', runs, measures, notes, performance.now() - t0);
}
