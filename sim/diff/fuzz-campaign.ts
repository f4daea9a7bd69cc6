/**
 * A differential fuzzing campaign: generated cases (fuzz-case.ts) run on real redis-server
 * processes and in replsim, compared field by field as `replsim diff` does. A difference
 * counts only if a second real run shows it too (a real run can miss a timing once; a model
 * difference shows up both times). A confirmed difference is shrunk — whole episodes, the
 * workload, the dataset, replicas and settings removed while it still differs — to the
 * smallest case, written as an ordinary scenario file with the difference as a comment.
 */
import { parseScenario } from '../scenario/load.js';
import { caseSeedOf, shardIndex, type Shard } from '../fuzz/index.js';
import { runDiff, type DiffReport } from './diff.js';
import { diffCaseText, generateDiffCase, type DiffCase } from './fuzz-case.js';

export interface DiffFuzzOptions {
  redisServer: string;
  campaignSeed: string;
  runs: number;
  /** Stop starting cases after this many ms of wall time (0: no limit). */
  timeMs: number;
  shard: Shard;
  /** Shrink attempts per confirmed difference. */
  shrinkBudget: number;
  /** Cases run at once, each on its own free loopback ports. */
  workers: number;
  signal?: AbortSignal;
  onCase?: (c: CaseOutcome) => void;
  /** Wall clock, injected (the caller's edge owns time). */
  now: () => number;
}

export interface CaseOutcome {
  index: number;
  seed: number;
  /**
   * 'same', 'flaky' (the second real run agreed), 'different' (confirmed), or 'loaded' (the
   * confirming real runs were late beyond MAX_HARNESS_LATE_MS: neither confirmed nor cleared).
   */
  verdict: 'same' | 'flaky' | 'different' | 'loaded';
  /** `node.field: real X, replsim Y` and `command@line …` lines of the confirmed difference. */
  differences: string[];
  /** The shrunk case's scenario text, for a confirmed difference. */
  reproducer?: string;
  realMs: number;
}

export interface DiffFuzzSummary {
  campaignSeed: string;
  shard: string;
  cases: number;
  same: number;
  flaky: number;
  different: number;
  /** Differing cases whose confirming runs were too late to count (a loaded machine). */
  loaded: number;
  /** Field name (or `command`) → confirmed cases that differed in it. */
  byField: Record<string, number>;
  realSeconds: number;
  differing: Array<{ index: number; seed: number; differences: string[] }>;
}

/**
 * Fields fixed at the instant of a fork, or by how a replica's reads chunk its backlog: with
 * writes flowing, a real run moves them by tens of ms of scheduling (found by this fuzzer: a
 * restarted replica's full sync loaded 357 keys on one real run where replsim's loaded 351,
 * and a 23 kB backlog's histlen depended on the 16 kB blocks its reads filled). Compared only
 * in cases without a workload.
 */
const WRITE_TIMED_FIELDS = new Set(['repl_backlog_histlen', 'rdb_last_load_keys_loaded']);

/** The unexpected differences of a report, as one line each. */
export function differenceLines(r: DiffReport, writesFlow = false): string[] {
  const out: string[] = [];
  for (const f of r.fields) {
    if (f.equal || f.known !== null || (writesFlow && WRITE_TIMED_FIELDS.has(f.field))) continue;
    out.push(`${f.node}.${f.field}: real ${f.real}, replsim ${f.sim}`);
  }
  for (const c of r.commands) if (!c.equal && c.known === null) out.push(`command@${c.line} ${c.node} ${c.command}: real ${c.real}, replsim ${c.sim}`);
  for (const w of r.workload) if (!w.equal) out.push(`workload[${w.index}] on ${w.node}: real sent ${w.real} commands, replsim ${w.sim}`);
  if (r.sim.error !== undefined) out.push(`replsim error: ${r.sim.error.split('\n')[0]}`);
  return out;
}

/**
 * A real run whose harness ran a timeline step or workload write later than this is no
 * measurement: the generator's margins (fuzz-case.ts) are 300 ms between faults and 500 ms
 * of quiet before a promotion or a chained join, and a machine that delays the harness by
 * half of that delays the redis-server processes as much. Such a run neither confirms a
 * difference nor clears one (session 3's open case, a chained replica that loaded 0 keys,
 * is what a 0.5 s stall of the master before the join gives: test/differential/KNOWN-DIFFERENCES.md).
 */
