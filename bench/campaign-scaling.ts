/**
 * Figure 6: campaign scaling. `replsim fuzz` (the real CLI, in a child process) runs the
 * same campaign — fixed seed, profile and run count — with 1 and then 2 workers; runs/s is
 * the campaign's own (summary.json's runs / elapsedMs, worker start-up included). The
 * child's RSS and CPU time are sampled from /proc while it runs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scale } from './args.js';
import { repoRoot } from './repo.js';
import { check, figure, measure, summarize, type FigureResult, type Measure } from './stats.js';

const MB = 1024 * 1024;
const CAMPAIGN_SEED = 'bench-scaling';

interface Plan {
  profile: string;
  runs: number;
}

/**
 * A campaign of a third of the runs, same seed (its cases are the first third of the full
 * one's), with each worker count: what the extra two thirds of the runs cost is the
 * per-run CPU; what is left, the fixed cost of the command (the main thread's start-up,
 * each worker's module loading and JIT warm-up), which a longer campaign spreads thinner.
 */
const SHORT_SHARE = 1 / 3;

/** Enough runs that each worker's start-up (module load, JIT warm-up: ≈ 2 s of CPU) is a small share. */
const PLANS: Record<Scale, Plan> = {
  full: { profile: 'default', runs: 240 },
  quick: { profile: 'default', runs: 80 },
  tiny: { profile: 'quick', runs: 4 },
};

export interface CampaignSample {
  workers: number;
  runs: number;
  failedRuns: number;
  /** The campaign's elapsedMs (workers started → summary). */
  elapsedMs: number;
  /** Spawn to exit of the whole command. */
  processMs: number;
  /** Highest VmHWM seen (peak RSS of the process, all threads). */
  peakRssBytes: number;
  /** utime + stime of the process at the last sample. */
  cpuMs: number;
  /** summary.json's runCpuMs: the worker threads' own CPU time for the cases (null if not reported). */
  runCpuMs: number | null;
}

function procStatus(pid: number): { hwm: number; cpuMs: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat (index 11 and 12 after the command name), in clock ticks of 10 ms.
    const cpuMs = (Number(fields[11]) + Number(fields[12])) * 10;
    return { hwm: hwm ? Number(hwm[1]) * 1024 : 0, cpuMs };
  } catch {
    return null; // gone, or no /proc (not Linux)
  }
}

export function runCampaign(workers: number, plan: Plan): Promise<CampaignSample> {
  const cli = join(repoRoot(), 'dist', 'sim', 'cli', 'main.js');
  const out = mkdtempSync(join(tmpdir(), 'replsim-bench-fuzz-'));
  const args = [cli, 'fuzz', '--runs', String(plan.runs), '--seed', CAMPAIGN_SEED, '--profile', plan.profile, '--workers', String(workers), '--out', out, '--json'];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    let cpuMs = 0;
    const sample = (): void => {
      const s = child.pid !== undefined ? procStatus(child.pid) : null;
      if (s) {
        peak = Math.max(peak, s.hwm);
        cpuMs = s.cpuMs;
      }
    };
    const timer = setInterval(sample, 25);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearInterval(timer);
      const processMs = performance.now() - t0;
      rmSync(out, { recursive: true, force: true });
      const line = stdout.trim().split('\n').pop() ?? '';
      let summary: { runs: number; failedRuns: number; elapsedMs: number; runCpuMs?: number };
      try {
        summary = JSON.parse(line) as typeof summary;
      } catch {
        reject(new Error(`bench: replsim fuzz --workers ${workers} exited with ${code} and no JSON summary:\n${stderr}`));
        return;
      }
      resolve({ workers, runs: summary.runs, failedRuns: summary.failedRuns, elapsedMs: summary.elapsedMs, processMs, peakRssBytes: peak, cpuMs, runCpuMs: summary.runCpuMs ?? null });
    });
  });
}

