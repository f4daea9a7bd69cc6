/**
 * The expectations table of `replsim diff`: replsim's verdict list starts with the timeline's
 * `reply:` verdicts, which the real run's list (the expect: entries only) lacks, so the two
 * columns are paired by line and text, not by position.
 */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { DiffReport } from '../../sim/diff/diff.js';
import { formatDiffExpectations } from '../../sim/diff/format-diff.js';

describe('formatDiffExpectations', () => {
  it('pairs each real verdict with replsim\'s of the same expect: line when replsim also has timeline reply verdicts', () => {
    const c = new Chalk({ level: 0 });
    const r = {
      realExpectations: [
        { description: 's1 +elected-leader events = 1', ok: true, actual: 1, line: 32 },
        { description: 'r1 role = master', ok: false, actual: 'slave', line: 38 },
      ],
      simExpectations: [
        { description: 's1 SENTINEL SIMULATE-FAILURE crash-after-election at 2s → OK', ok: true, actual: 'OK', line: 28 },
        { description: 's1 +elected-leader events = 1', ok: true, actual: 1, line: 32 },
        { description: 'r1 role = master', ok: true, actual: 'master', line: 38 },
      ],
      real: { convergence: { ok: true, problems: [] } },
    } as unknown as DiffReport;
    const rows = formatDiffExpectations(r, c).split('\n').filter((l) => l.includes('='));
    expect(rows[0]).toMatch(/s1 \+elected-leader events = 1\s+✓ 1\s+✓ 1\s+32/);
    expect(rows[1]).toMatch(/r1 role = master\s+✗ slave\s+✓ master\s+38/);
  });
});
