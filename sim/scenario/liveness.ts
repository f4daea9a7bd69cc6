/**
 * `replsim run --liveness`: TigerBeetle's second phase for any scenario. Once the scenario's
 * duration is over (its expectations are judged at that instant, as written), every fault
 * is lifted — partitions healed, clogged links cleared, SIGSTOPped nodes resumed, nodes that
 * are down restarted, disk faults cleared (and a BGSAVE run where a failed one left
 * -MISCONF), `when:` steps disarmed; clock skews and steps
 * stay, as in the fuzzer, where a clock fault has no repair — and the cluster must converge
 * (every replica connected at its master's offset with its data, the `converged` test)
 * within the bound sim/check/bounds.ts derives from the config: repl-timeout detection,
 * reconnect pacing, one full sync per level at the calibrated fork, transfer and load
 * rates, draining what was queued, a restarted node's load. The run stops at convergence
 * or at the bound, whichever comes first.
 *
 * A run option rather than a scenario field: it asks a question of a scenario (does it
 * recover?) without changing what the scenario means, so any file — a fuzz reproducer
 * too — can be asked it.
 */
import { convergenceBound, type ConvergenceBound } from '../check/index.js';
import { formatMicros, type Micros } from '../engine/index.js';
import type { RedisServer } from '../redis/index.js';
import type { ActionRunner } from './actions.js';
import { checkConvergence, digestCache } from './final-state.js';
import { latencyHighUs } from './invariants.js';
import type { ExpectationResult } from './result.js';
import type { Scenario } from './scenario.js';
import type { World } from './world.js';
import type {} from './trace-kinds.js'; // the kinds this file records (TraceKinds)

/** How often convergence is looked at during the liveness phase (its time resolution). */
export const LIVENESS_POLL_US: Micros = 100_000;

export interface LivenessResult {
  ok: boolean;
  /** When every fault was lifted (the scenario's duration). */
  healedAtUs: Micros;
  /** What was lifted, in words. */
  healed: string[];
  /** The bound and its terms. */
  bound: ConvergenceBound;
  /** Time from the heal to the first converged look; null when the bound passed first. */
  convergedAfterUs: Micros | null;
  /** Why it had not converged at the bound (empty when it converged). */
  problems: string[];
}

/** Lifts every fault, then runs until convergence or the bound. */
export function runLiveness(w: World, scenario: Scenario, actions: ActionRunner, disarmTriggers: () => void, onProgress?: (us: Micros) => void): LivenessResult {
  const healedAtUs = w.sim.now;
  disarmTriggers();
  const healed = healAll(w, actions);
  w.sim.record('liveness.heal-all', undefined, { healed: healed.join('; ') });
  const bound = boundNow(w, scenario);
  const deadline = healedAtUs + bound.boundUs;
  let convergedAfterUs: Micros | null = null;
  for (let t = healedAtUs; ; ) {
    saveAfterBgsaveError(w, actions);
    if (cheaplyConverged(w.servers) && checkConvergence(w.servers, digestCache()).ok) {
      convergedAfterUs = t - healedAtUs;
      break;
    }
    if (t >= deadline) break;
    t = Math.min(deadline, t + LIVENESS_POLL_US);
    w.sim.run({ until: t });
    onProgress?.(t);
  }
  const problems = convergedAfterUs === null ? checkConvergence(w.servers, digestCache()).problems : [];
  if (convergedAfterUs !== null) w.sim.record('liveness.converged', undefined, { after_us: convergedAfterUs, bound_us: bound.boundUs });
  else w.sim.record('liveness.not-converged', undefined, { bound_us: bound.boundUs, problem: problems[0] ?? '' });
  return { ok: convergedAfterUs !== null, healedAtUs, healed, bound, convergedAfterUs, problems };
}

/** The liveness verdict as an expectation line (it decides the exit code like the others). */
export function livenessExpectation(l: LivenessResult): ExpectationResult {
  return {
    description: `converges within ${formatMicros(l.bound.boundUs)} after heal-all at ${formatMicros(l.healedAtUs)} (--liveness)`,
    ok: l.ok,
    actual: l.convergedAfterUs !== null ? `converged after ${formatMicros(l.convergedAfterUs)}` : `not converged: ${l.problems.join('; ')}`,
    line: 0,
  };
}

