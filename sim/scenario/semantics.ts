/**
 * The schema-valid file → a normalized Scenario, checking what needs the whole file:
 * the topology (replicaof names a declared node, not itself, no cycles), references to
 * nodes everywhere, windows inside the duration, defaults filled in (scenarios/FORMAT.md lists them).
 */
import { lintScenario } from './lint.js';
import { formatIssue } from './errors.js';
import { formatMicros, parseSize, sec, US_PER_MS } from '../engine/index.js';
import { CheckContext } from './check-context.js';
import { parseMonitorCapture } from '../workload/index.js';
import type { PathSegment } from './errors.js';
import { buildExpectations } from './expectations.js';
import type { ScenarioInput } from './schema.js';
import { costModelOverrides } from './costs.js';
import { TCP_RECEIVE_BUFFER_BYTES, TCP_SEND_BUFFER_BYTES } from '../net/index.js';
import { checkScenarioLimits, LIMIT_TEXT, LIMITS, SEE_LIMITS } from './limits.js';
import { latencyModelProblem } from '../net/index.js';
import type { ScenarioSource } from './source.js';
import { buildTimeline, DEFAULT_VALUE_SIZE, pair } from './timeline.js';
import { buildSentinelClient, buildSentinels } from './sentinel-semantics.js';
import type { DatasetSpec, LatencyModel, NetworkSpec, NodeSpec, Scenario, SentinelClientSpec, WorkloadExtraOp, WorkloadOp, WorkloadSpec, TriggeredStep } from './scenario.js';

export const DEFAULT_DURATION_US = sec(60);
/** Without a `network:` latency: a loopback-like fixed 200 µs. */
export const DEFAULT_LATENCY: LatencyModel = { kind: 'fixed', us: 200 };
/** 1gbit in bytes per second. */
export const DEFAULT_BANDWIDTH = 125_000_000;
export const DEFAULT_KEY_PREFIX = 'key';
export const DEFAULT_WORKLOAD_KEYS = 1000;
const WORKLOAD_OPS: readonly WorkloadOp[] = ['set', 'incr', 'get', 'del', 'expire', 'append'];
const WORKLOAD_EXTRA_OPS: readonly WorkloadExtraOp[] = ['hset', 'hget', 'hincrby', 'lpush', 'rpop', 'sadd', 'zadd', 'xadd', 'eval'];

/** Returns the Scenario, or null with the problems in `cx.issues`. */
export function buildScenario(cx: CheckContext, input: ScenarioInput, file: string | null): Scenario | null {
  cx.durationUs = input.duration ?? DEFAULT_DURATION_US;
  if (cx.durationUs <= 0) cx.fail(['duration'], `expected a duration > 0, got ${formatMicros(cx.durationUs)}`);
  const global = cx.config(['config'], input.config);
  if (global.config.databases !== undefined) cx.databases = global.config.databases;

  const nodes = buildNodes(cx, input);
  const sentinels = buildSentinels(cx, input, nodes, global.config.port);
  // Client hosts are names partitions and links may use: known before those are checked.
  const sentinelClients: SentinelClientSpec[] = [];
  const workload = buildWorkload(cx, input.workload, sentinelClients);
  const triggered: TriggeredStep[] = [];
  const scenario: Scenario = {
    name: input.name ?? baseName(file) ?? 'scenario',
    description: input.description ?? '',
    file,
    seed: seedText(cx, input.seed),
    durationUs: cx.durationUs,
    config: global.config,
    configText: global.configText,
    nodes,
    network: buildNetwork(cx, input.network),
    dataset: buildDataset(cx, input.dataset),
    workload,
    timeline: buildTimeline(cx, input.timeline ?? [], triggered),
    expect: [],
  };
  scenario.expect = buildExpectations(cx, input.expect ?? [], scenario.workload.some((w) => w.wait !== undefined));
  if (triggered.length > 0) scenario.triggered = triggered;
  if (sentinels.length > 0) scenario.sentinels = sentinels;
  if (sentinelClients.length > 0) scenario.sentinelClients = sentinelClients;
  checkScenarioLimits(cx, scenario, input);
  if (input.costs !== undefined) {
    scenario.costs = costModelOverrides(input.costs);
    scenario.costsText = Object.fromEntries(Object.entries(input.costs).filter((e): e is [string, number] => e[1] !== undefined));
  }
  if (cx.issues.length > 0) return null;
  const warnings = lintScenario(global.config, nodes).map((w) => formatIssue(cx.source.issue(w)));
  if (warnings.length > 0) scenario.warnings = warnings;
  return scenario;
}

