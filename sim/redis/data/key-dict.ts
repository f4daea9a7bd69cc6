/**
 * One db's dict (Redis db->dict: key → value) over the run's key table (key-table.ts):
 * values indexed by key id, and the db's own insertion order in a doubly linked list of ids —
 * the order a JS Map kept, which KEYS, SCAN, RANDOMKEY, eviction sampling, RDB and digest
 * walks depend on. An overwrite keeps its place; a key deleted and set again goes to the end.
 *
 * Values and links live in pages of PAGE_SIZE ids, allocated when an id in them is first
 * stored, not in arrays grown by doubling: a big JS array's backing store is a large object,
 * and each regrowth allocated and page-faulted a fresh one (≈ 25–50 ns an entry here) and
 * copied the old one into it, on every node. In figure 7's write window, where a fresh
 * 100k-key keyspace fills up on the master and on 20 replicas at once, the regrowths took
 * ≈ 8 % of the CPU (the Int32Arrays of links ≈ 3 % of it). A page is small and never copied.
 *
 * Pages exist up to the highest id this dict has held (not the table's size), and only where
 * it holds ids, so a db holding few keys stays small. Each entry holds a reference to its id
 * (KeyTable.retain/release), so ids of keys no dict holds any more are reused.
 *
 * A dict is owned: by its keyspace db slot, and by each snapshot reading it (hold/drop).
 * When the last owner drops it, it lets go of all its ids and empties.
 *
 * Walks tolerate the walker deleting the key it stands on and keys being added at the end
 * (as Map iterators do), but not a key being deleted and re-added while the walk stands on it.
 */
import type { Value } from './value.js';
import type { KeyTable } from './key-table.js';

const NONE = -1;

/** Ids per page: 2^10 (an 8 KB array of value pointers and a 8 KB Int32Array of links). */
const PAGE_BITS = 10;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;

type Page = Array<Value | undefined>;

export class KeyDict {
  /** values[id >> PAGE_BITS][id & PAGE_MASK]: the value stored under id; a page not yet needed is undefined. */
  private values: Array<Page | undefined> = [];
  /**
   * The order's links, paged like the values (allocated with them): in links[id >> PAGE_BITS],
   * entry 2 · (id & PAGE_MASK) is the id before `id`, the next entry the id after it.
   */
  private links: Array<Int32Array | undefined> = [];
  private head = NONE;
  private tail = NONE;
  size = 0;
  /** Owners: the keyspace db slot it was made for, plus snapshots reading it. */
  private holders = 1;

  constructor(readonly table: KeyTable) {}

  /** Another owner (a snapshot) reads this dict until it calls drop(). */
  hold(): void {
    this.holders++;
  }

  /** An owner lets go; the last one empties the dict, releasing its ids (freeDict, in effect). */
  drop(): void {
    if (--this.holders > 0) return;
    for (let id = this.head; id !== NONE; id = this.nextOf(id)) this.table.release(id);
    this.values = [];
    this.links = [];
    this.head = NONE;
    this.tail = NONE;
    this.size = 0;
  }

  // ---- by id (the keyspace's hot path: one table probe per command) -----------------------

  /** The value stored under key id `id`, or undefined. */
  at(id: number): Value | undefined {
    const p = id >> PAGE_BITS;
    if (id < 0 || p >= this.values.length) return undefined;
    const page = this.values[p];
    return page === undefined ? undefined : page[id & PAGE_MASK];
  }

  /** Stores `value` under `id` (≥ 0): an overwrite keeps its place, a new key goes last. */
  put(id: number, value: Value): void {
    const p = id >> PAGE_BITS;
    const page = (p < this.values.length ? this.values[p] : undefined) ?? this.addPage(p);
    const i = id & PAGE_MASK;
    if (page[i] === undefined) {
      this.link(id);
      this.table.retain(id);
    }
    page[i] = value;
  }

  /** Removes `id`; false if absent. */
  remove(id: number): boolean {
    if (this.at(id) === undefined) return false;
    this.values[id >> PAGE_BITS]![id & PAGE_MASK] = undefined;
    // Unlink; the removed entry keeps its own links so a walk standing on it can go on.
    const p = this.prevOf(id);
    const n = this.nextOf(id);
    if (p === NONE) this.head = n;
    else this.setNext(p, n);
    if (n === NONE) this.tail = p;
    else this.setPrev(n, p);
    this.size--;
    this.table.release(id);
    return true;
  }

  // ---- by key (Map's spelling) ------------------------------------------------------------

  get(key: string): Value | undefined {
    return this.at(this.table.idOf(key));
  }
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }
  set(key: string, value: Value): this {
    this.put(this.table.intern(key), value);
    return this;
  }
  delete(key: string): boolean {
    return this.remove(this.table.idOf(key));
  }

  // ---- walks, in insertion order ----------------------------------------------------------

  // A walk tells the table it is running, so that an id freed meanwhile (the walker deleting
  // the key it stands on) is not relinked under another key before the walk has stepped on.
  // An abandoned iterator (never run to the end nor returned) would only delay id reuse.

  *keys(): IterableIterator<string> {
    const table = this.table;
    const names = table.names;
    table.walkStarted();
    try {
      for (let id = this.head; id !== NONE; id = this.following(id)) yield names[id]!;
    } finally {
      table.walkEnded();
    }
  }

  forEach(visit: (value: Value, key: string) => void): void {
    const table = this.table;
    const names = table.names;
    table.walkStarted();
    try {
      for (let id = this.head; id !== NONE; id = this.following(id)) visit(this.at(id)!, names[id]!);
    } finally {
      table.walkEnded();
    }
  }

  /** The key at position `i` of the order (0 = oldest), or undefined. O(i). */
  keyAtPosition(i: number): string | undefined {
    if (i < 0 || i >= this.size) return undefined;
    let id = this.head;
    while (i-- > 0) id = this.nextOf(id);
    return this.table.names[id];
  }

  /** The entry after `id`, skipping entries removed while a walk stood on `id`. */
  private following(id: number): number {
    let n = this.nextOf(id);
    while (n !== NONE && this.at(n) === undefined) n = this.nextOf(n);
    return n;
  }

  // The links of an id this dict has stored (its page exists).
  private prevOf(id: number): number {
    return this.links[id >> PAGE_BITS]![(id & PAGE_MASK) << 1]!;
  }
  private nextOf(id: number): number {
    return this.links[id >> PAGE_BITS]![((id & PAGE_MASK) << 1) | 1]!;
  }
  private setPrev(id: number, to: number): void {
    this.links[id >> PAGE_BITS]![(id & PAGE_MASK) << 1] = to;
  }
  private setNext(id: number, to: number): void {
    this.links[id >> PAGE_BITS]![((id & PAGE_MASK) << 1) | 1] = to;
  }

  private link(id: number): void {
    this.setPrev(id, this.tail);
    this.setNext(id, NONE);
    if (this.tail === NONE) this.head = id;
    else this.setNext(this.tail, id);
    this.tail = id;
    this.size++;
  }

  /** The pages for ids [p << PAGE_BITS, (p + 1) << PAGE_BITS), allocated empty; returns the values' page. */
  private addPage(p: number): Page {
    // Pushed one by one rather than assigned past the end: the lists stay dense arrays.
    while (this.values.length <= p) {
      this.values.push(undefined);
      this.links.push(undefined);
    }
    // Filled, so no entry is a hole: every page has the same elements kind and shape.
    const page: Page = new Array<Value | undefined>(PAGE_SIZE).fill(undefined);
    this.values[p] = page;
    this.links[p] = new Int32Array(2 * PAGE_SIZE);
    return page;
  }
}
