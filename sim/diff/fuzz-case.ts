/**
 * Generated scenarios for differential fuzzing (`replsim diff --fuzz`): cases the real
 * harness can apply — topologies with a chain, redis.conf choices, a dataset, a workload,
 * command sequences on the master and reads on replicas, partitions through the fault
 * proxies, pauses (SIGSTOP), crashes and restarts (from nothing, from a SAVEd RDB, from the
 * AOF), link kills, promotions (REPLICAOF NO ONE, FAILOVER TO) and CONFIG SET — whose outcome
 * does not hinge on a race.
 *
 * A real run jitters by tens of milliseconds on a loaded machine, so every choice keeps a
 * margin from the threshold that decides an outcome (each constant names the Redis rule):
 *  - an outage (partition, pause) lasts ≤ repl-timeout − 2 s or ≥ repl-timeout + 2 s:
 *    replicationCron's `server.unixtime - master->lastinteraction > repl_timeout` flips
 *    on whole seconds of a wall clock that both worlds read at different phases;
 *  - repl-backlog-size is ≥ 4× the most or ≤ ¼ of the fewest bytes that any link break
 *    under writes (a long outage, a kill-link, a replica's crash) leaves its PSYNC to serve
 *    (addReplyReplicationBacklog can or cannot), never below Redis's 16 kB floor where it
 *    would matter; a kill-link reconnects anywhere within the next 1 s replicationCron, so
 *    under writes it always gets the big backlog (backlogFor);
 *  - a master crashes only without a workload, without AOF and with a small RDB
 *    (MASTER_CRASH_MAX_RDB_BYTES: loading would shift its first replicationCron's PING);
 *  - FAILOVER TO only where m1 has no other direct replica (failover-command.yaml's race);
 *  - CONFIG SET only of settings that change how a later sync runs, not whether it happens;
 *  - timeline commands never touch the workload's keys (arrival order on two connections);
 *  - commands on one node are ≥ 50 ms apart, faults ≥ 300 ms apart, and a node is touched
 *    again only ≥ 1.5 s after it comes back (reconnection runs on the 1 s replicationCron);
 *  - a chained replica joins (REPLICAOF r1) only at 800 ms, once r1 is linked: asked
 *    earlier, r1 answers -NOMASTERLINK and the sub-replica retries a second later, a race
 *    whose outcome shows in sync counters and backlog lengths (found by this fuzzer);
 *  - no fault before the replicas' first sync is surely over and they are online (1.5 s,
 *    2.3 s with a chain; ONLINE_AFTER_SYNC_MS): a link cut during the initial transfer ends
 *    in a state that depends on how far it got, a SAVE before the stream flows misses it;
 *  - promotions (REPLICAOF NO ONE, then the others; FAILOVER) only once writes stopped ≥ 500 ms
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
/** When a restarted chained replica is told again (it joined by a command: crashEpisode). */
const REJOIN_AFTER_RESTART_MS = 300;
const COMMAND_GAP_MS = 50;
const SETTLE_AFTER_FAULT_MS = 1500;
const FINAL_QUIET_MS = 3000;
const MAX_DURATION_MS = 9400;
/** Writes stop this long before a promotion. */
const QUIET_BEFORE_PROMOTION_MS = 500;
/**
 * Before a FAILOVER, the master's last write (workload, command, keepalive) is this much
 * older: FAILOVER waits for the target's REPLCONF ACK of the master's offset, and the target
 * ACKs once a second (replicationCron); while it waits, the master's replicationCron runs at
 * 10 Hz and may PING (failover-command.yaml). With the last write ACKed before FAILOVER
 * starts, the hand-over happens at once.
 */
const QUIET_BEFORE_FAILOVER_MS = 1200;
/** After a FAILOVER, the new master is written to only this much later (the hand-over may wait ≤ 1 s for the ACK above). */
const SETTLE_AFTER_FAILOVER_MS = 1300;
/** Bytes a workload write puts on the wire (SET key:<n> <value>, ≈ 30 B of framing). */
const WRITE_OVERHEAD_BYTES = 30;
/** Redis's own floor of the backlog (CONFIG_REPL_BACKLOG_MIN_SIZE). */
const BACKLOG_FLOOR = 16 * 1024;
/**
 * How long after a link breaks the replica is surely back: replicationCron (1 Hz) retries
 * the connection, plus 300 ms for the handshake on a loaded machine. A link break's PSYNC
 * needs the bytes written from the break until then, at most.
 */
