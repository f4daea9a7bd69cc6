/**
 * The run's key symbol table: each key string any keyspace stores gets a small integer id,
 * once per simulation, and every keyspace of the run (master, replicas, AOF copies, loaded
 * RDBs) shares the table (world.ts creates it; a standalone Keyspace makes its own).
 *
 * Why (issue 15): a write looks its key up on the master and again on every replica. With
 * one Map per node those were N cold hash-table probes (≈ 300 ns each at 100k keys); with
 * one shared table the replicas' probes hit the entry the master just touched, and each
 * node's db (key-dict.ts) is then a plain array indexed by id. Redis has no such table
 * (each db is a dict of sds keys); it is a simulator's layout, invisible in behaviour:
 * iteration order stays each db's own insertion order.
 *
 * Ids are never freed: the table holds every distinct key the run has stored (workloads draw
 * from a bounded key set; DEBUG POPULATE ranges are not interned at all).
 */
export class KeyTable {
  private readonly ids = new Map<string, number>();
  /** id → key. */
  readonly names: string[] = [];

  /**
   * The last key resolved and its id: a command looks its key up, then writes it (lookupWrite,
   * then setKey), so the second probe is a string compare.
   */
  private lastKey = '';
  private lastId = -1;

  /** The id of `key`, or -1 if no keyspace of the run ever stored it. */
  idOf(key: string): number {
    if (key === this.lastKey) return this.lastId;
    const id = this.ids.get(key);
    if (id === undefined) return -1;
    this.lastKey = key;
    this.lastId = id;
    return id;
  }

  /** The id of `key`, allocated on first use. */
  intern(key: string): number {
    if (key === this.lastKey) return this.lastId;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(key, id);
      this.names.push(key);
    }
    this.lastKey = key;
    this.lastId = id;
    return id;
  }

  get size(): number {
    return this.names.length;
  }
}