function baseName(file: string | null): string | undefined {
  if (file === null) return undefined;
  return file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/i, '') || undefined;
}

/** YAML `seed: 42` is a number; keep the digits as written so big seeds survive. */
function seedText(cx: CheckContext, seed: string | number | undefined): string | null {
  if (seed === undefined) return null;
  if (typeof seed === 'string') return seed;
  return cx.source.sourceText(['seed']) ?? String(seed);
}

function buildNodes(cx: CheckContext, input: ScenarioInput): NodeSpec[] {
  const entries = Object.entries(input.nodes);
  if (entries.length === 0) cx.fail(['nodes'], 'expected at least one node', 'e.g. nodes: { m1: {}, r1: { replicaof: m1 } }');
  for (const [name] of entries) cx.nodeNames.push(name);
  const nodes = entries.map(([name, spec]): NodeSpec => {
    const path: PathSegment[] = ['nodes', name];
    const { config, configText } = cx.config([...path, 'config'], spec?.config);
    let replicaof: string | null = null;
    if (spec?.replicaof !== undefined) {
      replicaof = cx.node([...path, 'replicaof'], spec.replicaof);
      if (replicaof === name) cx.fail([...path, 'replicaof'], `node "${name}" cannot replicate from itself`);
    }
    return { name, replicaof, config, configText };
  });
  // A cycle (m1 → r1 → m1) would leave no master to start from. Each node is walked once:
  // a walk stops at a node already settled, so the check is linear in the number of nodes.
  const masterOf = new Map(nodes.map((n) => [n.name, n.replicaof]));
  const state = new Map<string, 'walking' | 'done'>();
  for (const n of nodes) {
    const chain: string[] = [];
    let next: string | null | undefined = n.name;
    while (next !== null && next !== undefined && masterOf.has(next) && state.get(next) === undefined) {
      state.set(next, 'walking');
      chain.push(next);
      next = masterOf.get(next);
    }
    if (next !== null && next !== undefined && state.get(next) === 'walking' && masterOf.get(next) !== next) {
      const cycle = chain.slice(chain.indexOf(next));
      cx.fail(['nodes', next, 'replicaof'], `replication cycle: ${[...cycle, next].join(' → ')}`,
        'at least one node of a chain must be a master');
      for (const name of chain) state.set(name, 'done');
      break;
    }
    for (const name of chain) state.set(name, 'done');
  }
  return nodes;
}

type LatencyInput = NonNullable<NonNullable<ScenarioInput['network']>['latency']>;

function latencyModel(cx: CheckContext, path: PathSegment[], l: LatencyInput): LatencyModel {
  const m = latencyModelOf(cx, path, l);
  const spans = typeof l === 'number' ? [['', l] as const] : Object.entries(l).filter(([k]) => k !== 'sigma');
  for (const [k, v] of spans) {
    if (typeof v === 'number' && v > LIMITS.latencyUs) {
      cx.fail(k === '' ? path : [...path, k], `a latency of ${formatMicros(v)} is over the limit of ${LIMIT_TEXT.latencyUs}`, SEE_LIMITS);
    }
  }
  if (m.kind === 'lognormal') {
    if (m.medianUs <= 0) cx.fail([...path, 'median'], 'expected a median > 0 (a log-normal latency is its median times e^(σZ))');
    if (m.sigma > LIMITS.lognormalSigma) cx.fail([...path, 'sigma'], `sigma: ${m.sigma} is over the limit of ${LIMITS.lognormalSigma}`, `${SEE_LIMITS}; σ = 1 already spreads latencies over a factor of e² between the 2.5th and 97.5th percentiles`);
  } else {
    const problem = latencyModelProblem(m);
    if (problem !== null) cx.fail(path, problem);
  }
  return m;
}

function latencyModelOf(cx: CheckContext, path: PathSegment[], l: LatencyInput): LatencyModel {
  if (typeof l === 'number') return { kind: 'fixed', us: l };
  if ('min' in l) {
    if (l.min > l.max) cx.fail(path, `expected min ≤ max, got min ${formatMicros(l.min)} and max ${formatMicros(l.max)}`);
    return { kind: 'uniform', minUs: l.min, maxUs: l.max };
  }
  if ('mean' in l) {
    const m: LatencyModel = { kind: 'normal', meanUs: l.mean, stddevUs: l.stddev };
    if (l.floor !== undefined) m.floorUs = l.floor;
    return m;
  }
  const m: LatencyModel = { kind: 'lognormal', medianUs: l.median, sigma: l.sigma };
  if (l.floor !== undefined) m.floorUs = l.floor;
  return m;
}

