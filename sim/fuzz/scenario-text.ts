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
import { convergenceBound } from '../check/index.js';
import { parseBandwidth } from '../engine/index.js';
import { parseRedisConfigOption } from '../redis/index.js';
import { defaultCostModel } from '../redis/index.js';
import type { RedisConfig } from '../redis/index.js';
import { scenarioBaseConfig } from '../scenario/defaults.js';
import { parseScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';
import { LATENCIES, type FuzzCase } from './case.js';
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

/** The case's fault episodes as timeline steps, in time order (ties keep episode order). */
export function caseSteps(c: FuzzCase): { steps: CaseStep[]; quietMs: number } {
  const n = c.parents.length + 1;
  const steps: CaseStep[] = [];
  let quietMs = c.faultPhaseMs;
  // A fault lasts up to twice repl-timeout and a bit: long enough to cross every timeout.
  const maxForMs = 2 * Number(c.config['repl-timeout'] ?? 10) * 1000 + 3000;
  if (c.enabled.length > 0) {
    for (const raw of c.episodes) {
      const e = { ...raw, forMs: 50 + ((raw.forMs - 50) % (maxForMs - 50)) };
      const kind = c.enabled[e.pick % c.enabled.length]!;
      const at = FIRST_FAULT_MS + (e.atMs % Math.max(1, c.faultPhaseMs - FIRST_FAULT_MS));
      const a = e.a % n;
      const b = e.b % n === a ? (a + 1) % n : e.b % n;
      const masked = (except: number): number[] => [...Array(n).keys()].filter((i) => i !== except && e.mask[i] === true);
      const end = (ms: number): void => {
        quietMs = Math.max(quietMs, ms);
      };
      const add = (atMs: number, yaml: string): void => {
        steps.push({ atMs, fault: kind, yaml: `{ at: ${ms(atMs)}, ${yaml} }` });
        end(atMs);
      };
      switch (kind) {
        case 'partition': {
          let side = [...Array(n).keys()].filter((i) => e.mask[i] === true);
          if (side.length === 0) side = [a];
          if (side.length === n) side = side.filter((i) => i !== a);
          const rest = [...Array(n).keys()].filter((i) => !side.includes(i));
          add(at, `partition: [${list(side)}, ${list(rest)}]`);
          add(at + e.forMs, 'heal: all');
          break;
        }
        case 'partition-one-way': {
          let to = masked(a);
          if (to.length === 0) to = [b];
          add(at, `partition: { from: ${list([a])}, to: ${list(to)} }`);
          add(at + e.forMs, 'heal: all');
          break;
        }
        case 'kill-link':
          add(at, `kill-link: ${nodeName(1 + (e.a % (n - 1)))}`);
          break;
        case 'pause':
          add(at, `pause: ${nodeName(a)}, for: ${ms(e.forMs)}`);
          end(at + e.forMs);
          break;
        case 'client-pause':
          // CLIENT PAUSE on one node (WRITE or ALL): its clients' commands pile up behind the
          // pause, expiry and GETACK wait, and everything queued runs when it times out.
          add(at, `node: ${nodeName(a)}, command: "CLIENT PAUSE ${e.forMs} ${e.b % 2 === 0 ? 'WRITE' : 'ALL'}"`);
          end(at + e.forMs);
          break;
        case 'crash': {
          add(at, `crash: ${nodeName(a)}`);
          add(at + Math.max(100, e.forMs), `restart: ${nodeName(a)}`);
          break;
        }
        case 'power-loss': {
          // The host and its page cache: with an AOF under everysec or no, the unsynced
          // tail goes. Sometimes the hosts in the mask lose power at the same instant (one
          // power feed), which can take a write WAIT saw acknowledged from every holder.
          const hosts = [a, ...masked(a)];
          for (const h of hosts) add(at, `power-loss: ${nodeName(h)}`);
          for (const h of hosts) add(at + Math.max(100, e.forMs), `restart: ${nodeName(h)}`);
          break;
        }
        case 'latency':
          add(at, `latency: { between: [${nodeName(a)}, ${nodeName(b)}], add: ${ms(e.addMs)}, for: ${ms(e.forMs)} }`);
          end(at + e.forMs);
          break;
        case 'failover': {
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
          // An NTP step or a standing skew, up to ±5 s: expiry and repl-timeout arithmetic follow the clock.
          const sign = e.b % 2 === 0 ? '' : '-';
          add(at, `clock: { node: ${nodeName(a)}, ${e.count % 2 === 0 ? 'jump' : 'skew'}: ${sign}${ms(e.addMs * 10)} }`);
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

function list(nodes: number[]): string {
  return `[${nodes.map(nodeName).join(', ')}]`;
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
  const durationMs = quietMs + livenessWindowMs(c, steps);
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
    const persistence = persistenceConfig(c.persistence[i] ?? '');
    if (persistence !== '') parts.push(`config: { ${persistence} }`);
    out.push(`  ${nodeName(i)}: ${parts.length > 0 ? `{ ${parts.join(', ')} }` : '{}'}`);
  }
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
  if (work.length > 0) out.push('workload:', ...work);
  if (steps.length > 0) out.push('timeline:', ...steps.map((s) => `  - ${s.yaml}`));
  out.push('expect:', ...(opts.expect ?? ['{ invariant: all }']).map((e) => `  - ${e}`));
  return `${out.join('\n')}\n`;
}

/** The case as a Scenario (through its text, as a file would be loaded). */
export function caseScenario(c: FuzzCase, opts: CaseTextOptions = {}): Scenario {
  const s = parseScenario(caseText(c, opts), null);
  // A fault schedule sends commands to nodes that may be down or loading: their errors are
  // part of the experiment, judged by the invariants, not by the verdict's command check.
  s.commandErrorsFail = false;
  return s;
}
