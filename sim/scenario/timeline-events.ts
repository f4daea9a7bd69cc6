/**
 * Which trace records a person wants to see in a run's timeline, and how to say them:
 * faults, link changes, +FULLRESYNC / +CONTINUE, BGSAVE, transfer, load, timeouts.
 */
import { type TraceEvent, type TraceEventOf, type TraceKind, type TraceRecord, formatMicros } from '../engine/index.js';
import type { TimelineEvent } from './result.js';

type Severity = TimelineEvent['severity'];
/** Field readers typed by the record's kind: a misspelt field fails to compile. */
const f = <R extends TraceEvent>(r: R, k: keyof R & string): string => String(r[k] ?? '');
const us = <R extends TraceEvent>(r: R, k: keyof R & string): string => formatMicros(Number(r[k] ?? 0));

const KINDS: { [K in TraceKind]?: [Severity, (r: TraceEventOf<K>) => string] } = {
  'fault.partition': ['fault', (r) => `partition ${f(r, 'groups')}`],
  'fault.partition-one-way': ['fault', (r) => `one-way partition ${f(r, 'from')} -/-> ${f(r, 'to')}`],
  'fault.heal': ['fault', () => 'heal all'],
  'fault.kill-link': ['fault', () => 'CLIENT KILL TYPE master'],
  'fault.pause': ['fault', (r) => (Number(r.for_us) >= 0 ? `SIGSTOP for ${us(r, 'for_us')}` : 'SIGSTOP')],
  'fault.resume': ['fault', () => 'SIGCONT'],
  'fault.crash': ['fault', () => 'crash (kill -9)'],
  'fault.power-loss': ['fault', () => 'power loss (process and page cache gone)'],
  'fault.restart': ['fault', () => 'restart'],
  'fault.latency': ['fault', (r) => `+${us(r, 'add_us')} latency ${f(r, 'between')}`],
  'fault.clock': ['fault', (r) => [Number(r.skew_us) ? `clock skew ${us(r, 'skew_us')}` : '', Number(r.jump_us) ? `clock jump ${us(r, 'jump_us')}` : '', Number(r.drift_ppm) ? `clock drift ${f(r, 'drift_ppm')} ppm` : ''].filter(Boolean).join(', ')],
  'liveness.heal-all': ['fault', (r) => `heal-all for the liveness phase: ${f(r, 'healed')}`],
  'liveness.converged': ['sync', (r) => `converged ${us(r, 'after_us')} after heal-all (bound ${us(r, 'bound_us')})`],
  'liveness.not-converged': ['error', (r) => `not converged within the bound of ${us(r, 'bound_us')}: ${f(r, 'problem')}`],
  'trigger.fired': ['fault', (r) => `when "${f(r, 'when')}" → fired (line ${f(r, 'line')})`],
  'fault.disk': ['fault', (r) => [r.full ? 'disk full' : '', Number(r.fail_bgsaves) > 0 ? `next ${f(r, 'fail_bgsaves')} BGSAVE(s) fail` : '', Number(r.bytes_per_sec) > 0 ? `disk writes at ${f(r, 'bytes_per_sec')} B/s` : ''].filter(Boolean).join(', ') || 'disk healthy'],
  'rdb.bgsave-error': ['error', (r) => `BGSAVE failed: ${f(r, 'reason')}`],
  'replica.disk-write-error': ['error', () => 'cannot write the received RDB to disk (disk full): sync cancelled, retrying'],
  'fault.swizzle': ['fault', (r) => `swizzle-clog ${f(r, 'links')} (+${us(r, 'add_us')}) for ${us(r, 'for_us')}`],
  'fault.write-burst': ['info', (r) => `burst of ${f(r, 'count')} SETs (${f(r, 'value_size')} B values)`],
  'client.reply': ['info', (r) => `${f(r, 'command')} → ${f(r, 'reply')}`],
  'server.boot': ['info', (r) => `redis-server started on port ${f(r, 'port')}`],
  'server.load-rdb': ['sync', (r) => `loading RDB from disk: ${f(r, 'keys')} keys`],
  'server.shutdown': ['fault', (r) => `SHUTDOWN${r.save ? ' (saved)' : ''}`],
  'replica.replicaof': ['info', (r) => `REPLICAOF ${f(r, 'host')} ${f(r, 'port')}`],
  'replica.promoted': ['sync', (r) => `promoted to master; new replid ${f(r, 'replid').slice(0, 8)}…, replid2 ${f(r, 'replid2').slice(0, 8)}… valid to ${Number(r.offset) + 1}`],
  'replica.psync': ['sync', (r) => `PSYNC ${f(r, 'replid') === '?' ? '?' : f(r, 'replid').slice(0, 8) + '…'} ${f(r, 'offset')}`],
  'replica.fullresync': ['sync', (r) => `+FULLRESYNC ${f(r, 'replid').slice(0, 8)}… ${f(r, 'offset')}`],
  'replica.continue': ['sync', (r) => `+CONTINUE ${f(r, 'replid').slice(0, 8)}… (partial resync from ${Number(r.offset) + 1})`],
  'replica.link-up': ['sync', (r) => `master link up at offset ${f(r, 'offset')}`],
  'replica.link-down': ['error', (r) => `master link down (${f(r, 'reason')}) at offset ${f(r, 'offset')}`],
  'replica.timeout': ['error', (r) => `repl-timeout while ${f(r, 'phase')}`],
  'replica.transfer-start': ['sync', (r) => `RDB transfer started (${r.eof ? 'diskless, EOF-marked' : f(r, 'bytes') + ' bytes'}, load: ${f(r, 'load')})`],
  'replica.transfer-done': ['sync', (r) => `RDB received: ${f(r, 'bytes')} bytes in ${us(r, 'us')}`],
  'replica.flush': ['sync', (r) => `flushing old data: ${f(r, 'keys')} keys (${us(r, 'us')})`],
  'replica.load-done': ['sync', (r) => `RDB loaded: ${f(r, 'keys')} keys in ${us(r, 'us')}`],
  'replica.load-aborted': ['error', (r) => `load aborted: ${f(r, 'reason')}`],
  'replica.handshake-error': ['error', (r) => `handshake failed: ${f(r, 'reason')}`],
  'replica.connect-error': ['error', (r) => `connect failed: ${f(r, 'reason')}`],
  'master.psync-accepted': ['sync', (r) => `partial resync of ${f(r, 'replica')} accepted: ${f(r, 'bytes')} bytes of backlog from ${f(r, 'offset')}`],
  'master.psync-rejected': ['sync', (r) => `partial resync of ${f(r, 'replica')} refused: ${f(r, 'reason')}`],
  'master.backlog-created': ['info', (r) => `replication backlog created, new replid ${f(r, 'replid').slice(0, 8)}…`],
  'master.backlog-freed': ['info', (r) => `backlog freed after ${f(r, 'after_seconds')} s without replicas`],
  'master.bgsave-for-sync': ['sync', (r) => `BGSAVE for SYNC, target ${f(r, 'target')} (${f(r, 'replicas')} replica(s))`],
  'master.cob-disconnect': ['error', (r) => `replica ${f(r, 'replica')} dropped: output buffer ${f(r, 'usage')} bytes over the limit (${f(r, 'state')})`],
  'master.replica-timeout': ['error', (r) => `replica ${f(r, 'replica')} timed out (${f(r, 'mode')})`],
  'master.replica-online': ['sync', (r) => `replica ${f(r, 'replica')} online${r.wait_ack ? ' (stream starts at its first ACK)' : ''}`],
  'rdb.fork': ['sync', (r) => `fork for RDB (${f(r, 'keys')} keys, ${f(r, 'bytes')} bytes): fork ${us(r, 'fork_us')}, child ${us(r, 'work_us')}`],
  'rdb.bgsave-done': ['sync', (r) => `BGSAVE done (${us(r, 'us')})`],
  'rdb.child-killed': ['error', (r) => `RDB child killed: ${f(r, 'reason')}`],
  'server.crash': ['fault', () => 'process gone'],
  'server.power-loss': ['fault', (r) => `page cache lost: ${f(r, 'aof_ops_lost')} AOF op(s) not fsynced`],
  'server.load-aof': ['sync', (r) => `loading AOF from disk: ${f(r, 'keys')} keys`],
  'server.debug-sleep': ['fault', (r) => `DEBUG SLEEP ${f(r, 'seconds')}`],
};

