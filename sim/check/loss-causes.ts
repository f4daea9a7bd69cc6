/**
 * Why a write that a client was told about is missing at the end: the documented ways
 * asynchronous replication loses data (LOST_WRITES_DOC explains each), each with an id a
 * report and `run --json` can count by. The list is open: a cause a new fault or a new
 * process (Sentinel's failovers) explains is one more entry here, and every summary, table
 * and JSON document picks it up by id without changing shape.
 */
import { formatMicros, type Micros } from '../engine/index.js';
import type { AckedWriteOp, DataLossEvent, History } from './history.js';

/** Where every loss cause, of workload writes and of Sentinel-aware clients, is explained (shipped in the package). */
export const LOST_WRITES_DOC = 'docs/lost-writes.md';

export interface LossCauseInfo {
  /** A short label for tables ("split brain"). */
  title: string;
  /** One sentence for a reader who has not read the protocol. */
  explains: string;
}

/**
 * The causes, in the order reports list them. `unexplained` is last: nothing in the history
 * explains it, which for a model of Redis means a bug in the model (a checker violation).
 */
export const LOSS_CAUSES = {
  'promoted-without-write': {
    title: 'failover to a replica without it',
    explains: 'a node that had not received the write was promoted to master (replication is asynchronous)',
  },
  'restart-without-write': {
    title: 'restart without it',
    explains: 'a master restarted from persistence that did not hold the write (no persistence, or an older RDB)',
  },
  'power-loss': {
    title: 'power loss took the AOF tail',
    explains: 'the host lost power before the AOF was fsynced (appendfsync everysec or no)',
  },
  'demoted-master': {
    title: 'demoted master resynced',
    explains: 'the master that took the write was made a replica of one without it, and its full resync flushed it',
  },
  'split-brain': {
    title: 'split brain',
    explains: 'written to one master while the final master was already another',
  },
  unexplained: {
    title: 'unexplained',
    explains: 'no failover, restart or demotion in the history explains it',
  },
} as const satisfies Record<string, LossCauseInfo>;

export type LossCause = keyof typeof LOSS_CAUSES;

export const LOSS_CAUSE_IDS = Object.keys(LOSS_CAUSES) as LossCause[];

/** A loss and the sentence that tells its story. */
export interface LossExplanation {
  cause: LossCause;
  /** e.g. "r1 promoted at 4s without it". */
  story: string;
  /** The history events behind it (for the trace around a report). */
  events: DataLossEvent[];
}

/**
 * Finds, for each key, the loss events that name it: built once per history so that
 * explaining every write is linear in the history, not writes × losses.
 */
export class LossIndex {
  private readonly byKey = new Map<string, DataLossEvent[]>();
  /** Per node, its samples' times and whether it was a live master then. */
  private readonly roles = new Map<string, { t: Micros[]; master: boolean[] }>();

  constructor(h: History) {
    for (const s of h.samples) {
      let r = this.roles.get(s.node);
      if (!r) this.roles.set(s.node, (r = { t: [], master: [] }));
      r.t.push(s.t);
      r.master.push(s.alive && s.role === 'master');
    }
    for (const l of h.losses) {
      for (const key of l.lacking) {
        const list = this.byKey.get(key);
        if (list) list.push(l);
        else this.byKey.set(key, [l]);
      }
    }
  }

  /** Why `w`, missing at the end on `root`, was lost. */
  explain(w: AckedWriteOp, root: string): LossExplanation {
    const causes = (this.byKey.get(w.key) ?? []).filter((l) => l.t >= w.invokedUs);
    if (causes.length > 0) {
      const first = causes[0]!;
      return { cause: causeOf(first), story: causes.map(lossText).join('; '), events: causes };
    }
    if (w.node !== root && this.wasMaster(root, w.t)) {
      return { cause: 'split-brain', story: `${w.node} and ${root} were both masters when it was written (split brain)`, events: [] };
    }
    return { cause: 'unexplained', story: 'no failover or restart explains it', events: [] };
  }

  /** Was `node` a live master at its last sample at or before t? */
  wasMaster(node: string, t: Micros): boolean {
    const r = this.roles.get(node);
    if (!r) return false;
    let lo = 0;
    let hi = r.t.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (r.t[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && r.master[lo - 1]!;
  }
}

function causeOf(l: DataLossEvent): LossCause {
  switch (l.kind) {
    case 'promoted':
      return 'promoted-without-write';
    case 'restart':
      return l.afterPowerLoss ? 'power-loss' : 'restart-without-write';
    case 'demoted':
      return 'demoted-master';
  }
}

export function lossText(c: DataLossEvent): string {
  switch (c.kind) {
    case 'promoted':
      return `${c.node} promoted at ${formatMicros(c.t)} without it`;
    case 'restart':
      return `${c.node} restarted at ${formatMicros(c.t)} without it${c.afterPowerLoss ? ' (after a power loss: its AOF kept only what was fsynced)' : ''}`;
    case 'demoted':
      return `${c.node} demoted at ${formatMicros(c.t)} under ${c.onto ?? '?'}, which did not have it (split brain)`;
  }
}
