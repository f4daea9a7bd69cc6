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
import { explainOffsetRace, raceDifference } from './pre-backlog-writes.js';
import type { RunResult } from '../scenario/result.js';

export interface DiffOptions {
  redisServer: string;
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
    if (node !== '*' && !nodes.has(node)) throw new KnownDifferenceError(`${scenario.file}:${k.line}: known-difference ${k.target}: no node "${node}"`);
    if (!(COMPARED_FIELDS as readonly string[]).includes(field)) {
      throw new KnownDifferenceError(`${scenario.file}:${k.line}: known-difference ${k.target}: "${field}" is not a compared field (${COMPARED_FIELDS.join(', ')})`);
    }
  }
  return known;
}

export async function runDiff(scenario: Scenario, known: KnownDifference[], opts: DiffOptions): Promise<DiffReport> {
  const realOpts: Parameters<typeof runReal>[1] = { redisServer: opts.redisServer, seed: opts.seed };
  if (opts.keepLogsDir !== undefined) realOpts.keepLogsDir = opts.keepLogsDir;
  if (opts.signal !== undefined) realOpts.signal = opts.signal;
  if (opts.onEvent !== undefined) realOpts.onEvent = opts.onEvent;
  // Real first: the simulator's CPU burst must not disturb real time.
  const real = await runReal(scenario, realOpts);
  const sim = runScenario(scenario, { seed: opts.seed });
  const names = scenario.nodes.map((n) => n.name);
  const fields = compareNodes(names, real.nodes, sim.nodes, known);
  explainWorkloadRace(scenario, opts.seed, real, sim, fields);
  const argvOf = (line: number): readonly string[] => {
    const step = scenario.timeline.find((s) => s.line === line);
    return step?.action.kind === 'command' ? step.action.argv : [];
  };
  const commands = compareCommands(real.commands, sim.commands, argvOf, known, NO_REPLY);
  const bad = unexpected(fields, commands);
  const seen = new Set<string>();
  for (const f of fields) if (!f.equal && f.known) seen.add(f.known.target);
  for (const c of commands) if (!c.equal && c.known) seen.add(c.known.target);
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
    ok: bad === 0 && sim.error === undefined,
  };
  if (sim.error !== undefined) report.sim.error = sim.error;
  return report;
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
