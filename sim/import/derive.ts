/**
 * From captured INFO and CONFIG GET to the figures of a scenario — settings, dataset,
 * workload — each with the fields it came from, so the user can check every number.
 *
 * Settings: every redis.conf option replsim models whose value differs from a scenario's
 * default (a scenario's `save` is "" while Redis's is "3600 1 300 100 60 10000"); options
 * replsim does not model are listed when they differ from Redis 7.0.15's defaults.
 * Dataset: `dbN:keys=` per DB; the value size is the one at which replsim's memory model
 * gives the captured used_memory (less replication and client buffers), or `--bigkeys`'
 * average string size when captured. Workload: command rates from `cmdstat_*` (the
 * difference of two captures, else the average over uptime), mapped to the workload's op
 * kinds; the SET value size from the replication byte rate (master_repl_offset growth
 * between two captures) minus what the other ops propagate.
 */
import { Keyspace } from '../redis/index.js';
import { KNOWN_REDIS_OPTIONS, parseRedisConfigOption, ConfigError } from '../redis/index.js';
import { scenarioBaseConfig } from '../scenario/defaults.js';
import type { BigKeysSummary } from './captures.js';
import { REDIS_7_0_DEFAULTS } from './redis-defaults.js';
import { latest, type CapturedNode } from './topology.js';

/** One derived figure and where it came from. */
export interface Derivation {
  node: string;
  what: string;
  value: string;
  source: string;
}

export interface OptionValue {
  name: string;
  value: string;
  source: string;
}

/** Options set by the topology, per node, or not options at all: never written to `config:`. */
const NOT_IN_CONFIG = new Set(['replicaof', 'port', 'active-expire']);

/** Modelled options that differ from the scenario defaults, and unmodelled ones that differ from 7.0's. */
export function deriveSettings(n: CapturedNode): { modelled: OptionValue[]; unmodelled: OptionValue[] } {
  const modelled: OptionValue[] = [];
  const unmodelled: OptionValue[] = [];
  if (n.config === null) return { modelled, unmodelled };
  const base = scenarioBaseConfig() as unknown as Record<string, unknown>;
  const known = new Set<string>();
  for (const name of KNOWN_REDIS_OPTIONS) {
    known.add(name);
    if (NOT_IN_CONFIG.has(name)) continue;
    const value = n.config.get(name);
    if (value === undefined) continue;
    let fields: Record<string, unknown>;
    try {
      fields = parseRedisConfigOption(name, value) as Record<string, unknown>;
    } catch (e) {
      if (e instanceof ConfigError) {
        unmodelled.push({ name, value, source: `CONFIG GET ${name}: replsim cannot take this value (${e.message})` });
        continue;
      }
      throw e;
    }
    const differs = Object.entries(fields).some(([k, v]) => JSON.stringify(v) !== JSON.stringify(base[k]));
    if (differs) modelled.push({ name, value, source: `CONFIG GET ${name}` });
  }
  for (const [name, value] of n.config) {
    if (known.has(name)) continue;
    const def = REDIS_7_0_DEFAULTS.get(name);
    if (def === undefined || def === value) continue;
    if (isAliasOfKnown(name)) continue;
    unmodelled.push({ name, value, source: `default ${def === '' ? '""' : def}` });
  }
  return { modelled, unmodelled };
}

function isAliasOfKnown(name: string): boolean {
  return name.startsWith('slave') || name === 'slaveof' || name.startsWith('hash-max-ziplist') || name.startsWith('zset-max-ziplist');
}

/** Per DB: keys and keys with a TTL, from `dbN:keys=K,expires=E,avg_ttl=T`. */
export function keyspaceOf(n: CapturedNode): Array<{ db: number; keys: number; expires: number; avgTtlMs: number }> {
  const out: Array<{ db: number; keys: number; expires: number; avgTtlMs: number }> = [];
  for (const [k, v] of n.info[n.info.length - 1]!.fields) {
    const m = /^db(\d+)$/.exec(k);
    if (!m) continue;
    const keys = Number(/keys=(\d+)/.exec(v)?.[1] ?? 0);
    if (keys > 0) out.push({ db: Number(m[1]), keys, expires: Number(/expires=(\d+)/.exec(v)?.[1] ?? 0), avgTtlMs: Number(/avg_ttl=(\d+)/.exec(v)?.[1] ?? 0) });
  }
  return out;
}

/**
 * The value size at which `keys` DEBUG POPULATE-like keys make replsim's used_memory equal
 * `targetBytes` (bisection: the model is monotonic in the value size).
 */