function buildNetwork(cx: CheckContext, n: ScenarioInput['network']): NetworkSpec {
  const latency = n?.latency === undefined ? DEFAULT_LATENCY : latencyModel(cx, ['network', 'latency'], n.latency);
  const seen = new Set<string>();
  const links = (n?.links ?? []).map((link, i) => {
    const path: PathSegment[] = ['network', 'links', i];
    const between = pair(cx, [...path, 'between'], link.between);
    const key = [...between].sort().join('\u0000');
    if (seen.has(key)) cx.fail([...path, 'between'], `a link between ${between[0]} and ${between[1]} is already given`);
    seen.add(key);
    const out: NetworkSpec['links'][number] = { between };
    if (link.latency !== undefined) out.latency = latencyModel(cx, [...path, 'latency'], link.latency);
    if (link.bandwidth !== undefined) out.bandwidthBytesPerSec = link.bandwidth;
    return out;
  });
  return {
    latency,
    bandwidthBytesPerSec: n?.bandwidth ?? DEFAULT_BANDWIDTH,
    tcpSendBufferBytes: n?.['tcp-send-buffer'] ?? TCP_SEND_BUFFER_BYTES,
    tcpReceiveBufferBytes: n?.['tcp-receive-buffer'] ?? TCP_RECEIVE_BUFFER_BYTES,
    links,
  };
}

function buildDataset(cx: CheckContext, d: ScenarioInput['dataset']): DatasetSpec[] {
  if (d === undefined) return [];
  const list = Array.isArray(d) ? d : [d];
  return list.map((item, i) => {
    const path: PathSegment[] = Array.isArray(d) ? ['dataset', i] : ['dataset'];
    return {
      node: cx.node([...path, 'node'], item.node),
      keys: item.keys,
      valueSize: item['value-size'] ?? DEFAULT_VALUE_SIZE,
      prefix: item.prefix ?? DEFAULT_KEY_PREFIX,
      db: cx.db([...path, 'db'], item.db ?? 0),
      values: item.values ?? 'populate',
    };
  });
}

/** The open-loop and `wait:` clients; Sentinel-aware clients go to `sentinelClients`. */
function buildWorkload(cx: CheckContext, w: ScenarioInput['workload'], sentinelClients: SentinelClientSpec[]): WorkloadSpec[] {
  if (w === undefined) return [];
  const list = Array.isArray(w) ? w : [w];
  return list.flatMap((any, i) => {
    const path: PathSegment[] = Array.isArray(w) ? ['workload', i] : ['workload'];
    if ('sentinel-client' in any) {
      sentinelClients.push(buildSentinelClient(cx, path, any['sentinel-client'], sentinelClients.length));
      return [];
    }
    const item = any;
    const fromUs = cx.withinDuration([...path, 'from'], item.from ?? 0);
    const untilUs = cx.withinDuration([...path, 'until'], item.until ?? cx.durationUs);
    if (fromUs >= untilUs && untilUs <= cx.durationUs) {
      cx.fail([...path, item.until !== undefined ? 'until' : 'from'],
        `the window is empty: from ${formatMicros(fromUs)} until ${formatMicros(untilUs)}`, 'until must be later than from');
    }
    if (item.replay !== undefined) return [replayWorkload(cx, path, item, fromUs, untilUs)];
    for (const k of ['speed', 'loop', 'window', 'sample'] as const) {
      if (item[k] !== undefined) cx.fail([...path, k], `${k} applies to a replay: workload only`, 'add replay: <MONITOR capture>, or remove this key', true);
    }
    if (item.rate === undefined) {
      cx.fail([...path, 'rate'], 'missing; expected a rate like "1000/s" or "10k/s" (or replay: a MONITOR capture instead)', 'e.g. rate: 1000/s');
      return [placeholderWorkload(cx, path, item, fromUs, untilUs)];
    }
    if (item.wait !== undefined) return [ackedWorkload(cx, path, item, item.rate, fromUs, untilUs)];
    const given = item.ops ?? { set: 1 };
    const weightOf = (op: WorkloadOp | WorkloadExtraOp): number => {
      const w = given[op];
      return typeof w === 'number' ? w : (w?.weight ?? 0);
    };
    const total = [...WORKLOAD_OPS, ...WORKLOAD_EXTRA_OPS].reduce((s, op) => s + weightOf(op), 0);
    if (total <= 0) cx.fail([...path, 'ops'], 'expected at least one op with a weight > 0', 'e.g. ops: { set: 0.9, incr: 0.1 }');
    const ops = Object.fromEntries(WORKLOAD_OPS.map((op) => [op, total > 0 ? weightOf(op) / total : 0])) as WorkloadSpec['ops'];
    // The other kinds appear only when weighted, so existing scenarios keep their exact specs.
    for (const op of WORKLOAD_EXTRA_OPS) if (weightOf(op) > 0) ops[op] = weightOf(op) / total;
    if (ops.expire > 0 && item.ttl === undefined) {
      cx.fail([...path, 'ops', 'expire'], 'expire ops need a ttl', 'add ttl: 10s (the TTL each EXPIRE sets)');
    }
    if (item.ttl !== undefined && item.ttl < US_PER_MS) cx.fail([...path, 'ttl'], `expected a ttl of at least 1ms, got ${formatMicros(item.ttl)}`);
    if (item.rate <= 0) cx.fail([...path, 'rate'], 'expected a rate > 0');
    const spec: WorkloadSpec = {
      node: cx.node([...path, 'node'], item.node),
      rateHz: item.rate,
      fromUs,
      untilUs,
      keys: item.keys ?? DEFAULT_WORKLOAD_KEYS,
      valueSize: item['value-size'] ?? DEFAULT_VALUE_SIZE,
      db: cx.db([...path, 'db'], item.db ?? 0),
      ops,
      keyPrefix: item['key-prefix'] ?? DEFAULT_KEY_PREFIX,
    };
    if (item.ttl !== undefined) spec.ttlUs = item.ttl;
    addDistributions(cx, path, item, spec);
    const e = given.eval;
    if (e !== undefined && e.weight > 0) spec.eval = { script: e.script, keys: e.keys ?? 1, args: e.args ?? 0 };
    return [spec];
  });
}

