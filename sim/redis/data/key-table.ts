/**
 * The run's key symbol table: each key string a keyspace stores gets a small integer id,
 * and every keyspace of the run (master, replicas, AOF copies, loaded RDBs) shares the table
 * (world.ts creates it; a standalone Keyspace makes its own).
 *
 * Why (issue 15): a write looks its key up on the master and again on every replica. With
 * one Map per node those were N cold hash-table probes (≈ 300 ns each at 100k keys); with
 * one shared table the replicas' probes hit the entry the master just touched, and each
 * node's db (key-dict.ts) is then a plain array indexed by id. Redis has no such table
 * (each db is a dict of sds keys); it is a simulator's layout, invisible in behaviour:
 * iteration order stays each db's own insertion order, never id order.
 *
 * Ids are reference counted: every KeyDict entry holding an id counts once (any node, any
 * db, snapshots' own dicts). When the count drops to zero the key leaves the table and its id
 * goes to a free list, reused last-freed-first so the dicts' id-indexed arrays stay as small
 * as the largest keyspace rather than the number of key names a run ever used (a cache
 * workload with ever-new keys and a TTL would otherwise grow the table without bound).
 * While a walk over some dict is in progress, freed ids wait (pending) and become reusable
 * when the last walk ends: a walker may delete the key it stands on and then add keys, and
 * its dict must not relink that id under another key before the walk has stepped past it.
 *
 * A workload that keeps its key names (open-loop.ts) pins each one (pin: a reference no dict
 * holds, never released) and, before each command, tells the table which key the server is
 * about to look up (expect): the master's probe of a cold 100k-entry Map per write becomes a
 * string compare. Pinned ids are as invisible as the others: nothing reads the table's size
 * but tests, and a dict's order is its insertion order whatever the ids.
 *
 * The last RECENT hints are kept too, in a ring: the first replica applies a write a few
 * writes after the master made it (at 10k writes/s, three), when the last key is another one.
 * Its lookups name the hinted keys in the master's order, so each is the key of the slot after
 * the one its previous lookup found: one compare, where a probe of the Map would miss the
 * cache (the master no longer touches the entry). A Map probe that finds a hinted key (the
 * first lookup after a gap) moves the ring's position there; other lookups pay one compare.
 */
const NONE = -1;

/** Hints remembered (a power of two): more than the writes a replica's stream lags behind. */
const RECENT = 8;
const RECENT_MASK = RECENT - 1;

export class KeyTable {
  private readonly ids = new Map<string, number>();
  /** id → key ('' for a free id). */
  readonly names: string[] = [];
  /** id → number of dict entries holding it. */
  private refs = new Int32Array(16);
  /** Free ids, reused from the end (the last freed first). */
  private readonly free: number[] = [];
  /** Ids freed while a walk was in progress. */
  private readonly pending: number[] = [];
  /** Walks over dicts of this table in progress (key-dict.ts). */
  private walks = 0;

  /**
   * The last key resolved and its id: a command looks its key up, then writes it (lookupWrite,
   * then setKey), so the second probe is a string compare. Null when nothing is cached (the
   * empty string is a valid key); cleared when that id is freed.
   */
  private lastKey: string | null = null;
  private lastId = NONE;

  /**
   * The last RECENT hints (expect), a ring: keys (null: none yet) and their pinned ids, the
   * slot the next hint takes, and the slot the last lookup found in the ring.
   */
  private readonly recentKeys: Array<string | null> = new Array<string | null>(RECENT).fill(null);
  private readonly recentIds = new Int32Array(RECENT).fill(NONE);
  private recentNext = 0;
  private recentFound = 0;
  /** Some hint was given (the ring is looked at only then). */
  private hinted = false;

  /** The id of `key`, or -1 if no dict holds it. */
  idOf(key: string): number {
    if (key === this.lastKey) return this.lastId;
    if (this.hinted && this.followsHints(key)) return this.lastId;
    const id = this.ids.get(key);
    if (id === undefined) return NONE;
    this.lastKey = key;
    this.lastId = id;
    if (this.hinted) this.foundHinted(id);
    return id;
  }

