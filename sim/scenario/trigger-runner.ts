/**
 * Arms a scenario's `when:` steps on a running world: events are watched on the trace
 * (and acted on in the next event, never inside the model code that recorded them);
 * conditions are evaluated every 10 ms of virtual time until they have all fired.
 */
import type { TraceRecord } from '../engine/index.js';
import { type RedisServer, formatConfigValue, infoMemory, infoPersistence, infoReplication, infoStats } from '../redis/index.js';
import type { ActionRunner } from './actions.js';
import type { TriggeredStep } from './scenario.js';
import { EVENT_PHRASES, type ConditionTrigger, type Expr } from './trigger.js';
import type { World } from './world.js';
import type {} from './trace-kinds.js'; // the kinds this file records (TraceKinds)

const CONDITION_POLL_US = 10_000;

/** Arms the `when:` steps; the returned function disarms them (the liveness phase injects no faults). */
export function armTriggers(w: World, actions: ActionRunner, steps: readonly TriggeredStep[]): () => void {
  let armed = true;
  const disarm = (): void => {
    armed = false;
  };
  if (steps.length === 0) return disarm;
  const fired = new Set<TriggeredStep>();
  const fire = (step: TriggeredStep): void => {
    if (!armed || fired.has(step)) return;
    fired.add(step);
    w.sim.record('trigger.fired', undefined, { when: step.when.text, line: step.line });
    actions.run(step.action, step.line);
  };
  const events = steps.filter((s) => s.when.kind === 'event');
  if (events.length > 0) {
    w.sim.trace.subscribe((rec) => {
      for (const step of events) {
        if (fired.has(step) || step.when.kind !== 'event' || rec.node !== step.when.node) continue;
        const want = EVENT_PHRASES[step.when.phrase]!;
        if (rec.kind !== want.kind) continue;
        if (want.state && !('state' in rec && want.state.includes(rec.state))) continue;
        fired.add(step); // claimed now; acted on in the next event
        w.sim.after(0, () => {
          fired.delete(step);
          fire(step);
        });
      }
    });
  }
  const conditions = steps.filter((s) => s.when.kind === 'condition');
  if (conditions.length > 0) {
    const poll = (): void => {
      let pending = 0;
      for (const step of conditions) {
        if (fired.has(step)) continue;
        if (holds(w, step.when as ConditionTrigger)) fire(step);
        else pending++;
      }
      if (pending > 0 && armed) w.sim.after(CONDITION_POLL_US, poll);
    };
    w.sim.at(0, poll);
  }
  return disarm;
}

function holds(w: World, c: ConditionTrigger): boolean {
  const a = evaluate(w, c.left, c.defaultNode);
  const b = evaluate(w, c.right, c.defaultNode);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  switch (c.op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

function evaluate(w: World, e: Expr, defaultNode: string): number {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'bin': {
      const a = evaluate(w, e.a, defaultNode);
      const b = evaluate(w, e.b, defaultNode);
      return e.op === '+' ? a + b : e.op === '-' ? a - b : e.op === '*' ? a * b : a / b;
    }
    case 'config': {
      const s = w.servers.get(e.node ?? defaultNode)!;
      return Number(formatConfigValue(e.option, s.config));
    }
    case 'field':
      return field(w, w.servers.get(e.node)!, e.field);
  }
}

function field(w: World, s: RedisServer, name: string): number {
  if (!s.alive) return NaN;
  switch (name) {
    case 'master_repl_offset':
      return s.masterReplOffset;
    case 'keys':
      return s.keyspace.totalKeys();
    case 'connected_slaves':
      return s.master.replicas.length;
    case 'lag_bytes': {
      if (s.isMaster) return 0;
      const m = w.servers.get(s.replica.masterHost!);
      if (!m || !m.alive) return NaN;
      const applied = s.replica.master?.reploff ?? s.replica.cached?.reploff ?? 0;
      return Math.max(0, m.masterReplOffset - applied);
    }
  }
  for (const section of [infoReplication, infoStats, infoPersistence, infoMemory]) {
    for (const [k, v] of section(s)) if (k === name) return Number(v);
  }
  return NaN;
}