export const MAX_HARNESS_LATE_MS = 250;

interface RealRun {
  differences: string[];
  /** The harness was late beyond MAX_HARNESS_LATE_MS: the run does not count. */
  loaded: boolean;
}

async function diffOnce(c: DiffCase, opts: DiffFuzzOptions): Promise<RealRun> {
  const scenario = parseScenario(diffCaseText(c), null);
  const o: Parameters<typeof runDiff>[2] = { redisServer: opts.redisServer, seed: String(c.seed) };
  if (opts.signal) o.signal = opts.signal;
  // runDiff itself runs the real side again on fresh ports when another process took one.
  const report = await runDiff(scenario, [], o);
  return { differences: differenceLines(report, c.workload !== null), loaded: report.real.timings.maxLateMs > MAX_HARNESS_LATE_MS };
}

/** Differences that count: those of a run on a machine that kept the margins (no timing lost). */
function counted(run: RealRun): string[] {
  return run.loaded ? [] : run.differences;
}

/** Smaller variants of a case, biggest cuts first. */
export function shrinkCandidates(c: DiffCase): DiffCase[] {
  const out: DiffCase[] = [];
  const episodes = [...new Set(c.steps.map((s) => s.episode))];
  for (const e of episodes) out.push({ ...c, steps: c.steps.filter((s) => s.episode !== e) });
  if (c.workload) out.push({ ...c, workload: null });
  if (c.dataset) out.push({ ...c, dataset: null });
  const last = `r${c.replicas}`;
  const mentioned = c.steps.some((s) => new RegExp(`\\b${last}\\b`).test(s.body));
  if (c.replicas > 1 && !mentioned) out.push({ ...c, replicas: c.replicas - 1, chain: c.chain && c.replicas - 1 >= 2 });
  if (c.chain) out.push({ ...c, chain: false });
  for (const k of Object.keys(c.config)) {
    if (k === 'repl-diskless-sync-delay' || k === 'repl-timeout') continue;
    const config = { ...c.config };
    delete config[k];
    out.push({ ...c, config });
  }
  return out;
}

/** Greedy shrink: take the first smaller variant that still differs, until none does or the budget is spent. */
export async function shrink(c: DiffCase, differences: string[], opts: DiffFuzzOptions): Promise<{ smallest: DiffCase; differences: string[] }> {
  let smallest = c;
  let budget = opts.shrinkBudget;
  let progress = true;
  while (progress && budget > 0) {
    progress = false;
    for (const candidate of shrinkCandidates(smallest)) {
      if (budget-- <= 0 || opts.signal?.aborted) break;
      // A smaller case counts only if it differs twice in a row, like the case itself: on a
      // loaded machine a single real run can lose a link, and the shrinker would follow it.
      let d = counted(await diffOnce(candidate, opts));
      if (d.length > 0 && budget-- > 0) d = counted(await diffOnce(candidate, opts));
      if (d.length > 0) {
        smallest = candidate;
        differences = d;
        progress = true;
        break;
      }
    }
  }
  return { smallest, differences };
}

export async function runDiffFuzz(opts: DiffFuzzOptions): Promise<DiffFuzzSummary> {
  const started = opts.now();
  const outcomes: CaseOutcome[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (opts.signal?.aborted) return;
      if (opts.timeMs > 0 && opts.now() - started >= opts.timeMs) return;
      const n = next++;
      if (n >= opts.runs) return;
      let outcome: CaseOutcome;
      try {
        outcome = await runCase(shardIndex(opts.shard, n), opts);
      } catch (e) {
        // Interrupted mid-case: that case is dropped, the finished ones make the summary.
        if (opts.signal?.aborted) return;
        throw e;
      }
      outcomes.push(outcome);
      opts.onCase?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.workers) }, worker));
  outcomes.sort((a, b) => a.index - b.index);
  const summary: DiffFuzzSummary = {
    campaignSeed: opts.campaignSeed,
    shard: `${opts.shard.index}/${opts.shard.count}`,
    cases: outcomes.length,
    same: 0,
    flaky: 0,
    different: 0,
    loaded: 0,
    byField: {},
    realSeconds: Math.round((opts.now() - started) / 100) / 10,
    differing: [],
  };
  for (const o of outcomes) {
    summary[o.verdict]++;
    if (o.verdict !== 'different') continue;
    summary.differing.push({ index: o.index, seed: o.seed, differences: o.differences });
    for (const d of o.differences) {
      const field = d.startsWith('command@') ? 'command' : (d.split(':')[0]!.split('.')[1] ?? d);
      summary.byField[field] = (summary.byField[field] ?? 0) + 1;
    }
  }
  return summary;
}

