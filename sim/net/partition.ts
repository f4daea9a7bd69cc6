/**
 * Which directions between hosts are currently cut. Pure bookkeeping: the Network turns
 * heals into flushes of stalled data. A partition never closes a connection (docs/model.md, "The network"):
 * it only makes packets in a blocked direction wait.
 */

interface SymmetricPartition {
  kind: 'symmetric';
  /** host → index of its group; hosts not named are unaffected. */
  groupOf: Map<string, number>;
}

interface OneWayPartition {
  kind: 'one-way';
  from: Set<string>;
  to: Set<string>;
}

type Fault = SymmetricPartition | OneWayPartition;

export class PartitionTable {
  private readonly active = new Map<number, Fault>();
  private nextId = 1;

  /** Hosts in different groups cannot talk; returns the fault id. */
  addSymmetric(groups: readonly (readonly string[])[]): number {
    const groupOf = new Map<string, number>();
    groups.forEach((g, i) => {
      for (const h of g) {
        if (groupOf.has(h)) throw new Error(`partition: host ${JSON.stringify(h)} is in more than one group`);
        groupOf.set(h, i);
      }
    });
    return this.add({ kind: 'symmetric', groupOf });
  }

  /** Packets from → to are blocked; the reverse direction is unaffected. */
  addOneWay(from: readonly string[], to: readonly string[]): number {
    return this.add({ kind: 'one-way', from: new Set(from), to: new Set(to) });
  }

  private add(f: Fault): number {
    const id = this.nextId++;
    this.active.set(id, f);
    return id;
  }

  /** False if the id is not an active fault (never issued, or already healed). */
  remove(id: number): boolean {
    return this.active.delete(id);
  }

  clear(): void {
    this.active.clear();
  }

  get size(): number {
    return this.active.size;
  }

  /** Whether a packet from `from` to `to` is dropped right now. A host can always reach itself. */
  isBlocked(from: string, to: string): boolean {
    if (this.active.size === 0 || from === to) return false;
    for (const f of this.active.values()) {
      if (f.kind === 'symmetric') {
        const a = f.groupOf.get(from);
        if (a !== undefined) {
          const b = f.groupOf.get(to);
          if (b !== undefined && a !== b) return true;
        }
      } else if (f.from.has(from) && f.to.has(to)) {
        return true;
      }
    }
    return false;
  }
}
