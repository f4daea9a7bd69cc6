/**
 * Timeline steps as parsed by the schema → typed Actions, with the checks only the whole
 * file can answer: nodes declared, times inside the run and in order, partitions naming
 * each node once, commands non-empty, CONFIG SET options real and mutable.
 */
import { formatMicros } from '../engine/index.js';
import { ConfigError, configValueText, parseRedisConfigOption, resolveRedisOption } from '../redis/index.js';
import { ArgvError, splitArgs } from './argv.js';
import type { CheckContext } from './check-context.js';
import type { PathSegment } from './errors.js';
import type { ScenarioInput } from './schema.js';
import type { Action, TimelineStep, TriggeredStep } from './scenario.js';
import { commandProblem, configValueProblem, LIMIT_TEXT, LIMITS, SEE_LIMITS } from './limits.js';
import { parseTrigger, TriggerError, type Trigger } from './trigger.js';

type StepInput = NonNullable<ScenarioInput['timeline']>[number];

/** Default key prefix of `write:` bursts, distinct from dataset/workload keys ("key"). */
export const DEFAULT_WRITE_PREFIX = 'burst';
export const DEFAULT_VALUE_SIZE = 100;

export function buildTimeline(cx: CheckContext, steps: readonly StepInput[], triggered: TriggeredStep[] = []): TimelineStep[] {
  const out: TimelineStep[] = [];
  let previousUs = 0;
  steps.forEach((step, i) => {
    const path: PathSegment[] = ['timeline', i];
    if (step.when !== undefined) {
      if (step.at !== undefined) cx.fail([...path, 'when'], 'a step has either at or when, not both', 'drop one of them');
      if (step.when.length > LIMITS.whenChars) {
        cx.fail([...path, 'when'], `a condition of ${step.when.length} characters is longer than the limit (${LIMITS.whenChars})`, 'see "Limits" in scenarios/FORMAT.md');
        return;
      }
      let when: Trigger;
      try {
        when = parseTrigger(step.when, cx.nodeNames);
      } catch (e) {
        if (!(e instanceof TriggerError)) throw e;
        cx.fail([...path, 'when'], e.message, e.hint);
        return;
      }
      const line = cx.line(path);
      for (const action of buildActions(cx, path, step)) triggered.push({ when, line, action });
      return;
    }
    if (step.at === undefined) {
      cx.fail(path, 'missing at (a time like "5s") or when (a condition like "r1 enters transfer")', 'every step needs one of them');
      return;
    }
    const atUs = cx.withinDuration([...path, 'at'], step.at);
    if (atUs < previousUs) {
      cx.fail([...path, 'at'], `${formatMicros(atUs)} goes backwards (the step before is at ${formatMicros(previousUs)})`,
        'list timeline steps in time order');
    }
    previousUs = Math.max(previousUs, atUs);
    const line = cx.line(path);
    for (const action of buildActions(cx, path, step)) out.push({ atUs, line, action });
  });
  return out;
}