/** Why `x` is not a DiffFuzzSummary (a summary.json of `replsim diff --fuzz`), or null. */
export function diffFuzzSummaryProblem(x: unknown): string | null {
  if (typeof x !== 'object' || x === null) return 'not an object';
  const o = x as Record<string, unknown>;
  for (const k of ['cases', 'same', 'flaky', 'different', 'realSeconds'] as const) if (typeof o[k] !== 'number') return `${k} is not a number`;
  if (o['loaded'] !== undefined && typeof o['loaded'] !== 'number') return 'loaded is not a number';
  if (typeof o['campaignSeed'] !== 'string' || typeof o['shard'] !== 'string') return 'campaignSeed or shard is not a string';
  if (typeof o['byField'] !== 'object' || o['byField'] === null || !Array.isArray(o['differing'])) return 'byField or differing is missing';
  return null;
}

/**
 * The shards of one campaign added up (`replsim diff --fuzz --merge`): cases, verdicts,
 * differences by field and real seconds summed, differing cases listed by index. Summaries
 * written before the 'loaded' verdict count 0 there.
 */
export function mergeDiffFuzzSummaries(list: readonly DiffFuzzSummary[]): DiffFuzzSummary {
  const seeds = [...new Set(list.map((s) => s.campaignSeed))];
  const out: DiffFuzzSummary = {
    campaignSeed: seeds.join(','),
    shard: list.map((s) => s.shard).join(','),
    cases: 0, same: 0, flaky: 0, different: 0, loaded: 0, byField: {}, realSeconds: 0, differing: [],
  };
  for (const s of list) {
    out.cases += s.cases;
    out.same += s.same;
    out.flaky += s.flaky;
    out.different += s.different;
    out.loaded += s.loaded ?? 0;
    out.realSeconds = Math.round((out.realSeconds + s.realSeconds) * 10) / 10;
    for (const [f, n] of Object.entries(s.byField)) out.byField[f] = (out.byField[f] ?? 0) + n;
    out.differing.push(...s.differing);
  }
  out.differing.sort((a, b) => a.index - b.index);
  return out;
}

/** One case: run, confirm a difference with a second real run, shrink it. */
export async function runCase(index: number, opts: DiffFuzzOptions, seed = caseSeedOf(opts.campaignSeed, index)): Promise<CaseOutcome> {
  const t0 = opts.now();
  const c = generateDiffCase(seed);
  const outcome: CaseOutcome = { index, seed, verdict: 'same', differences: [], realMs: 0 };
  const first = await diffOnce(c, opts);
  if (first.differences.length > 0) {
    let second = await diffOnce(c, opts);
    // A late harness says nothing either way: one more try before the case is called loaded.
    if (second.loaded) second = await diffOnce(c, opts);
    if (second.loaded && second.differences.length > 0) {
      outcome.verdict = 'loaded';
      outcome.differences = second.differences;
    } else if (second.differences.length === 0) outcome.verdict = 'flaky';
    else {
      outcome.verdict = 'different';
      const { smallest, differences } = await shrink(c, second.differences, opts);
      outcome.differences = differences.length > 0 ? differences : second.differences;
      outcome.reproducer = diffCaseText(smallest, [
        `Found by replsim diff --fuzz --seed ${opts.campaignSeed} (case ${index}, seed ${seed}), shrunk.`,
        'replsim and redis-server 7.0.15 differ here (twice in a row):',
        ...outcome.differences.map((d) => `  ${d}`),
        'Fix the model, or write the difference down in test/differential/KNOWN-DIFFERENCES.md.',
      ]);
    }
  }
  outcome.realMs = opts.now() - t0;
  return outcome;
}
