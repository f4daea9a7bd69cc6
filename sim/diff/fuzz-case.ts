/**
 * Generated scenarios for differential fuzzing (`replsim diff --fuzz`): cases the real
 * harness can apply — topologies with a chain, redis.conf choices, a dataset, a workload,
 * command sequences, partitions through the fault proxies, pauses (SIGSTOP), crashes and
 * restarts, link kills, promotions and CONFIG SET — whose outcome does not hinge on a race.
 *
 * A real run jitters by tens of milliseconds on a loaded machine, so every choice keeps a
 * margin from the threshold that decides an outcome (each constant names the Redis rule):
 *  - an outage (partition, pause) lasts ≤ repl-timeout − 2 s or ≥ repl-timeout + 2 s:
 *    replicationCron's `server.unixtime - master->lastinteraction > repl_timeout` flips
 *    on whole seconds of a wall clock that both worlds read at different phases;
 *  - with writes flowing through an outage, repl-backlog-size is ≥ 4× or ≤ ¼ of the bytes
 *    the outage holds back (addReplyReplicationBacklog can or cannot serve the PSYNC), and
 *    never below Redis's 16 kB floor where it would matter;
 *  - commands on one node are ≥ 50 ms apart, faults ≥ 300 ms apart, and a node is touched
 *    again only ≥ 1.5 s after it comes back (reconnection runs on the 1 s replicationCron);
 *  - a chained replica joins (REPLICAOF r1) only at 800 ms, once r1 is linked: asked
 *    earlier, r1 answers -NOMASTERLINK and the sub-replica retries a second later, a race
 *    whose outcome shows in sync counters and backlog lengths (found by this fuzzer);
 *  - no fault before the replicas' first sync is surely over (1 s, 1.5 s with a dataset):
 *    a link cut during the initial transfer ends in a state that depends on how far it got;
 *  - promotions (REPLICAOF NO ONE, then the others) only once writes stopped ≥ 500 ms
 *    before: what a promoted replica holds must not depend on bytes in flight;
 *  - the last fault ends ≥ 3 s before the end (a reconnect, a full sync of a small
 *    dataset and the catch-up), and a case lasts < 9.5 s so that the master's 10 s
 *    replication PING (repl-ping-replica-period) never races with the final state.
 */
import { RandomStreams, type Random } from '../engine/index.js';

export interface DiffCaseStep {
  atMs: number;
  /** The step's YAML body, e.g. `kill-link: r1` or `node: m1, command: "SET a 1"`. */
  body: string;
  /** Steps of one episode go (and are shrunk away) together. */
  episode: number;
}

export interface DiffCase {
  /** The case seed: the whole case follows from it. */
  seed: number;
  replicas: number;
  /** The last replica replicates from r1 instead of m1. */
  chain: boolean;
  config: Record<string, string>;
  dataset: { keys: number; valueSize: number } | null;
  workload: { rate: number; keys: number; valueSize: number; fromMs: number; untilMs: number } | null;
  steps: DiffCaseStep[];
  durationMs: number;
}

/** repl-timeout choices (s) and the outage lengths that keep ≥ 2 s from them. */
const REPL_TIMEOUTS = [3, 4] as const;
const MIN_STEP_GAP_MS = 300;
/** When a chained replica is told to replicate from r1. */
const CHAIN_JOIN_MS = 800;
const COMMAND_GAP_MS = 50;
const SETTLE_AFTER_FAULT_MS = 1500;
const FINAL_QUIET_MS = 3000;
const MAX_DURATION_MS = 9400;
/** Bytes a workload write puts on the wire (SET key:<n> <value>, ≈ 30 B of framing). */
const WRITE_OVERHEAD_BYTES = 30;
/** Redis's own floor of the backlog (CONFIG_REPL_BACKLOG_MIN_SIZE). */
const BACKLOG_FLOOR = 16 * 1024;

const KEYS_POOL = ['a', 'b', 'c', 'n', 'h', 'l', 's', 'z'];

/** A command with a deterministic reply on both worlds (no random keys, no TTL races). */
function randomCommand(r: Random): string {
  const k = KEYS_POOL[r.int(0, KEYS_POOL.length - 1)]!;
  switch (r.int(0, 11)) {
    case 0: return `SET s:${k} v${r.int(0, 99)}`;
    case 1: return `INCR n:${k}`;
    case 2: return `GET s:${k}`;
    case 3: return `DEL s:${k}`;
    case 4: return `APPEND s:${k} x`;
    case 5: return `HSET h:${k} f${r.int(0, 3)} ${r.int(0, 9)}`;
    case 6: return `LPUSH l:${k} ${r.int(0, 9)}`;
    case 7: return `SADD z:${k} m${r.int(0, 5)}`;
    case 8: return `ZADD q:${k} ${r.int(0, 9)} m${r.int(0, 5)}`;
    case 9: return `EXPIRE s:${k} 1000`;
    case 10: return `MSET s:${k} 1 n:${k} 2`;
    default: return `EXISTS s:${k} n:${k}`;
  }
}

