/**
 * State-triggered faults: a timeline step may fire on a condition instead of a time —
 *
 *   { when: "r1.lag_bytes > 0.9 * repl-backlog-size", partition: [[m1], [r1]] }
 *   { when: "r1 enters transfer", crash: m1 }
 *   { when: "m1 bgsave starts", kill-link: r2 }
 *
 * Two forms. An EVENT is `<node> <phrase>` (the phrases are listed in EVENT_PHRASES) and
 * fires the first time the node does that. A CONDITION compares two arithmetic expressions
 * over numbers (units allowed: 1mb, 500ms), node fields (`r1.master_repl_offset`, any
 * numeric INFO field, plus `lag_bytes` and `keys`) and redis.conf options (bare, read on
 * the first node the condition names, or `m1.repl-backlog-size`); it is checked every
 * 10 ms of virtual time and fires the first time it holds. Each step fires once.
 */
import { parseDuration, parseSize, type TraceKind, UnitError } from '../engine/index.js';
import { lookupRedisOption } from '../redis/index.js';

export interface EventTrigger {
  kind: 'event';
  node: string;
  phrase: string;
  text: string;
}

export type Expr =
  | { kind: 'num'; value: number }
  | { kind: 'field'; node: string; field: string }
  | { kind: 'config'; node: string | null; option: string }
  | { kind: 'bin'; op: '+' | '-' | '*' | '/'; a: Expr; b: Expr };

export interface ConditionTrigger {
  kind: 'condition';
  op: '>' | '>=' | '<' | '<=' | '==' | '!=';
  left: Expr;
  right: Expr;
  /** The node bare config names are read on. */
  defaultNode: string;
  text: string;
}

export type Trigger = EventTrigger | ConditionTrigger;

/** Event phrases → the trace record kind (and field test) that means it happened. */
export const EVENT_PHRASES: Record<string, { kind: TraceKind; state?: readonly string[] }> = {
  'enters connect': { kind: 'replica.state', state: ['connect'] },
  'enters connecting': { kind: 'replica.state', state: ['connecting'] },
  'enters handshake': {
    kind: 'replica.state',
    state: ['receive_ping_reply', 'send_handshake', 'receive_auth_reply', 'receive_port_reply', 'receive_ip_reply', 'receive_capa_reply', 'send_psync', 'receive_psync_reply'],
  },
  'enters transfer': { kind: 'replica.state', state: ['transfer'] },
  'enters sync': { kind: 'replica.state', state: ['transfer'] },
  'enters connected': { kind: 'replica.state', state: ['connected'] },
  'link goes down': { kind: 'replica.link-down' },
  'link comes up': { kind: 'replica.link-up' },
  'gets fullresync': { kind: 'replica.fullresync' },
  'gets continue': { kind: 'replica.continue' },
  'starts loading': { kind: 'replica.load-start' },
  'finishes loading': { kind: 'replica.load-done' },
  'times out': { kind: 'replica.timeout' },
  'bgsave starts': { kind: 'rdb.fork' },
  'bgsave ends': { kind: 'rdb.bgsave-done' },
  'drops a replica': { kind: 'master.replica-lost' },
  'accepts a partial resync': { kind: 'master.psync-accepted' },
  'starts a full resync': { kind: 'master.fullresync' },
  'is promoted': { kind: 'replica.promoted' },
  'crashes': { kind: 'server.crash' },
  'loses power': { kind: 'server.power-loss' },
  'boots': { kind: 'server.boot' },
};

/** Node fields a condition may read, besides numeric INFO fields. */
export const DERIVED_FIELDS = ['lag_bytes', 'keys'] as const;

/** Numeric INFO fields (replication, stats, persistence, memory) replsim reports. */
export const INFO_FIELDS = [
  'connected_slaves', 'master_repl_offset', 'second_repl_offset', 'repl_backlog_active', 'repl_backlog_size',
  'repl_backlog_first_byte_offset', 'repl_backlog_histlen', 'min_slaves_good_slaves', 'master_port',
  'master_last_io_seconds_ago', 'master_sync_in_progress', 'slave_read_repl_offset', 'slave_repl_offset',
  'master_sync_total_bytes', 'master_sync_read_bytes', 'master_sync_left_bytes', 'master_sync_last_io_seconds_ago',
  'master_link_down_since_seconds', 'slave_priority', 'slave_read_only', 'replica_announced',
  'total_commands_processed', 'total_net_repl_input_bytes', 'total_net_repl_output_bytes', 'total_error_replies',
  'sync_full', 'sync_partial_ok', 'sync_partial_err', 'expired_keys', 'evicted_keys', 'keyspace_hits', 'keyspace_misses',
  'loading', 'async_loading', 'rdb_changes_since_last_save', 'rdb_saves', 'rdb_bgsave_in_progress', 'rdb_last_save_time',
  'rdb_last_load_keys_expired', 'aof_enabled', 'used_memory', 'used_memory_overhead', 'used_memory_startup',
  'used_memory_dataset', 'maxmemory', 'mem_not_counted_for_evict', 'mem_total_replication_buffers', 'mem_replication_backlog',
  'mem_clients_slaves', 'mem_clients_normal',
] as const;

