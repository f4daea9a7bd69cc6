/**
 * The workload of an imported deployment, from its master's INFO: the rate and mix of the
 * application's commands (`cmdstat_*`, mapped to the workload's op kinds), and the SET value
 * size that makes the simulated replication stream as fast as the real one.
 *
 * With two captures some seconds apart every rate is a difference over that span: cmdstat_*
 * calls, total_commands_processed, master_repl_offset (the replication byte rate),
 * total_net_input_bytes. With one capture the counters only give averages since start, which
 * include idle time, so the current rate is instantaneous_ops_per_sec spread over the command
 * mix since start, and the SET value size comes from instantaneous_input_kbps (what clients
 * send, in the same ~1.6 s window: trackInstantaneousMetric) instead of the stream's growth.
 * Without a Commandstats section (plain `INFO`), total_commands_processed is taken as SETs,
 * which keeps the replication byte rate right when the value size comes from it. A
 * `--bigkeys` scan's own TYPE and STRLEN/LLEN/… calls are left out of the mix.
 */
import type { BigKeysSummary } from './captures.js';
import type { Derivation } from './derive.js';
import { keyspaceOf } from './derive.js';
import { latest, type CapturedNode } from './topology.js';

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

/** The first and last value of a numeric INFO field, when both captures have it. */
function counterDelta(n: CapturedNode, field: string): number | null {
  const a = Number(n.info[0]!.fields.get(field) ?? NaN);
  const b = Number(latest(n, field) ?? NaN);
  return Number.isFinite(a) && Number.isFinite(b) && b >= a ? b - a : null;
}

/** The size command `redis-cli --bigkeys` sends for each key of a type (redis-cli.c's typeinfo). */
const BIGKEYS_SIZE_COMMAND: Record<string, string> = { string: 'strlen', list: 'llen', set: 'scard', hash: 'hlen', zset: 'zcard', stream: 'xlen' };

/**
 * Takes out of `counts` the calls a `--bigkeys` scan made itself — a TYPE and a size command
 * per key — when the counted span holds them (the scan ran between the INFO captures, or
 * before the only one), so that they are not read as the application's GETs.
 */
function withoutBigKeysScan(n: CapturedNode, counts: Map<string, number>, scan: BigKeysSummary | null, out: Derivation[]): void {
  if (scan === null || scan.sampled === 0 || (counts.get('type') ?? 0) < scan.sampled) return;
  const own = new Map<string, number>([['type', scan.sampled]]);
  for (const [type, t] of scan.types) {
    const cmd = BIGKEYS_SIZE_COMMAND[type];
    if (cmd !== undefined && t.keys > 0) own.set(cmd, t.keys);
  }
  for (const [cmd, c] of own) counts.set(cmd, Math.max(0, (counts.get(cmd) ?? 0) - c));
  out.push({ node: n.name, what: 'left out of the mix', value: [...own].map(([cmd, c]) => `${cmd.toUpperCase()} ×${c}`).join(', '), source: `the --bigkeys scan's own calls ("Sampled ${scan.sampled} keys"), counted by cmdstat_* too` });
}

