/**
 * Shared state of the semantic pass (semantics.ts, timeline.ts, expectations.ts): the issues
 * found so far, the declared nodes, and checks that every part needs — node references,
 * redis.conf maps, times against the duration.
 */
import { didYouMean } from '../engine/index.js';
import { formatMicros, type Micros } from '../engine/index.js';
import { configValueText, ConfigError, parseRedisConfigOption, resolveRedisOption } from '../redis/index.js';
import type { RedisConfig } from '../redis/index.js';
import type { PathSegment } from './errors.js';
import { configValueProblem } from './limits.js';
import type { Located, ScenarioSource } from './source.js';

/** Issues after which config maps are no longer checked (the first ones are what a person reads). */
const MAX_CONFIG_ISSUES = 100;

export class CheckContext {
  readonly issues: Located[] = [];
  readonly nodeNames: string[] = [];
  /** Sentinel processes declared under `sentinels:` (they are hosts too). */
  readonly sentinelNames: string[] = [];
  /** Master names of `sentinel.monitor`. */
  readonly masterNames: string[] = [];
  /** Hosts of Sentinel-aware clients (usable in partitions and latency steps). */
  readonly clientHosts: string[] = [];
  durationUs: Micros = 0;
  /** `databases` from the global config, for checking `db:` fields. */
  databases = 16;

  constructor(
    readonly source: ScenarioSource,
    /** Reads a file the scenario names (a replay capture), relative to the scenario; null when unreadable. */
    readonly readFile: ((path: string) => string | null) | null = null,
  ) {}

  fail(path: readonly PathSegment[], message: string, hint?: string, onKey = false): void {
    const l: Located = { path, message };
    if (hint !== undefined) l.hint = hint;
    if (onKey) l.onKey = true;
    this.issues.push(l);
  }

  line(path: readonly PathSegment[]): number {
    return this.source.lineOf(path);
  }

  /** A reference to a declared node; records an issue (with did-you-mean) and returns it anyway. */
  node(path: readonly PathSegment[], name: string): string {
    if (this.sentinelNames.includes(name) || this.clientHosts.includes(name)) {
      const what = this.sentinelNames.includes(name) ? 'a Sentinel' : 'a client host';
      this.fail(path, `"${name}" is ${what}, not a Redis node`, `this needs a node of nodes: (${this.nodeNames.join(', ')})`);
      return name;
    }
    if (!this.nodeNames.includes(name)) {
      const guess = didYouMean(name, this.nodeNames);
      this.fail(path, `unknown node "${name}"`,
        guess !== undefined ? `did you mean ${guess}? (declared nodes: ${this.nodeNames.join(', ')})` : `declared nodes: ${this.nodeNames.join(', ')}`);
    }
    return name;
  }

  /**
   * A process a fault can hit: a Redis node or a Sentinel (`hosts`: or a client's host, for
   * network faults). Records an issue with did-you-mean and returns the name anyway.
   */
  process(path: readonly PathSegment[], name: string, hosts = false): string {
    // Without Sentinels or clients, a process is a node: keep the nodes' own message.
    if (this.sentinelNames.length === 0 && this.clientHosts.length === 0) return this.node(path, name);
    const known = [...this.nodeNames, ...this.sentinelNames, ...(hosts ? this.clientHosts : [])];
    if (known.includes(name)) return name;
    if (!hosts && this.clientHosts.includes(name)) {
      this.fail(path, `"${name}" is a client host`, 'only network faults (partition, latency) apply to a client host');
      return name;
    }
    const guess = didYouMean(name, known);
    this.fail(path, `unknown ${this.sentinelNames.length > 0 ? 'node or Sentinel' : 'node'} "${name}"`,
      guess !== undefined ? `did you mean ${guess}? (declared: ${known.join(', ')})` : `declared: ${known.join(', ')}`);
    return name;
  }

