/**
 * Field-by-field comparison of real Redis's final state with replsim's, per node.
 *
 * Exact fields: role, master (the node it replicates from), master_link_status,
 * master_repl_offset, second_repl_offset, sync_full, sync_partial_ok, sync_partial_err,
 * connected_slaves, dbsize, keys (all dbs); the counters operators watch: repl_backlog_histlen,
 * slave_read_repl_offset (replicas), total_forks, rdb_saves, rdb_last_bgsave_status,
 * rdb_last_load_keys_loaded, rdb_last_load_keys_expired.
 *
 * Relation fields, because the values themselves are random (replids) or computed by a
 * different function (replsim's digest is not DEBUG DIGEST): for each node, which other
 * nodes share the value. `replid` → e.g. "= m1, r2" or "= m1.replid2" or "unique";
 * `replid2` → "none" (40 zeros), or the same kind of list; `digest` → "= m1" or "unique".
 * Two worlds agree on a relation field when the same nodes share the same ids.
 *
 * Also compared: the reply to every timeline `command:` step (rendered as redis-cli does),
 * except commands whose replies carry values that differ by nature (INFO, ROLE, TIME, …).
 * Timings are never compared.
 */
import type { NodeReport } from '../scenario/result.js';
import type { KnownDifference } from './known-differences.js';

export const COMPARED_FIELDS = [
  'role', 'master', 'master_link_status', 'master_repl_offset', 'second_repl_offset',
  'replid', 'replid2', 'sync_full', 'sync_partial_ok', 'sync_partial_err',
  'connected_slaves', 'dbsize', 'keys', 'digest',
  'repl_backlog_histlen', 'slave_read_repl_offset', 'total_forks', 'rdb_saves', 'rdb_last_bgsave_status',
  'rdb_last_load_keys_loaded', 'rdb_last_load_keys_expired',
] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

export type Value = string | number;

export interface FieldComparison {
  node: string;
  field: ComparedField;
  real: Value;
  sim: Value;
  equal: boolean;
  /** The scenario's written reason when this field is expected to differ. */
  known: KnownDifference | null;
}

export interface CommandComparison {
  line: number;
  atUs: number;
  node: string;
  command: string;
  real: string;
  sim: string;
  /** False for commands whose replies differ by nature (INFO, ROLE, …): shown, not compared. */
  compared: boolean;
  equal: boolean;
  known: KnownDifference | null;
}

const ZERO_ID = '0'.repeat(40);

/** Commands (first word, or first two words) whose replies are not comparable. */
const VOLATILE_COMMANDS = new Set(['info', 'role', 'time', 'lastsave', 'debug', 'client list', 'client info', 'client id', 'config get', 'randomkey', 'spop', 'command', 'memory', 'object']);

export function isVolatileCommand(argv: readonly string[]): boolean {
  const one = (argv[0] ?? '').toLowerCase();
  const two = `${one} ${(argv[1] ?? '').toLowerCase()}`;
  return VOLATILE_COMMANDS.has(one) || VOLATILE_COMMANDS.has(two);
}

const DOWN = 'down';

function isDown(r: NodeReport | undefined): boolean {
  return r === undefined || r.info['role'] === DOWN;
}

/** For each node of one world, the relation values of replid, replid2 and digest. */
export function relations(nodes: Record<string, NodeReport>): Record<string, { replid: string; replid2: string; digest: string }> {
  const names = Object.keys(nodes).filter((n) => !isDown(nodes[n]));
  const id = (n: string, f: 'master_replid' | 'master_replid2'): string => String(nodes[n]!.info[f] ?? '');
  const others = (self: string, v: string): string[] => {
    const out: string[] = [];
    for (const n of names) {
      if (n === self) continue;
      if (id(n, 'master_replid') === v) out.push(n);
      if (id(n, 'master_replid2') === v) out.push(`${n}.replid2`);
    }
    return out;
  };
  const describe = (list: string[]): string => (list.length === 0 ? 'unique' : `= ${list.join(', ')}`);
  const out: Record<string, { replid: string; replid2: string; digest: string }> = {};
  for (const n of names) {
    const rid = id(n, 'master_replid');
    const rid2 = id(n, 'master_replid2');
    const self2 = rid2 !== ZERO_ID && rid2 !== '' && rid2 === rid ? ['self'] : [];
    const digestPeers = names.filter((m) => m !== n && nodes[m]!.digest === nodes[n]!.digest);
    out[n] = {
      replid: describe(others(n, rid)),
      replid2: rid2 === ZERO_ID || rid2 === '' ? 'none' : describe([...self2, ...others(n, rid2)]),
      digest: describe(digestPeers),
    };
  }
  return out;
}

