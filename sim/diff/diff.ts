/**
 * One differential run: the scenario on real redis-server processes, then the same
 * scenario (same seed) in replsim, then the comparison. The result is what `replsim diff`
 * prints (format-diff.ts) or emits as JSON, and what the fidelity suite asserts on.
 */
import { runScenario } from '../scenario/runner.js';
import type { Convergence, ExpectationResult } from '../scenario/result.js';
import type { Scenario } from '../scenario/scenario.js';
import type { WorkloadCounters } from '../workload/index.js';
import { COMPARED_FIELDS, compareCommands, compareNodes, unexpected, type CommandComparison, type FieldComparison } from './compare.js';
import { KnownDifferenceError, parseKnownDifferences, type KnownDifference } from './known-differences.js';
import { NO_REPLY, runReal, type RealEvent, type RealRunResult } from './real-runner.js';
import { PORT_ATTEMPTS, portTaken } from './redis-process.js';
import { explainOffsetRace, raceDifference } from './pre-backlog-writes.js';
import type { RunResult } from '../scenario/result.js';
import { compareSentinels, SENTINEL_FIELDS, type SentinelComparison, type SentinelWorld } from './sentinel-compare.js';
import type { SentinelEventRecord } from './sentinel-watch.js';
import type { SentinelFinal } from '../scenario/sentinel-expect.js';

export interface DiffOptions {
  redisServer: string;
  /** redis-sentinel, for scenarios with `sentinels:`. */
  redisSentinel?: string;
  /** Seed for the simulator and for the workload's command sequence (both worlds). */
  seed: string;
  keepLogsDir?: string;
  signal?: AbortSignal;
  onEvent?: (e: RealEvent) => void;
}

export interface DiffReport {
  scenario: string;
  file: string | null;
  seed: string;
  redis: { binary: string; version: string };
  /** Every compared field of every node. */
  fields: FieldComparison[];
  /** Replies to the timeline's `command:` steps. */
  commands: CommandComparison[];
  /** The scenario's `expect:` evaluated against real Redis's final state. */
  realExpectations: ExpectationResult[];
  /** The same expectations as replsim evaluated them. */
  simExpectations: ExpectationResult[];
  /** Differences not written down as known: > 0 means exit 1. */
  unexpected: number;
  /** Known differences declared in the file that did not show up in this run. */
  knownNotSeen: KnownDifference[];
  known: KnownDifference[];
  real: {
    convergence: Convergence;
    timings: RealRunResult['timings'];
    notes: string[];
    events: RealEvent[];
    workload: WorkloadCounters[];
  };
  sim: { traceHash: string; convergence: Convergence; error?: string; wallMs: number };
  /**
   * Commands each workload client sent, real beside replsim (workload items that run in both
   * worlds): both draw the same sequence from the seed, so the counts must be equal — a
   * difference means the worlds were not given the same writes, and counts as unexpected.
   */
  workload: WorkloadComparison[];
  /** With `sentinels:`: the Sentinels compared (sentinel-compare.ts), each difference with its known reason. */
  sentinels?: SentinelComparison & { known: Record<string, KnownDifference | null>; startedUs: number };
  /** No unexpected difference. */
  ok: boolean;
}

/** Known differences of a scenario file, checked against the fields that exist. */
export function knownDifferencesOf(scenario: Scenario, text: string): KnownDifference[] {
  const known = parseKnownDifferences(text, scenario.file ?? scenario.name);
  const nodes = new Set(scenario.nodes.map((n) => n.name));
  const lines = new Set(scenario.timeline.map((s) => s.line));
  for (const k of known) {
    const cmd = /^command@(\d+)$/.exec(k.target);
    if (cmd) {
      if (!lines.has(Number(cmd[1]))) throw new KnownDifferenceError(`${scenario.file}:${k.line}: known-difference ${k.target}: no timeline step on line ${cmd[1]}`);
      continue;
    }
    const [node, field] = k.target.split('.') as [string, string];
    if (node === 'sentinel') {
      if (!(SENTINEL_TARGETS as readonly string[]).includes(field)) {
        throw new KnownDifferenceError(`${scenario.file}:${k.line}: known-difference ${k.target}: "${field}" is not a compared Sentinel aspect (${SENTINEL_TARGETS.join(', ')})`);
      }
      continue;
    }
    if (node !== '*' && !nodes.has(node)) throw new KnownDifferenceError(`${scenario.file}:${k.line}: known-difference ${k.target}: no node "${node}"`);
    if (!(COMPARED_FIELDS as readonly string[]).includes(field)) {
      throw new KnownDifferenceError(`${scenario.file}:${k.line}: known-difference ${k.target}: "${field}" is not a compared field (${COMPARED_FIELDS.join(', ')})`);
    }
  }
  return known;
}

