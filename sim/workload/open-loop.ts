/**
 * An open-loop client (Jepsen's "generator" without feedback): it sends commands at a
 * fixed rate regardless of replies, so a slow or stopped server sees load pile up as it
 * would in production. Keys, ops and values come from the client's own random stream.
 */
import type { Simulator } from '../engine/index.js';
import type { Random } from '../engine/index.js';
import type { Micros } from '../engine/index.js';
import type { ClientSession } from '../redis/index.js';
import type { Reply } from '../redis/index.js';
import type { RedisServer } from '../redis/index.js';
import type { KeyTable } from '../redis/index.js';
import { keyDistribution, type KeyDistribution, type KeyDistributionSpec } from './key-distribution.js';

export type WorkloadOpName = 'set' | 'incr' | 'get' | 'del' | 'expire' | 'append' | 'hset' | 'hget' | 'hincrby' | 'lpush' | 'rpop' | 'sadd' | 'zadd' | 'xadd' | 'eval';

/** An open-loop client sending `rateHz` commands per second during [fromUs, untilUs). */
export interface OpenLoopSpec {
  rateHz: number;
  fromUs: Micros;
  untilUs: Micros;
  /** Key space size: keys are `${keyPrefix}:${0..keys-1}`. */
  keys: number;
  valueSize: number;
  db: number;
  keyPrefix: string;
  /** Cumulative weights are derived from these (normalized to 1; absent = 0). */
  ops: Partial<Record<WorkloadOpName, number>>;
  /** TTL used by `expire` ops; the scenario loader requires it when ops.expire > 0. */
  ttlUs?: Micros;
  /** The script of `eval` ops and how many KEYS / ARGV each call passes. */
  eval?: { script: string; keys: number; args: number };
  /** How keys are drawn (key-distribution.ts); absent = uniform. */
  keyDistribution?: KeyDistributionSpec;
  /**
   * Value sizes drawn per written value with these weights (`value-sizes:`); absent = every
   * value is `valueSize` bytes (then no draw is made, so such a scenario's sequence is unchanged).
   */
  valueSizes?: { sizes: number[]; weights: number[] };
}

export interface WorkloadCounters {
  sent: number;
  ok: number;
  errors: number;
  /** Error replies by their code (READONLY, NOREPLICAS, LOADING, …). */
  errorsByCode: Record<string, number>;
}

// The first six keep their places: a scenario using only them draws exactly as before.
const OP_ORDER: WorkloadOpName[] = ['set', 'incr', 'get', 'del', 'expire', 'append', 'hset', 'hget', 'hincrby', 'lpush', 'rpop', 'sadd', 'zadd', 'xadd', 'eval'];

/**
 * Key spaces up to this size keep their key names once built: the same string object each
 * time a key recurs is hashed once and compared by identity in every node's dict, where a
 * freshly built name costs a hash and a character compare per lookup (≈ 2× a Map.get).
 */
const MAX_CACHED_KEY_NAMES = 1 << 17;

export class OpenLoopClient {
  readonly counters: WorkloadCounters = { sent: 0, ok: 0, errors: 0, errorsByCode: {} };
  private readonly cumulative: number[] = [];
  private readonly session: ClientSession;
  private readonly value: string;
  /** With `valueSizes`: one value string per size, and the sizes' cumulative weights. */
  private readonly values: string[] = [];
  private readonly valueCumulative: number[] = [];
  private readonly intervalUs: number;
  private readonly tickBound = (): void => this.tick();
  private readonly onReplyBound = (r: Reply): void => this.onReply(r);
  private seq = 0;
  private readonly keyNames: string[] | null;
  /**
   * With keyNames: each name's id in `pinnedIn`, the key table of the server last written
   * to, pinned there on the name's first use (key-table.ts pin); -1 = not pinned yet.
   */
  private readonly keyIds: Int32Array | null = null;
  private pinnedIn: KeyTable | null = null;
  /** The key index whose name is argv[1] of the command nextCommand built (the keys an op looks up itself), or -1. */
  private hintK = -1;
  private readonly keyDist: KeyDistribution;

  constructor(
    private readonly sim: Simulator,
    private readonly server: () => RedisServer,
    private readonly spec: OpenLoopSpec,
    private readonly rng: Random,
  ) {
    let acc = 0;
    for (const op of OP_ORDER) {
      acc += spec.ops[op] ?? 0;
      this.cumulative.push(acc);
    }
    this.session = server().commands.newSession('workload');
    this.session.db = spec.db;
    this.value = 'v'.repeat(Math.max(0, spec.valueSize));
    if (spec.valueSizes !== undefined) {
      let w = 0;
      spec.valueSizes.sizes.forEach((size, i) => {
        this.values.push('v'.repeat(size));
        w += spec.valueSizes!.weights[i]!;
        this.valueCumulative.push(w);
      });
    }
    this.keyNames = null;
    if (spec.keys <= MAX_CACHED_KEY_NAMES) {
      // Built up front (≈ 5 ms per 100k): a dense array, where a lazily filled one goes sparse.
      this.keyNames = new Array<string>(spec.keys);
      for (let k = 0; k < spec.keys; k++) this.keyNames[k] = `${spec.keyPrefix}:${k}`;
      this.keyIds = new Int32Array(spec.keys).fill(-1);
    }
    this.keyDist = keyDistribution(spec.keyDistribution, spec.keys);
    this.intervalUs = spec.rateHz > 0 ? Math.max(1, Math.round(1e6 / spec.rateHz)) : Infinity;
  }

