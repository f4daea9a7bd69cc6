/**
 * One db's dict (Redis db->dict: key → value) over the run's key table (key-table.ts):
 * values in an array indexed by key id, and the db's own insertion order in a doubly linked
 * list through two Int32Arrays of ids — the order a JS Map kept, which KEYS, SCAN,
 * RANDOMKEY, eviction sampling, RDB and digest walks depend on. An overwrite keeps its place;
 * a key deleted and set again goes to the end.
 *
 * The arrays grow lazily to the highest id this dict has held (not to the table's size), so
 * a db holding few keys stays small unless its ids are high. Each entry holds a reference to
 * its id (KeyTable.retain/release), so ids of keys no dict holds any more are reused.
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

export class KeyDict {
  private values: Array<Value | undefined> = [];
  private prev = new Int32Array(0);
  private next = new Int32Array(0);
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
    for (let id = this.head; id !== NONE; id = this.next[id]!) this.table.release(id);
    this.values = [];
    this.prev = new Int32Array(0);
    this.next = new Int32Array(0);
    this.head = NONE;
    this.tail = NONE;
    this.size = 0;
  }

  // ---- by id (the keyspace's hot path: one table probe per command) -----------------------

  /** The value stored under key id `id`, or undefined. */
  at(id: number): Value | undefined {
    return id >= 0 && id < this.values.length ? this.values[id] : undefined;
  }

  /** Stores `value` under `id` (≥ 0): an overwrite keeps its place, a new key goes last. */
  put(id: number, value: Value): void {
    if (id >= this.values.length) this.grow(id);
    if (this.values[id] === undefined) {
      this.link(id);
      this.table.retain(id);
    }
    this.values[id] = value;
  }

  /** Removes `id`; false if absent. */
  remove(id: number): boolean {
    if (this.at(id) === undefined) return false;
    this.values[id] = undefined;
    // Unlink; the removed entry keeps its own links so a walk standing on it can go on.
    const p = this.prev[id]!;
    const n = this.next[id]!;
    if (p === NONE) this.head = n;
    else this.next[p] = n;
    if (n === NONE) this.tail = p;
    else this.prev[n] = p;
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
      for (let id = this.head; id !== NONE; id = this.following(id)) visit(this.values[id]!, names[id]!);
    } finally {
      table.walkEnded();
    }
  }

  /** The key at position `i` of the order (0 = oldest), or undefined. O(i). */
  keyAtPosition(i: number): string | undefined {
    if (i < 0 || i >= this.size) return undefined;
    let id = this.head;
    while (i-- > 0) id = this.next[id]!;
    return this.table.names[id];
  }

  /** The entry after `id`, skipping entries removed while a walk stood on `id`. */
  private following(id: number): number {
    let n = this.next[id]!;
    while (n !== NONE && this.values[n] === undefined) n = this.next[n]!;
    return n;
  }

  private link(id: number): void {
    this.prev[id] = this.tail;
    this.next[id] = NONE;
    if (this.tail === NONE) this.head = id;
    else this.next[this.tail] = id;
    this.tail = id;
    this.size++;
  }

  private grow(id: number): void {
    const cap = Math.max(id + 1, this.values.length * 2, 16);
    // Growing through length (holes read as undefined) stays a fast-elements array below
    // 32M entries; it runs a few times per dict, in unoptimised code, where pushing one
    // undefined at a time cost ~3× more.
    this.values.length = cap;
    const prev = new Int32Array(cap);
    prev.set(this.prev);
    this.prev = prev;
    const next = new Int32Array(cap);
    next.set(this.next);
    this.next = next;
  }
}
