/**
 * A failover attempt (check/failovers.ts: its steps as an operator reads the logs of
 * sentinelFailoverStateMachine in sentinel.c) → the consecutive stretches a Gantt row draws: each milestone that
 * happened ends the stretch before it. A stretch missing its milestone is skipped (a manual
 * failover has no +sdown or +odown: its detection runs from SENTINEL FAILOVER to
 * +try-failover). An aborted attempt ends at its abort, an unfinished one at the end of the run.
 * Observers usually switch on the leader's hello before the leader's own +switch-master, so
 * propagation is drawn only when the last Sentinel switched after it. Pure.
 */
import type { Micros } from '../engine/index.js';
import type { Failover, FailoverStep } from '../check/index.js';
import type { FailoverPhase, FailoverPhaseName, FailoverReport } from './report-data.js';

/** Each phase and the step that ends it, in order. */
const MILESTONES: ReadonlyArray<readonly [FailoverPhaseName, string]> = [
  ['detection', '+sdown'],
  ['odown', '+odown'],
  ['start', '+try-failover'],
  ['election', '+elected-leader'],
  ['promotion', '+promoted-slave'],
  ['reconfiguration', '+switch-master'],
];

export function failoverReports(failovers: readonly Failover[], runEndUs: Micros): FailoverReport[] {
  return failovers.map((f, i) => failoverReport(f, i + 1, runEndUs));
}

function failoverReport(f: Failover, id: number, runEndUs: Micros): FailoverReport {
  const first = (step: string): FailoverStep | undefined => f.steps.find((s) => s.step === step);
  const fault = first('fault');
  const phases: FailoverPhase[] = [];
  let at: Micros = (fault ?? f.steps[0])?.t ?? 0;
  // The first stretch is detection whatever milestone ends it (a manual failover starts at +try-failover).
  let pending: FailoverPhaseName | null = null;
  for (const [name, step] of MILESTONES) {
    const s = first(step);
    if (!s) {
      pending ??= name;
      continue;
    }
    if (s.t < at) continue;
    if (phases.length === 0 && !fault && s.t === at) {
      // No fault before it: the run starts at its first milestone.
      pending = null;
      continue;
    }
    phases.push({ name: phases.length === 0 && fault ? 'detection' : (pending ?? name), startUs: at, endUs: s.t, until: step, by: s.by });
    pending = null;
    at = s.t;
  }
  const abort = f.steps.find((s) => s.step.startsWith('-failover-abort'));
  if (f.outcome === 'aborted' && abort) {
    phases.push({ name: pending ?? 'election', startUs: at, endUs: abort.t, until: abort.step, by: abort.by });
  } else if (f.outcome === 'unfinished') {
    phases.push({ name: pending ?? 'promotion', startUs: at, endUs: runEndUs, until: 'the end of the run', by: '' });
  } else {
    const switched = first('+switch-master');
    if (switched && f.allSwitchedUs !== null && f.allSwitchedUs > switched.t) {
      phases.push({ name: 'propagation', startUs: switched.t, endUs: f.allSwitchedUs, until: `all ${f.sentinelsSwitched} Sentinels switched`, by: '' });
    }
    const conv = first('+convert-to-slave');
    const last = phases.at(-1)?.endUs ?? at;
    if (conv && conv.t >= last) phases.push({ name: 'conversion', startUs: last, endUs: conv.t, until: '+convert-to-slave', by: conv.by });
  }
  const startUs = phases[0]?.startUs ?? at;
  return {
    id,
    master: f.master,
    epoch: f.epoch,
    outcome: f.outcome,
    abort: f.abort ?? null,
    leader: f.leader,
    candidates: [...f.candidates],
    from: f.from,
    to: f.to,
    fault: fault?.detail ?? null,
    startUs,
    endUs: phases.at(-1)?.endUs ?? startUs,
    phases,
    why: f.why,
    sentinelsSwitched: f.sentinelsSwitched,
  };
}
