/**
 * FuzzCase → scenario YAML → Scenario. Generated runs go through the same text and the
 * same loader as hand-written files, so a failing case written to disk is, byte for byte,
 * the scenario that failed, and `replsim run` replays it. The text is laid out the way the
 * library's scenarios are (flow maps, one step per line) so a reproducer reads like one.
 *
 * Two phases (TigerBeetle's VOPR): the workload and the fault episodes run during the fault
 * phase; every episode carries its own repair, so once the last one is over the cluster
 * is whole; then a liveness window as long as the convergence bound (sim/check/bounds.ts)
 * computed for this config and this much data, with margin.
 */
import { convergenceBound, sentinelSettleBoundUs, type SentinelSettings } from '../check/index.js';
import { defaultSentinelTimings } from '../sentinel/index.js';
import { parseBandwidth } from '../engine/index.js';
import { parseRedisConfigOption } from '../redis/index.js';
import { defaultCostModel } from '../redis/index.js';
import type { RedisConfig } from '../redis/index.js';
import { scenarioBaseConfig } from '../scenario/defaults.js';
import { parseScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';
import { LATENCIES, type CaseSentinel, type FuzzCase } from './case.js';
import type { FaultKind } from './profiles.js';

export function nodeName(i: number): string {
  return i === 0 ? 'm1' : `r${i}`;
}

/** One timeline line, with the fault kind it belongs to. */
export interface CaseStep {
  atMs: number;
  fault: FaultKind;
  yaml: string;
}

/** The operator's second BGSAVE after a disk repair: past CONFIG_BGSAVE_RETRY_DELAY and any child. */
const DISK_REPAIR_RETRY_MS = 6000;

/** The earliest time a fault may start: after the first syncs have begun. */
const FIRST_FAULT_MS = 200;

/**
 * With Sentinels: after every Sentinel has discovered the others (hellos every 2 s) and the
 * replicas (the first INFO), so the voters are all of them (sentinel-election.ts).
 */
const FIRST_SENTINEL_FAULT_MS = 6000;

/** The hosts of a case, in episode index order: Redis nodes, then Sentinels, then Sentinel-aware clients. */
export function caseHosts(c: FuzzCase): { redis: number; processes: number; all: string[] } {
  const redis = c.parents.length + 1;
  const all = [...Array(redis).keys()].map(nodeName);
  if (c.sentinel) {
    for (let i = 1; i <= c.sentinel.count; i++) all.push(`s${i}`);
    const processes = all.length;
    for (let i = 1; i <= c.sentinel.clients.length; i++) all.push(`app${i}`);
    return { redis, processes, all };
  }
  return { redis, processes: redis, all };
}

/** The case's fault episodes as timeline steps, in time order (ties keep episode order). */
export function caseSteps(c: FuzzCase): { steps: CaseStep[]; quietMs: number } {
  // Hosts a fault can name: n Redis nodes (data faults), p processes (crash, pause, clock:
  // Redis nodes and Sentinels), h hosts (partitions: clients too).
  const hosts = caseHosts(c);
  const n = hosts.redis;
  const p = hosts.processes;
  const h = hosts.all.length;
  const name = (i: number): string => hosts.all[i]!;
  const steps: CaseStep[] = [];
  let quietMs = c.faultPhaseMs;
  // A fault lasts up to twice repl-timeout and a bit: long enough to cross every timeout
  // (under Sentinel, also down-after twice over: SDOWN, ODOWN and a failover).
  const downAfterMs = c.sentinel?.downAfterMs ?? 0;
  const maxForMs = Math.max(2 * Number(c.config['repl-timeout'] ?? 10) * 1000 + 3000, 3 * downAfterMs + 2000);
  const first = c.sentinel ? FIRST_SENTINEL_FAULT_MS : FIRST_FAULT_MS;
  if (c.enabled.length > 0) {
    for (const raw of c.episodes) {
      const e = { ...raw, forMs: 50 + ((raw.forMs - 50) % (maxForMs - 50)) };
      const kind = c.enabled[e.pick % c.enabled.length]!;
      const at = first + (e.atMs % Math.max(1, c.faultPhaseMs - first));
      // a and b: Redis nodes; pa: any process (Sentinels too).
      const a = e.a % n;
      const b = e.b % n === a ? (a + 1) % n : e.b % n;
      // Under Sentinel the master is the fault that matters most (a failover needs it gone
      // for down-after): two more slots of the draw name m1.
      const pa = c.sentinel ? (e.a % (p + 2)) % p * Number(e.a % (p + 2) < p) : e.a % p;
      const pb = e.b % p === pa ? (pa + 1) % p : e.b % p;
      const masked = (except: number, upTo = n): number[] => [...Array(upTo).keys()].filter((i) => i !== except && e.mask[i] === true);
      const end = (ms: number): void => {
        quietMs = Math.max(quietMs, ms);
      };
      const add = (atMs: number, yaml: string): void => {
        steps.push({ atMs, fault: kind, yaml: `{ at: ${ms(atMs)}, ${yaml} }` });
        end(atMs);
      };
      switch (kind) {
        case 'partition': {
          let side = [...Array(h).keys()].filter((i) => e.mask[i] === true);
          if (side.length === 0) side = [pa];
          if (side.length === h) side = side.filter((i) => i !== pa);
          const rest = [...Array(h).keys()].filter((i) => !side.includes(i));
          add(at, `partition: [${list(side, name)}, ${list(rest, name)}]`);
          add(at + e.forMs, 'heal: all');
          break;
        }
        case 'partition-one-way': {
          let to = masked(pa, h);
          if (to.length === 0) to = [pb];
          add(at, `partition: { from: ${list([pa], name)}, to: ${list(to, name)} }`);
          add(at + e.forMs, 'heal: all');
          break;
        }
        case 'kill-link':
          add(at, `kill-link: ${nodeName(1 + (e.a % (n - 1)))}`);
          break;
        case 'pause':
          add(at, `pause: ${name(pa)}, for: ${ms(e.forMs)}`);
          end(at + e.forMs);
          break;
        case 'client-pause':
          // CLIENT PAUSE on one node (WRITE or ALL): its clients' commands pile up behind the
          // pause, expiry and GETACK wait, and everything queued runs when it times out.
          add(at, `node: ${nodeName(a)}, command: "CLIENT PAUSE ${e.forMs} ${e.b % 2 === 0 ? 'WRITE' : 'ALL'}"`);
          end(at + e.forMs);
          break;
        case 'crash': {
          add(at, `crash: ${name(pa)}`);
          add(at + Math.max(100, e.forMs), `restart: ${name(pa)}`);
          break;
        }
        case 'power-loss': {
          // The host and its page cache: with an AOF under everysec or no, the unsynced
          // tail goes. Sometimes the hosts in the mask lose power at the same instant (one
          // power feed), which can take a write WAIT saw acknowledged from every holder.
          // (A Sentinel fsyncs its config at every change: for it, power loss is a crash.)
          const lost = [pa, ...masked(pa, p)];
          for (const x of lost) add(at, `power-loss: ${name(x)}`);
          for (const x of lost) add(at + Math.max(100, e.forMs), `restart: ${name(x)}`);
          break;
        }
        case 'latency':
          add(at, `latency: { between: [${name(pa)}, ${name(pb)}], add: ${ms(e.addMs)}, for: ${ms(e.forMs)} }`);
          end(at + e.forMs);
          break;
        case 'failover': {
          if (c.sentinel) {
            // Under Sentinel, the operator's failover is SENTINEL FAILOVER on one of them
            // (forced: no election); it may answer -INPROG or -NOGOODSLAVE, part of the run.
            add(at, `node: s${1 + (e.a % c.sentinel.count)}, command: "SENTINEL FAILOVER mymaster"`);
            break;
          }
          // Promote one node, point the chosen others straight at it, all at the same instant
          // (in file order): a flat topology around the new master whatever came before, so
          // neither dropping a step nor another failover can leave a replication cycle.
          add(at, `node: ${nodeName(a)}, command: "REPLICAOF NO ONE"`);
          for (const i of masked(a)) add(at, `node: ${nodeName(i)}, command: "REPLICAOF ${nodeName(a)} 6379"`);
          break;
        }
        case 'burst':
          add(at, `write: { node: m1, count: ${e.count}, value-size: 100 }`);
          break;
        case 'swizzle':
          // FoundationDB's swizzle-clogging over every link: clogged one by one, unclogged at random.
          add(at, `swizzle: { for: ${ms(e.forMs)}, add: ${ms(e.addMs)} }`);
          end(at + e.forMs);
          break;
        case 'clock': {
          // An NTP step or a standing skew, up to ±5 s: expiry and repl-timeout arithmetic follow
          // the clock (a Sentinel's step of more than 2 s puts it in TILT).
          const sign = e.b % 2 === 0 ? '' : '-';
          add(at, `clock: { node: ${name(pa)}, ${e.count % 2 === 0 ? 'jump' : 'skew'}: ${sign}${ms(e.addMs * 10)} }`);
          break;
        }
        case 'disk': {
          const node = nodeName(a);
          if (e.b % 2 === 0) {
            add(at, `disk: { node: ${node}, full: true }`);
            add(at + e.forMs, `disk: { node: ${node}, full: false }`);
          } else {
            add(at, `disk: { node: ${node}, fail-bgsave: ${1 + (e.count % 3)} }`);
            add(at + e.forMs, `disk: { node: ${node}, fail-bgsave: 0 }`);
          }
          // The operator's repair of MISCONF: a healthy disk is not enough, only a BGSAVE that
          // succeeds clears the error (rdb_last_bgsave_status), and serverCron retries a
          // save point only while there are changes to save — a master refusing every write
          // (MISCONF, NOREPLICAS) has none, and its replicas' PINGs get MISCONF too, so
          // nothing would ever save again. A doomed BGSAVE may still be running at the
          // repair ("already in progress"), so the operator asks again once it is over.
          add(at + e.forMs, `node: ${node}, command: "BGSAVE SCHEDULE"`);
          add(at + e.forMs + DISK_REPAIR_RETRY_MS, `node: ${node}, command: "BGSAVE SCHEDULE"`);
          break;
        }
      }
    }
  }
  steps.sort((x, y) => x.atMs - y.atMs);
  return { steps, quietMs };
}

/** A PERSISTENCE choice as node config: `save "1 1"` or `appendonly yes` with its appendfsync. */
function persistenceConfig(p: string): string {
  const [kind, ...rest] = p.split(' ');
  if (kind === 'save') return `save: ${JSON.stringify(rest.join(' '))}`;
  if (kind === 'aof') return `appendonly: "yes", appendfsync: ${rest[0]}`;
  return '';
}

function list(nodes: number[], name: (i: number) => string = nodeName): string {
  return `[${nodes.map(name).join(', ')}]`;
}

/** Whole milliseconds as a duration: 2s, 1500ms. */
function ms(v: number): string {
  return v % 1000 === 0 ? `${v / 1000}s` : `${v}ms`;
}

/** A redis.conf value as YAML: plain when safe, else double-quoted. */
function scalar(v: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v) && !/^(yes|no|true|false|null|on|off|y|n)$/i.test(v) ? v : JSON.stringify(v);
}