const RECONNECT_WITHIN_MS = 1300;
/**
 * A restarted node may connect up to this much later again: loading an AOF, or an RDB of
 * ≥ 2 MB (loading_process_events_interval_bytes), calls processEventsWhileBlocked, whose
 * whileBlockedCron advances server.cronloops, so the first replicationCron (the one that
 * connects to the master) comes at the next multiple of 10 loops, ≈ 0.9 s after the load.
 */
const LOADED_RESTART_DELAY_MS = 1000;
/**
 * A replica that completed a diskless full sync receives the stream only this much later on
 * a real server: its immediate REPLCONF ACK reaches the master before the master reaped the
 * RDB child (checkChildrenDone, serverCron at 10 Hz), so the master puts it online
 * (repl_put_online_on_ack) at its next ACK, sent by its 1 Hz replicationCron; replsim reaps at
 * once (KNOWN-DIFFERENCES, "the old-master r2 full sync"). What the replica holds meanwhile
 * lags: a SAVE or a crash within that second left real r3 with 0 keys, replsim's with 201
 * (campaign a21b case 174: a chained replica joining at 800 ms, SAVEd at 1 s).
 */
const ONLINE_AFTER_SYNC_MS = 1200;
/**
 * A master may crash only with an RDB below the size at which loading processes events
 * (loading_process_events_interval_bytes, 2 MB), and without AOF: either makes
 * whileBlockedCron advance server.cronloops, and the restarted master's first
 * replicationCron — static replication_cron_loops 0, a PING to its replicas — then comes
 * ≈ 0.9 s after the start, when a replica may or may not have reconnected (its own 1 Hz
 * cron); for an AOF whose base loads in under a millisecond it does not even happen every
 * time. The PING (14 bytes) would be in one world's offsets only.
 */
const MASTER_CRASH_MAX_RDB_BYTES = 1_500_000;

/**
 * A replica whose master sends nothing for repl-timeout seconds times it out
 * (replicationCron: `time(NULL) - master->lastinteraction > repl_timeout`, whole seconds of
 * a wall clock each world reads at its own phase), and the master's own PING comes only
 * every repl-ping-replica-period (10 s). So an idle link of 3–5 s (repl-timeout 3) times out
 * in some real runs and not in others — found by this fuzzer: a bare master and replica, the
 * workload over at 2.3 s, the case ending at 6.6 s, sync_partial_ok real 1 in 1 run of 3,
 * replsim 0 (session 3's "load artefacts" were this). Every case therefore has the current
 * master PUBLISH a keepalive (propagated to every replica, chained ones too, and in both
 * worlds at the same planned instants) every second, so no link is ever silent for more than
 * ≈ 1 s + the jitter, ≥ 2 s under repl-timeout. Keepalives keep 300 ms away from a crash,
 * restart or SAVE of the master and from a promotion (which node answers would be a race).
 */
const KEEPALIVE_EVERY_MS = 1000;
/**
 * No keepalive this soon after a restart: the restarted node's sync comes at once, or
 * ≈ 0.9 s later when its AOF or big RDB load ran whileBlockedCron (LOADED_RESTART_DELAY_MS),
 * and a keepalive in between would be in its backlog (repl_backlog_histlen) in one world and
 * in its RDB in the other (found by this fuzzer: real 191, replsim 233 in 1 run of 5).
 */
const RESTART_SYNC_UNCERTAIN_MS = LOADED_RESTART_DELAY_MS + 300;
const KEEPALIVE_CLEAR_MS = 300;
/** Keepalive steps are derived from a case's other steps when it is written (diffCaseText), so a shrunk case gets its own. */
const KEEPALIVE_EPISODE = -2;

const KEYS_POOL = ['a', 'b', 'c', 'n', 'h', 'l', 's', 'z'];

/**
 * A command with a deterministic reply on both worlds: no random keys, no TTL read back, no
 * key the workload writes (its key:<n> keys race with a timeline command by arrival order).
 */