/** Case `seed`, built only from the seed. */
export function generateDiffCase(seed: number): DiffCase {
  const r = new RandomStreams(`diff-fuzz/${seed}`).stream('case');
  const replicas = r.int(1, 3);
  const chain = replicas >= 2 && r.int(0, 2) === 0;
  const replTimeout = REPL_TIMEOUTS[r.int(0, REPL_TIMEOUTS.length - 1)]!;
  const config: Record<string, string> = {
    'repl-diskless-sync-delay': '0',
    'repl-timeout': String(replTimeout),
  };
  if (r.int(0, 1) === 0) config['repl-diskless-sync'] = 'no';
  if (r.int(0, 3) === 0) config['repl-diskless-load'] = 'swapdb';
  const aof = r.int(0, 3) === 0;
  if (aof) config['appendonly'] = 'yes';
  const dataset = r.int(0, 1) === 0 ? { keys: r.int(1, 20) * 500, valueSize: r.int(1, 4) * 50 } : null;
  const hasWorkload = r.int(0, 2) > 0;
  const valueSize = r.int(1, 4) * 50;
  const rate = r.int(2, 10) * 100;
  const bytesPerSec = rate * (valueSize + WRITE_OVERHEAD_BYTES);

  const steps: DiffCaseStep[] = [];
  let t = 400;
  let episode = 0;
  let longOutage = false;
  let promoted = false;
  const replicaNames = Array.from({ length: replicas }, (_, i) => `r${i + 1}`);
  const episodes = r.int(1, 3);
  let workloadUntil = hasWorkload ? 0 : -1;
  let backlogBytes: number | null = null;
  const firstFaultMs = dataset ? 1500 : 1000;
  for (let e = 0; e < episodes && t < MAX_DURATION_MS - FINAL_QUIET_MS - 500; e++, episode++) {
    const kind = r.int(0, 6);
    const target = replicaNames[r.int(0, replicaNames.length - 1)]!;
    if (kind >= 2) t = Math.max(t, firstFaultMs);
    if (kind <= 1) {
      // A burst of commands on the master.
      const n = r.int(2, 6);
      if (t + n * COMMAND_GAP_MS + FINAL_QUIET_MS > MAX_DURATION_MS) continue;
      for (let i = 0; i < n; i++, t += COMMAND_GAP_MS) steps.push({ atMs: t, body: `node: m1, command: ${JSON.stringify(randomCommand(r))}`, episode });
      t += MIN_STEP_GAP_MS;
    } else if (kind === 2) {
      steps.push({ atMs: t, body: `kill-link: ${target}`, episode });
      t += SETTLE_AFTER_FAULT_MS;
    } else if (kind === 3 || kind === 4) {
      // An outage: short (≤ timeout − 2 s) or, once per case, long (≥ timeout + 2 s).
      const long = !longOutage && r.int(0, 1) === 0;
      const outageMs = long ? (replTimeout + 2) * 1000 + r.int(0, 4) * 100 : Math.max(300, (replTimeout - 2) * 1000 - r.int(0, 4) * 100);
      if (t + outageMs + 200 + FINAL_QUIET_MS > MAX_DURATION_MS) continue;
      if (long) longOutage = true;
      const master = chain && target === replicaNames[replicaNames.length - 1] ? 'r1' : 'm1';
      if (kind === 3) {
        steps.push({ atMs: t, body: `partition: [[${master}], [${target}]]`, episode });
        steps.push({ atMs: t + outageMs, body: 'heal: all', episode });
      } else {
        steps.push({ atMs: t, body: `pause: ${target}, for: ${outageMs}ms`, episode });
      }
      if (hasWorkload && backlogBytes === null) {
        // The backlog far above or far below what the outage holds back.
        const held = (bytesPerSec * outageMs) / 1000;
        backlogBytes = r.int(0, 1) === 0 ? Math.max(4 * held, 1024 * 1024) : held / 4 >= BACKLOG_FLOOR ? Math.floor(held / 4) : 4 * held;
      }
      workloadUntil = hasWorkload ? Math.max(workloadUntil, t + outageMs + 200) : -1;
      t += outageMs + SETTLE_AFTER_FAULT_MS;
    } else if (kind === 5) {
      if (t + 1000 + FINAL_QUIET_MS > MAX_DURATION_MS) continue;
      steps.push({ atMs: t, body: `crash: ${target}`, episode });
      steps.push({ atMs: t + 500 + r.int(0, 5) * 100, body: `restart: ${target}`, episode });
      t += 500 + 500 + SETTLE_AFTER_FAULT_MS;
    } else if (!promoted) {
      // Promote a replica once writes have stopped; the others follow it.
      promoted = true;
      const from = Math.max(t, (workloadUntil > 0 ? workloadUntil : 0) + 500);
      if (from + 1000 + FINAL_QUIET_MS > MAX_DURATION_MS) continue;
      steps.push({ atMs: from, body: `node: ${target}, command: "REPLICAOF NO ONE"`, episode });
      let at = from + MIN_STEP_GAP_MS;
      for (const other of ['m1', ...replicaNames]) {
        if (other === target) continue;
        steps.push({ atMs: at, body: `node: ${other}, command: "REPLICAOF ${target} 6379"`, episode });
        at += MIN_STEP_GAP_MS;
      }
      t = at + SETTLE_AFTER_FAULT_MS;
    }
  }
  if (backlogBytes !== null) config['repl-backlog-size'] = String(Math.max(1, Math.round(backlogBytes)));
  const firstPromotion = steps.find((s) => s.body.includes('NO ONE'))?.atMs ?? Infinity;
  let workload: DiffCase['workload'] = null;
  if (hasWorkload) {
    const untilMs = Math.min(Math.max(workloadUntil, 1500), firstPromotion - 500);
    if (untilMs > 500) workload = { rate, keys: r.int(1, 10) * 100, valueSize, fromMs: 300, untilMs };
  }
  // A pause's end counts as a step: the quiet time runs from when the node is back.
  const endOf = (st: DiffCaseStep): number => st.atMs + Number(/for: (\d+)ms/.exec(st.body)?.[1] ?? 0);
  const lastMs = steps.reduce((m, st) => Math.max(m, endOf(st)), workload?.untilMs ?? 0);
  const durationMs = Math.max(2000, lastMs + FINAL_QUIET_MS);
  return { seed, replicas, chain, config, dataset, workload, steps, durationMs };
}