/** Calls per second of each command: between the first and last capture, else since start. */
function commandRates(n: CapturedNode, scan: BigKeysSummary | null, out: Derivation[]): { rates: Map<string, number>; over: string } {
  const calls = (f: Map<string, string>): Map<string, number> => {
    const m = new Map<string, number>();
    for (const [k, v] of f) {
      const c = /^cmdstat_(.+)$/.exec(k);
      if (c) m.set(c[1]!, Number(/calls=(\d+)/.exec(v)?.[1] ?? 0));
    }
    return m;
  };
  const last = n.info[n.info.length - 1]!.fields;
  const dt = captureSpanSeconds(n);
  const rates = new Map<string, number>();
  const counts = calls(last);
  if (dt !== null) {
    const a = calls(n.info[0]!.fields);
    for (const [cmd, c] of counts) counts.set(cmd, c - (a.get(cmd) ?? 0));
  }
  withoutBigKeysScan(n, counts, scan, out);
  if (dt !== null) {
    for (const [cmd, c] of counts) rates.set(cmd, c / dt);
    return { rates, over: `cmdstat_* calls between two captures ${dt.toFixed(1)} s apart` };
  }
  const up = Number(last.get('uptime_in_seconds') ?? 0);
  for (const [cmd, c] of counts) rates.set(cmd, up > 0 ? c / up : 0);
  const all = [...rates.values()].reduce((a, b) => a + b, 0);
  const now = Number(last.get('instantaneous_ops_per_sec') ?? 0);
  if (now > 0 && all > 0) {
    // The mix since start, at the current rate.
    for (const [cmd, r] of rates) rates.set(cmd, (r / all) * now);
    return { rates, over: `instantaneous_ops_per_sec ${now}, shared as the cmdstat_* calls since start (one capture)` };
  }
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

/** RESP bytes of the request a client sends for each op (SET's value excluded). */
function requestBytes(op: WorkloadOp, keyLen: number): number {
  if (op === 'get') return 13 + bulkBytes(keyLen);
  if (op === 'expire') return 16 + bulkBytes(keyLen) + bulkBytes(4); // EXPIRE key <seconds>
  return propagatedBytes(op, keyLen);
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

/** The application's commands per second by op kind, and those no op stands for. */
function mixOf(rates: ReadonlyMap<string, number>): Pick<WorkloadDerivation, 'rateHz' | 'ops' | 'unmodelled'> {
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
  return { rateHz, ops, unmodelled };
}

/** Rates that check the mix: every command, client bytes in, the replication stream. */
function crossChecks(n: CapturedNode, out: Derivation[]): void {
  const span = captureSpanSeconds(n);
  const now = latest(n, 'instantaneous_ops_per_sec');
  const total = span !== null ? counterDelta(n, 'total_commands_processed') : Number(latest(n, 'total_commands_processed') ?? NaN);
  const up = Number(latest(n, 'uptime_in_seconds') ?? 0);
  if (total !== null && Number.isFinite(total)) {
    const rate = span !== null ? total / span : up > 0 ? total / up : 0;
    out.push({ node: n.name, what: 'all commands', value: `${rate.toFixed(1)}/s`, source: span !== null ? `total_commands_processed between the captures` : `total_commands_processed over uptime_in_seconds ${up}` });
  }
  if (now !== undefined) out.push({ node: n.name, what: 'all commands now', value: `${now}/s`, source: 'instantaneous_ops_per_sec (last capture)' });
  const input = span !== null ? counterDelta(n, 'total_net_input_bytes') : null;
  if (input !== null) out.push({ node: n.name, what: 'client bytes in', value: `${Math.round(input / span!)} B/s`, source: 'total_net_input_bytes between the captures' });
  const kbps = latest(n, 'instantaneous_input_kbps');
  if (kbps !== undefined) out.push({ node: n.name, what: 'client bytes in now', value: `${Math.round(Number(kbps) * 1024)} B/s`, source: `instantaneous_input_kbps ${kbps}` });
  const repl = span !== null ? counterDelta(n, 'master_repl_offset') : null;
  if (repl !== null) out.push({ node: n.name, what: 'replication byte rate', value: `${Math.round(repl / span!)} B/s`, source: 'master_repl_offset growth between the captures' });
}

/**
 * The value length v such that `perSec` bytes per second are `fixed` bytes per second plus
 * `sets` SETs a second of bulkBytes(v) each; null when the other ops account for it all.
 */
function valueLengthFor(perSec: number, fixed: number, sets: number): number | null {
  const perSet = (perSec - fixed) / sets;
  if (perSet <= bulkBytes(1)) return null;
  // perSet = bulkBytes(v): invert (the digits of the length are a small correction).
  let v = Math.max(0, Math.round(perSet - 5));
  while (v > 1 && bulkBytes(v) > perSet) v--;
  return v;
}

/** The SET value size from the replication stream's growth (two captures) or clients' input (one). */
function setValueSize(n: CapturedNode, ops: Partial<Record<WorkloadOp, number>>, keys: number, out: Derivation[]): number | null {
  const setRate = ops.set ?? 0;
  if (setRate <= 0) return null;
  const keyLen = Math.round(meanKeyLength(Math.max(1, keys)));
  const span = captureSpanSeconds(n);
  const fixed = (bytesOf: (op: WorkloadOp, keyLen: number) => number): number =>
    (Object.entries(ops) as Array<[WorkloadOp, number]>).reduce((a, [op, r]) => a + r * bytesOf(op, keyLen), 0);
  if (span !== null) {
    const grew = counterDelta(n, 'master_repl_offset');
    if (grew === null || grew === 0) return null;
    const v = valueLengthFor(grew / span, fixed(propagatedBytes), setRate);
    if (v === null) return null;
    out.push({ node: n.name, what: 'SET value size', value: `${v} B`, source: `master_repl_offset grew ${Math.round(grew / span)} B/s between the captures; less what the other ops propagate, over ${setRate.toFixed(1)} SETs/s` });
    return v;
  }
  const kbps = Number(latest(n, 'instantaneous_input_kbps') ?? 0);
  if (!(kbps > 0)) return null;
  const v = valueLengthFor(kbps * 1024, fixed(requestBytes), setRate);
  if (v === null) return null;
  out.push({ node: n.name, what: 'SET value size', value: `${v} B`, source: `instantaneous_input_kbps ${kbps} (clients' requests); less the other requests, over ${setRate.toFixed(1)} SETs/s (one capture: no replication byte rate)` });
  return v;
}

export function deriveWorkload(n: CapturedNode, keys: number, scan: BigKeysSummary | null, out: Derivation[]): WorkloadDerivation | null {
  const { rates, over } = commandRates(n, scan, out);
  let { rateHz, ops, unmodelled } = mixOf(rates);
  let source = over;
  if (rates.size === 0) {
    // No Commandstats section: every command counts as a SET (see the file comment).
    const span = captureSpanSeconds(n);
    const total = span !== null ? (counterDelta(n, 'total_commands_processed') ?? 0) / span : Number(latest(n, 'instantaneous_ops_per_sec') ?? 0);
    if (total > 0) {
      ({ rateHz, ops, unmodelled } = { rateHz: total, ops: { set: total }, unmodelled: [] });
      source = `${span !== null ? 'total_commands_processed between the captures' : 'instantaneous_ops_per_sec'}, all taken as SETs: no Commandstats section (capture INFO everything for the mix)`;
    }
  }
  crossChecks(n, out);
  if (rateHz === 0) return null;
  out.push({ node: n.name, what: 'write/read rate', value: `${rateHz.toFixed(1)}/s`, source });
  let ttlMs: number | null = null;
  if (ops.expire !== undefined) {
    const avg = keyspaceOf(n).find((d) => d.avgTtlMs > 0)?.avgTtlMs;
    ttlMs = avg !== undefined ? avg * 2 : 60_000;
    out.push({ node: n.name, what: 'expire TTL', value: `${ttlMs} ms`, source: avg !== undefined ? `2 × avg_ttl ${avg} (a TTL set now is half gone on average)` : 'no avg_ttl in INFO keyspace: 60 s assumed' });
  }
  return { rateHz, ops, unmodelled, valueSize: setValueSize(n, ops, keys, out), ttlMs };
}
