/**
 * Runs one scenario: builds the cluster, schedules the timeline and the workload, runs the
 * virtual clock to `duration`, then reports every node, checks convergence and evaluates
 * the expectations; with `liveness`, then heals every fault and demands convergence
 * within the config's bound (liveness.ts). Deterministic: the same scenario and seed give the same RunResult
 * (but for wallMs) and the same trace hash.
 */
import { RunLimitExceeded, SimulationAssertion } from '../engine/index.js';
import { formatReply } from '../redis/index.js';
import { AckedWriter } from '../workload/index.js';
import { OpenLoopClient } from '../workload/index.js';
import { MonitorReplayClient } from '../workload/index.js';
import { SentinelClient } from '../workload/index.js';
import { ackedWriterSpec, finishInvariants, startInvariants, type InvariantOutcome } from './invariants.js';
import { ActionRunner } from './actions.js';
import { evaluateExpectations, replyCommands, replyMatches } from './expect.js';
import { formatMicros } from '../engine/index.js';
import type { ExpectationResult } from './result.js';
import { checkConvergence, digestCache, nodeReport } from './final-state.js';
import type { FinalReply, FinalState, NodeReport, RunOptions, RunResult, TimelineEvent } from './result.js';
import type { Scenario } from './scenario.js';
import { timelineEvent } from './timeline-events.js';
import { armTriggers } from './trigger-runner.js';
import { livenessExpectation, runLiveness } from './liveness.js';
import { buildWorld, type World } from './world.js';
import { SentinelEventLog } from '../check/index.js';
import { SentinelRecorder } from './sentinel-recorder.js';
import { sentinelAnswers } from './sentinel-answers.js';
import { sentinelFacts, sentinelFinal, sentinelNodeReport } from './sentinel-final.js';
import type { SentinelFinal } from './sentinel-expect.js';
import { splitPlantedBugs } from './planted-bugs.js';
import type {} from './trace-kinds.js'; // the kinds this file records (TraceKinds)

/** Progress callbacks come every this much virtual time. */
const PROGRESS_SLICE_US = 1_000_000;

export function scenarioSeed(scenario: Scenario, opts: RunOptions): string {
  return opts.seed ?? scenario.seed ?? '1';
}