function randomCommand(r: Random, streamIds: { next: number }): string {
  const k = KEYS_POOL[r.int(0, KEYS_POOL.length - 1)]!;
  switch (r.int(0, 23)) {
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
    case 11: return `EXISTS s:${k} n:${k}`;
    case 12: return `INCRBY n:${k} ${r.int(-5, 5)}`;
    case 13: return `HINCRBY h:${k} f${r.int(0, 3)} ${r.int(1, 3)}`;
    case 14: return `RPOP l:${k}`;
    case 15: return `SREM z:${k} m${r.int(0, 5)}`;
    case 16: return `ZINCRBY q:${k} ${r.int(1, 3)} m${r.int(0, 5)}`;
    case 17: return `SETNX s:${k} w${r.int(0, 9)}`;
    case 18: return `PERSIST s:${k}`;
    case 19: return `HDEL h:${k} f${r.int(0, 3)}`;
    case 20: return `LRANGE l:${k} 0 -1`;
    case 21: return `ZRANGE q:${k} 0 -1 WITHSCORES`;
    // Explicit stream IDs that grow through the case: an auto ID would carry the clock.
    case 22: return `XADD x:${k} ${streamIds.next++}-1 f ${r.int(0, 9)}`;
    default: return `RENAME s:${k} s:${KEYS_POOL[r.int(0, KEYS_POOL.length - 1)]!}`;
  }
}

/** Reads a replica answers from its own data (writes get -READONLY, just as deterministic). */
function randomReplicaCommand(r: Random): string {
  const k = KEYS_POOL[r.int(0, KEYS_POOL.length - 1)]!;
  switch (r.int(0, 4)) {
    case 0: return `GET s:${k}`;
    case 1: return `HGETALL h:${k}`;
    case 2: return `LRANGE l:${k} 0 -1`;
    case 3: return `EXISTS s:${k} n:${k} z:${k}`;
    default: return `SET s:${k} on-a-replica`;
  }
}

/** A time span during which a replica's link is broken and it will PSYNC afterwards. */
interface LinkBreak {
  fromMs: number;
  /** The shortest and longest time the PSYNC may have to serve from the backlog. */
  minMs: number;
  maxMs: number;
}

/** The generator's state while it lays out the episodes of one case. */
class Draft {
  readonly steps: DiffCaseStep[] = [];
  readonly breaks: LinkBreak[] = [];
  t = 400;
  episode = 0;
  longOutage = false;
  promoted = false;
  /** No workload, no AOF, a small RDB at most (MASTER_CRASH_MAX_RDB_BYTES). */
  masterMayCrash = false;
  /** The workload lasts at least until then (outages are laid out to happen under writes). */
  workloadUntil: number;
  readonly replicaNames: string[];
  readonly firstFaultMs: number;

  constructor(
    readonly r: Random,
    readonly replicas: number,
    readonly chain: boolean,
    readonly replTimeout: number,
    readonly hasWorkload: boolean,
    readonly hasDataset: boolean,
  ) {
    this.replicaNames = Array.from({ length: replicas }, (_, i) => `r${i + 1}`);
    this.workloadUntil = hasWorkload ? 0 : -1;
    // The first syncs, and the replicas online after them (ONLINE_AFTER_SYNC_MS): at boot, or for a chained replica from CHAIN_JOIN_MS.
    this.firstFaultMs = Math.max(hasDataset ? 1500 : 1000, ONLINE_AFTER_SYNC_MS + 300, chain ? CHAIN_JOIN_MS + ONLINE_AFTER_SYNC_MS + 300 : 0);
  }

  step(atMs: number, body: string): void {
    this.steps.push({ atMs, body, episode: this.episode });
  }

  fits(lengthMs: number): boolean {
    return this.t + lengthMs + FINAL_QUIET_MS <= MAX_DURATION_MS;
  }

  /** Whom `target` replicates from in the generated topology. */
  masterOf(target: string): string {
    return this.chain && target === this.replicaNames[this.replicaNames.length - 1] ? 'r1' : 'm1';
  }
}

/** A burst of commands ≥ 50 ms apart on one node: the master mostly, a replica's reads sometimes. */
function burstEpisode(d: Draft, streamIds: { next: number }): void {
  const n = d.r.int(2, 6);
  const onReplica = d.r.int(0, 3) === 0;
  const node = onReplica ? d.replicaNames[d.r.int(0, d.replicaNames.length - 1)]! : 'm1';
  if (!d.fits(n * COMMAND_GAP_MS)) return;
  for (let i = 0; i < n; i++, d.t += COMMAND_GAP_MS) {
    const command = onReplica ? randomReplicaCommand(d.r) : randomCommand(d.r, streamIds);
    d.step(d.t, `node: ${node}, command: ${JSON.stringify(command)}`);
  }
  d.t += MIN_STEP_GAP_MS;
}