/** The config the case gives every node, with ping kept below the timeout as redis.conf advises. */
export function caseConfig(c: FuzzCase): Record<string, string> {
  const cfg = { ...c.config };
  const timeout = Number(cfg['repl-timeout'] ?? 60);
  const ping = Number(cfg['repl-ping-replica-period'] ?? 10);
  if (ping > Math.max(1, Math.floor(timeout / 2))) cfg['repl-ping-replica-period'] = String(Math.max(1, Math.floor(timeout / 2)));
  return cfg;
}

/** How long the liveness phase must be: the checker's bound for an over-estimate of the data. */
export function livenessWindowMs(c: FuzzCase, steps: CaseStep[]): number {
  const cfg: RedisConfig = { ...scenarioBaseConfig() };
  for (const [k, v] of Object.entries(caseConfig(c))) Object.assign(cfg, parseRedisConfigOption(k, v));
  // The dataset at its largest (keys, bytes with per-key overhead) and the stream bytes the
  // load may produce (value + RESP framing and key, for the drain term): over-estimates.
  let keys = c.dataset.keys + 1;
  let bytes = c.dataset.keys * (c.dataset.valueSize + 100);
  let streamBytes = 0;
  for (const w of c.workloads) {
    keys += w.keys * 2;
    bytes += w.keys * 2 * (w.valueSize + 100);
    streamBytes += ((w.rate * c.faultPhaseMs) / 1000) * (w.valueSize + 64);
  }
  if (c.acked) {
    const n = Math.ceil((c.acked.rate * c.faultPhaseMs) / 1000);
    keys += n;
    bytes += n * 100;
    streamBytes += n * 64;
  }
  for (const s of steps) {
    const m = /count: (\d+)/.exec(s.yaml);
    if (s.fault === 'burst' && m) {
      keys += Number(m[1]);
      bytes += Number(m[1]) * 200;
      streamBytes += Number(m[1]) * 164;
    }
  }
  const depth = Math.max(1, ...c.parents.map((_, i) => depthOf(c.parents, i + 1)));
  const bound = convergenceBound({
    configs: [cfg],
    costs: defaultCostModel(),
    maxLatencyUs: LATENCIES[c.latency % LATENCIES.length]!.highUs,
    minBandwidthBytesPerSec: parseBandwidth(c.bandwidth),
    keys,
    bytes: bytes * 2,
    depth,
    streamBytes: Math.ceil(streamBytes * 1.25),
  });
  return Math.ceil((bound.boundUs * 1.5) / 1000) + 2_000;
}

