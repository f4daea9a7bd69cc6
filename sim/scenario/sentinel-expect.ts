/**
 * Expectations on Sentinels: parsing the `{ sentinel: s1, master: mymaster, address: r1 }`
 * family into typed Expectations, and judging them against each Sentinel's final view
 * (SENTINEL MASTER fields, GET-MASTER-ADDR-BY-NAME) and the events it emitted in the run.
 * `sentinel: all` asks it of every Sentinel; a dead Sentinel has no view, so it fails.
 */
import type { CheckContext } from './check-context.js';
import type { PathSegment } from './errors.js';
import type { ExpectationResult } from './result.js';
import type { CompareOp, Expectation } from './scenario.js';
import type { ScenarioInput } from './schema.js';
import type { ClientWritesSummary, SentinelLossCause } from '../check/index.js';

type ExpectInput = NonNullable<ScenarioInput['expect']>[number];
type SentinelInput = Extract<ExpectInput, { sentinel: string }>;
type CountInput = number | { equals?: number; 'at-least'?: number; 'at-most'?: number; between?: [number, number] };

/** A Sentinel's state at the end of the run, as the expectations read it. */
export interface SentinelFinal {
  alive: boolean;
  /** Per monitored master: its SENTINEL MASTER fields, plus `address` (host:port of GET-MASTER-ADDR-BY-NAME). */
  masters: Record<string, Record<string, string>>;
  /** Events emitted during the run, by type. */
  events: Record<string, number>;
}

export function isSentinelExpectation(e: ExpectInput): e is SentinelInput {
  return 'sentinel' in e;
}

type ClientWritesInput = Extract<ExpectInput, { 'client-writes': string }>;

export function isClientWritesExpectation(e: ExpectInput): e is ClientWritesInput {
  return 'client-writes' in e;
}

export function buildClientWritesExpectation(cx: CheckContext, path: PathSegment[], e: ClientWritesInput, line: number): Expectation | null {
  if (cx.clientHosts.length === 0) cx.fail([...path, 'client-writes'], 'no Sentinel-aware client writes in this scenario', 'add workload: [{ sentinel-client: { rate: 100/s } }]');
  if (e.cause !== undefined && e['client-writes'] !== 'lost') cx.fail([...path, 'cause'], 'cause: applies to client-writes: lost only');
  const { 'client-writes': _w, cause: _c, ...ops } = e;
  const cmp = countComparison(cx, path, ops);
  return cmp && { kind: 'client-writes', what: e['client-writes'], cause: e.cause ?? null, op: cmp.op, value: cmp.value, line };
}

export function evaluateClientWrites(e: Extract<Expectation, { kind: 'client-writes' }>, c: ClientWritesSummary | undefined): ExpectationResult {
  const description = `client writes ${e.what}${e.cause ? ` (${e.cause})` : ''} ${opText(e.op, e.value)}`;
  if (!c) return { description: `${description} (no Sentinel-aware client)`, ok: false, actual: null, line: e.line };
  const actual = e.what === 'lost' && e.cause !== null ? (c.byCause[e.cause as SentinelLossCause] ?? 0) : c[e.what];
  const v = e.value;
  const ok = e.op === 'equals' ? actual === v : e.op === 'at-least' ? actual >= Number(v) : e.op === 'at-most' ? actual <= Number(v)
    : e.op === 'between' ? actual >= (v as [number, number])[0] && actual <= (v as [number, number])[1] : actual !== v;
  return { description, ok, actual, line: e.line };
}

export function buildSentinelExpectation(cx: CheckContext, path: PathSegment[], e: SentinelInput, line: number): Expectation | null {
  const sentinel = cx.sentinel([...path, 'sentinel'], e.sentinel, true);
  if ('event' in e) {
    const cmp = countComparison(cx, [...path, 'count'], e.count);
    return cmp && { kind: 'sentinel-event', sentinel, event: e.event, op: cmp.op, value: cmp.value, line };
  }
  const master = cx.masterName(path, e.master);
  if ('address' in e) return { kind: 'sentinel', sentinel, master, field: 'address', op: 'equals', value: e.address, line };
  if ('flags' in e) return { kind: 'sentinel', sentinel, master, field: 'flags', op: 'equals', value: e.flags, line };
  if ('config-epoch' in e) {
    const cmp = countComparison(cx, [...path, 'config-epoch'], e['config-epoch']);
    return cmp && { kind: 'sentinel', sentinel, master, field: 'config-epoch', op: cmp.op, value: cmp.value, line };
  }
  const ops = (['equals', 'at-least', 'at-most'] as const).filter((op) => e[op] !== undefined);
  if (ops.length !== 1) {
    cx.fail(path, ops.length === 0 ? 'missing a comparison; expected one of equals, at-least, at-most' : `only one comparison per expectation, got ${ops.join(' and ')}`,
      'e.g. { sentinel: s1, field: num-other-sentinels, equals: 2 }');
    return null;
  }
  return { kind: 'sentinel', sentinel, master, field: e.field, op: ops[0]!, value: e[ops[0]!]!, line };
}