/** Usually one action; a `config-set` of several options becomes one CONFIG SET each. */
function buildActions(cx: CheckContext, path: PathSegment[], step: StepInput): Action[] {
  if ('command' in step) {
    const node = cx.process([...path, 'node'], step.node);
    const argv = commandArgv(cx, [...path, 'command'], step.command);
    const action: Action = { kind: 'command', node, command: step.command.trim(), argv };
    if (step.reply !== undefined) action.expectReply = String(step.reply);
    if (step.client !== undefined) action.client = step.client;
    return [action];
  }
  if ('write' in step) {
    const w = step.write;
    const inner = w.node;
    if (inner !== undefined && step.node !== undefined && inner !== step.node) {
      cx.fail([...path, 'write', 'node'], `names node "${inner}" but the step names "${step.node}"`, 'give the node once');
    }
    const name = inner ?? step.node;
    if (name === undefined) {
      cx.fail([...path, 'write'], 'missing node; expected write: { node: m1, count: … }');
      return [];
    }
    const node = cx.node(inner !== undefined ? [...path, 'write', 'node'] : [...path, 'node'], name);
    const db = cx.db([...path, 'write', 'db'], w.db ?? 0);
    if ((w['value-size'] ?? 0) > LIMITS.valueSizeBytes) {
      cx.fail([...path, 'write', 'value-size'], `value-size: ${w['value-size']} is over the limit of ${LIMIT_TEXT.valueSizeBytes}`, SEE_LIMITS);
    }
    return [{ kind: 'write', node, count: w.count, valueSize: w['value-size'] ?? DEFAULT_VALUE_SIZE, db, prefix: w.prefix ?? DEFAULT_WRITE_PREFIX }];
  }
  if ('kill-link' in step) return [{ kind: 'kill-link', node: cx.node([...path, 'kill-link'], step['kill-link']) }];
  if ('partition' in step) return [partition(cx, [...path, 'partition'], step.partition)];
  if ('heal' in step) return [{ kind: 'heal', target: 'all' }];
  if ('pause' in step) {
    const node = cx.process([...path, 'pause'], step.pause);
    return [{ kind: 'pause', node, forUs: step.for ?? null }];
  }
  if ('resume' in step) return [{ kind: 'resume', node: cx.process([...path, 'resume'], step.resume) }];
  if ('crash' in step) return [{ kind: 'crash', node: cx.process([...path, 'crash'], step.crash) }];
  if ('power-loss' in step) return [{ kind: 'power-loss', node: cx.process([...path, 'power-loss'], step['power-loss']) }];
  if ('restart' in step) return [{ kind: 'restart', node: cx.process([...path, 'restart'], step.restart) }];
  if ('disk' in step) {
    const d = step.disk;
    const node = cx.node([...path, 'disk', 'node'], d.node);
    if (d.full === undefined && d['fail-bgsave'] === undefined && d.speed === undefined) {
      cx.fail([...path, 'disk'], 'a disk step needs full, fail-bgsave or speed', 'e.g. { node: r1, full: true }');
    }
    return [{ kind: 'disk', node, full: d.full ?? null, failBgsaves: d['fail-bgsave'] ?? null, bytesPerSec: d.speed ?? null }];
  }
  if ('swizzle' in step) {
    const z = step.swizzle;
    const nodes = z.nodes ? z.nodes.map((n, i) => cx.process([...path, 'swizzle', 'nodes', i], n, true)) : [...cx.nodeNames];
    if (nodes.length < 2) cx.fail([...path, 'swizzle', 'nodes'], 'swizzle-clogging needs at least two nodes (one link)');
    return [{ kind: 'swizzle', nodes, forUs: z.for, addUs: z.add ?? 1_000_000 }];
  }
  if ('clock' in step) {
    const k = step.clock;
    const node = cx.process([...path, 'clock', 'node'], k.node);
    if (k.skew === undefined && k.jump === undefined && k.drift === undefined) {
      cx.fail([...path, 'clock'], 'a clock step needs skew, jump or drift', 'e.g. { node: r1, skew: 2s } or { node: m1, jump: -5s }');
    }
    return [{ kind: 'clock', node, skewUs: k.skew ?? null, jumpUs: k.jump ?? null, driftPpm: k.drift ?? null }];
  }
  if ('latency' in step) {
    const l = step.latency;
    const between = pair(cx, [...path, 'latency', 'between'], l.between);
    return [{ kind: 'latency', between, addUs: l.add, forUs: l.for ?? null }];
  }
  return configSet(cx, path, step);
}

function commandArgv(cx: CheckContext, path: PathSegment[], command: string): string[] {
  let argv: string[] = [];
  try {
    argv = splitArgs(command);
  } catch (e) {
    if (!(e instanceof ArgvError)) throw e;
    cx.fail(path, `${e.message} in ${JSON.stringify(command)}`, 'commands are split like redis-cli: "double" or \'single\' quotes around an argument');
    return [];
  }
  if (argv.length === 0) cx.fail(path, 'empty command', 'write it as typed in redis-cli, e.g. "SET foo bar"');
  const problem = commandProblem(argv);
  if (problem !== null) cx.fail(path, problem.message, problem.hint);
  return argv;
}