function depthOf(parents: number[], node: number): number {
  let d = 0;
  for (let cur = node; cur !== 0 && d <= parents.length; cur = parents[cur - 1]!) d++;
  return d;
}

export interface CaseTextOptions {
  /** Lines for `expect:` (flow maps); default: `{ invariant: all }`. */
  expect?: string[];
  /** Comment lines put at the top (without the leading "# "). */
  header?: string[];
  /** Name of the scenario (default fuzz-<seed>). */
  name?: string;
}

/** The case as scenario YAML. */
export function caseText(c: FuzzCase, opts: CaseTextOptions = {}): string {
  const { steps, quietMs } = caseSteps(c);
  const durationMs = quietMs + livenessWindowMs(c, steps) + sentinelSettleMs(c);
  const n = c.parents.length + 1;
  const out: string[] = [];
  for (const h of opts.header ?? []) out.push(`# ${h}`.trimEnd());
  out.push(`name: ${opts.name ?? `fuzz-${c.seed}`}`);
  const kinds = c.enabled.length > 0 && c.episodes.length > 0 ? ` (fault kinds: ${c.enabled.join(', ')})` : '';
  out.push(`description: ${JSON.stringify(`Generated by replsim fuzz, profile ${c.profile}${kinds}. Faults until ${ms(quietMs)}, then a liveness window.`)}`);
  out.push(`seed: ${c.seed}`);
  out.push(`duration: ${ms(Math.ceil(durationMs / 100) * 100)}`);
  out.push('config:');
  for (const [k, v] of Object.entries(caseConfig(c))) out.push(`  ${k}: ${scalar(v)}`);
  out.push('nodes:');
  for (let i = 0; i < n; i++) {
    const parts: string[] = [];
    if (i > 0) parts.push(`replicaof: ${nodeName(c.parents[i - 1]!)}`);
    const nodeConfig = [persistenceConfig(c.persistence[i] ?? '')].filter((x) => x !== '');
    const priority = i > 0 ? c.sentinel?.priorities[i - 1] : undefined;
    if (priority !== undefined && priority !== 100) nodeConfig.push(`replica-priority: ${priority}`);
    if (nodeConfig.length > 0) parts.push(`config: { ${nodeConfig.join(', ')} }`);
    out.push(`  ${nodeName(i)}: ${parts.length > 0 ? `{ ${parts.join(', ')} }` : '{}'}`);
  }
  if (c.sentinel) out.push(...sentinelLines(c.sentinel));
  out.push('network:');
  out.push(`  latency: ${LATENCIES[c.latency % LATENCIES.length]!.text}`);
  out.push(`  bandwidth: ${c.bandwidth}`);
  if (c.dataset.keys > 0) {
    out.push(`dataset: { node: m1, keys: ${c.dataset.keys}, value-size: ${c.dataset.valueSize}, db: ${c.dataset.db} }`);
  }
  const work: string[] = [];
  for (const w of c.workloads) {
    const names = ['set', 'incr', 'del', 'expire', 'append', 'get'];
    const ops = names.map((op, i) => [op, w.weights[i]!] as const).filter(([, x]) => x > 0).map(([op, x]) => `${op}: ${x}`).join(', ');
    const ttl = w.weights[3] > 0 ? `, ttl: ${ms(w.ttlMs)}` : '';
    work.push(`  - { node: m1, rate: ${w.rate}/s, until: ${ms(c.faultPhaseMs)}, keys: ${w.keys}, value-size: ${w.valueSize}, db: ${w.db}, ops: { ${ops} }${ttl} }`);
  }
  if (c.acked) {
    work.push(`  - { node: m1, rate: ${c.acked.rate}/s, until: ${ms(c.faultPhaseMs)}, wait: { replicas: ${c.acked.replicas}, timeout: ${ms(c.acked.timeoutMs)} } }`);
  }
  for (const [i, sc] of (c.sentinel?.clients ?? []).entries()) {
    const count = c.sentinel!.count;
    const order = [...Array(count).keys()].map((k) => `s${1 + ((sc.first + k) % count)}`);
    work.push(`  - sentinel-client: { sentinels: [${order.join(', ')}], rate: ${sc.rate}/s, until: ${ms(c.faultPhaseMs)}, host: app${i + 1}, role-check: ${sc.roleCheck}, subscribe: ${sc.subscribe}, key-prefix: app${i + 1} }`);
  }
  if (work.length > 0) out.push('workload:', ...work);
  if (steps.length > 0) out.push('timeline:', ...steps.map((s) => `  - ${s.yaml}`));
  out.push('expect:', ...(opts.expect ?? ['{ invariant: all }']).map((e) => `  - ${e}`));
  return `${out.join('\n')}\n`;
}