/** An outage: short (≤ repl-timeout − 2 s, the link survives) or, once per case, long (≥ repl-timeout + 2 s, it times out). */
function outageEpisode(d: Draft, target: string, partition: boolean): void {
  const long = !d.longOutage && d.r.int(0, 1) === 0;
  const outageMs = long ? (d.replTimeout + 2) * 1000 + d.r.int(0, 4) * 100 : Math.max(300, (d.replTimeout - 2) * 1000 - d.r.int(0, 4) * 100);
  if (!d.fits(outageMs + 200)) return;
  if (long) {
    d.longOutage = true;
    // Timed out somewhere within [timeout, outage end]; back once healed and reconnected.
    d.breaks.push({ fromMs: d.t + d.replTimeout * 1000, minMs: outageMs - d.replTimeout * 1000, maxMs: outageMs + RECONNECT_WITHIN_MS });
  }
  if (partition) {
    d.step(d.t, `partition: [[${d.masterOf(target)}], [${target}]]`);
    d.step(d.t + outageMs, 'heal: all');
  } else {
    d.step(d.t, `pause: ${target}, for: ${outageMs}ms`);
  }
  if (d.hasWorkload) d.workloadUntil = Math.max(d.workloadUntil, d.t + outageMs + 200);
  d.t += outageMs + SETTLE_AFTER_FAULT_MS;
}

/** The master after the steps so far: m1, or the replica a promotion made master. */
function currentMaster(steps: readonly DiffCaseStep[]): string {
  let master = 'm1';
  for (const st of [...steps].sort((a, b) => a.atMs - b.atMs)) {
    const noOne = /^node: (\w+), command: "REPLICAOF NO ONE"/.exec(st.body);
    if (noOne) master = noOne[1]!;
    if (st.body.includes('FAILOVER TO r1')) master = 'r1';
  }
  return master;
}

/**
 * The master the chained replica was last told to follow (REPLICAOF r1 at CHAIN_JOIN_MS, or a
 * promotion's REPLICAOF <new master>), or null once it was promoted itself (REPLICAOF NO ONE).
 */
function masterByCommand(steps: readonly DiffCaseStep[], node: string): string | null {
  let master: string | null = 'r1';
  for (const st of [...steps].sort((a, b) => a.atMs - b.atMs)) {
    const told = /^node: (\w+), command: "REPLICAOF (\w+)/.exec(st.body);
    if (told && told[1] === node) master = told[2] === 'NO' ? null : told[2]!;
  }
  return master;
}

/**
 * A crash and a restart: of a replica, or of the master in cases without a workload (writes
 * to a master that is down or just back would hinge on the restart instant) and with little
 * to load (MASTER_CRASH_MAX_RDB_BYTES). Half the time
 * the node SAVEs first and restarts from that RDB (replid and offset included, so it can
 * continue with a partial resync); otherwise it restarts from the RDB its last full sync
 * wrote (readSyncBulkPayload keeps it as dump.rdb unless the load was diskless), from
 * nothing, or from its AOF when the case runs with appendonly.
 *
 * A chained replica joined by a command (REPLICAOF r1 at CHAIN_JOIN_MS), not by its config:
 * it restarts as a master, so it is told to rejoin the master it last followed
 * (REJOIN_AFTER_RESTART_MS; none once it was promoted itself), as an operator would. Left alone it would end holding its restart RDB — without a SAVE, the snapshot of
 * its first sync, taken while the workload writes, so its keys and offset hinge on the
 * instant r1 forked, a few ms later on the real side behind the harness's proxies (found by
 * this fuzzer: real 265 keys, replsim 263; real 345, replsim 334; campaign s7-1796688156).
 * Without a SAVE its PSYNC then asks for every byte since that first sync.
 */