  /** A reference to a declared Sentinel (`all` allowed when `allowAll`). */
  sentinel(path: readonly PathSegment[], name: string, allowAll = false): string {
    if ((allowAll && name === 'all') || this.sentinelNames.includes(name)) return name;
    if (this.sentinelNames.length === 0) {
      this.fail(path, `unknown Sentinel "${name}": the scenario declares no Sentinels`, 'declare them: sentinels: { s1: {}, s2: {}, s3: {} }');
      return name;
    }
    const guess = didYouMean(name, this.sentinelNames);
    this.fail(path, `unknown Sentinel "${name}"`,
      guess !== undefined ? `did you mean ${guess}? (Sentinels: ${this.sentinelNames.join(', ')})` : `Sentinels: ${this.sentinelNames.join(', ')}${allowAll ? ', or all' : ''}`);
    return name;
  }

  /** A master name of `sentinel.monitor`; omitted, the only one (an issue when there are several). */
  masterName(path: readonly PathSegment[], name: string | undefined): string {
    if (name === undefined) {
      if (this.masterNames.length === 1) return this.masterNames[0]!;
      this.fail(path, this.masterNames.length === 0 ? 'no master is monitored' : `missing master; Sentinels monitor ${this.masterNames.join(', ')}`,
        this.masterNames.length === 0 ? 'add sentinel: { monitor: { name: mymaster, master: m1, quorum: 2 } }' : 'add master: <name>');
      return '';
    }
    if (!this.masterNames.includes(name)) {
      const guess = didYouMean(name, this.masterNames);
      this.fail([...path, 'master'], `unknown master name "${name}"`,
        guess !== undefined ? `did you mean ${guess}? (monitored: ${this.masterNames.join(', ')})` : `monitored: ${this.masterNames.join(', ') || 'none'}`);
    }
    return name;
  }

  /** A list of node references, each declared and none twice (`hosts`: Sentinels and client hosts too). */
  nodeList(path: readonly PathSegment[], names: readonly string[], seen = new Set<string>(), hosts = false): string[] {
    names.forEach((n, i) => {
      if (hosts) this.process([...path, i], n, true);
      else this.node([...path, i], n);
      if (seen.has(n)) this.fail([...path, i], `node "${n}" appears twice`, 'a node can be in only one group');
      seen.add(n);
    });
    return [...names];
  }

  /** A time within the run: 0 ≤ t ≤ duration. */
  withinDuration(path: readonly PathSegment[], t: Micros): Micros {
    if (t < 0) this.fail(path, `expected a time ≥ 0, got ${formatMicros(t)}`);
    else if (t > this.durationUs) {
      this.fail(path, `${formatMicros(t)} is beyond the scenario's duration (${formatMicros(this.durationUs)})`,
        'raise duration: or move this earlier');
    }
    return t;
  }

  db(path: readonly PathSegment[], db: number): number {
    if (db >= this.databases) this.fail(path, `expected a database number below databases (${this.databases}), got ${db}`);
    return db;
  }

  /**
   * A `config:` map: typed options plus the text as written. `replicaof` is refused here
   * because the topology belongs to `nodes:` (and to REPLICAOF commands in the timeline).
   */
  config(path: readonly PathSegment[], raw: Record<string, unknown> | undefined): { config: Partial<RedisConfig>; configText: Record<string, string> } {
    const config: Partial<RedisConfig> = {};
    const configText: Record<string, string> = {};
    const seen = new Map<string, string>();
    for (const [name, value] of Object.entries(raw ?? {})) {
      // Each unknown name costs a did-you-mean over every option: stop once the file is plainly broken.
      if (this.issues.length >= MAX_CONFIG_ISSUES) break;
      try {
        const spec = resolveRedisOption(name);
        if (spec.name === 'replicaof') {
          this.fail([...path, name], 'replicaof is not set through config:', 'declare it on the node: nodes: { r1: { replicaof: m1 } }', true);
          continue;
        }
        const earlier = seen.get(spec.name);
        if (earlier !== undefined) {
          this.fail([...path, name], `"${name}" sets the same option as "${earlier}"`, 'keep one of them', true);
          continue;
        }
        seen.set(spec.name, name);
        const parsed = parseRedisConfigOption(name, value);
        const problem = configValueProblem(spec.name, parsed);
        if (problem !== null) {
          this.fail([...path, name], problem.message, problem.hint);
          continue;
        }
        Object.assign(config, parsed);
        configText[spec.name] = configValueText(name, value);
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        this.fail([...path, name], e.message, e.hint, e.reason !== 'bad-value');
      }
    }
    return { config, configText };
  }
}