export function pair(cx: CheckContext, path: PathSegment[], p: readonly [string, string]): [string, string] {
  const [a, b] = p;
  cx.process([...path, 0], a, true);
  cx.process([...path, 1], b, true);
  if (a === b) cx.fail(path, `expected two different nodes, got [${a}, ${b}]`);
  return [a, b];
}

type PartitionInput = Extract<StepInput, { partition: unknown }>['partition'];

function partition(cx: CheckContext, path: PathSegment[], p: PartitionInput): Action {
  if (Array.isArray(p)) {
    const seen = new Set<string>();
    return { kind: 'partition', groups: p.map((g, i) => cx.nodeList([...path, i], g, seen, true)) };
  }
  const list = (v: string | string[]): string[] => (typeof v === 'string' ? [v] : v);
  const seen = new Set<string>();
  const from = cx.nodeList([...path, 'from'], list(p.from), seen, true);
  const toPath: PathSegment[] = [...path, 'to'];
  const to = list(p.to);
  // A node on both sides of a one-way cut would cut itself off from itself.
  to.forEach((n, i) => {
    const where = typeof p.to === 'string' ? toPath : [...toPath, i];
    cx.process(where, n, true);
    if (seen.has(n)) cx.fail(where, `node "${n}" appears twice`, 'a node cannot be on both sides of a partition');
    seen.add(n);
  });
  return { kind: 'partition-one-way', from, to };
}

type ConfigSetInput = Extract<StepInput, { 'config-set': unknown }>;

/**
 * `{ at, node: r1, config-set: { repl-timeout: 5 } }` — or the long form
 * `{ at, config-set: { node: r1, option: repl-timeout, value: 5 } }`.
 */
function configSet(cx: CheckContext, path: PathSegment[], step: ConfigSetInput): Action[] {
  const body = step['config-set'];
  const bodyPath: PathSegment[] = [...path, 'config-set'];
  let nodeName = step.node;
  let nodePath: PathSegment[] = [...path, 'node'];
  let options: Array<[string, unknown, PathSegment[]]>;
  if ('option' in body) {
    const extra = Object.keys(body).filter((k) => !['node', 'option', 'value'].includes(k));
    for (const k of extra) cx.fail([...bodyPath, k], `unknown key "${k}"`, 'the long form is { node, option, value }', true);
    if (typeof body['node'] === 'string') {
      nodeName = body['node'];
      nodePath = [...bodyPath, 'node'];
    }
    if (typeof body['option'] !== 'string') {
      cx.fail([...bodyPath, 'option'], `expected a redis.conf option name, got ${JSON.stringify(body['option'])}`);
      return [];
    }
    options = [[body['option'], body['value'], [...bodyPath, 'value']]];
  } else {
    options = Object.entries(body).map(([k, v]) => [k, v, [...bodyPath, k]]);
  }
  if (nodeName === undefined) {
    cx.fail(path, 'missing node; expected { at, node: r1, config-set: { option: value } }');
    return [];
  }
  const node = cx.node(nodePath, nodeName);
  if (options.length === 0) cx.fail(bodyPath, 'no options to set', 'e.g. config-set: { repl-timeout: 5 }');
  const actions: Action[] = [];
  for (const [option, raw, where] of options) {
    try {
      const spec = resolveRedisOption(option);
      if (spec.immutable) {
        const long = 'option' in body;
        cx.fail(long ? [...bodyPath, 'option'] : where, `${spec.name} cannot be changed with CONFIG SET (Redis marks it immutable)`,
          spec.name === 'replicaof' ? 'use command: "REPLICAOF host port"' : undefined, !long);
        continue;
      }
      // Validates the value now rather than at run time.
      const problem = configValueProblem(spec.name, parseRedisConfigOption(option, raw));
      if (problem !== null) {
        cx.fail(where, problem.message, problem.hint);
        continue;
      }
      actions.push({ kind: 'config-set', node, option: spec.name, value: configValueText(option, raw) });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      const onKey = e.reason !== 'bad-value' && !('option' in body);
      cx.fail(e.reason !== 'bad-value' && 'option' in body ? [...bodyPath, 'option'] : where, e.message, e.hint, onKey);
    }
  }
  return actions;
}