/** The case as an ordinary scenario file. */
export function diffCaseText(c: DiffCase, header: readonly string[] = []): string {
  const lines: string[] = [...header.map((h) => `# ${h}`)];
  lines.push(`name: diff-fuzz-${c.seed}`);
  lines.push('description: >');
  lines.push(`  Generated by replsim diff --fuzz (case seed ${c.seed}): ${c.replicas} replica${c.replicas === 1 ? '' : 's'}${c.chain ? ' with a chain' : ''}, ${c.steps.length} timeline steps.`);
  lines.push(`seed: ${c.seed}`);
  lines.push(`duration: ${c.durationMs}ms`);
  lines.push('config:');
  for (const [k, v] of Object.entries(c.config)) lines.push(`  ${k}: ${JSON.stringify(v)}`);
  lines.push('nodes:');
  lines.push('  m1: {}');
  for (let i = 1; i <= c.replicas; i++) lines.push(c.chain && i === c.replicas ? `  r${i}: {}    # joins r1 at ${CHAIN_JOIN_MS}ms` : `  r${i}: { replicaof: m1 }`);
  if (c.dataset) lines.push(`dataset: { node: m1, keys: ${c.dataset.keys}, value-size: ${c.dataset.valueSize} }`);
  if (c.workload) {
    const w = c.workload;
    lines.push(`workload: { node: m1, rate: ${w.rate}/s, from: ${w.fromMs}ms, until: ${w.untilMs}ms, keys: ${w.keys}, value-size: ${w.valueSize}, ops: { set: 0.8, incr: 0.2 } }`);
  }
  const steps = [...c.steps];
  if (c.chain) steps.push({ atMs: CHAIN_JOIN_MS, body: `node: r${c.replicas}, command: "REPLICAOF r1 6379"`, episode: -1 });
  if (steps.length > 0) {
    lines.push('timeline:');
    for (const s of steps.sort((a, b) => a.atMs - b.atMs)) lines.push(`  - { at: ${s.atMs}ms, ${s.body} }`);
  }
  lines.push('expect:');
  lines.push('  - { converged: true }');
  return `${lines.join('\n')}\n`;
}
