/**
 * The fidelity suite: every scenario in scenarios/ runs on real redis-server processes and
 * in replsim (sim/diff), and every compared field must agree — except the fields a scenario
 * lists as known differences, each with its reason (KNOWN-DIFFERENCES.md collects them).
 * The scenario's own `expect:` was recorded from real Redis, so it must hold there too.
 *
 * Real time: each scenario takes its `duration` of wall clock. They run one after another
 * (never in parallel: a busy CPU would move timings). Skipped without a redis-server.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { findRedisServer } from '../../sim/cli/diff.js';
import { knownDifferencesOf, runDiff } from '../../sim/diff/diff.js';
import { formatDiff } from '../../sim/diff/format-diff.js';
import { loadScenarioFile } from '../../sim/scenario/load.js';

const DIR = join(import.meta.dirname, 'scenarios');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
const REDIS = findRedisServer(process.env);
const plain = new Chalk({ level: 0 });

if (REDIS === null) {
  console.warn('test/differential: SKIPPED — no redis-server on the PATH (apt-get install redis-server; then npm run test:redis)');
}

describe('the differential scenarios', () => {
  it('are at least a dozen, each short and valid', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(12);
    let total = 0;
    for (const f of FILES) {
      const s = loadScenarioFile(join(DIR, f));
      knownDifferencesOf(s, readFileSync(join(DIR, f), 'utf8'));
      expect(s.durationUs, f).toBeLessThanOrEqual(6_000_000);
      total += s.durationUs;
    }
    expect(total).toBeLessThanOrEqual(75_000_000);
  });
});

describe.skipIf(REDIS === null)(
  REDIS === null ? 'replsim vs real redis-server — SKIPPED: no redis-server on the PATH' : `replsim vs real redis-server (${REDIS})`,
  () => {
    for (const f of FILES) {
      it(f, async () => {
        const file = join(DIR, f);
        const scenario = loadScenarioFile(file);
        const known = knownDifferencesOf(scenario, readFileSync(file, 'utf8'));
        const report = await runDiff(scenario, known, { redisServer: REDIS!, seed: scenario.seed ?? '1' });
        const text = formatDiff(report, plain);
        const unexpected = [
          ...report.fields.filter((x) => !x.equal && !x.known).map((x) => `${x.node}.${x.field}: real ${x.real}, replsim ${x.sim}`),
          ...report.commands.filter((x) => !x.equal && !x.known).map((x) => `command@${x.line} ${x.command}: real ${x.real}, replsim ${x.sim}`),
        ];
        expect(unexpected, text).toEqual([]);
        expect(report.sim.error, text).toBeUndefined();
        expect(report.realExpectations.filter((e) => !e.ok).map((e) => `${e.description} (real: ${String(e.actual)})`), text).toEqual([]);
      }, 30_000);
    }
  },
);
