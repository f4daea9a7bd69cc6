/**
 * The bridge between a scenario run and sim/check: which checkers a run asks for (its
 * `invariant:` expectations and RunOptions.check), the facts they need that only the
 * scenario knows (when the faults are over, the network's worst latency, which clients
 * wait for acknowledgements), and their verdicts as expectation results.
 */
import { HistoryRecorder, type FinalState, type History, type HistoryMeta } from '../check/index.js';
import { sentinelSettleBoundUs, type SentinelFacts, type SentinelSettings } from '../check/index.js';
import { runCheckers, type CheckReport } from '../check/index.js';
import { summarizeDurability, type DurabilitySummary } from '../check/index.js';
import { CHECKER_NAMES, formatViolation, isCheckerName, type CheckerName } from '../check/index.js';
import type { Micros } from '../engine/index.js';
import type { LatencyModel } from '../net/index.js';
import type { RedisConfig } from '../redis/index.js';
import type { AckedWriterSpec } from '../workload/index.js';
import type { ExpectationResult, RunOptions } from './result.js';
import type { Scenario, WorkloadSpec } from './scenario.js';
import type { World } from './world.js';

export const DEFAULT_SAMPLE_PERIOD_US = 200_000;

/** The checkers this run must run, in the canonical order; empty when none is asked for. */
export function requestedCheckers(scenario: Scenario, opts: RunOptions): CheckerName[] {
  const wanted = new Set<string>();
  for (const e of scenario.expect) if (e.kind === 'invariant') wanted.add(e.checker);
  if (opts.check === true) wanted.add('all');
  else if (Array.isArray(opts.check)) for (const c of opts.check) wanted.add(c);
  for (const w of wanted) {
    if (w !== 'all' && !isCheckerName(w)) throw new Error(`unknown checker "${w}"; checkers: ${CHECKER_NAMES.join(', ')}`);
  }
  return CHECKER_NAMES.filter((n) => wanted.has('all') || wanted.has(n));
}

/** An acknowledged-writes client's spec from a `wait:` workload. */
export function ackedWriterSpec(spec: WorkloadSpec): AckedWriterSpec {
  return {
    node: spec.node,
    rateHz: spec.rateHz,
    fromUs: spec.fromUs,
    untilUs: spec.untilUs,
    keyPrefix: spec.keyPrefix,
    db: spec.db,
    replicas: spec.wait?.replicas ?? 1,
    timeoutUs: spec.wait?.timeoutUs ?? 500_000,
  };
}

/**
 * When the last fault is over and the last client stopped sending: the start of the
 * liveness phase. null when some fault never ends (a pause or partition never lifted, a
 * crashed node never restarted, a disk left full): then nothing has to converge.
 */
export function quietPoint(scenario: Scenario): Micros | null {
  let q = 0;
  for (const w of scenario.workload) q = Math.max(q, w.untilUs);
  const paused = new Set<string>();
  const down = new Set<string>();
  const fullDisks = new Set<string>();
  let cut = false;
  let clogged = false;
  for (const { atUs, action: a } of scenario.timeline) {
    q = Math.max(q, atUs);
    switch (a.kind) {
      case 'pause':
        if (a.forUs === null) paused.add(a.node);
        else q = Math.max(q, atUs + a.forUs);
        break;
      case 'resume':
        paused.delete(a.node);
        break;
      case 'partition':
      case 'partition-one-way':
        cut = true;
        break;
      case 'heal':
        cut = false;
        clogged = false;
        break;
      case 'latency':
        if (a.forUs === null) clogged = true;
        else q = Math.max(q, atUs + a.forUs);
        break;
      case 'disk':
        if (a.full === true) down.add(a.node);
        else if (a.full === false) down.delete(a.node);
        break;
      case 'swizzle':
        q = Math.max(q, atUs + a.forUs);
        break;
      case 'crash':
      case 'power-loss':
        down.add(a.node);
        break;
      case 'restart':
        down.delete(a.node);
        break;
      case 'swizzle':
        q = Math.max(q, atUs + a.forUs);
        break;
      case 'disk':
        if (a.full === true) fullDisks.add(a.node);
        else if (a.full === false) fullDisks.delete(a.node);
        break;
      default:
        break;
    }
  }
  return paused.size > 0 || down.size > 0 || fullDisks.size > 0 || cut || clogged ? null : q;
}

/** A latency the link stays under in all but the rarest samples. */
export function latencyHighUs(m: LatencyModel): Micros {
  switch (m.kind) {
    case 'fixed':
      return m.us;
    case 'uniform':
      return m.maxUs;
    case 'normal':
      return Math.ceil(m.meanUs + 5 * m.stddevUs);
    case 'lognormal':
      return Math.ceil(m.medianUs * Math.exp(5 * m.sigma));
  }
}

