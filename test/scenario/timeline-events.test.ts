/**
 * --trace kinds (issue 17 item 7): every kind the model records belongs to a family that
 * --trace accepts, a family selects its records by prefix, and an unknown kind is refused.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { timelineEvent, TRACE_KIND_FAMILIES, traceKindProblem } from '../../sim/scenario/timeline-events.js';
import type { TraceEvent } from '../../sim/engine/index.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('trace kinds', () => {
  it('every kind recorded in sim/ (trace(…) / record(…) with a literal kind) is in a known family', () => {
    const root = fileURLToPath(new URL('../../sim', import.meta.url));
    const kinds = new Set<string>();
    for (const file of sources(root)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:trace|record|emit)\(\s*'([a-z0-9-]+\.[a-z0-9.-]+)'/g)) kinds.add(m[1]!);
    }
    expect(kinds.size).toBeGreaterThan(50);
    expect([...kinds].filter((k) => traceKindProblem(k) !== null)).toEqual([]);
  });
  it('a family or a prefix selects records; an exact kind selects itself', () => {
    const rec: TraceEvent = { t: 1, node: 'r1', kind: 'net.connect.fail', conn: 1, to: 'r2', port: 6379, reason: 'refused' };
    expect(timelineEvent(rec, new Set(['net']))?.kind).toBe('net.connect.fail');
    expect(timelineEvent(rec, new Set(['net.connect']))?.kind).toBe('net.connect.fail');
    expect(timelineEvent(rec, new Set(['net.connect.fail']))?.kind).toBe('net.connect.fail');
    expect(timelineEvent(rec, new Set(['rdb']))).toBeNull();
    expect(timelineEvent(rec, new Set())).toBeNull();
  });
  it('an unknown kind is refused with the list of families', () => {
    expect(traceKindProblem('nte')).toMatch(new RegExp(`unknown trace kind "nte".*${TRACE_KIND_FAMILIES.join(', ')}`));
    expect(traceKindProblem('replica.link-up')).toBeNull();
  });
});
