/**
 * What happened to the writes the clients were told about, as one table a user reads after
 * a run: how many SETs were answered OK, how many of those WAIT acknowledged, how many are
 * missing at the end on the master their client would write to now, by cause, and the
 * first few with their story. The durability checker judges (an unexplained loss is a
 * violation, a documented one an anomaly); this counts, so that a documented loss is in
 * plain sight rather than behind a ✓, and `lost-writes` expectations can fail on it.
 *
 * "Told about" has two strengths, as an application sees them: a plain client that got
 * `+OK` for its SET (the write is in the master's memory), and one that also got WAIT ≥ 1
 * (some replica held it). Both can vanish: a demoted master's full resync flushes writes
 * it answered OK to; a failover to a replica that had not received them drops both kinds.
 */
import type { Micros } from '../engine/index.js';
import type { AckedWriteOp, FinalState, History } from './history.js';
import { LOSS_CAUSE_IDS, LOSS_CAUSES, LossIndex, type LossCause } from './loss-causes.js';

/** How many lost writes a summary tells the story of. */
export const LOST_WRITES_LISTED = 5;

export interface LossCauseCount {
  /** An id of LOSS_CAUSES (new causes add ids; readers must accept ones they do not know). */
  cause: LossCause;
  title: string;
  /** Writes answered OK that were lost to this cause … */
  lost: number;
  /** … and of them, WAIT-acknowledged ones. */
  lostAcknowledged: number;
}

export interface LostWrite {
  key: string;
  value: string;
  /** The master the write was sent to, when it was answered, and what WAIT said (-1: failed). */
  node: string;
  t: Micros;
  acked: number;
  wanted: number;
  /** Where it is missing: the master its client writes to at the end. */
  missingOn: string;
  cause: LossCause;
  /** e.g. "m1 demoted at 9s under r1, which did not have it (split brain)". */
  story: string;
}

export interface DurabilitySummary {
  /** Writes the clients completed (answered, failed or given up). */
  writes: number;
  /** SETs answered OK. */
  ok: number;
  /** Of those, WAIT answered ≥ 1 and the write entered the stream. */
  acknowledged: number;
  /** SETs answered OK that are missing at the end (acknowledged or not). */
  lost: number;
  /** WAIT-acknowledged writes missing at the end. */
  lostAcknowledged: number;
  /** One entry per cause that lost something, in LOSS_CAUSES order. */
  byCause: LossCauseCount[];
  /** The first lost writes (by completion time), at most LOST_WRITES_LISTED. */
  first: LostWrite[];
  /** Writes not judged, and why (a client with no live master at the end). */
  unchecked: string[];
}

function acknowledged(w: AckedWriteOp): boolean {
  return w.acked >= 1 && w.propagated;
}

export function summarizeDurability(h: History, f: FinalState): DurabilitySummary {
  const ok = h.writes.filter((w) => w.setOk);
  const summary: DurabilitySummary = {
    writes: h.writes.length,
    ok: ok.length,
    acknowledged: ok.filter(acknowledged).length,
    lost: 0,
    lostAcknowledged: 0,
    byCause: [],
    first: [],
    unchecked: [],
  };
  if (ok.length === 0) return summary;
  const index = new LossIndex(h);
  const counts = new Map<LossCause, LossCauseCount>();
  const lost: LostWrite[] = [];
  for (const writer of f.writerRoots) {
    const mine = ok.filter((w) => w.key.startsWith(`${writer.keyPrefix}:`));
    if (mine.length === 0) continue;
    if (writer.root === null) {
      summary.unchecked.push(`${mine.length} write(s) of the client at ${writer.node}: no live master at the root of its chain at the end`);
      continue;
    }
    const root = writer.root;
    const has = new Set(f.present[root] ?? []);
    for (const w of mine) {
      if (has.has(w.key)) continue;
      const why = index.explain(w, root);
      let c = counts.get(why.cause);
      if (!c) counts.set(why.cause, (c = { cause: why.cause, title: LOSS_CAUSES[why.cause].title, lost: 0, lostAcknowledged: 0 }));
      c.lost++;
      summary.lost++;
      if (acknowledged(w)) {
        c.lostAcknowledged++;
        summary.lostAcknowledged++;
      }
      lost.push({ key: w.key, value: w.value, node: w.node, t: w.t, acked: w.acked, wanted: w.wanted, missingOn: root, cause: why.cause, story: why.story });
    }
  }
  summary.byCause = LOSS_CAUSE_IDS.flatMap((id) => {
    const c = counts.get(id);
    return c ? [c] : [];
  });
  // Writes are recorded in completion order, per client; several clients interleave.
  lost.sort((a, b) => a.t - b.t || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  summary.first = lost.slice(0, LOST_WRITES_LISTED);
  return summary;
}