export function valueSizeForMemory(keys: number, targetBytes: number, databases: number): number {
  let lo = 1;
  // A value cannot be larger than the whole target spread over the keys.
  let hi = Math.min(1 << 29, Math.ceil(targetBytes / Math.max(1, keys)) + 1);
  const memoryAt = (size: number): number => {
    const ks = new Keyspace(databases);
    ks.populate(0, keys, 'key', size);
    return ks.usedMemoryBytes();
  };
  if (memoryAt(lo) >= targetBytes) return lo;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (memoryAt(mid) <= targetBytes) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Memory in used_memory that is not the dataset: client buffers and replication. 7.0 counts
 * the shared replication buffer (backlog and replicas' output) as mem_total_replication_buffers;
 * 6.2 allocates the whole backlog up front (createReplicationBacklog) and counts replicas'
 * output buffers in mem_clients_slaves.
 */
function replicationAndClientBuffers(n: CapturedNode): number {
  const num = (f: string): number => Number(latest(n, f) ?? 0);
  if (n.family === '6.2') return (latest(n, 'repl_backlog_active') === '1' ? num('repl_backlog_size') : 0) + num('mem_clients_slaves') + num('mem_clients_normal');
  return num('mem_total_replication_buffers') + num('mem_clients_normal');
}

/** The dataset of a master: per DB keys and a value size, with their sources. */
export function deriveDataset(n: CapturedNode, bigkeys: BigKeysSummary | null, out: Derivation[]): Array<{ db: number; keys: number; valueSize: number }> {
  const dbs = keyspaceOf(n);
  if (dbs.length === 0) return [];
  const total = dbs.reduce((a, d) => a + d.keys, 0);
  let valueSize: number;
  const strings = bigkeys?.types.get('string');
  if (strings !== undefined && strings.keys > 0) {
    valueSize = Math.max(1, Math.round(strings.avg));
    out.push({ node: n.name, what: 'value size', value: `${valueSize} B`, source: `--bigkeys: ${strings.keys} strings, avg size ${strings.avg}` });
  } else {
    const used = Number(latest(n, 'used_memory') ?? 0);
    const buffers = replicationAndClientBuffers(n);
    const databases = Number(n.config?.get('databases') ?? 16);
    valueSize = valueSizeForMemory(total, used - buffers, databases);
    out.push({
      node: n.name,
      what: 'value size',
      value: `${valueSize} B`,
      source: `used_memory ${used} − replication/client buffers ${buffers} over ${total} keys, through replsim's memory model`,
    });
  }
  for (const d of dbs) out.push({ node: n.name, what: `db${d.db} keys`, value: String(d.keys), source: `INFO keyspace db${d.db}:keys=${d.keys}` });
  return dbs.map((d) => ({ db: d.db, keys: d.keys, valueSize }));
}

/** The workload's op kinds and the commands each stands for. */
const OP_OF: Record<string, WorkloadOp> = {
  set: 'set', setex: 'set', psetex: 'set', setnx: 'set', getset: 'set', mset: 'set', msetnx: 'set',
  incr: 'incr', incrby: 'incr', decr: 'incr', decrby: 'incr', incrbyfloat: 'incr',
  get: 'get', mget: 'get', getex: 'get', strlen: 'get', exists: 'get', ttl: 'get', pttl: 'get', type: 'get',
  del: 'del', unlink: 'del', getdel: 'del',
  expire: 'expire', pexpire: 'expire', expireat: 'expire', pexpireat: 'expire',
  append: 'append',
};
type WorkloadOp = 'set' | 'incr' | 'get' | 'del' | 'expire' | 'append';

/** Commands of the infrastructure, not of the application: left out of the mix. */
const ADMIN = new Set([
  'info', 'ping', 'replconf', 'psync', 'sync', 'config', 'client', 'command', 'select', 'auth', 'hello', 'monitor',
  'slowlog', 'latency', 'memory', 'dbsize', 'debug', 'role', 'cluster', 'quit', 'readonly', 'readwrite', 'echo',
  'time', 'lastsave', 'bgsave', 'bgrewriteaof', 'save', 'scan', 'keys', 'randomkey', 'wait', 'multi', 'exec',
  'discard', 'watch', 'unwatch', 'subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe', 'object', 'acl',
  'sentinel', 'shutdown', 'failover', 'replicaof', 'slaveof', 'flushall', 'flushdb', 'swapdb',
]);

export interface WorkloadDerivation {
  rateHz: number;
  ops: Partial<Record<WorkloadOp, number>>;
  /** Per second, of commands the workload cannot issue. */
  unmodelled: Array<{ command: string; perSec: number }>;
  valueSize: number | null;
  ttlMs: number | null;
}

/** Calls per second of each command: between the first and last capture, else since start. */
function commandRates(n: CapturedNode): { rates: Map<string, number>; over: string } {
  const first = n.info[0]!.fields;
  const last = n.info[n.info.length - 1]!.fields;
  const calls = (f: Map<string, string>): Map<string, number> => {
    const m = new Map<string, number>();
    for (const [k, v] of f) {
      const c = /^cmdstat_(.+)$/.exec(k);
      if (c) m.set(c[1]!, Number(/calls=(\d+)/.exec(v)?.[1] ?? 0));
    }
    return m;
  };
  const dt = captureSpanSeconds(n);
  const rates = new Map<string, number>();
  if (dt !== null) {
    const a = calls(first);
    for (const [cmd, c] of calls(last)) rates.set(cmd, (c - (a.get(cmd) ?? 0)) / dt);
    return { rates, over: `cmdstat_* calls between two captures ${dt.toFixed(1)} s apart` };
  }
  const up = Number(last.get('uptime_in_seconds') ?? 0);
  for (const [cmd, c] of calls(last)) rates.set(cmd, up > 0 ? c / up : 0);
  return { rates, over: `cmdstat_* calls over uptime_in_seconds ${up} (one capture: an average since start)` };
}

/** Seconds between the first and the last capture of a node (server_time_usec), or null. */
export function captureSpanSeconds(n: CapturedNode): number | null {
  if (n.info.length < 2) return null;
  const a = Number(n.info[0]!.fields.get('server_time_usec'));
  const b = Number(n.info[n.info.length - 1]!.fields.get('server_time_usec'));
  if (Number.isFinite(a) && Number.isFinite(b) && b > a) return (b - a) / 1e6;
  const ua = Number(n.info[0]!.fields.get('uptime_in_seconds'));
  const ub = Number(n.info[n.info.length - 1]!.fields.get('uptime_in_seconds'));
  return ub > ua ? ub - ua : null;
}

function bulkBytes(len: number): number {
  return 1 + String(len).length + 2 + len + 2;
}

/** RESP bytes of what each op propagates, for a key of `keyLen` bytes (SET's value excluded). */
function propagatedBytes(op: WorkloadOp, keyLen: number): number {
  switch (op) {
    case 'set':
      return 13 + bulkBytes(keyLen);
    case 'incr':
      return 14 + bulkBytes(keyLen + 2); // the workload's counters are <prefix>:n:<k>
    case 'del':
      return 13 + bulkBytes(keyLen);
    case 'expire':
      return 19 + bulkBytes(keyLen) + bulkBytes(13); // PEXPIREAT key <unix ms>
    case 'append':
      return 16 + bulkBytes(keyLen) + bulkBytes(1);
    case 'get':
      return 0;
  }
}

/** Mean length of `key:<n>` for n uniform in [0, keys). */
export function meanKeyLength(keys: number, prefix = 'key'): number {
  let total = 0;
  for (let digits = 1, lo = 0; lo < keys; digits++, lo = lo === 0 ? 10 : lo * 10) {
    const hi = Math.min(keys, lo === 0 ? 10 : lo * 10);
    total += (hi - lo) * digits;
  }
  return prefix.length + 1 + (keys > 0 ? total / keys : 1);
}

export function deriveWorkload(n: CapturedNode, keys: number, out: Derivation[]): WorkloadDerivation | null {
  const { rates, over } = commandRates(n);
  const ops: Partial<Record<WorkloadOp, number>> = {};
  const unmodelled: Array<{ command: string; perSec: number }> = [];
  let rateHz = 0;
  for (const [cmd, perSec] of rates) {
    if (perSec <= 0 || ADMIN.has(cmd) || cmd.includes('|')) continue;
    const op = OP_OF[cmd];
    if (op === undefined) {
      unmodelled.push({ command: cmd, perSec });
      continue;
    }
    ops[op] = (ops[op] ?? 0) + perSec;
    rateHz += perSec;
  }
  if (rateHz === 0) return null;
  out.push({ node: n.name, what: 'write/read rate', value: `${rateHz.toFixed(1)}/s`, source: over });
  let ttlMs: number | null = null;
  if (ops.expire !== undefined) {
    const avg = keyspaceOf(n).find((d) => d.avgTtlMs > 0)?.avgTtlMs;
    ttlMs = avg !== undefined ? avg * 2 : 60_000;
    out.push({ node: n.name, what: 'expire TTL', value: `${ttlMs} ms`, source: avg !== undefined ? `2 × avg_ttl ${avg} (a TTL set now is half gone on average)` : 'no avg_ttl in INFO keyspace: 60 s assumed' });
  }
  let valueSize: number | null = null;
  const span = captureSpanSeconds(n);
  const setRate = ops.set ?? 0;
  if (span !== null && setRate > 0) {
    const first = Number(n.info[0]!.fields.get('master_repl_offset') ?? NaN);
    const last = Number(latest(n, 'master_repl_offset') ?? NaN);
    if (Number.isFinite(first) && Number.isFinite(last) && last > first) {
      const bytesPerSec = (last - first) / span;
      const keyLen = meanKeyLength(Math.max(1, keys));
      let other = 0;
      for (const [op, r] of Object.entries(ops) as Array<[WorkloadOp, number]>) if (op !== 'set') other += r * propagatedBytes(op, Math.round(keyLen));
      const perSet = (bytesPerSec - other) / setRate - propagatedBytes('set', Math.round(keyLen));
      // perSet = bulkBytes(valueLen): invert (the digits of the length are a small correction).
      let v = Math.max(0, Math.round(perSet - 5));
      while (v > 0 && bulkBytes(v) > perSet) v--;
      valueSize = Math.max(1, v);
      out.push({
        node: n.name,
        what: 'SET value size',
        value: `${valueSize} B`,
        source: `master_repl_offset grew ${Math.round(bytesPerSec)} B/s between the captures; less what the other ops propagate, over ${setRate.toFixed(1)} SETs/s`,
      });
    }
  }
  return { rateHz, ops, unmodelled, valueSize, ttlMs };
}