function countComparison(cx: CheckContext, path: PathSegment[], c: CountInput): { op: CompareOp; value: number | [number, number] } | null {
  if (typeof c === 'number') return { op: 'equals', value: c };
  const ops = (['equals', 'at-least', 'at-most', 'between'] as const).filter((op) => c[op] !== undefined);
  if (ops.length !== 1) {
    cx.fail(path, ops.length === 0 ? 'missing a comparison; expected a number or one of equals, at-least, at-most, between' : `only one comparison, got ${ops.join(' and ')}`);
    return null;
  }
  const value = c[ops[0]!]!;
  if (Array.isArray(value) && value[0] > value[1]) {
    cx.fail([...path, 'between'], `expected [low, high] with low ≤ high, got [${value[0]}, ${value[1]}]`);
    return null;
  }
  return { op: ops[0]!, value };
}

type SentinelExpectation = Extract<Expectation, { kind: 'sentinel' | 'sentinel-event' }>;

export function evaluateSentinelExpectation(e: SentinelExpectation, sentinels: Record<string, SentinelFinal> | undefined): ExpectationResult {
  const names = e.sentinel === 'all' ? Object.keys(sentinels ?? {}) : [e.sentinel];
  const description = e.kind === 'sentinel-event'
    ? `${e.sentinel} ${e.event} events ${opText(e.op, e.value)}`
    : `${e.sentinel} ${e.master} ${e.field} ${opText(e.op, e.value)}`;
  const actuals: string[] = [];
  let ok = names.length > 0;
  for (const name of names) {
    const s = sentinels?.[name];
    const actual = s === undefined ? null : actualOf(e, s);
    actuals.push(names.length > 1 ? `${name}: ${actual ?? 'n/a'}` : String(actual ?? 'n/a'));
    if (actual === null || !matches(e, actual)) ok = false;
  }
  return { description, ok, actual: actuals.join(', '), line: e.line };
}

function actualOf(e: SentinelExpectation, s: SentinelFinal): string | number | null {
  if (e.kind === 'sentinel-event') return s.events[e.event] ?? 0;
  if (!s.alive) return null;
  const fields = s.masters[e.master];
  if (fields === undefined) return null;
  const v = fields[e.field];
  return v === undefined ? null : v;
}

function matches(e: SentinelExpectation, actual: string | number): boolean {
  if (e.kind === 'sentinel' && e.field === 'address') {
    // `address: r1` names the host; `r1:6380` the host and port.
    const want = String(e.value);
    return want.includes(':') ? actual === want : String(actual).split(':')[0] === want;
  }
  if (e.kind === 'sentinel' && e.field === 'flags') return sameFlags(String(actual), String(e.value));
  const n = Number(actual);
  switch (e.op) {
    case 'equals':
      return typeof e.value === 'number' ? n === e.value : String(actual) === String(e.value);
    case 'not-equals':
      return typeof e.value === 'number' ? n !== e.value : String(actual) !== String(e.value);
    case 'at-least':
      return n >= Number(e.value);
    case 'at-most':
      return n <= Number(e.value);
    case 'between': {
      const [lo, hi] = e.value as [number, number];
      return n >= lo && n <= hi;
    }
  }
}

/** Flags compare as sets: Sentinel prints them in a fixed order, a scenario may not. */
function sameFlags(actual: string, want: string): boolean {
  const a = new Set(actual.split(',').map((f) => f.trim()).filter((f) => f !== ''));
  const w = new Set(want.split(',').map((f) => f.trim()).filter((f) => f !== ''));
  return a.size === w.size && [...w].every((f) => a.has(f));
}

function opText(op: CompareOp, value: string | number | [number, number]): string {
  const sym: Record<CompareOp, string> = { equals: '=', 'not-equals': '≠', 'at-least': '≥', 'at-most': '≤', between: '∈' };
  return Array.isArray(value) ? `∈ [${value[0]}, ${value[1]}]` : `${sym[op]} ${String(value)}`;
}
