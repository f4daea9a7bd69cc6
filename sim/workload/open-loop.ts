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

  private nextCommand(): string[] {
    const r = this.rng.next() * (this.cumulative[this.cumulative.length - 1] ?? 1);
    let i = 0;
    while (i < this.cumulative.length - 1 && r >= this.cumulative[i]!) i++;
    const op = OP_ORDER[i]!;
    const k = this.keyDist.draw(this.rng);
    const key = this.keyName(k);
    switch (op) {
      case 'set':
        return ['SET', key, this.nextValue()];
      case 'incr':
        // Counters live in their own names so INCR never meets a string value.
        return ['INCR', `${this.spec.keyPrefix}:n:${k}`];
      case 'get':
        return ['GET', key];
      case 'del':
        return ['DEL', key];
      case 'expire':
        return ['PEXPIRE', key, String(Math.max(1, Math.round((this.spec.ttlUs ?? 1e6) / 1000)))];
      case 'append':
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