/** What a `sentinel.<x>` known difference may name. */
const SENTINEL_TARGETS = [...SENTINEL_FIELDS, 'events', 'timing'] as const;

export interface WorkloadComparison {
  /** Index in the scenario's workload: list. */
  index: number;
  node: string;
  real: number;
  sim: number;
  equal: boolean;
}

/** The workload items replsim ran as open-loop clients, their sent counts against the real side's. */
function compareWorkload(scenario: Scenario, real: readonly WorkloadCounters[], sim: ReadonlyMap<number, WorkloadCounters>): WorkloadComparison[] {
  return [...sim].filter(([i]) => real[i] !== undefined).sort((a, b) => a[0] - b[0])
    .map(([i, counters]) => ({ index: i, node: scenario.workload[i]!.node, real: real[i]!.sent, sim: counters.sent, equal: real[i]!.sent === counters.sent }));
}

export async function runDiff(scenario: Scenario, known: KnownDifference[], opts: DiffOptions): Promise<DiffReport> {
  const realOpts: Parameters<typeof runReal>[1] = { redisServer: opts.redisServer, seed: opts.seed };
  if (opts.redisSentinel !== undefined) realOpts.redisSentinel = opts.redisSentinel;
  if (opts.keepLogsDir !== undefined) realOpts.keepLogsDir = opts.keepLogsDir;
  if (opts.signal !== undefined) realOpts.signal = opts.signal;
  if (opts.onEvent !== undefined) realOpts.onEvent = opts.onEvent;
  // Real first: the simulator's CPU burst must not disturb real time. A port another
  // process took between our pick and the bind costs a fresh start, not a failed diff.
  let real: Awaited<ReturnType<typeof runReal>>;
  for (let attempt = 1; ; attempt++) {
    try {
      real = await runReal(scenario, realOpts);
      break;
    } catch (e) {
      if (attempt >= PORT_ATTEMPTS || !portTaken(e)) throw e;
    }
  }
  const simSentinels: { events: SentinelEventRecord[]; myids: Map<string, string> } = { events: [], myids: new Map() };
  const simWorkload = new Map<number, WorkloadCounters>();
  const sim = runScenario(scenario, {
    seed: opts.seed,
    observe: {
      workloadClient: (i, counters) => simWorkload.set(i, counters),
      world: (w) => {
        for (const [name, s] of w.sentinels) simSentinels.myids.set(s.myid, name);
        w.sim.trace.subscribe((rec) => {
          if (rec.kind === 'sentinel.boot' && rec.node !== undefined) simSentinels.myids.set(String(rec['myid']), rec.node);
          if (rec.kind !== 'sentinel.event' || rec.node === undefined) return;
          simSentinels.events.push({ atUs: rec.t, sentinel: rec.node, type: String(rec['type']), msg: String(rec['msg']) });
        });
      },
    },
  });
  const names = scenario.nodes.map((n) => n.name);
  const fields = compareNodes(names, real.nodes, sim.nodes, known);
  explainWorkloadRace(scenario, opts.seed, real, sim, fields);
  if (real.sentinels) excuseHelloBytes(fields);
  const argvOf = (line: number): readonly string[] => {
    const step = scenario.timeline.find((s) => s.line === line);
    return step?.action.kind === 'command' ? step.action.argv : [];
  };
  const commands = compareCommands(real.commands, sim.commands, argvOf, known, NO_REPLY);
  const sentinels = real.sentinels ? sentinelReport(scenario, real.sentinels, sim, simSentinels, known) : undefined;
  const workload = compareWorkload(scenario, real.workload, simWorkload);
  const bad = unexpected(fields, commands) + (sentinels ? sentinelUnexpected(sentinels) : 0) + workload.filter((w) => !w.equal).length;
  const seen = new Set<string>();
  for (const f of fields) if (!f.equal && f.known) seen.add(f.known.target);
  for (const c of commands) if (!c.equal && c.known) seen.add(c.known.target);
  for (const k of Object.values(sentinels?.known ?? {})) if (k) seen.add(k.target);
  const report: DiffReport = {
    scenario: scenario.name,
    file: scenario.file,
    seed: opts.seed,
    redis: { binary: opts.redisServer, version: real.redisVersion },
    fields,
    commands,
    realExpectations: real.expectations,
    simExpectations: sim.expectations,
    unexpected: bad + (sim.error !== undefined ? 1 : 0),
    knownNotSeen: known.filter((k) => !seen.has(k.target)),
    known,
    real: { convergence: real.convergence, timings: real.timings, notes: real.notes, events: real.events, workload: real.workload },
    sim: { traceHash: sim.traceHash, convergence: sim.convergence, wallMs: sim.wallMs },
    workload,
    ok: bad === 0 && sim.error === undefined,
  };
  if (sim.error !== undefined) report.sim.error = sim.error;
  if (sentinels) report.sentinels = sentinels;
  return report;
}

