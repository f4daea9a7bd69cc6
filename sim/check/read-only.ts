/**
 * Read-only replicas: a replica with replica-read-only yes changes its dataset only by
 * applying its master's stream. Between two samples at the same stream position the data
 * must be the same (no local write was applied), and it never expires keys itself: it
 * waits for the master's DEL (expireIfNeeded in db.c only hides the key on a replica), so its expired_keys stays put.
 */
import type { TraceKind } from '../engine/index.js';
import type { FinalState, History, NodeSample } from './history.js';
import { anyWithin, eventsBefore, timesByNode } from './topology.js';
import { Findings, type CheckerResult } from './violation.js';

const ROLE_CHANGES = new Set<TraceKind>(['replica.promoted', 'replica.replicaof', 'server.boot', 'server.crash']);

export function checkReadOnlyReplicas(h: History, _f: FinalState): CheckerResult {
  const out = new Findings('read-only-replicas', h.meta.seed);
  const roleChanges = timesByNode(h, ROLE_CHANGES);
  const last = new Map<string, NodeSample>();
  const reported = new Set<string>();
  for (const s of h.samples) {
    const prev = last.get(s.node);
    last.set(s.node, s);
    if (!prev || !s.alive || !prev.alive || prev.incarnation !== s.incarnation) continue;
    if (s.role !== 'slave' || prev.role !== 'slave' || !s.readOnly || !prev.readOnly) continue;
    if (anyWithin(roleChanges.get(s.node), prev.t, s.t)) continue;
    if (s.expiredKeys > prev.expiredKeys && !reported.has(`expire/${s.node}`)) {
      reported.add(`expire/${s.node}`);
      out.violation(s.node, s.t,
        `${s.node}, a read-only replica, expired ${s.expiredKeys - prev.expiredKeys} key(s) itself (expired_keys ${prev.expiredKeys} → ${s.expiredKeys}); replicas must wait for the master's DEL`,
        eventsBefore(h, s.node, s.t));
    }
    if (!s.stable || !prev.stable || s.replid !== prev.replid || s.offset !== prev.offset) continue;
    const changed = s.keys !== prev.keys || (s.digest !== null && prev.digest !== null && s.digest !== prev.digest);
    if (changed && !reported.has(`data/${s.node}`)) {
      reported.add(`data/${s.node}`);
      out.violation(s.node, s.t,
        `${s.node}, a read-only replica, changed its dataset without a byte of stream: at offset ${s.offset} it had ${prev.keys} keys (digest ${prev.digest ?? '?'}), now ${s.keys} (digest ${s.digest ?? '?'})`,
        eventsBefore(h, s.node, s.t));
    }
  }
  return out.result();
}
