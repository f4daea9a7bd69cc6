/**
 * Checking a scenario's `expect:` list against the state at the end of a run. Pure: the
 * runner gathers FinalState (INFO-like reports, convergence, replies to `reply:` commands)
 * and this decides each ✓/✗ with the actual value, so the CLI can show what was seen.
 */
import type { ExpectationResult, FinalState, NodeReport, SlaveInfo } from './result.js';
import type { CompareOp, Expectation } from './scenario.js';
import { evaluateClientWrites, evaluateSentinelExpectation } from './sentinel-expect.js';

const OP_SYMBOL: Record<CompareOp, string> = {
  equals: '=',
  'not-equals': '≠',
  'at-least': '≥',
  'at-most': '≤',
  between: '∈',
};

/** The commands the runner must run at the end for `reply:` expectations, in file order. */
export function replyCommands(expect: readonly Expectation[]): Array<{ node: string; argv: string[] }> {
  return expect.flatMap((e) => (e.kind === 'reply' ? [{ node: e.node, argv: e.argv }] : []));
}

export function evaluateExpectations(expect: readonly Expectation[], final: FinalState): ExpectationResult[] {
  return expect.map((e) => evaluate(e, final));
}

function evaluate(e: Expectation, final: FinalState): ExpectationResult {
  switch (e.kind) {
    case 'converged': {
      const actual = final.convergence.ok;
      return { description: e.value ? 'converged' : 'not converged', ok: actual === e.value, actual, line: e.line };
    }
    case 'dbsize': {
      const report = final.nodes[e.node];
      const description = `${e.node} dbsize ${opText(e.op, e.value)}`;
      if (!report) return missingNode(description, e.line);
      return { description, ok: compare(report.dbsize, e.op, e.value), actual: report.dbsize, line: e.line };
    }
    case 'reply': {
      const description = `${e.node} ${e.command} ${OP_SYMBOL[e.op]} ${e.value}`;
      const found = final.replies?.find((r) => r.node === e.node && sameArgv(r.argv, e.argv));
      if (!found) return { description: `${description} (no reply recorded)`, ok: false, actual: null, line: e.line };
      const matches = replyMatches(found.reply, e.value);
      return { description, ok: e.op === 'equals' ? matches : !matches, actual: found.reply, line: e.line };
    }
    case 'invariant': {
      const description = e.checker === 'all' ? 'invariants hold' : `invariant ${e.checker} holds`;
      const verdict = final.invariants?.[e.checker];
      if (!verdict) return { description: `${description} (not checked)`, ok: false, actual: null, line: e.line };
      return { description, ok: verdict.ok, actual: verdict.actual, line: e.line };
    }
    case 'lost-writes': {
      const description = `${e.which === 'acknowledged' ? 'lost acknowledged writes' : 'lost writes answered OK'} ${opText(e.op, e.value)}`;
      const d = final.durability;
      if (!d) return { description: `${description} (not checked)`, ok: false, actual: null, line: e.line };
      const actual = e.which === 'acknowledged' ? d.lostAcknowledged : d.lost;
      return { description, ok: compare(actual, e.op, e.value), actual, line: e.line };
    }
    case 'sentinel':
    case 'sentinel-event':
      return evaluateSentinelExpectation(e, final.sentinels);
    case 'client-writes':
      return evaluateClientWrites(e, final.clientWrites);
    case 'stat':
    case 'info': {
      const report = final.nodes[e.node];
      const description = `${e.node} ${e.field} ${opText(e.op, e.value)}`;
      if (!report) return missingNode(description, e.line);
      const actual = lookupField(report, e.kind, e.field);
      return { description, ok: compare(actual, e.op, e.value), actual, line: e.line };
    }
  }
}

function missingNode(description: string, line: number): ExpectationResult {
  return { description: `${description} (node not in the final state)`, ok: false, actual: null, line };
}

function opText(op: CompareOp, value: string | number | [number, number]): string {
  if (op === 'between' && Array.isArray(value)) return `∈ [${value[0]}, ${value[1]}]`;
  return `${OP_SYMBOL[op]} ${String(value)}`;
}

/**
 * `stat:` reads INFO stats first (then replication); `info:` reads replication, then
 * persistence, then stats — so either works for the common fields. `slaveN` gives Redis's
 * `ip=…,port=…,state=…,offset=…,lag=…` line and `slaveN.state` one of its parts.
 */
export function lookupField(report: NodeReport, kind: 'stat' | 'info', field: string): string | number | null {
  const slave = /^slave(\d+)(?:\.(\w+))?$/.exec(field);
  if (slave) {
    const slaves = report.info['slaves'];
    const s = Array.isArray(slaves) ? slaves[Number(slave[1])] : undefined;
    if (!s) return null;
    if (slave[2] === undefined) return slaveLine(s);
    return own(s as unknown as Record<string, string | number>, slave[2]) ?? null;
  }
  const info = (): string | number | undefined => {
    const v = own(report.info, field);
    return Array.isArray(v) ? undefined : v;
  };
  const sources = kind === 'stat'
    ? [() => own(report.stats, field), info]
    : [info, () => own(report.persistence, field), () => own(report.stats, field)];
  for (const get of sources) {
    const v = get();
    if (v !== undefined) return v;
  }
  return null;
}

/** A field of the report itself: `constructor` or `__proto__` name no INFO field. */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function slaveLine(s: SlaveInfo): string {
  return `ip=${s.ip},port=${s.port},state=${s.state},offset=${s.offset},lag=${s.lag}`;
}

function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '' && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(v.trim())) return Number(v);
  return null;
}

/**
 * Numbers compare numerically when both sides are numeric (`equals: 1` and `equals: "1"`
 * both match 1); otherwise strings compare exactly. A missing field fails every
 * comparison except not-equals.
 */
export function compare(actual: string | number | boolean | null, op: CompareOp, expected: string | number | [number, number]): boolean {
  if (actual === null) return op === 'not-equals';
  const a = asNumber(actual);
  if (op === 'equals' || op === 'not-equals') {
    const b = asNumber(expected);
    const same = a !== null && b !== null ? a === b : String(actual) === String(expected);
    return op === 'equals' ? same : !same;
  }
  if (a === null) return false;
  if (op === 'between') return Array.isArray(expected) && a >= expected[0] && a <= expected[1];
  const b = asNumber(expected);
  if (b === null) return false;
  return op === 'at-least' ? a >= b : a <= b;
}

function sameArgv(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * A redis-cli reply against the expected text: exact match, or the expected text equals
 * the bulk string inside the quotes (`"bar"` ~ bar) or the integer (`(integer) 3` ~ 3).
 */
export function replyMatches(reply: string, expected: string): boolean {
  if (reply === expected) return true;
  // Errors match by their leading words: "NOREPLICAS" or "(error) NOREPLICAS" match the whole line.
  if (reply.startsWith('(error) ')) {
    const want = expected.startsWith('(error) ') ? expected.slice(8) : expected;
    return want.length > 0 && reply.slice(8).startsWith(want);
  }
  const integer = /^\(integer\) (-?\d+)$/.exec(reply);
  if (integer) return integer[1] === expected.trim();
  if (reply.length >= 2 && reply.startsWith('"') && reply.endsWith('"')) return unrepr(reply.slice(1, -1)) === expected;
  return false;
}

/** Inverse of sdscatrepr, which redis-cli uses to print bulk strings. */
function unrepr(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e.startsWith('x') && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b' } as Record<string, string>)[e] ?? e;
  });
}
