/**
 * Stream consumer groups (t_stream.c streamCG / streamConsumer / streamNACK at 7.0.15).
 *
 * A group has a last delivered ID, an entries-read counter (SCG_INVALID_ENTRIES_READ, -1,
 * when unknown), a pending entries list (PEL: ID -> NACK) and its consumers, each with its
 * own PEL. A NACK is shared by the group PEL and its owner's PEL, as in Redis, so moving
 * it to another consumer changes one object. Redis keeps groups, consumers and PELs in
 * radix trees, so iteration is in byte order of the names (groups, consumers) and in ID
 * order (PELs); `sortedNames` and `Pel` give those orders.
 */
import { compareIds, type StreamId } from './stream-id.js';

export const SCG_INVALID_ENTRIES_READ = -1;

/** streamNACK: one delivered, not yet acknowledged entry. */
export interface StreamNack {
  /** Unix ms of the last delivery (mstime() of the node that delivered it). */
  deliveryTime: number;
  deliveryCount: number;
  /** Null only transiently (XCLAIM FORCE creates it before it has an owner). */
  consumer: StreamConsumer | null;
}

/** A PEL: the rax keyed by the 128-bit big-endian ID, i.e. sorted by ID. */
export class Pel {
  ids: StreamId[] = [];
  nacks: StreamNack[] = [];

  get size(): number {
    return this.ids.length;
  }

  /** Index of the first ID >= `id`. */
  lowerBound(id: StreamId): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareIds(this.ids[mid]!, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  find(id: StreamId): StreamNack | undefined {
    const i = this.lowerBound(id);
    return i < this.ids.length && compareIds(this.ids[i]!, id) === 0 ? this.nacks[i] : undefined;
  }

  /** raxTryInsert: false (and nothing changed) when the ID is there already. */
  insert(id: StreamId, nack: StreamNack): boolean {
    const i = this.lowerBound(id);
    if (i < this.ids.length && compareIds(this.ids[i]!, id) === 0) return false;
    this.ids.splice(i, 0, id);
    this.nacks.splice(i, 0, nack);
    return true;
  }

  remove(id: StreamId): boolean {
    const i = this.lowerBound(id);
    if (i >= this.ids.length || compareIds(this.ids[i]!, id) !== 0) return false;
    this.ids.splice(i, 1);
    this.nacks.splice(i, 1);
    return true;
  }
}

/** streamConsumer. */
export interface StreamConsumer {
  readonly name: string;
  /** Unix ms of the last time a command named it (streamLookupConsumer refreshes it). */
  seenTime: number;
  readonly pel: Pel;
}

/** streamCG. */
export interface StreamCG {
  lastId: StreamId;
  entriesRead: number;
  readonly pel: Pel;
  readonly consumers: Map<string, StreamConsumer>;
}

/** Names in a radix tree's order: by their bytes (UTF-8 order is code point order). */
export function sortedNames(names: Iterable<string>): string[] {
  return [...names].sort(compareBytes);
}

function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; ) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

/** streamCreateCG's group (the caller checks the name is free). */
export function createGroup(lastId: StreamId, entriesRead: number): StreamCG {
  return { lastId, entriesRead, pel: new Pel(), consumers: new Map() };
}

/** streamCreateConsumer: null when a consumer of that name exists. */
export function createConsumer(cg: StreamCG, name: string, nowMs: number): StreamConsumer | null {
  if (cg.consumers.has(name)) return null;
  const c: StreamConsumer = { name, seenTime: nowMs, pel: new Pel() };
  cg.consumers.set(name, c);
  return c;
}

/** streamLookupConsumer: refreshes seen-time unless SLC_NO_REFRESH. */
export function lookupConsumer(cg: StreamCG, name: string, nowMs: number | null): StreamConsumer | undefined {
  const c = cg.consumers.get(name);
  if (c !== undefined && nowMs !== null) c.seenTime = nowMs;
  return c;
}

/** streamDelConsumer: its pending entries leave the group PEL too. Returns how many. */
export function deleteConsumer(cg: StreamCG, c: StreamConsumer): number {
  for (const id of c.pel.ids) cg.pel.remove(id);
  cg.consumers.delete(c.name);
  return c.pel.size;
}

/** Removes a NACK from the group PEL and its owner's (XACK, a claim of a deleted entry). */
export function dropNack(cg: StreamCG, id: StreamId, nack: StreamNack): void {
  cg.pel.remove(id);
  nack.consumer?.pel.remove(id);
}

/** A deep copy keeping each NACK shared by its group PEL and its owner's PEL. */
export function cloneGroup(cg: StreamCG): StreamCG {
  const copy = createGroup(cg.lastId, cg.entriesRead);
  const nackMap = new Map<StreamNack, StreamNack>();
  for (const [name, c] of cg.consumers) copy.consumers.set(name, { name, seenTime: c.seenTime, pel: new Pel() });
  cg.pel.ids.forEach((id, i) => {
    const n = cg.pel.nacks[i]!;
    const owner = n.consumer === null ? null : copy.consumers.get(n.consumer.name)!;
    const m: StreamNack = { deliveryTime: n.deliveryTime, deliveryCount: n.deliveryCount, consumer: owner };
    nackMap.set(n, m);
    copy.pel.ids.push(id);
    copy.pel.nacks.push(m);
  });
  for (const [name, c] of cg.consumers) {
    const pel = copy.consumers.get(name)!.pel;
    c.pel.ids.forEach((id, i) => {
      pel.ids.push(id);
      pel.nacks.push(nackMap.get(c.pel.nacks[i]!)!);
    });
  }
  return copy;
}