/** `value-sizes:` and `key-distribution:`, each present in the spec only when given (existing scenarios keep their exact specs). */
function addDistributions(cx: CheckContext, path: PathSegment[], item: WorkloadItem, spec: WorkloadSpec): void {
  const vs = item['value-sizes'];
  if (vs !== undefined) {
    const sizes = valueSizes(cx, [...path, 'value-sizes'], vs, item['value-size'] !== undefined);
    if (sizes !== null) {
      spec.valueSizes = sizes;
      // The largest size stands for the workload where one size is needed (limits, sizing).
      spec.valueSize = Math.max(...sizes.sizes);
    }
  }
  const kd = item['key-distribution'];
  if (kd !== undefined && kd !== 'uniform') {
    spec.keyDistribution = 'zipf' in kd ? { kind: 'zipf', exponent: kd.zipf } : { kind: 'hot-set', hotFraction: kd.hot, probability: kd.probability };
  }
}

/** `value-sizes: { 100: 9, 10kb: 1 }`: each key a size, each value its weight; null after an error. */
function valueSizes(cx: CheckContext, path: PathSegment[], given: Record<string, number>, alsoValueSize: boolean): { sizes: number[]; weights: number[] } | null {
  if (alsoValueSize) {
    cx.fail(path, 'value-sizes and value-size are both given', 'keep one: value-size for one size, value-sizes for a weighted mix', true);
    return null;
  }
  const sizes: number[] = [];
  const weights: number[] = [];
  for (const [key, weight] of Object.entries(given)) {
    let size: number;
    try {
      size = parseSize(key);
    } catch (e) {
      cx.fail([...path, key], e instanceof Error ? e.message : String(e), 'each key is a size like 100, 1kb or 64kb', true);
      return null;
    }
    if (size > LIMITS.valueSizeBytes) {
      cx.fail([...path, key], `a value size of ${key} is over the limit of ${LIMIT_TEXT.valueSizeBytes}`, SEE_LIMITS, true);
      return null;
    }
    sizes.push(size);
    weights.push(weight);
  }
  if (sizes.length === 0 || weights.every((w) => w <= 0)) {
    cx.fail(path, 'expected at least one size with a weight > 0', 'e.g. value-sizes: { 100: 9, 10kb: 1 }');
    return null;
  }
  return { sizes, weights };
}

