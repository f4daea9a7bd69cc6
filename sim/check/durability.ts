/**
 * Durability of acknowledged writes (WAIT n, n ≥ 1). Two rules:
 *
 *  1. WAIT tells the truth. When WAIT answers k ≥ 1, at least k other nodes have applied
 *     the write — a replica ACKs only offsets it has applied (REPLCONF ACK carries reploff).
 *     Counted from the ground truth at the reply: nodes holding the key with its value, plus
 *     nodes whose data was destroyed since the write was sent (crash, full-sync flush), which
 *     may have held it when they ACKed.
 *  2. An acknowledged write is not lost: at the end it is on the master its client would
 *     write to now — unless the history explains the loss, as Redis documents it
 *     (docs/lost-writes.md, workload writes): after the write was sent,
 *     a node that did not hold it was promoted (REPLICAOF NO ONE), a node restarted without
 *     it (no persistence, an older RDB, or a power loss that took the AOF's unsynced tail), or a master was demoted (REPLICAOF) under a
 *     master that did not hold it, or it was written to another master than the final one
 *     while both were masters (split brain). Explained losses are reported as anomalies,
 *     with the events that caused them; unexplained ones are violations.
 *
 * Power loss: with appendfsync everysec (the default) or no, a write WAIT acknowledged can be
 * lost for good when every node that held it loses power before its next fsync — WAIT
 * promises copies in memory, not on disk (power-loss in docs/lost-writes.md). The restart that
 * follows is the documented cause, so the checker reports it as an anomaly naming the power
 * loss rather than as a model bug. It does not go further and demand that a restart with
 * appendfsync always (or after a plain crash with an AOF) lose nothing: a node may restart
 * lacking writes it never held (a replica behind its master, an AOF replaced by the rewrite
 * after a full sync), and telling those apart from a lost fsynced write would need the AOF's
 * contents in the history; test/redis/aof-power-loss.test.ts covers that side directly.
 *
 * Writes WAIT counted but that never entered the stream (the master had no backlog yet, so
 * the SET did not move its offset, and WAIT counts any online replica) are not judged.
 */
import { type TraceEvent, type TraceKind, formatMicros } from '../engine/index.js';
import type { AckedWriteOp, DataLossEvent, FinalState, History, NodeSample } from './history.js';
import { LossIndex } from './loss-causes.js';
import { anyWithin, eventsBefore, timesByNode } from './topology.js';
import { Findings, type CheckerResult } from './violation.js';

/** Events after which a node may no longer hold data it had applied and ACKed. */
const DATA_DESTROYED = new Set<TraceKind>([
  'server.crash', 'server.boot', 'replica.flush', 'replica.load-start', 'replica.load-aborted', 'replica.sync-done', 'replica.transfer-start',
]);

export function checkDurability(h: History, f: FinalState): CheckerResult {
  const out = new Findings('durability', h.meta.seed);
  const destroyed = timesByNode(h, DATA_DESTROYED);
  // A SET that never entered the stream (no backlog yet) carries no WAIT promise.
  const acked = h.writes.filter((w) => w.acked >= 1 && w.propagated);
  const unpropagated = h.writes.filter((w) => w.acked >= 1 && !w.propagated).length;
  out.note(`${acked.length} acknowledged write(s) of ${h.writes.length}`);
  if (unpropagated > 0) out.note(`${unpropagated} write(s) WAIT counted were never propagated (no backlog yet): not judged`);
  checkHonestWaits(h, acked, destroyed, out);
  checkNoLoss(h, f, acked, out);
  return out.result();
}

function checkHonestWaits(h: History, acked: AckedWriteOp[], destroyed: Map<string, number[]>, out: Findings): void {
  let reported = 0;
  for (const w of acked) {
    let honest = w.holders.length;
    for (const n of h.nodes) {
      if (n === w.node || w.holders.includes(n)) continue;
      if (anyWithin(destroyed.get(n), w.invokedUs, w.t)) honest++;
    }
    if (honest >= w.acked || reported >= 3) continue;
    reported++;
    const around = offsetsAt(h, w.t).filter((s) => s.node !== w.node && s.alive)
      .map((s) => `${s.node} at ${s.offset}${s.masterHost ? ` (replica of ${s.masterHost}, link ${s.link})` : ''}`).join(', ');
    out.violation(w.node, w.t,
      `WAIT ${w.wanted} answered ${w.acked} for SET ${w.key} ${w.value} (sent at ${formatMicros(w.invokedUs)}, master offset ${w.woff}), ` +
        `but ${w.holders.length === 0 ? 'no other node held the write' : `only ${w.holders.join(', ')} held it`}` +
        (around ? `; last sampled: ${around}` : ''),
      eventsBefore(h, null, w.t, 8));
  }
}

/** The last sampling round at or before t. */
function offsetsAt(h: History, t: number): NodeSample[] {
  let lo = 0;
  let hi = h.samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (h.samples[mid]!.t <= t) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return [];
  const round = h.samples[lo - 1]!.round;
  const out: NodeSample[] = [];
  for (let i = lo - 1; i >= 0 && h.samples[i]!.round === round; i--) out.push(h.samples[i]!);
  return out.reverse();
}

function checkNoLoss(h: History, f: FinalState, acked: AckedWriteOp[], out: Findings): void {
  if (acked.length === 0) return;
  const present = new Map<string, Set<string>>();
  for (const [node, keys] of Object.entries(f.present)) present.set(node, new Set(keys));
  const index = new LossIndex(h);
  let unexplained = 0;
  let explained = 0;
  for (const writer of f.writerRoots) {
    const mine = acked.filter((w) => w.key.startsWith(`${writer.keyPrefix}:`));
    if (mine.length === 0) continue;
    if (writer.root === null) {
      out.note(`loss not checked for the writes of the client at ${writer.node}: no live master at the root of its chain at the end`);
      continue;
    }
    const root = writer.root;
    const has = present.get(root) ?? new Set<string>();
    for (const w of mine) {
      if (has.has(w.key)) continue;
      const why = index.explain(w, root);
      if (why.cause !== 'unexplained') {
        explained++;
        if (explained <= 5) {
          const events = why.events.length > 0
            ? why.events.map((c) => causeRecord(h, c.node, c.t)).filter((r): r is TraceEvent => r !== null)
            : eventsBefore(h, root, w.t, 3);
          out.anomaly(root, f.t, `acknowledged write ${w.key} (WAIT ${w.wanted} → ${w.acked} at ${formatMicros(w.t)} on ${w.node}) is missing on ${root}: ${why.story}`, events);
        }
        continue;
      }
      unexplained++;
      if (unexplained <= 3) {
        out.violation(root, f.t,
          `acknowledged write ${w.key} = ${w.value} (WAIT ${w.wanted} → ${w.acked} at ${formatMicros(w.t)} on ${w.node}, held then by ${w.holders.join(', ') || 'nobody else'}) ` +
            `is missing on ${root}, the master its client writes to now, and no failover or restart explains it`,
          eventsBefore(h, root, f.t, 8));
      }
    }
  }
  if (explained > 0) out.note(`${explained} acknowledged write(s) lost as documented (failover to a node without them, restart without persistence, split brain)`);
  if (unexplained > 3) out.note(`${unexplained - 3} more unexplained loss(es)`);
}

function causeRecord(h: History, node: string, t: number): TraceEvent | null {
  for (const e of h.events) {
    if (e.t === t && e.node === node && (e.kind === 'replica.promoted' || e.kind === 'server.boot' || e.kind === 'replica.replicaof')) return e;
  }
  return null;
}