/**
 * The families of trace record kinds (the part before the first dot): `--trace net` shows
 * every net.* record. A test keeps this list in step with the kinds the model records.
 */
export const TRACE_KIND_FAMILIES = [
  'aof', 'client', 'clock', 'config', 'dataset', 'evict', 'failover', 'fault', 'final', 'liveness', 'master', 'net', 'rdb',
  'repl', 'replica', 'sentinel', 'server', 'trigger',
] as const;

/** Why `kind` (a --trace argument) can match no record, or null: it must be a family or start with one and a dot. */
export function traceKindProblem(kind: string): string | null {
  const family = kind.split('.')[0]!;
  if ((TRACE_KIND_FAMILIES as readonly string[]).includes(family)) return null;
  return `unknown trace kind "${kind}"; kinds are <family> or <family>.<event> with families ${TRACE_KIND_FAMILIES.join(', ')}`;
}

/** Whether a record of `kind` is selected by the --trace argument `wanted` (a kind or a prefix of one, like `net` or `replica.link`). */
function selects(wanted: ReadonlySet<string>, kind: string): boolean {
  if (wanted.has(kind)) return true;
  for (const w of wanted) if (kind.startsWith(w)) return true;
  return false;
}

export function timelineEvent(r: TraceEvent, extraKinds: ReadonlySet<string> | 'all'): TimelineEvent | null {
  const known = KINDS[r.kind] as [Severity, (r: TraceEvent) => string] | undefined;
  if (known) return { t: r.t, node: r.node ?? null, kind: r.kind, text: known[1](r), severity: known[0] };
  if (extraKinds === 'all' || (extraKinds.size > 0 && selects(extraKinds, r.kind))) {
    const fields = Object.entries(r)
      .filter(([k]) => k !== 't' && k !== 'node' && k !== 'kind')
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    return { t: r.t, node: r.node ?? null, kind: r.kind, text: `${r.kind} ${fields}`.trim(), severity: 'info' };
  }
  return null;
}