/** Defaults of a `wait:` workload (acknowledged writes, sim/workload/acked-writer.ts). */
export const DEFAULT_ACK_KEY_PREFIX = 'ack';
export const DEFAULT_WAIT_REPLICAS = 1;
export const DEFAULT_WAIT_TIMEOUT_US = 500_000;

type WorkloadItem = Exclude<NonNullable<ScenarioInput['workload']>, readonly unknown[] | { 'sentinel-client': unknown }>;

/** A `wait:` workload writes `SET <prefix>:<n> <n>` + WAIT: ops, keys, value-size and ttl do not apply. */
function ackedWorkload(cx: CheckContext, path: PathSegment[], item: WorkloadItem, rate: number, fromUs: number, untilUs: number): WorkloadSpec {
  for (const k of ['ops', 'keys', 'value-size', 'value-sizes', 'ttl', 'key-distribution'] as const) {
    if (item[k] !== undefined) cx.fail([...path, k], `${k} does not apply to a wait: workload`, 'it writes SET <key-prefix>:<n> <n> then WAIT; remove this key', true);
  }
  if (rate <= 0) cx.fail([...path, 'rate'], 'expected a rate > 0');
  const w = item.wait!;
  return {
    node: cx.node([...path, 'node'], item.node),
    rateHz: rate,
    fromUs,
    untilUs,
    keys: 0,
    valueSize: 0,
    db: cx.db([...path, 'db'], item.db ?? 0),
    ops: { set: 1, incr: 0, get: 0, del: 0, expire: 0, append: 0 },
    keyPrefix: item['key-prefix'] ?? DEFAULT_ACK_KEY_PREFIX,
    wait: { replicas: w.replicas ?? DEFAULT_WAIT_REPLICAS, timeoutUs: w.timeout ?? DEFAULT_WAIT_TIMEOUT_US },
  };
}

/** A spec that lets the other checks go on after an error (the scenario is refused anyway). */
function placeholderWorkload(cx: CheckContext, path: PathSegment[], item: WorkloadItem, fromUs: number, untilUs: number): WorkloadSpec {
  return {
    node: cx.node([...path, 'node'], item.node),
    rateHz: 0,
    fromUs,
    untilUs,
    keys: 0,
    valueSize: 0,
    db: 0,
    ops: { set: 1, incr: 0, get: 0, del: 0, expire: 0, append: 0 },
    keyPrefix: DEFAULT_KEY_PREFIX,
  };
}

/** `replay: capture.txt`: a MONITOR capture instead of generated ops (sim/workload/monitor-replay.ts). */
function replayWorkload(cx: CheckContext, path: PathSegment[], item: WorkloadItem, fromUs: number, untilUs: number): WorkloadSpec {
  for (const k of ['rate', 'ops', 'value-size', 'value-sizes', 'ttl', 'wait', 'key-prefix', 'db', 'key-distribution'] as const) {
    if (item[k] !== undefined) cx.fail([...path, k], `${k} does not apply to a replay: workload`, 'the capture gives the commands, their keys, values, DBs and times; remove this key', true);
  }
  const spec = placeholderWorkload(cx, path, item, fromUs, untilUs);
  const file = item.replay!;
  const text = cx.readFile?.(file) ?? null;
  if (text === null) {
    cx.fail([...path, 'replay'], `cannot read the MONITOR capture "${file}"`, 'give a path relative to the scenario file, captured with: redis-cli MONITOR > capture.txt');
    return spec;
  }
  const { capture, problem } = parseMonitorCapture(text);
  if (problem !== null) {
    cx.fail([...path, 'replay'], `${file}:${problem.line}: ${problem.message}`, 'a capture is redis-cli MONITOR output: <unix time> [<db> <client>] "CMD" "arg" …');
    return spec;
  }
  if (capture.entries.length === 0) cx.fail([...path, 'replay'], `${file} holds no commands`, 'capture some traffic: redis-cli MONITOR > capture.txt');
  const windowFromUs = item.window?.from ?? 0;
  const windowUntilUs = item.window?.until ?? capture.spanUs + 1;
  if (windowFromUs >= windowUntilUs) cx.fail([...path, 'window'], 'the window is empty', 'until must be later than from');
  spec.replay = {
    file,
    entries: capture.entries,
    spanUs: capture.spanUs,
    speed: item.speed ?? 1,
    loop: item.loop ?? false,
    windowFromUs,
    windowUntilUs,
    sample: item.sample ?? 1,
    foldKeys: item.keys ?? null,
  };
  return spec;
}