function crashEpisode(d: Draft, replica: string): void {
  const target = d.masterMayCrash && d.r.int(0, 2) === 0 ? 'm1' : replica;
  const save = d.r.int(0, 1) === 0;
  const downMs = 500 + d.r.int(0, 5) * 100;
  const saveLeadMs = save ? MIN_STEP_GAP_MS : 0;
  if (!d.fits(saveLeadMs + downMs + 500)) return;
  // A replica promoted before is the master now: the master's rule holds for it too (its
  // replicas' reconnections on their own 1 s replicationCron phases share one disk BGSAVE
  // or need two — found by this fuzzer: total_forks real 2, replsim 1).
  if (target !== 'm1' && target === currentMaster(d.steps) && !d.masterMayCrash) return;
  if (save) d.step(d.t, `node: ${target}, command: "SAVE"`);
  const crashAt = d.t + saveLeadMs;
  d.step(crashAt, `crash: ${target}`);
  d.step(crashAt + downMs, `restart: ${target}`);
  const joinedByCommand = d.chain && target === d.replicaNames[d.replicaNames.length - 1];
  const rejoin = joinedByCommand ? masterByCommand(d.steps, target) : null;
  if (rejoin !== null) d.step(crashAt + downMs + REJOIN_AFTER_RESTART_MS, `node: ${target}, command: "REPLICAOF ${rejoin} 6379"`);
  if (target !== 'm1') {
    const fromMs = joinedByCommand && !save ? CHAIN_JOIN_MS : d.t;
    d.breaks.push({ fromMs, minMs: saveLeadMs + downMs, maxMs: d.t - fromMs + saveLeadMs + downMs + RECONNECT_WITHIN_MS + LOADED_RESTART_DELAY_MS });
  }
  // Back (its load may delay its first replicationCron), synced, and online.
  d.t = crashAt + downMs + Math.max(500 + SETTLE_AFTER_FAULT_MS, LOADED_RESTART_DELAY_MS + ONLINE_AFTER_SYNC_MS + 300);
}

/**
 * A promotion once writes have stopped: REPLICAOF NO ONE and the others follow, or a
 * coordinated FAILOVER TO a replica of m1. FAILOVER only where no other replica hangs below
 * m1: those reconnect to the demoted m1 while it re-links to the new master, a race whose
 * outcome shows in their second_repl_offset (test/differential/scenarios/failover-command.yaml).
 */
function promotionEpisode(d: Draft, target: string): void {
  d.promoted = true;
  const from = Math.max(d.t, (d.workloadUntil > 0 ? d.workloadUntil : 0) + QUIET_BEFORE_PROMOTION_MS);
  const onlyReplicaOfM1 = d.replicas === 1 || (d.replicas === 2 && d.chain);
  if (onlyReplicaOfM1 && d.r.int(0, 1) === 0) {
    const at = Math.max(d.t + QUIET_BEFORE_FAILOVER_MS - MIN_STEP_GAP_MS, (d.workloadUntil > 0 ? d.workloadUntil : 0) + QUIET_BEFORE_FAILOVER_MS);
    if (at + 2000 + FINAL_QUIET_MS > MAX_DURATION_MS) return;
    d.step(at, 'node: m1, command: "FAILOVER TO r1 6379"');
    d.t = at + 2000 + SETTLE_AFTER_FAULT_MS;
    return;
  }
  if (from + 1000 + FINAL_QUIET_MS > MAX_DURATION_MS) return;
  d.step(from, `node: ${target}, command: "REPLICAOF NO ONE"`);
  let at = from + MIN_STEP_GAP_MS;
  for (const other of ['m1', ...d.replicaNames]) {
    if (other === target) continue;
    d.step(at, `node: ${other}, command: "REPLICAOF ${target} 6379"`);
    at += MIN_STEP_GAP_MS;
  }
  d.t = at + SETTLE_AFTER_FAULT_MS;
}

/**
 * CONFIG SET of a setting that changes how later syncs run, not whether they happen:
 * diskless or disk-based full syncs on a node that serves replicas, how a replica loads one.
 */
function configSetEpisode(d: Draft, replica: string): void {
  if (!d.fits(0)) return;
  if (d.r.int(0, 1) === 0) {
    const node = d.chain && d.r.int(0, 1) === 0 ? 'r1' : 'm1';
    d.step(d.t, `node: ${node}, config-set: { repl-diskless-sync: "${d.r.int(0, 1) === 0 ? 'yes' : 'no'}" }`);
  } else {
    d.step(d.t, `node: ${replica}, config-set: { repl-diskless-load: "${d.r.int(0, 1) === 0 ? 'swapdb' : 'disabled'}" }`);
  }
  d.t += MIN_STEP_GAP_MS;
}