/** Both worlds' Sentinels side by side; `known` holds the excuse of each aspect that differed. */
function sentinelReport(
  scenario: Scenario,
  real: NonNullable<RealRunResult['sentinels']>,
  sim: RunResult,
  simSentinels: { events: SentinelEventRecord[]; myids: Map<string, string> },
  known: KnownDifference[],
): NonNullable<DiffReport['sentinels']> {
  const realIds = new Map(Object.entries(real.ids));
  const realWorld: SentinelWorld = {
    events: real.events,
    finals: real.finals,
    nameAt: (ip, port) => real.addresses[`${ip}:${port}`] ?? `?${ip}:${port}`,
    sentinelById: (id) => realIds.get(id) ?? id,
  };
  const simWorld: SentinelWorld = {
    events: simSentinels.events,
    finals: simFinals(scenario, sim, simSentinels.events),
    nameAt: (host) => host,
    sentinelById: (id) => simSentinels.myids.get(id) ?? id,
  };
  const c = compareSentinels(scenario, realWorld, simWorld);
  const find = (target: string): KnownDifference | null => known.find((k) => k.target === target) ?? null;
  const out: Record<string, KnownDifference | null> = {};
  for (const f of c.fields) if (!f.equal) out[`sentinel.${f.field}`] = find(`sentinel.${f.field}`);
  if (c.sequences.some((q) => !q.equal)) out['sentinel.events'] = find('sentinel.events');
  if (c.timings.some((t) => !t.equal)) out['sentinel.timing'] = find('sentinel.timing');
  return { ...c, known: out, startedUs: real.startedUs };
}

/** replsim's Sentinels at the end, from `nodes.<sentinel>.sentinel` of its result. */
function simFinals(scenario: Scenario, sim: RunResult, events: readonly SentinelEventRecord[]): Record<string, SentinelFinal> {
  const out: Record<string, SentinelFinal> = {};
  for (const spec of scenario.sentinels ?? []) {
    const s = sim.nodes[spec.name]?.sentinel;
    const counts: Record<string, number> = {};
    for (const e of events) if (e.sentinel === spec.name) counts[e.type] = (counts[e.type] ?? 0) + 1;
    out[spec.name] = { alive: s?.alive ?? false, masters: s?.masters ?? {}, events: counts };
  }
  return out;
}