function healAll(w: World, actions: ActionRunner): string[] {
  const healed: string[] = [];
  const names = [...w.servers.keys()];
  // Partitions and open-ended latency (`heal: all`), then every clog still running (timed
  // latency steps, swizzle-clogging) on every link.
  actions.run({ kind: 'heal', target: 'all' });
  for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) w.net.clog(names[i]!, names[j]!, 0, 0);
  healed.push('partitions and clogs');
  for (const [name, s] of w.servers) {
    if (s.alive && s.isFrozen('sigstop')) {
      actions.run({ kind: 'resume', node: name });
      healed.push(`resumed ${name}`);
    }
    if (!s.alive) {
      actions.run({ kind: 'restart', node: name });
      healed.push(`restarted ${name}`);
    }
    const d = s.diskFaults;
    if (d.full || d.failBgsaves > 0 || d.bytesPerSec !== null) {
      actions.run({ kind: 'disk', node: name, full: false, failBgsaves: 0, bytesPerSec: null });
      healed.push(`disk of ${name} healthy`);
    }
  }
  return healed;
}

/**
 * The operator's repair of MISCONF: a healthy disk does not clear a failed BGSAVE's error,
 * only a save that succeeds does, and serverCron saves again only while there are changes
 * (a master refusing writes has none, and its replicas' handshake PINGs get -MISCONF too).
 * So, like an operator, BGSAVE on every node still in error whenever no RDB child runs
 * there (one forked while the disk was failing may still be on its way to failing).
 */
function saveAfterBgsaveError(w: World, actions: ActionRunner): void {
  for (const [name, s] of w.servers) {
    if (!s.alive || s.lastBgsaveOk || s.loading || s.master.children.hasActiveChild) continue;
    actions.run({ kind: 'command', node: name, command: 'BGSAVE SCHEDULE', argv: ['BGSAVE', 'SCHEDULE'] });
  }
}

/** The bound for the cluster as it is at the heal: its configs, data, chain depth and stream. */
function boundNow(w: World, scenario: Scenario): ConvergenceBound {
  let maxLatencyUs = latencyHighUs(scenario.network.latency);
  let minBandwidth = scenario.network.bandwidthBytesPerSec;
  for (const l of scenario.network.links) {
    if (l.latency) maxLatencyUs = Math.max(maxLatencyUs, latencyHighUs(l.latency));
    if (l.bandwidthBytesPerSec !== undefined) minBandwidth = Math.min(minBandwidth, l.bandwidthBytesPerSec);
  }
  let keys = 0;
  let bytes = 0;
  let streamBytes = 0;
  for (const s of w.servers.values()) {
    keys = Math.max(keys, s.keyspace.totalKeys());
    bytes = Math.max(bytes, s.keyspace.usedMemoryBytes());
    streamBytes = Math.max(streamBytes, s.masterReplOffset);
  }
  return convergenceBound({
    configs: [...w.servers.values()].map((s) => s.config),
    costs: w.costs,
    maxLatencyUs,
    minBandwidthBytesPerSec: minBandwidth,
    keys,
    bytes,
    depth: chainDepth(w.servers),
    streamBytes,
    tcpBufferBytes: w.net.tcpSendBufferBytes + w.net.tcpReceiveBufferBytes,
  });
}

/** The longest chain of replicas (1 = replicas of a master), ignoring cycles. */
function chainDepth(servers: ReadonlyMap<string, RedisServer>): number {
  let max = 1;
  for (const s of servers.values()) {
    let d = 0;
    const seen = new Set<string>();
    for (let cur: RedisServer | undefined = s; cur && !cur.isMaster && !seen.has(cur.name); cur = servers.get(cur.replica.masterHost ?? '')) {
      seen.add(cur.name);
      d++;
    }
    max = Math.max(max, d);
  }
  return max;
}

/** Links up and offsets equal: the cheap part of the convergence test, before any digest. */
function cheaplyConverged(servers: ReadonlyMap<string, RedisServer>): boolean {
  for (const s of servers.values()) {
    if (!s.alive) return false;
    if (s.isMaster) continue;
    const m = servers.get(s.replica.masterHost ?? '');
    if (!m || !m.alive || s.replica.state !== 'connected' || s.replica.master?.reploff !== m.masterReplOffset) return false;
  }
  return true;
}