/**
 * repl-backlog-size far from every PSYNC's need: ≥ 4× the most bytes a link break may have
 * to serve (addReplyReplicationBacklog can), or ≤ ¼ of the fewest (it cannot, a full sync),
 * never below Redis's 16 kB floor where it would matter. Only breaks under writes count.
 */
function backlogFor(d: Draft, bytesPerSec: number, workload: { fromMs: number; untilMs: number } | null): number | null {
  if (workload === null) return null;
  const held = d.breaks
    .map((b) => {
      const end = Math.min(b.fromMs + b.maxMs, workload.untilMs);
      return end <= Math.max(b.fromMs, workload.fromMs) ? null : { min: (bytesPerSec * Math.min(b.minMs, end - b.fromMs)) / 1000, max: (bytesPerSec * b.maxMs) / 1000 };
    })
    .filter((h): h is { min: number; max: number } => h !== null);
  if (held.length === 0) return null;
  const big = Math.max(4 * Math.max(...held.map((h) => h.max)), 1024 * 1024);
  const small = Math.min(...held.map((h) => h.min)) / 4;
  return d.r.int(0, 1) === 1 && small >= BACKLOG_FLOOR ? Math.floor(small) : big;
}

/** The master at `atMs` (after a promotion, its target), or null while m1 is down or a promotion is under way. */
function masterAt(steps: readonly DiffCaseStep[], atMs: number): string | null {
  if (steps.some((st) => st.body.includes('FAILOVER') && atMs > st.atMs - QUIET_BEFORE_FAILOVER_MS && atMs < st.atMs + SETTLE_AFTER_FAILOVER_MS)) return null;
  if (steps.some((st) => st.body.startsWith('restart:') && atMs > st.atMs - KEEPALIVE_CLEAR_MS && atMs < st.atMs + RESTART_SYNC_UNCERTAIN_MS)) return null;
  let master = 'm1';
  let downSince: number | null = null;
  for (const st of [...steps].sort((a, b) => a.atMs - b.atMs)) {
    if (st.atMs > atMs + KEEPALIVE_CLEAR_MS) break;
    const onMaster = st.body === `crash: ${master}` || st.body === `restart: ${master}` || st.body === `node: ${master}, command: "SAVE"`;
    if (Math.abs(st.atMs - atMs) < KEEPALIVE_CLEAR_MS && (onMaster || /REPLICAOF|FAILOVER/.test(st.body))) return null;
    if (st.atMs > atMs) continue;
    const crash = /^crash: (\w+)/.exec(st.body);
    if (crash && crash[1] === master) downSince = st.atMs;
    if (st.body === `restart: ${master}`) downSince = null;
    const noOne = /^node: (\w+), command: "REPLICAOF NO ONE"/.exec(st.body);
    if (noOne) master = noOne[1]!;
    if (st.body.includes('FAILOVER TO r1')) master = 'r1';
  }
  return downSince === null ? master : null;
}