  /**
   * The id of `key`, allocated on first use. The caller must store it in a dict at once
   * (KeyDict.put retains it): an id nobody retains is only freed by a later release.
   */
  intern(key: string): number {
    if (key === this.lastKey) return this.lastId;
    if (this.hinted && this.followsHints(key)) return this.lastId;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.free.length > 0 ? this.free.pop()! : this.names.length;
      if (id === this.names.length) {
        this.names.push(key);
        if (id >= this.refs.length) this.growRefs();
      } else {
        this.names[id] = key;
      }
      this.ids.set(key, id);
    } else if (this.hinted) {
      this.foundHinted(id);
    }
    this.lastKey = key;
    this.lastId = id;
    return id;
  }

  /**
   * The id of `key`, allocated if needed and pinned: held for the rest of the run, as if by a
   * dict entry nobody removes, so the caller may keep it and pass it to expect().
   */
  pin(key: string): number {
    const id = this.intern(key);
    this.refs[id]!++;
    return id;
  }

  /**
   * The next lookup is `key`, whose id is `id` (from pin(key) on this table): the lookup cache
   * takes them, so idOf / intern of that key need no probe. A hint no lookup follows is harmless
   * (a pinned id stays the key's).
   */
  expect(key: string, id: number): void {
    this.lastKey = key;
    this.lastId = id;
    const slot = this.recentNext;
    this.recentKeys[slot] = key;
    this.recentIds[slot] = id;
    this.recentNext = (slot + 1) & RECENT_MASK;
    this.hinted = true;
  }

  /**
   * Whether `key` is the key of the ring's slot after the one found last (it then becomes the
   * last key resolved): a replica applies the writes in the order the master made them.
   */
  private followsHints(key: string): boolean {
    const slot = (this.recentFound + 1) & RECENT_MASK;
    if (this.recentKeys[slot] !== key) return false;
    this.recentFound = slot;
    this.lastKey = key;
    this.lastId = this.recentIds[slot]!;
    return true;
  }

  /** The Map gave `id`: if a recent hint named it, the ring's position moves there (an id compare each, no string). */
  private foundHinted(id: number): void {
    const ids = this.recentIds;
    for (let slot = 0; slot < RECENT; slot++) {
      if (ids[slot] === id) {
        this.recentFound = slot;
        return;
      }
    }
  }

  /** A dict entry now holds `id`. */
  retain(id: number): void {
    this.refs[id]!++;
  }

  /** A dict entry let go of `id`; the last one frees it (the key leaves the table). */
  release(id: number): void {
    if (--this.refs[id]! > 0) return;
    this.ids.delete(this.names[id]!);
    this.names[id] = '';
    if (this.lastId === id) {
      this.lastKey = null;
      this.lastId = NONE;
    }
    if (this.walks > 0) this.pending.push(id);
    else this.free.push(id);
  }

  /** @internal A dict walk starts (KeyDict.keys / forEach). */
  walkStarted(): void {
    this.walks++;
  }

  /** @internal A dict walk ended: ids freed meanwhile become reusable once no walk is left. */
  walkEnded(): void {
    if (--this.walks > 0 || this.pending.length === 0) return;
    for (let i = 0; i < this.pending.length; i++) this.free.push(this.pending[i]!);
    this.pending.length = 0;
  }

  /** Number of keys in the table (ids held by some dict or pinned, or interned and not yet stored). */
  get size(): number {
    return this.ids.size;
  }

  /** Ids allocated so far, free or not: the length of the dicts' id-indexed arrays at most. */
  get capacity(): number {
    return this.names.length;
  }

  private growRefs(): void {
    const refs = new Int32Array(this.refs.length * 2);
    refs.set(this.refs);
    this.refs = refs;
  }
}
