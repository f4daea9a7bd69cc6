/**
 * From captured INFO and CONFIG GET to the figures of a scenario — settings, dataset,
 * workload — each with the fields it came from, so the user can check every number.
 *
 * Settings: every redis.conf option replsim models whose value differs from a scenario's
 * default (a scenario's `save` is "" while Redis's is "3600 1 300 100 60 10000"); options
 * replsim does not model are listed when they differ from Redis 7.0.15's defaults.
 * Dataset: `dbN:keys=` per DB; the value size is the one at which replsim's memory model
 * gives the captured used_memory (less replication and client buffers), or `--bigkeys`'
 * average string size when it found strings only (its key type mix is printed either way). The workload is derived in workload-derivation.ts.
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
  const others = bigkeys === null ? [] : [...bigkeys.types].filter(([type, t]) => type !== 'string' && t.keys > 0);
  if (bigkeys !== null) {
    const mix = [...bigkeys.types].filter(([, t]) => t.keys > 0).map(([type, t]) => `${t.keys} ${type}${t.keys === 1 ? '' : 's'}`);
    out.push({
      node: n.name,
      what: 'key types',
      value: mix.join(', '),
      source: `--bigkeys summary${others.length > 0 ? '; the dataset holds strings only: the other types are simulated as strings of the same memory (used_memory below)' : ''}`,
    });
  }
  if (strings !== undefined && strings.keys > 0 && others.length === 0) {
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