export function runScenario(scenario: Scenario, opts: RunOptions = {}): RunResult {
  const seed = scenarioSeed(scenario, opts);
  const started = Date.now();
  const timeline: TimelineEvent[] = [];
  const result: RunResult = {
    scenario: scenario.name,
    file: scenario.file,
    seed,
    ok: false,
    traceHash: '',
    virtualTimeUs: 0,
    events: 0,
    wallMs: 0,
    nodes: {},
    commands: [],
    expectations: [],
    convergence: { ok: false, problems: [] },
    timeline,
  };
  let world: World | null = null;
  try {
    const bugs = splitPlantedBugs(opts.bugs ?? []);
    if ((opts.bugs ?? []).length > 0) result.bugs = [...(opts.bugs ?? [])];
    if (opts.strict) result.strict = true;
    world = buildWorld(scenario, seed, { bugs: bugs.redis, sentinelBugs: bugs.sentinel, traceRetention: opts.traceRetention ?? 'none' });
    const w = world;
    const extra = opts.traceKinds === 'all' ? 'all' : new Set(opts.traceKinds ?? []);
    w.sim.trace.subscribe((rec) => {
      const ev = timelineEvent(rec, extra);
      if (ev) timeline.push(ev);
    });
    opts.observe?.world(w);
    const sentinelLog = new SentinelEventLog(w.sim);
    const sentinelRecorder = w.sentinels.size > 0 ? new SentinelRecorder(w) : null;
    const invariants = startInvariants(w, scenario, seed, opts);
    const actions = new ActionRunner(w);
    for (const step of scenario.timeline) w.sim.at(step.atUs, () => actions.run(step.action, step.line));
    const disarmTriggers = armTriggers(w, actions, scenario.triggered ?? []);
    scenario.workload.forEach((spec, i) => {
      if (spec.wait !== undefined) return new AckedWriter(w.sim, w.servers, ackedWriterSpec(spec)).start();
      if (spec.replay !== undefined) {
        const replay = new MonitorReplayClient(w.sim, () => w.servers.get(spec.node)!, spec.replay, spec.fromUs, spec.untilUs);
        (result.replays ??= []).push({ node: spec.node, file: spec.replay.file, counters: replay.counters });
        return replay.start();
      }
      const client = new OpenLoopClient(w.sim, () => w.servers.get(spec.node)!, spec, w.sim.random.stream(`workload/${i}`));
      opts.observe?.workloadClient?.(i, client.counters);
      client.start();
    });
    for (const spec of scenario.sentinelClients ?? []) {
      const sentinels = spec.sentinels.map((name) => ({ name, host: name, port: w.sentinels.get(name)!.config.port }));
      new SentinelClient(w.sim, w.net, { ...spec, sentinels }).start();
    }
    for (let t = 0; t < scenario.durationUs; ) {
      t = Math.min(scenario.durationUs, t + PROGRESS_SLICE_US);
      w.sim.run({ until: t });
      opts.onProgress?.(t);
    }
    result.commands = actions.commands;
    sentinelRecorder?.stop();
    if (sentinelRecorder) {
      const answers = sentinelAnswers(w, scenario, sentinelRecorder.history);
      result.failovers = answers.failovers;
      if (answers.clientWrites) result.clientWrites = answers.clientWrites;
      opts.observe?.sentinelAnswers?.(answers);
    }
    const facts = sentinelRecorder ? sentinelFacts(w, scenario, sentinelRecorder.history, result.clientWrites) : undefined;
    finish(w, scenario, result, actions, invariants ? finishInvariants(invariants, scenario, opts, facts) : null, sentinelLog);
    if (opts.liveness) {
      // After the scenario as written has been judged: heal everything, demand convergence.
      const l = runLiveness(w, scenario, actions, disarmTriggers, opts.onProgress);
      result.liveness = l;
      result.expectations.push(livenessExpectation(l));
      result.ok = result.ok && l.ok;
      result.virtualTimeUs = w.sim.now;
      result.events = w.sim.eventsProcessed;
      result.traceHash = w.sim.trace.hash();
    }
  } catch (e) {
    if (!(e instanceof SimulationAssertion) && !(e instanceof Error)) throw e;
    if (e instanceof RunLimitExceeded) {
      result.error = `${e.message} [seed=${JSON.stringify(seed)} t=${world?.sim.now ?? 0}us]`;
      result.stopped = true;
    } else result.error = e instanceof SimulationAssertion ? e.message : `${e.message} [seed=${JSON.stringify(seed)} t=${world?.sim.now ?? 0}us]\n${e.stack ?? ''}`;
    result.ok = false;
    if (world) {
      result.virtualTimeUs = world.sim.now;
      result.events = world.sim.eventsProcessed;
      result.traceHash = world.sim.trace.hash();
    }
  }
  result.wallMs = Date.now() - started;
  return result;
}