export async function figCampaign(scale: Scale, runs: number, log: (s: string) => void): Promise<FigureResult> {
  const t0 = performance.now();
  const plan = PLANS[scale];
  const one: CampaignSample[] = [];
  const two: CampaignSample[] = [];
  const shortPlan: Plan = { ...plan, runs: Math.max(2, Math.round(plan.runs * SHORT_SHARE)) };
  const oneShort: CampaignSample[] = [];
  const twoShort: CampaignSample[] = [];
  for (let r = 0; r < runs; r++) {
    // Alternate which goes first so a burst of someone else's load hits both equally often.
    const order = r % 2 === 0 ? [1, 2] : [2, 1];
    for (const w of order) (w === 1 ? one : two).push(await runCampaign(w, plan));
    for (const w of order) (w === 1 ? oneShort : twoShort).push(await runCampaign(w, shortPlan));
    log(`  figure 6: repetition ${r + 1}/${runs}: 1 worker ${(one[r]!.runs / (one[r]!.elapsedMs / 1000)).toFixed(1)} runs/s, 2 workers ${(two[r]!.runs / (two[r]!.elapsedMs / 1000)).toFixed(1)} runs/s`);
  }
  // Each repetition's long and short campaign of a worker count, a few seconds apart: the
  // CPU the extra runs cost (per run), and the rest of the long one's CPU (fixed).
  const perAddedRun = (long: CampaignSample, short: CampaignSample): number => (long.cpuMs - short.cpuMs) / 1000 / (long.runs - short.runs);
  const fixed = (long: CampaignSample, short: CampaignSample): number => long.cpuMs / 1000 - long.runs * perAddedRun(long, short);
  const added1 = one.map((s, i) => perAddedRun(s, oneShort[i]!));
  const added2 = two.map((s, i) => perAddedRun(s, twoShort[i]!));
  const rate = (s: CampaignSample): number => s.runs / (s.elapsedMs / 1000);
  const ratios = one.map((s, i) => rate(two[i]!) / rate(s));
  // What a run costs in CPU whatever the number of cores: with N workers on N idle cores,
  // runs/s is N × (1 / CPU-seconds per run with N workers), if that cost stays flat.
  const cpuPerRun = (s: CampaignSample): number => s.cpuMs / 1000 / s.runs;
  const cpuRatios = one.map((s, i) => cpuPerRun(two[i]!) / cpuPerRun(s));
  const measures: Measure[] = [
    measure('1 worker', 'runs/s', one.map(rate)),
    measure('2 workers', 'runs/s', two.map(rate)),
    measure('2 workers / 1 worker', '×', ratios, { op: '>=', value: 1.8 }),
    measure('CPU time of the command, 1 worker', 's', one.map((s) => s.cpuMs / 1000)),
    measure('CPU time of the command, 2 workers', 's', two.map((s) => s.cpuMs / 1000)),
    measure('CPU-seconds per run, 1 worker (the whole command / runs)', 's', one.map(cpuPerRun)),
    measure('CPU-seconds per run, 2 workers', 's', two.map(cpuPerRun)),
    measure('CPU-seconds per run, 2 workers / 1 worker', '×', cpuRatios, { op: '<=', value: 1.1 }),
    measure('per-core yield of a second worker (CPU per run, 1 worker ÷ 2 workers)', '×', cpuRatios.map((x) => 1 / x)),
    measure('peak RSS, 1 worker (main thread + 1 worker)', 'MB', one.map((s) => s.peakRssBytes / MB)),
    measure('peak RSS, 2 workers', 'MB', two.map((s) => s.peakRssBytes / MB)),
    measure('peak RSS per worker (2 workers − 1 worker)', 'MB', two.map((s, i) => (s.peakRssBytes - one[i]!.peakRssBytes) / MB)),
    check('same outcome with 1 and 2 workers (runs, failures)', one.map((s, i) => s.runs === plan.runs && two[i]!.runs === plan.runs && s.failedRuns === two[i]!.failedRuns)),
  ];
  measures.splice(
    measures.findIndex((m) => m.name.startsWith('per-core yield')) + 1,
    0,
    measure(`CPU-seconds per added run, 1 worker (whole command: (CPU at ${plan.runs} runs − at ${shortPlan.runs}) ÷ ${plan.runs - shortPlan.runs})`, 's', added1),
    measure('CPU-seconds per added run, 2 workers', 's', added2),
    measure('CPU-seconds per added run, 2 workers / 1 worker', '×', added1.map((x, i) => added2[i]! / x)),
    measure(`fixed CPU of the command, 1 worker (CPU at ${plan.runs} runs − ${plan.runs} × per added run: start-up, JIT warm-up)`, 's', one.map((s, i) => fixed(s, oneShort[i]!))),
    measure('fixed CPU of the command, 2 workers', 's', two.map((s, i) => fixed(s, twoShort[i]!))),
  );
  if (one.every((s) => s.runCpuMs !== null) && two.every((s) => s.runCpuMs !== null)) {
    // The cases alone, on the worker threads that ran them (the main thread, GC and JIT threads and each worker's start-up left out).
    const runCpu = (s: CampaignSample): number => s.runCpuMs! / 1000 / s.runs;
    measures.splice(
      measures.findIndex((m) => m.name.startsWith('per-core yield')) + 1,
      0,
      measure('CPU-seconds per run on its worker thread, 1 worker', 's', one.map(runCpu)),
      measure('CPU-seconds per run on its worker thread, 2 workers', 's', two.map(runCpu)),
      measure('CPU-seconds per run on its worker thread, 2 workers / 1 worker', '×', one.map((s, i) => runCpu(two[i]!) / runCpu(s))),
    );
  }
  const cpu1 = summarize(one.map((s) => s.cpuMs)).median;
  const cpu2 = summarize(two.map((s) => s.cpuMs)).median;
  const perCore = 1 / summarize(cpuRatios).median;
  const notes = [
    `replsim fuzz --seed ${CAMPAIGN_SEED} --profile ${plan.profile} --runs ${plan.runs} --workers 1|2, each in a fresh process; runs/s = runs / the campaign's elapsed time (worker start-up included).`,
    `CPU: 2 workers spend ${((cpu2 - cpu1) / 1000).toFixed(1)} s more CPU than 1 for the same cases — each worker thread loads and JIT-compiles the model itself; with 1 worker those compiler and GC threads run on the otherwise idle second core.`,
    `Fixed and per-run CPU: each repetition also runs the first ${shortPlan.runs} of the ${plan.runs} cases with each worker count; (CPU at ${plan.runs} − CPU at ${shortPlan.runs}) ÷ ${plan.runs - shortPlan.runs} is what a run adds, the rest of the ${plan.runs}-run CPU is fixed (paid once per command and per worker, whatever the runs). ` +
      `CPU-seconds per run of the whole command count each worker's fixed part once per ${plan.runs} runs, so with 2 workers they exceed 1 worker's by a second worker's fixed cost ÷ ${plan.runs} even when a run costs the same; compare the per-added-run figures for what a run costs.`,
    `CPU-seconds per run (utime + stime of the whole process, all threads, ÷ runs) do not depend on how many cores there are, where runs/s on a 2-core machine shared with others does: if a run costs as much CPU with N workers as with 2, N workers on N free cores give ≈ N × ${perCore.toFixed(2)} × the 1-worker rate (${(4 * perCore).toFixed(1)}× on 4 cores, ${(8 * perCore).toFixed(1)}× on 8), less the main thread's share.`,
  ];
  return figure(6, 'campaign-scaling', 'campaign scaling: replsim fuzz with 1 and 2 workers', 'runs/s with 2 workers ≥ 1.8× 1 worker; CPU-seconds per run with 2 workers ≤ 1.1× 1 worker; peak memory per worker reported', runs, measures, notes, performance.now() - t0);
}