/** Sentinel aspects that differed with no known difference written for them. */
function sentinelUnexpected(s: NonNullable<DiffReport['sentinels']>): number {
  let n = 0;
  for (const f of s.fields) if (!f.equal && !s.known[`sentinel.${f.field}`]) n++;
  for (const q of s.sequences) if (!q.equal && !s.known['sentinel.events']) n++;
  for (const t of s.timings) if (!t.equal && !s.known['sentinel.timing']) n++;
  return n;
}

/** Every field that counts replication-stream bytes. */
const STREAM_BYTES = new Set<string>(['master_repl_offset', 'second_repl_offset', 'repl_backlog_histlen', 'slave_read_repl_offset']);

/**
 * With Sentinels, every hello a Sentinel PUBLISHes on a master is propagated to its replicas
 * (PUBLISH is replicated), so stream offsets count hellos: how many fell in the run depends on
 * the real timers, and each one's length on the addresses in it (real: 127.0.0.1 and proxy
 * ports; replsim: host names and 26379). Offsets are therefore not compared there; data
 * (digest, keys) and the sync counters still are.
 */
function excuseHelloBytes(fields: FieldComparison[]): void {
  for (const f of fields) {
    if (f.equal || f.known !== null || !STREAM_BYTES.has(f.field)) continue;
    f.known = {
      target: `*.${f.field}`,
      line: 0,
      reason: 'Sentinel hellos are PUBLISHed on the master and replicated: their number follows the real timers, their length the addresses (real 127.0.0.1:<proxy port>, replsim host names), so stream offsets differ by those bytes.',
    };
  }
}

const OFFSET_DERIVED = new Set<string>(['repl_backlog_histlen', 'slave_read_repl_offset']);
/** Fields fixed at the first fork: what a replica's full sync loaded, where its backlog begins. */
const FORK_DERIVED = new Set<string>(['repl_backlog_histlen', 'rdb_last_load_keys_loaded']);

/**
 * Offsets that differ only because the workload raced the first sync (pre-backlog-writes.ts)
 * are marked as that known difference, with the commands counted in each world.
 */
function explainWorkloadRace(scenario: Scenario, seed: string, real: RealRunResult, sim: RunResult, fields: FieldComparison[]): void {
  const numeric = (f: FieldComparison): boolean => !f.equal && f.known === null && typeof f.real === 'number' && typeof f.sim === 'number';
  const differing = fields.filter((f) => f.field === 'master_repl_offset' && numeric(f));
  if (differing.length === 0) return;
  const delta = (f: FieldComparison): number => Number(f.real) - Number(f.sim);
  if (differing.some((f) => delta(f) !== delta(differing[0]!))) return;
  // Fields that count the same stream bytes move by the same amount (a backlog that holds the
  // whole history, a replica's read offset).
  for (const f of fields) if (OFFSET_DERIVED.has(f.field) && numeric(f) && delta(f) === delta(differing[0]!)) differing.push(f);
  for (const w of scenario.workload) {
    const created = sim.timeline.find((e) => e.kind === 'master.backlog-created' && e.node === w.node);
    const realOffset = real.nodes[w.node]?.info['master_repl_offset'];
    const simOffset = sim.nodes[w.node]?.info['master_repl_offset'];
    if (!created || typeof realOffset !== 'number' || typeof simOffset !== 'number' || realOffset - simOffset !== delta(differing[0]!)) continue;
    const race = explainOffsetRace(scenario, seed, w.node, created.t, realOffset, simOffset);
    if (race === null) continue;
    const why = raceDifference(race);
    for (const f of differing) f.known = f.field === 'master_repl_offset' ? why : { ...why, target: `*.${f.field}` };
    // The same race decides the first fork: the replicas' RDB holds a different number of the
    // workload's keys, and their backlogs start at a different offset.
    for (const f of fields) {
      if (!FORK_DERIVED.has(f.field) || !numeric(f)) continue;
      f.known = { ...why, target: `*.${f.field}`, reason: `${why.reason} The first fork came after ${race.realBefore} workload command(s) in real redis and ${race.simBefore} in replsim, so what the replicas loaded and where their backlogs start differ with it.` };
    }
    return;
  }
}