/** The `sentinels:` and `sentinel:` sections: every Sentinel monitors m1 as mymaster. */
function sentinelLines(st: CaseSentinel): string[] {
  const names = [...Array(st.count).keys()].map((i) => `s${i + 1}: {}`);
  return [
    `sentinels: { ${names.join(', ')} }`,
    'sentinel:',
    `  monitor: { name: mymaster, master: m1, quorum: ${sentinelQuorum(st)} }`,
    `  down-after-milliseconds: ${st.downAfterMs}`,
    `  failover-timeout: ${st.failoverTimeoutMs}`,
    `  parallel-syncs: ${st.parallelSyncs}`,
  ];
}

function sentinelQuorum(st: CaseSentinel): number {
  return 1 + ((st.quorum - 1) % st.count);
}

/** How long the Sentinels may take to settle after the faults (sim/check/sentinel-facts.ts), 0 without them. */
export function sentinelSettleMs(c: FuzzCase): number {
  if (!c.sentinel) return 0;
  const t = defaultSentinelTimings();
  const settings: SentinelSettings = {
    downAfterMs: c.sentinel.downAfterMs,
    failoverTimeoutMs: c.sentinel.failoverTimeoutMs,
    infoPeriodMs: t.infoPeriodMs,
    pingPeriodMs: t.pingPeriodMs,
    askPeriodMs: t.askPeriodMs,
    publishPeriodMs: t.publishPeriodMs,
    tiltPeriodMs: t.tiltPeriodMs,
    electionTimeoutMs: t.electionTimeoutMs,
    slaveReconfTimeoutMs: t.slaveReconfTimeoutMs,
  };
  return Math.ceil(sentinelSettleBoundUs(settings, c.parents.length) / 1000);
}

/** The case as a Scenario (through its text, as a file would be loaded). */
export function caseScenario(c: FuzzCase, opts: CaseTextOptions = {}): Scenario {
  const s = parseScenario(caseText(c, opts), null);
  // A fault schedule sends commands to nodes that may be down or loading: their errors are
  // part of the experiment, judged by the invariants, not by the verdict's command check.
  s.commandErrorsFail = false;
  return s;
}
