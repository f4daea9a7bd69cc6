/**
 * `expect:` entries as parsed by the schema → typed Expectations: nodes declared, exactly
 * one comparison per entry, `between` bounds in order, `reply:` commands splittable,
 * `invariant:` naming a checker of sim/check.
 */
import { CHECKER_NAMES, isCheckerName } from '../check/index.js';
import { didYouMean } from '../engine/index.js';
import { ArgvError, splitArgs } from './argv.js';
import type { CheckContext } from './check-context.js';
import type { PathSegment } from './errors.js';
import { COMPARE_OPS, type ScenarioInput } from './schema.js';
import type { CompareOp, Expectation } from './scenario.js';
import { buildClientWritesExpectation, buildSentinelExpectation, isClientWritesExpectation, isSentinelExpectation } from './sentinel-expect.js';

type ExpectInput = NonNullable<ScenarioInput['expect']>[number];
type Comparable = Partial<Record<CompareOp, string | number | [number, number]>>;

/** `hasWaitClient`: the workload has a `wait:` client, whose writes `lost-…-writes` count. */
export function buildExpectations(cx: CheckContext, entries: readonly ExpectInput[], hasWaitClient = false): Expectation[] {
  const out: Expectation[] = [];
  entries.forEach((e, i) => {
    const path: PathSegment[] = ['expect', i];
    const line = cx.line(path);
    if ('converged' in e) {
      out.push({ kind: 'converged', value: e.converged, line });
      return;
    }
    if ('invariant' in e) {
      const name = e.invariant.trim();
      if (name !== 'all' && !isCheckerName(name)) {
        const guess = didYouMean(name, [...CHECKER_NAMES, 'all']);
        cx.fail([...path, 'invariant'], `unknown invariant "${name}"`,
          guess !== undefined ? `did you mean ${guess}? (invariants: ${CHECKER_NAMES.join(', ')}, all)` : `invariants: ${CHECKER_NAMES.join(', ')}, all`);
      }
      out.push({ kind: 'invariant', checker: name, line });
      return;
    }
    if ('lost-acknowledged-writes' in e || 'lost-writes' in e) {
      const which = 'lost-acknowledged-writes' in e ? 'acknowledged' : 'ok';
      const key = which === 'acknowledged' ? 'lost-acknowledged-writes' : 'lost-writes';
      const v = 'lost-acknowledged-writes' in e ? e['lost-acknowledged-writes'] : e['lost-writes'];
      if (!hasWaitClient) {
        cx.fail([...path, key], `${key} counts the writes of a wait: client, and the workload has none`,
          'add a client like { node: m1, rate: 20/s, wait: { replicas: 1 } } under workload:');
      }
      const n = count(cx, [...path, key], v);
      if (n) out.push({ kind: 'lost-writes', which, op: n.op, value: n.value, line });
      return;
    }
    if (isClientWritesExpectation(e)) {
      const x = buildClientWritesExpectation(cx, path, e, line);
      if (x) out.push(x);
      return;
    }
    if (isSentinelExpectation(e)) {
      const x = buildSentinelExpectation(cx, path, e, line);
      if (x) out.push(x);
      return;
    }
    const node = cx.node([...path, 'node'], e.node);
    if ('stat' in e || 'info' in e) {
      const kind = 'stat' in e ? 'stat' : 'info';
      const field = 'stat' in e ? e.stat : e.info;
      const cmp = comparison(cx, path, e);
      if (cmp) out.push({ kind, node, field, op: cmp.op, value: cmp.value, line });
      return;
    }
    if ('dbsize' in e) {
      const n = count(cx, [...path, 'dbsize'], e.dbsize);
      if (n) out.push({ kind: 'dbsize', node, op: n.op, value: n.value, line });
      return;
    }
    let argv: string[] = [];
    try {
      argv = splitArgs(e.reply);
    } catch (err) {
      if (!(err instanceof ArgvError)) throw err;
      cx.fail([...path, 'reply'], `${err.message} in ${JSON.stringify(e.reply)}`);
      return;
    }
    if (argv.length === 0) {
      cx.fail([...path, 'reply'], 'empty command', 'e.g. reply: "GET foo"');
      return;
    }
    const cmp = comparison(cx, path, e);
    if (!cmp) return;
    if (cmp.op !== 'equals' && cmp.op !== 'not-equals') return; // the schema allows only these two here
    out.push({ kind: 'reply', node, command: e.reply.trim(), argv, op: cmp.op, value: String(cmp.value), line });
  });
  return out;
}

/** A count: a bare number (equals), or one comparison whose value is a number. */
function count(cx: CheckContext, path: PathSegment[], v: number | Comparable): { op: CompareOp; value: number | [number, number] } | null {
  if (typeof v === 'number') return { op: 'equals', value: v };
  const cmp = comparison(cx, path, v);
  if (!cmp) return null;
  if (typeof cmp.value === 'string') {
    const n = Number(cmp.value);
    if (cmp.value.trim() === '' || !Number.isFinite(n)) {
      cx.fail([...path, cmp.op], `expected a number, got ${JSON.stringify(cmp.value)}`);
      return null;
    }
    return { op: cmp.op, value: n };
  }
  return { op: cmp.op, value: cmp.value };
}

/** Exactly one of equals / not-equals / at-least / at-most / between. */
function comparison(cx: CheckContext, path: PathSegment[], e: Comparable): { op: CompareOp; value: string | number | [number, number] } | null {
  const present = COMPARE_OPS.filter((op) => e[op] !== undefined);
  if (present.length === 0) {
    cx.fail(path, `missing a comparison; expected one of ${COMPARE_OPS.join(', ')}`, 'e.g. { node: m1, stat: sync_full, equals: 1 }');
    return null;
  }
  if (present.length > 1) {
    cx.fail([...path, present[1]!], `only one comparison per expectation, got ${present.join(' and ')}`,
      'use between: [low, high] for a range, or write two expectations', true);
    return null;
  }
  const op = present[0]!;
  const value = e[op]!;
  if (op === 'between' && Array.isArray(value) && value[0] > value[1]) {
    cx.fail([...path, 'between'], `expected [low, high] with low ≤ high, got [${value[0]}, ${value[1]}]`);
    return null;
  }
  return { op, value };
}
