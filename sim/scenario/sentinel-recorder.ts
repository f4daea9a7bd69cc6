/**
 * Collects a run's SentinelHistory (sim/check/sentinel-history.ts) while it goes: Sentinel
 * events, faults and process events, the Sentinel-aware clients' writes and discoveries
 * from the trace; and, at the instants where only the live model can tell, the replicas
 * the electing Sentinel chose from (at `+selected-slave`) and which acknowledged writes a
 * node lacks right after it is promoted or restarted. Reading only: it records nothing and
 * changes nothing, so the trace hash is the same with it.
 */
import { sentinelEventOf } from '../check/index.js';
import { parseEventInstance, type ClientWrite, type ReplicaView, type SentinelHistory } from '../check/index.js';
import type { TraceRecord } from '../engine/index.js';
import { SRI_O_DOWN, SRI_S_DOWN } from '../sentinel/index.js';
import { promotionCandidates } from '../sentinel/index.js';
import type { World } from './world.js';

const PROCESS_EVENTS = new Set(['server.boot', 'server.crash', 'sentinel.crash', 'replica.promoted', 'client.command']);

export class SentinelRecorder {
  readonly history: SentinelHistory = { events: [], faults: [], writes: [], discoveries: [], selections: [], lacking: [] };
  private readonly inFlight = new Map<string, ClientWrite>();
  private readonly acknowledged: Array<{ key: string; value: string; db: number }> = [];
  private unsubscribe: (() => void) | null;

  constructor(private readonly world: World) {
    this.unsubscribe = world.sim.trace.subscribe((rec) => this.onRecord(rec));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private onRecord(rec: TraceRecord): void {
    const h = this.history;
    const ev = sentinelEventOf(rec);
    if (ev) {
      h.events.push(ev);
      if (ev.type === '+selected-slave') this.selection(ev.sentinel, ev.msg, rec.t);
      // What the promoted node lacks when the leader sees it promoted: also when SLAVEOF NO ONE
      // found it a master already (no replica.promoted), as when SENTINEL FAILOVER picks an
      // old master not yet converted (sentinelSelectSlave does not look at the reported role).
      if (ev.type === '+promoted-slave') this.noteLacking(parseEventInstance(ev.msg).host, 'promoted');
      return;
    }
    if (rec.kind.startsWith('fault.') || PROCESS_EVENTS.has(rec.kind)) h.faults.push(rec);
    switch (rec.kind) {
      case 'client.write':
        if (rec['client'] !== undefined) {
          const w: ClientWrite = { client: String(rec['client']), key: String(rec['key']), value: String(rec['value']), node: rec.node ?? '', invokedUs: rec.t, completedUs: null, reply: null };
          h.writes.push(w);
          this.inFlight.set(w.key, w);
        }
        return;
      case 'client.acked-write': {
        const w = rec['client'] === undefined ? undefined : this.inFlight.get(String(rec['key']));
        if (!w) return;
        this.inFlight.delete(w.key);
        w.completedUs = rec.t;
        w.reply = String(rec['set']);
        if (w.reply === 'OK') this.acknowledged.push({ key: w.key, value: w.value, db: Number(rec['db'] ?? 0) });
        return;
      }
      case 'client.discover':
        h.discoveries.push({ t: rec.t, client: rec.node ?? '', sentinel: String(rec['sentinel']), address: String(rec['address']) });
        return;
      case 'replica.promoted':
        if (rec.node !== undefined) this.noteLacking(rec.node, 'promoted');
        return;
      case 'server.boot': {
        // The dataset is loaded after the boot record, within the same event: look once it is over.
        const node = rec.node;
        if (node !== undefined) this.world.sim.at(this.world.sim.now, () => this.noteLacking(node, 'restart'));
        return;
      }
    }
  }

  private noteLacking(node: string, kind: 'promoted' | 'restart'): void {
    if (this.unsubscribe === null) return;
    const s = this.world.servers.get(node);
    if (!s || this.acknowledged.length === 0) return;
    const keys = new Set<string>();
    for (const w of this.acknowledged) {
      const v = s.alive && w.db < s.keyspace.databases ? s.keyspace.get(w.db, w.key) : undefined;
      if (v === undefined || String(v) !== w.value) keys.add(w.key);
    }
    if (keys.size > 0) this.history.lacking.push({ t: this.world.sim.now, node, kind, keys });
  }

  /** The electing Sentinel's view of the replicas when it chose (sentinelSelectSlave's inputs). */
  private selection(sentinel: string, msg: string, t: number): void {
    const s = this.world.sentinels.get(sentinel);
    const p = parseEventInstance(msg);
    const m = p.master === null ? undefined : s?.masters.get(p.master);
    if (!s || !m) return;
    const eligible = new Set(promotionCandidates(s, m, s.mstime()));
    const replicas: ReplicaView[] = [...m.slaves.values()].map((r) => ({
      replica: r.host,
      priority: r.slavePriority,
      offset: r.slaveReplOffset,
      runid: r.runid,
      excluded: eligible.has(r) || r.host === p.host ? '' : exclusion(r),
    }));
    this.history.selections.push({ t, sentinel, master: m.name, chosen: p.host, replicas });
  }
}

type Instance = { flags: number; slavePriority: number; link: { disconnected: boolean } };

/** The first exclusion rule of sentinelSelectSlave that applies (select-replica.ts). */
function exclusion(r: Instance): string {
  if (r.flags & (SRI_S_DOWN | SRI_O_DOWN)) return 's_down';
  if (r.link.disconnected) return 'disconnected';
  if (r.slavePriority === 0) return 'replica-priority 0';
  return 'no recent PING reply or INFO, or link down too long';
}
