/**
 * What a checker reports. A violation is a property that failed: it names the checker, the
 * node, the virtual time and the seed, so one line is enough to start a replay. An anomaly
 * is a documented Redis behaviour the history explains (an acknowledged write lost to a
 * failover onto a replica that did not have it): reported with its causes, not a failure.
 */
import { type Micros, type TraceEvent, type TraceRecord, formatMicros } from '../engine/index.js';

export const CHECKER_NAMES = [
  'convergence',
  'prefix-consistency',
  'durability',
  'liveness',
  'monotonic-offsets',
  'read-only-replicas',
  'info-consistency',
  'sentinel-agreement',
  'sentinel-election',
  'sentinel-promotion',
  'sentinel-client-writes',
] as const;

export type CheckerName = (typeof CHECKER_NAMES)[number];

export function isCheckerName(s: string): s is CheckerName {
  return (CHECKER_NAMES as readonly string[]).includes(s);
}

export interface Violation {
  checker: CheckerName;
  node: string | null;
  t: Micros;
  seed: string;
  message: string;
  /** History events that led to it (most recent last), for the report. */
  events: TraceEvent[];
}

export interface Anomaly {
  checker: CheckerName;
  node: string | null;
  t: Micros;
  message: string;
  events: TraceEvent[];
}

export interface CheckerResult {
  checker: CheckerName;
  ok: boolean;
  violations: Violation[];
  anomalies: Anomaly[];
  /** What the checker could not decide or measured (e.g. "converged 2.3s after the faults"). */
  notes: string[];
}

/** Violations kept per checker: the first ones are what matters, the count is still reported. */
export const MAX_VIOLATIONS = 20;

/** Collects one checker's findings. */
export class Findings {
  readonly violations: Violation[] = [];
  readonly anomalies: Anomaly[] = [];
  readonly notes: string[] = [];
  private dropped = 0;

  constructor(
    readonly checker: CheckerName,
    private readonly seed: string,
  ) {}

  violation(node: string | null, t: Micros, message: string, events: TraceEvent[] = []): void {
    if (this.violations.length >= MAX_VIOLATIONS) {
      this.dropped++;
      return;
    }
    this.violations.push({ checker: this.checker, node, t, seed: this.seed, message, events });
  }

  anomaly(node: string | null, t: Micros, message: string, events: TraceEvent[] = []): void {
    if (this.anomalies.length < MAX_VIOLATIONS) this.anomalies.push({ checker: this.checker, node, t, message, events });
  }

  note(text: string): void {
    this.notes.push(text);
  }

  result(): CheckerResult {
    if (this.dropped > 0) this.notes.push(`${this.dropped} more violation(s) not listed`);
    return { checker: this.checker, ok: this.violations.length === 0, violations: this.violations, anomalies: this.anomalies, notes: this.notes };
  }
}

/** One line: `[checker] node at 12.5s (seed 42): message`. */
export function formatViolation(v: Violation): string {
  return `[${v.checker}] ${v.node ?? 'cluster'} at ${formatMicros(v.t)} (seed ${v.seed}): ${v.message}`;
}
