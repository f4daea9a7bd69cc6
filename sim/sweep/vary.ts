/**
 * `--vary KEY=V1,V2,…`: which parts of a parsed Scenario a sweep may change, and how a
 * value given as text becomes the Scenario's typed value — with the scenario file's own
 * parsers (units, redis.conf options), so `repl-backlog-size=1mb` means what it means in
 * a file. A value that does not parse, or a change that breaks the scenario (a step moved
 * past the duration), is a VaryError naming the key and the value.
 *
 * Keys:
 *   <redis.conf option>               every node (node-level settings of it are replaced too)
 *   nodes.<node>.<redis.conf option>  one node
 *   network.latency | network.bandwidth
 *   network.links[i].latency | network.links[i].bandwidth
 *   workload[i].rate | .keys | .value-size | .from | .until   (workload.rate when there is one)
 *   dataset[i].keys | .value-size                             (dataset.keys when there is one)
 *   timeline[i].at   a time, or +D: D after step i-1 (a partition length, when step i heals it)
 *   timeline[i].for  the `for:` of a pause or latency step
 *   costs.<parameter>                 a `costs:` parameter (scenarios/FORMAT.md)
 *   sentinel.<option>                 a sentinel.conf option of every Sentinel (vary-sentinel.ts)
 *   sentinels.<name>.<option>         one Sentinel's
 *   duration
 */
import { parseBandwidth, parseDuration, parseRate, parseSize, UnitError } from '../engine/index.js';
import { formatMicros } from '../engine/index.js';
import { ConfigError, configValueText, parseRedisConfigOption, resolveRedisOption } from '../redis/index.js';
import { COST_PARAMETERS, costModelOverrides } from '../scenario/costs.js';
import type { Scenario } from '../scenario/scenario.js';
import { applySentinelVary } from './vary-sentinel.js';

export class VaryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaryError';
  }
}

export interface VarySpec {
  key: string;
  /** As typed, in the order given: the sweep's axis. */
  values: string[];
}

/** "KEY=V1,V2,…" → VarySpec; each value is checked by applying it to `scenario` when given. */
export function parseVary(arg: string, scenario?: Scenario): VarySpec {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new VaryError(`--vary expects KEY=V1,V2,…, got ${JSON.stringify(arg)}`);
  const key = arg.slice(0, eq).trim();
  const values = arg.slice(eq + 1).split(',').map((v) => v.trim());
  if (values.length === 0 || values.some((v) => v === '')) throw new VaryError(`--vary ${key}: empty value in ${JSON.stringify(arg.slice(eq + 1))}`);
  if (new Set(values).size !== values.length) throw new VaryError(`--vary ${key}: a value is given twice`);
  if (scenario) for (const v of values) applyVary(scenario, key, v);
  return { key, values };
}

/** A count like 500000, 500k or 1.5m (powers of 1000: these are keys, not bytes). */
export function parseCount(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([km]?)$/i.exec(text.trim());
  if (!m) throw new VaryError(`${what}: expected a whole number like 500000, 500k or 2m, got ${JSON.stringify(text)}`);
  const n = Number(m[1]) * (m[2]!.toLowerCase() === 'k' ? 1e3 : m[2]!.toLowerCase() === 'm' ? 1e6 : 1);
  if (!Number.isSafeInteger(n)) throw new VaryError(`${what}: expected a whole number, got ${JSON.stringify(text)}`);
  return n;
}

function unit<T>(key: string, value: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof UnitError || e instanceof ConfigError) throw new VaryError(`--vary ${key}=${value}: ${e.message}${e instanceof ConfigError && e.hint ? ` (${e.hint})` : ''}`);
    throw e;
  }
}

function item<T>(list: T[], index: string | undefined, key: string, what: string): T {
  if (index === undefined) {
    if (list.length !== 1) throw new VaryError(`--vary ${key}: the scenario has ${list.length} ${what} entries; say which, like ${what}[0]`);
    return list[0]!;
  }
  const i = Number(index);
  const x = list[i];
  if (x === undefined) throw new VaryError(`--vary ${key}: there is no ${what}[${i}] (the scenario has ${list.length})`);
  return x;
}