export class TriggerError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'TriggerError';
  }
}

const CMP_OPS = ['>=', '<=', '==', '!=', '>', '<'] as const;

/** Parses a `when:` text; `nodes` are the declared node names. */
export function parseTrigger(text: string, nodes: readonly string[]): Trigger {
  const t = text.trim().replace(/\s+/g, ' ');
  if (t === '') throw new TriggerError('empty condition', 'e.g. "r1 enters transfer" or "r1.lag_bytes > 1mb"');
  const op = CMP_OPS.find((o) => t.includes(` ${o} `) || (t.includes(o) && !t.includes(' ')));
  if (op !== undefined) return parseCondition(t, op, nodes);
  const [node, ...rest] = t.split(' ');
  const phrase = rest.join(' ').toLowerCase();
  if (!nodes.includes(node!)) {
    throw new TriggerError(`"${node}" is not a node of this scenario`, `conditions start with a node name: ${nodes.join(', ')}`);
  }
  if (!(phrase in EVENT_PHRASES)) {
    throw new TriggerError(`unknown event "${phrase}"`, `known: ${Object.keys(EVENT_PHRASES).join(', ')}; or a comparison like "${node}.lag_bytes > 1mb"`);
  }
  return { kind: 'event', node: node!, phrase, text: t };
}

function parseCondition(t: string, op: ConditionTrigger['op'], nodes: readonly string[]): ConditionTrigger {
  const i = t.indexOf(op);
  const named: string[] = [];
  const left = parseExpr(t.slice(0, i), nodes, named);
  const right = parseExpr(t.slice(i + op.length), nodes, named);
  if (named.length === 0) throw new TriggerError('a condition must read at least one node field', 'e.g. "r1.lag_bytes > 0.9 * repl-backlog-size"');
  return { kind: 'condition', op, left, right, defaultNode: named[0]!, text: t };
}

/** + - * / with the usual precedence over terms; no parentheses needed for the forms we have. */
function parseExpr(src: string, nodes: readonly string[], named: string[]): Expr {
  const tokens = src.trim().split(/\s*([+*/]|\s-\s)\s*/).map((x) => x.trim()).filter((x) => x !== '');
  if (tokens.length === 0) throw new TriggerError('a comparison needs an expression on both sides');
  let pos = 0;
  const term = (): Expr => {
    let e = atom(tokens[pos++], nodes, named);
    while (pos < tokens.length && (tokens[pos] === '*' || tokens[pos] === '/')) {
      const o = tokens[pos++] as '*' | '/';
      e = { kind: 'bin', op: o, a: e, b: atom(tokens[pos++], nodes, named) };
    }
    return e;
  };
  let e = term();
  while (pos < tokens.length && (tokens[pos] === '+' || tokens[pos] === '-')) {
    const o = tokens[pos++] as '+' | '-';
    e = { kind: 'bin', op: o, a: e, b: term() };
  }
  if (pos < tokens.length) throw new TriggerError(`unexpected "${tokens.slice(pos).join(' ')}"`);
  return e;
}

function atom(tok: string | undefined, nodes: readonly string[], named: string[]): Expr {
  if (tok === undefined) throw new TriggerError('an operator is missing its operand');
  if (/^-?\d+(\.\d+)?$/.test(tok)) return { kind: 'num', value: Number(tok) };
  if (/^-?\d/.test(tok)) {
    for (const parse of [parseSize, parseDuration]) {
      try {
        return { kind: 'num', value: parse(tok) };
      } catch (e) {
        if (!(e instanceof UnitError)) throw e;
      }
    }
    throw new TriggerError(`"${tok}" is not a number, a size like 1mb or a duration like 500ms`);
  }
  const dot = tok.indexOf('.');
  if (dot > 0) {
    const node = tok.slice(0, dot);
    const field = tok.slice(dot + 1);
    if (!nodes.includes(node)) throw new TriggerError(`"${node}" is not a node of this scenario`, `nodes: ${nodes.join(', ')}`);
    if (!named.includes(node)) named.push(node);
    if ((DERIVED_FIELDS as readonly string[]).includes(field) || (INFO_FIELDS as readonly string[]).includes(field)) {
      return { kind: 'field', node, field };
    }
    if (lookupRedisOption(field)) return { kind: 'config', node, option: field };
    throw new TriggerError(`unknown field "${field}" of ${node}`, `fields: ${[...DERIVED_FIELDS, ...INFO_FIELDS].join(', ')}, or a redis.conf option`);
  }
  if (lookupRedisOption(tok)) return { kind: 'config', node: null, option: tok };
  throw new TriggerError(`"${tok}" is neither a number, a node field (node.field) nor a redis.conf option`);
}