function fieldValue(r: NodeReport | undefined, field: ComparedField, rel: { replid: string; replid2: string; digest: string } | undefined): Value {
  if (isDown(r) || r === undefined) return field === 'role' ? DOWN : '-';
  const info = r.info;
  const num = (v: unknown): Value => (typeof v === 'number' || typeof v === 'string' ? v : '-');
  switch (field) {
    case 'role':
      return String(info['role']);
    case 'master':
      return info['role'] === 'slave' ? String(info['master_host']) : '-';
    case 'master_link_status':
      return info['role'] === 'slave' ? String(info['master_link_status']) : '-';
    case 'master_repl_offset':
    case 'second_repl_offset':
    case 'connected_slaves':
    case 'repl_backlog_histlen':
      return num(info[field]);
    case 'slave_read_repl_offset':
      return info['role'] === 'slave' ? num(info[field]) : '-';
    case 'sync_full':
    case 'sync_partial_ok':
    case 'sync_partial_err':
    case 'total_forks':
      return num(r.stats[field]);
    case 'rdb_saves':
    case 'rdb_last_bgsave_status':
    case 'rdb_last_load_keys_loaded':
    case 'rdb_last_load_keys_expired':
      return num(r.persistence[field]);
    case 'dbsize':
      return r.dbsize;
    case 'keys':
      return r.keys;
    case 'replid':
    case 'replid2':
    case 'digest':
      return rel?.[field] ?? '-';
  }
}

export function compareNodes(
  names: readonly string[],
  real: Record<string, NodeReport>,
  sim: Record<string, NodeReport>,
  known: readonly KnownDifference[],
): FieldComparison[] {
  const relReal = relations(real);
  const relSim = relations(sim);
  const out: FieldComparison[] = [];
  for (const node of names) {
    for (const field of COMPARED_FIELDS) {
      const r = fieldValue(real[node], field, relReal[node]);
      const s = fieldValue(sim[node], field, relSim[node]);
      const equal = String(r) === String(s);
      out.push({ node, field, real: r, sim: s, equal, known: findKnown(known, `${node}.${field}`, `*.${field}`) });
    }
  }
  return out;
}

export function compareCommands(
  real: ReadonlyArray<{ at: number; line: number; node: string; command: string; reply: string }>,
  sim: ReadonlyArray<{ at: number; node: string; command: string; reply: string }>,
  argvOf: (line: number) => readonly string[],
  known: readonly KnownDifference[],
  noReply: string,
): CommandComparison[] {
  // The simulator logs a command when its reply arrives; match by (node, command, time) in order.
  const pool = [...sim];
  return real.map((rc) => {
    const i = pool.findIndex((s) => s.node === rc.node && s.command === rc.command && s.at === rc.at);
    const simReply = i >= 0 ? pool.splice(i, 1)[0]!.reply : noReply;
    const compared = !isVolatileCommand(argvOf(rc.line));
    return {
      line: rc.line,
      atUs: rc.at,
      node: rc.node,
      command: rc.command,
      real: rc.reply,
      sim: simReply,
      compared,
      equal: !compared || rc.reply === simReply,
      known: findKnown(known, `command@${rc.line}`),
    };
  });
}

function findKnown(known: readonly KnownDifference[], ...targets: string[]): KnownDifference | null {
  return known.find((k) => targets.includes(k.target)) ?? null;
}

/** Differences nobody wrote down: these make `replsim diff` exit 1. */
export function unexpected(fields: readonly FieldComparison[], commands: readonly CommandComparison[]): number {
  return fields.filter((f) => !f.equal && f.known === null).length + commands.filter((c) => !c.equal && c.known === null).length;
}