/** A copy of `base` with `key` set to `value`. `base` is not touched. */
export function applyVary(base: Scenario, key: string, value: string): Scenario {
  const s = structuredClone(base);
  const fail = (msg: string): never => {
    throw new VaryError(`--vary ${key}=${value}: ${msg}`);
  };
  let m: RegExpExecArray | null;
  if (key === 'duration') {
    s.durationUs = unit(key, value, () => parseDuration(value));
  } else if (key === 'network.latency') {
    s.network.latency = { kind: 'fixed', us: unit(key, value, () => parseDuration(value)) };
  } else if (key === 'network.bandwidth') {
    s.network.bandwidthBytesPerSec = unit(key, value, () => parseBandwidth(value));
  } else if ((m = /^network\.links\[(\d+)\]\.(latency|bandwidth)$/.exec(key))) {
    const link = item(s.network.links, m[1], key, 'network.links');
    if (m[2] === 'latency') link.latency = { kind: 'fixed', us: unit(key, value, () => parseDuration(value)) };
    else link.bandwidthBytesPerSec = unit(key, value, () => parseBandwidth(value));
  } else if ((m = /^workload(?:\[(\d+)\])?\.(rate|keys|value-size|from|until)$/.exec(key))) {
    const w = item(s.workload, m[1], key, 'workload');
    if (m[2] === 'rate') w.rateHz = unit(key, value, () => parseRate(/^\d+(\.\d+)?$/.test(value) ? Number(value) : value));
    else if (m[2] === 'keys') w.keys = Math.max(1, parseCount(value, `--vary ${key}`));
    else if (m[2] === 'value-size') w.valueSize = unit(key, value, () => parseSize(value));
    else if (m[2] === 'from') w.fromUs = unit(key, value, () => parseDuration(value));
    else w.untilUs = unit(key, value, () => parseDuration(value));
  } else if ((m = /^dataset(?:\[(\d+)\])?\.(keys|value-size)$/.exec(key))) {
    const d = item(s.dataset, m[1], key, 'dataset');
    if (m[2] === 'keys') d.keys = parseCount(value, `--vary ${key}`);
    else d.valueSize = unit(key, value, () => parseSize(value));
  } else if ((m = /^timeline\[(\d+)\]\.(at|for)$/.exec(key))) {
    varyStep(s, Number(m[1]), m[2] as 'at' | 'for', key, value, fail);
  } else if ((m = /^costs\.(.+)$/.exec(key))) {
    const name = m[1]!;
    if (!COST_PARAMETERS.some((p) => p.name === name)) fail(`unknown cost parameter "${name}"; known: ${COST_PARAMETERS.map((p) => p.name).join(', ')}`);
    const v = Number(value);
    const p = COST_PARAMETERS.find((x) => x.name === name)!;
    if (!Number.isFinite(v) || v < p.min || (p.exclusive && v === p.min)) fail(`expected a number ${p.exclusive ? '>' : '≥'} ${p.min}`);
    s.costsText = { ...(s.costsText ?? {}), [name]: v };
    s.costs = costModelOverrides(s.costsText);
  } else if (/^sentinels?\./.test(key)) {
    applySentinelVary(s, key, value, fail);
  } else if ((m = /^nodes\.([A-Za-z0-9_-]+)\.(.+)$/.exec(key))) {
    const node = s.nodes.find((n) => n.name === m![1]);
    if (!node) fail(`no node "${m[1]}" (nodes: ${s.nodes.map((n) => n.name).join(', ')})`);
    const spec = unit(key, value, () => resolveRedisOption(m![2]!));
    Object.assign(node!.config, unit(key, value, () => parseRedisConfigOption(m![2]!, value)));
    node!.configText[spec.name] = configValueText(spec.name, value);
  } else {
    const spec = unit(key, value, () => resolveRedisOption(key));
    if (spec.name === 'replicaof') fail('the topology cannot be varied');
    const parsed = unit(key, value, () => parseRedisConfigOption(key, value));
    Object.assign(s.config, parsed);
    s.configText[spec.name] = configValueText(spec.name, value);
    // The sweep's value applies to every node, including those that set the option themselves.
    for (const n of s.nodes) {
      if (spec.name in n.configText) {
        Object.assign(n.config, parsed);
        n.configText[spec.name] = configValueText(spec.name, value);
      }
    }
  }
  checkWindows(s, fail);
  return s;
}

function varyStep(s: Scenario, index: number, field: 'at' | 'for', key: string, value: string, fail: (m: string) => never): void {
  const step = s.timeline[index];
  if (!step) fail(`there is no timeline[${index}] (the scenario has ${s.timeline.length} steps)`);
  if (field === 'at') {
    if (value.startsWith('+')) {
      const prev = s.timeline[index - 1];
      if (!prev) fail('+D is relative to the step before, and timeline[0] has none');
      step!.atUs = prev!.atUs + unit(key, value, () => parseDuration(value.slice(1)));
    } else {
      step!.atUs = unit(key, value, () => parseDuration(value));
    }
    // Keep time order; steps at the same time stay in file order (a stable sort).
    s.timeline.sort((a, b) => a.atUs - b.atUs);
    return;
  }
  const a = step!.action;
  if (a.kind !== 'pause' && a.kind !== 'latency') fail(`timeline[${index}] is a ${a.kind} step, which has no for:`);
  (a as { forUs: number | null }).forUs = unit(key, value, () => parseDuration(value));
}

function checkWindows(s: Scenario, fail: (m: string) => never): void {
  for (const step of s.timeline) {
    if (step.atUs > s.durationUs) fail(`a timeline step at ${formatMicros(step.atUs)} is beyond the duration (${formatMicros(s.durationUs)})`);
  }
  for (const w of s.workload) {
    if (w.fromUs >= w.untilUs) fail(`a workload window is empty (from ${formatMicros(w.fromUs)} until ${formatMicros(w.untilUs)})`);
    if (w.untilUs > s.durationUs) w.untilUs = s.durationUs;
  }
}