/** One PUBLISH a second on the current master (KEEPALIVE_EVERY_MS): no link idles into repl-timeout. */
function keepaliveSteps(steps: readonly DiffCaseStep[], durationMs: number): DiffCaseStep[] {
  const out: DiffCaseStep[] = [];
  const times = new Set<number>();
  for (let at = KEEPALIVE_EVERY_MS; at <= durationMs - KEEPALIVE_CLEAR_MS; at += KEEPALIVE_EVERY_MS) times.add(at);
  // Around a FAILOVER or a restart the grid leaves a hole: a keepalive at its edges keeps it under 2.5 s.
  for (const st of steps) {
    if (st.body.startsWith('restart:') && st.atMs + RESTART_SYNC_UNCERTAIN_MS <= durationMs - KEEPALIVE_CLEAR_MS) times.add(st.atMs + RESTART_SYNC_UNCERTAIN_MS);
    if (!st.body.includes('FAILOVER')) continue;
    if (st.atMs - QUIET_BEFORE_FAILOVER_MS > 0) times.add(st.atMs - QUIET_BEFORE_FAILOVER_MS);
    if (st.atMs + SETTLE_AFTER_FAILOVER_MS <= durationMs - KEEPALIVE_CLEAR_MS) times.add(st.atMs + SETTLE_AFTER_FAILOVER_MS);
  }
  for (const at of [...times].sort((a, b) => a - b)) {
    const master = masterAt(steps, at);
    if (master !== null) out.push({ atMs: at, body: `node: ${master}, command: "PUBLISH keepalive ${at}"`, episode: KEEPALIVE_EPISODE });
  }
  return out;
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
  if (r.int(0, 3) === 0) config['appendonly'] = 'yes';
  const dataset = r.int(0, 1) === 0 ? { keys: r.int(1, 20) * 500, valueSize: r.int(1, 4) * 50 } : null;
  const hasWorkload = r.int(0, 2) > 0;
  const valueSize = r.int(1, 4) * 50;
  const rate = r.int(2, 10) * 100;

  const d = new Draft(r, replicas, chain, replTimeout, hasWorkload, dataset !== null);
  // DEBUG POPULATE values plus ≈ 20 bytes of key and encoding per key in the RDB.
  d.masterMayCrash = !hasWorkload && config['appendonly'] !== 'yes' && (dataset === null || dataset.keys * (dataset.valueSize + 20) < MASTER_CRASH_MAX_RDB_BYTES);
  const streamIds = { next: 1 };
  const episodes = r.int(1, 3);
  for (let e = 0; e < episodes && d.t < MAX_DURATION_MS - FINAL_QUIET_MS - 500; e++, d.episode++) {
    const kind = r.int(0, 8);
    const target = d.replicaNames[r.int(0, d.replicaNames.length - 1)]!;
    if (kind >= 2) d.t = Math.max(d.t, d.firstFaultMs);
    if (kind <= 1) burstEpisode(d, streamIds);
    else if (kind === 2) {
      d.step(d.t, `kill-link: ${target}`);
      d.breaks.push({ fromMs: d.t, minMs: 0, maxMs: RECONNECT_WITHIN_MS });
      d.t += SETTLE_AFTER_FAULT_MS;
    } else if (kind === 3 || kind === 4) outageEpisode(d, target, kind === 3);
    else if (kind === 5) crashEpisode(d, target);
    else if (kind === 6 && !d.promoted) promotionEpisode(d, target);
    else if (kind === 7) configSetEpisode(d, target);
  }
  const firstPromotion = d.steps.find((s) => /NO ONE|FAILOVER/.test(s.body));
  const writesStopBy = firstPromotion === undefined ? Infinity : firstPromotion.atMs - (firstPromotion.body.includes('FAILOVER') ? QUIET_BEFORE_FAILOVER_MS : QUIET_BEFORE_PROMOTION_MS);
  let workload: DiffCase['workload'] = null;
  if (hasWorkload) {
    const untilMs = Math.min(Math.max(d.workloadUntil, 1500), writesStopBy);
    if (untilMs > 500) workload = { rate, keys: r.int(1, 10) * 100, valueSize, fromMs: 300, untilMs };
  }
  const backlog = backlogFor(d, rate * (valueSize + WRITE_OVERHEAD_BYTES), workload);
  if (backlog !== null) config['repl-backlog-size'] = String(Math.max(1, Math.round(backlog)));
  // A pause's end counts as a step: the quiet time runs from when the node is back.
  const endOf = (st: DiffCaseStep): number => st.atMs + Number(/for: (\d+)ms/.exec(st.body)?.[1] ?? 0);
  const lastMs = d.steps.reduce((m, st) => Math.max(m, endOf(st)), workload?.untilMs ?? 0);
  const durationMs = Math.max(2000, lastMs + FINAL_QUIET_MS);
  return { seed, replicas, chain, config, dataset, workload, steps: d.steps, durationMs };
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
  const steps = [...c.steps, ...keepaliveSteps(c.steps, c.durationMs)];
  if (c.chain) steps.push({ atMs: CHAIN_JOIN_MS, body: `node: r${c.replicas}, command: "REPLICAOF r1 6379"`, episode: -1 });
  if (steps.length > 0) {
    lines.push('timeline:');
    for (const s of steps.sort((a, b) => a.atMs - b.atMs)) lines.push(`  - { at: ${s.atMs}ms, ${s.body} }`);
  }
  lines.push('expect:');
  lines.push('  - { converged: true }');
  return `${lines.join('\n')}\n`;
}