  start(): void {
    if (!Number.isFinite(this.intervalUs) || this.spec.fromUs >= this.spec.untilUs) return;
    this.sim.at(Math.max(this.spec.fromUs, this.sim.now), this.tickBound);
  }

  private tick(): void {
    // Exact schedule: the n-th command goes at from + n × interval, so rates don't drift.
    const argv = this.nextCommand();
    this.counters.sent++;
    const srv = this.server();
    if (this.hintK >= 0 && this.keyIds !== null) this.expectKey(srv, this.hintK);
    srv.commands.call(this.session, argv, this.onReplyBound);
    this.seq++;
    const next = this.spec.fromUs + Math.round((this.seq * 1e6) / this.spec.rateHz);
    if (next < this.spec.untilUs) this.sim.at(Math.max(next, this.sim.now), this.tickBound);
  }

  /** The value of a write: `valueSize` bytes, or a size drawn by its `value-sizes` weight. */
  private nextValue(): string {
    const cum = this.valueCumulative;
    if (cum.length === 0) return this.value;
    const r = this.rng.next() * cum[cum.length - 1]!;
    let i = 0;
    while (i < cum.length - 1 && r >= cum[i]!) i++;
    return this.values[i]!;
  }

  /**
   * Tells the key table of `srv`'s keyspace that the command about to run looks up key `k`
   * (key-table.ts expect), with the id pinned there on the key's first use: the server's
   * lookupKeyWrite / setKey then find it without a probe of the table's Map. Key ids are
   * invisible in behaviour, so only the simulator's CPU time changes.
   */
  private expectKey(srv: RedisServer, k: number): void {
    // The differential harness drives real Redis through a stand-in with no keyspace (diff/).
    const keyspace = srv.keyspace as RedisServer['keyspace'] | undefined;
    if (keyspace === undefined) return;
    const table = keyspace.keyTable;
    const ids = this.keyIds!;
    if (table !== this.pinnedIn) {
      // Another table (a standalone server's own): pins in the old one stay, unused.
      if (this.pinnedIn !== null) ids.fill(-1);
      this.pinnedIn = table;
    }
    const name = this.keyNames![k]!;
    let id = ids[k]!;
    if (id < 0) ids[k] = id = table.pin(name);
    table.expect(name, id);
  }

  private nextCommand(): string[] {
    const r = this.rng.next() * (this.cumulative[this.cumulative.length - 1] ?? 1);
    let i = 0;
    while (i < this.cumulative.length - 1 && r >= this.cumulative[i]!) i++;
    const op = OP_ORDER[i]!;
    const k = this.keyDist.draw(this.rng);
    const key = this.keyName(k);
    // The commands whose key is `key` (SET, GET, DEL, PEXPIRE, APPEND) get the key table's hint (expectKey).
    this.hintK = -1;
    switch (op) {
      case 'set':
        this.hintK = k;
        return ['SET', key, this.nextValue()];
      case 'incr':
        // Counters live in their own names so INCR never meets a string value.
        return ['INCR', `${this.spec.keyPrefix}:n:${k}`];
      case 'get':
        this.hintK = k;
        return ['GET', key];
      case 'del':
        this.hintK = k;
        return ['DEL', key];
      case 'expire':
        this.hintK = k;
        return ['PEXPIRE', key, String(Math.max(1, Math.round((this.spec.ttlUs ?? 1e6) / 1000)))];
      case 'append':
        this.hintK = k;
        return ['APPEND', key, 'a'];
      // Each data type in names of its own (`<prefix>:h:<k>`, …), so no op meets a WRONGTYPE.
      case 'hset':
        return ['HSET', `${this.spec.keyPrefix}:h:${k}`, `f${this.rng.int(0, 9)}`, this.nextValue()];
      case 'hget':
        return ['HGET', `${this.spec.keyPrefix}:h:${k}`, `f${this.rng.int(0, 9)}`];
      case 'hincrby':
        return ['HINCRBY', `${this.spec.keyPrefix}:h:${k}`, `n${this.rng.int(0, 9)}`, '1'];
      case 'lpush':
        return ['LPUSH', `${this.spec.keyPrefix}:l:${k}`, this.nextValue()];
      case 'rpop':
        return ['RPOP', `${this.spec.keyPrefix}:l:${k}`];
      case 'sadd':
        return ['SADD', `${this.spec.keyPrefix}:s:${k}`, `m${this.rng.int(0, 99)}`];
      case 'zadd':
        return ['ZADD', `${this.spec.keyPrefix}:z:${k}`, String(this.rng.int(0, 1000)), `m${this.rng.int(0, 99)}`];
      case 'xadd':
        // Bounded as applications bound them; the ID comes from the server's clock.
        return ['XADD', `${this.spec.keyPrefix}:x:${k}`, 'MAXLEN', '~', '1000', '*', 'f', this.nextValue()];
      case 'eval': {
        const e = this.spec.eval!;
        const argv = ['EVAL', e.script, String(e.keys)];
        if (e.keys > 0) argv.push(key);
        for (let j = 1; j < e.keys; j++) argv.push(this.keyName(this.keyDist.draw(this.rng)));
        for (let j = 0; j < e.args; j++) argv.push(this.nextValue());
        return argv;
      }
    }
  }

  private keyName(k: number): string {
    const names = this.keyNames;
    if (names === null) return `${this.spec.keyPrefix}:${k}`;
    return names[k]!;
  }

  private onReply(r: Reply): void {
    if (r.type === 'error') {
      this.counters.errors++;
      const code = r.text.split(' ', 1)[0] ?? 'ERR';
      this.counters.errorsByCode[code] = (this.counters.errorsByCode[code] ?? 0) + 1;
    } else {
      this.counters.ok++;
    }
  }
}