export function historyMeta(w: World, scenario: Scenario, seed: string, opts: RunOptions): HistoryMeta {
  const configs: Record<string, RedisConfig> = {};
  for (const [name, s] of w.servers) configs[name] = s.bootConfig;
  let maxLatencyUs = latencyHighUs(scenario.network.latency);
  let minBandwidth = scenario.network.bandwidthBytesPerSec;
  for (const l of scenario.network.links) {
    if (l.latency) maxLatencyUs = Math.max(maxLatencyUs, latencyHighUs(l.latency));
    if (l.bandwidthBytesPerSec !== undefined) minBandwidth = Math.min(minBandwidth, l.bandwidthBytesPerSec);
  }
  return {
    seed,
    quietFromUs: quietPoint(scenario),
    configs,
    costs: w.costs,
    maxLatencyUs,
    minBandwidthBytesPerSec: minBandwidth,
    tcpBufferBytes: w.net.tcpSendBufferBytes + w.net.tcpReceiveBufferBytes,
    writers: scenario.workload.filter((s) => s.wait !== undefined).map((s) => ({ node: s.node, keyPrefix: s.keyPrefix })),
    samplePeriodUs: opts.samplePeriodUs ?? DEFAULT_SAMPLE_PERIOD_US,
    ...(scenario.sentinels && scenario.sentinels.length > 0 ? { sentinelSettleUs: sentinelSettleBoundUs(sentinelSettings(scenario)!, scenario.nodes.length - 1) } : {}),
  };
}

/** The settings the Sentinel settle bound reads: the first monitored master's, the slowest Sentinel's timings. */
export function sentinelSettings(scenario: Scenario): SentinelSettings | null {
  const all = scenario.sentinels ?? [];
  if (all.length === 0) return null;
  const max = (f: (c: (typeof all)[number]['config']) => number): number => Math.max(...all.map((s) => f(s.config)));
  return {
    downAfterMs: max((c) => c.masters[0]?.downAfterMs ?? c.timings.defaultDownAfterMs),
    failoverTimeoutMs: max((c) => c.masters[0]?.failoverTimeoutMs ?? c.timings.defaultFailoverTimeoutMs),
    infoPeriodMs: max((c) => c.timings.infoPeriodMs),
    pingPeriodMs: max((c) => c.timings.pingPeriodMs),
    askPeriodMs: max((c) => c.timings.askPeriodMs),
    publishPeriodMs: max((c) => c.timings.publishPeriodMs),
    tiltPeriodMs: max((c) => c.timings.tiltPeriodMs),
    electionTimeoutMs: max((c) => c.timings.electionTimeoutMs),
    slaveReconfTimeoutMs: max((c) => c.timings.slaveReconfTimeoutMs),
  };
}

export interface InvariantRun {
  recorder: HistoryRecorder;
  checkers: CheckerName[];
}

/**
 * Starts recording the history when some checker is asked for, or when a `wait:` client's
 * writes are to be accounted for (the durability summary); call before scheduling the scenario.
 */
export function startInvariants(w: World, scenario: Scenario, seed: string, opts: RunOptions): InvariantRun | null {
  const checkers = requestedCheckers(scenario, opts);
  const writers = scenario.workload.some((s) => s.wait !== undefined);
  if (checkers.length === 0 && !writers) return null;
  const recorder = new HistoryRecorder(w.sim, w.servers, historyMeta(w, scenario, seed, opts));
  recorder.start();
  return { recorder, checkers };
}

export interface InvariantOutcome {
  /** The checkers that ran (none when the history was recorded only for the durability summary). */
  checkers: CheckerName[];
  report: CheckReport;
  history: History;
  final: FinalState;
  /** For `invariant:` expectations: by checker name and `all`. */
  verdicts: Record<string, { ok: boolean; actual: string }>;
  /** An expectation result for checkers asked for by RunOptions.check rather than by the file. */
  extra: ExpectationResult[];
  /** When the workload has a `wait:` client. */
  durability?: DurabilitySummary;
}

/** Stops recording and runs the checkers. Call before anything runs commands on the nodes. */
export function finishInvariants(run: InvariantRun, scenario: Scenario, opts: RunOptions, sentinel?: SentinelFacts): InvariantOutcome {
  const final = run.recorder.finish();
  const history = run.recorder.history;
  if (sentinel) history.sentinel = sentinel;
  const report = runCheckers(history, final, run.checkers);
  const verdicts: InvariantOutcome['verdicts'] = {};
  for (const r of report.results) {
    verdicts[r.checker] = { ok: r.ok, actual: r.ok ? 'ok' : formatViolation(r.violations[0]!) };
  }
  verdicts['all'] = { ok: report.ok, actual: report.ok ? 'ok' : formatViolation(report.violations[0]!) };
  const named = new Set(scenario.expect.flatMap((e) => (e.kind === 'invariant' ? [e.checker] : [])));
  const extra: ExpectationResult[] = [];
  const out: InvariantOutcome = { checkers: run.checkers, report, history, final, verdicts, extra };
  if (history.meta.writers.length > 0) {
    const d = summarizeDurability(history, final);
    out.durability = d;
    if (opts.strict) {
      extra.push({ description: 'no write answered OK is lost (--strict)', ok: d.lost === 0, actual: d.lost === 0 ? 0 : `${d.lost} lost (${d.lostAcknowledged} acknowledged)`, line: 0 });
    }
  }
  if (opts.check !== undefined && opts.check !== false && !named.has('all')) {
    const fromOpts = report.results.filter((r) => !named.has(r.checker));
    if (fromOpts.length === 0) return out;
    const bad = fromOpts.flatMap((r) => r.violations);
    extra.push({
      description: `invariants hold (${fromOpts.map((r) => r.checker).join(', ')})`,
      ok: bad.length === 0,
      actual: bad.length === 0 ? 'ok' : formatViolation(bad[0]!),
      line: 0,
    });
  }
  return out;
}