function finish(w: World, scenario: Scenario, result: RunResult, actions: ActionRunner, inv: InvariantOutcome | null, log: SentinelEventLog): void {
  const nodes: Record<string, NodeReport> = {};
  const digestOf = digestCache();
  for (const [name, s] of w.servers) nodes[name] = nodeReport(s, digestOf);
  const sentinels: Record<string, SentinelFinal> = {};
  const masterNames = (scenario.sentinels?.[0]?.config.masters ?? []).map((m) => m.name);
  for (const [name, s] of w.sentinels) sentinels[name] = sentinelFinal(s, masterNames, log);
  const convergence = checkConvergence(w.servers, digestOf);
  const replies: FinalReply[] = [];
  for (const { node, argv } of replyCommands(scenario.expect)) {
    const s = w.servers.get(node)!;
    replies.push({ node, argv, reply: formatReply(s.commands.quickReply([...argv])) });
  }
  // The final state is part of the fingerprint: same hash ⇒ same outcome.
  for (const [name, r] of Object.entries(nodes)) {
    w.sim.record('final.node', name, {
      role: String(r.info['role'] ?? ''),
      offset: Number(r.info['master_repl_offset'] ?? -1),
      replid: String(r.info['master_replid'] ?? ''),
      digest: r.digest,
      keys: r.keys,
    });
  }
  // Sentinels' views are part of the fingerprint too, after the Redis nodes.
  for (const [name, s] of w.sentinels) {
    const f = sentinels[name]!;
    for (const [m, fields] of Object.entries(f.masters)) {
      w.sim.record('final.sentinel', name, { master: m, address: fields['address'] ?? '', flags: fields['flags'] ?? '', config_epoch: fields['config-epoch'] ?? '' });
    }
    nodes[name] = sentinelNodeReport(s, f);
  }
  result.nodes = nodes;
  result.convergence = convergence;
  const final: FinalState = { nodes, convergence, replies };
  if (w.sentinels.size > 0) final.sentinels = sentinels;
  if (inv) {
    final.invariants = inv.verdicts;
    if (inv.checkers.length > 0) result.check = inv.report;
    if (inv.durability) {
      final.durability = inv.durability;
      result.durability = inv.durability;
    }
  }
  if (result.clientWrites) final.clientWrites = result.clientWrites;
  result.expectations = [...replyExpectations(actions), ...(scenario.commandErrorsFail === false ? [] : commandErrors(actions)), ...evaluateExpectations(scenario.expect, final), ...(inv?.extra ?? []), ...clientWritesVerdict(result)];
  result.ok = result.expectations.every((e) => e.ok);
  result.virtualTimeUs = w.sim.now;
  result.events = w.sim.eventsProcessed;
  result.traceHash = w.sim.trace.hash();
}

/**
 * A timeline command without `reply:` that got an error reply did not do what the scenario
 * says it does (`REPLICAOF NOONE` → ERR wrong number of arguments): the run is not what
 * its author meant, so the verdict says so. A step that expects an error says `reply:`.
 */
function commandErrors(actions: ActionRunner): ExpectationResult[] {
  return actions.commands
    .filter((c) => !c.expected && c.reply.startsWith('(error) ') && !shutdownDone(c.command, c.reply))
    .map((c) => ({
      description: `${c.node} ${c.command} at ${formatMicros(c.at)} succeeds`,
      ok: false,
      actual: c.reply,
      line: c.line,
      kind: 'command-error' as const,
    }));
}

/** A SHUTDOWN that worked never replies: the server exits and the client sees its connection close. */
function shutdownDone(command: string, reply: string): boolean {
  return /^\s*shutdown\b/i.test(command) && reply.includes('Server closed the connection');
}

/** With Sentinel-aware clients: every acknowledged write that is lost must have a documented cause (docs/lost-writes.md). */
function clientWritesVerdict(result: RunResult): ExpectationResult[] {
  const c = result.clientWrites;
  if (!c) return [];
  const n = c.byCause.unexplained ?? 0;
  const first = c.examples.find((l) => l.cause === 'unexplained');
  return [{
    description: 'Sentinel clients: acknowledged writes lost only to documented causes',
    ok: n === 0,
    actual: n === 0 ? `${c.lost} lost, all explained` : `${n} unexplained, e.g. ${first!.key} on ${first!.node}: ${first!.story}`,
    line: 0,
  }];
}

/** Timeline commands with `reply:`: the reply they got must match (a blocked one never replied). */
function replyExpectations(actions: ActionRunner): ExpectationResult[] {
  return actions.replyChecks.map((c) => ({
    description: `${c.node} ${c.command} at ${formatMicros(c.at)} → ${c.expected}`,
    ok: c.actual !== null && replyMatches(c.actual, c.expected),
    actual: c.actual,
    line: c.line,
  }));
}
