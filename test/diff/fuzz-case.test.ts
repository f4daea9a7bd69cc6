/**
 * The differential fuzzer's generator keeps every case away from the thresholds that decide
 * an outcome (sim/diff/fuzz-case.ts): checked over many seeds, from the generated cases.
 */
import { describe, expect, it } from 'vitest';
import { diffCaseText, generateDiffCase } from '../../sim/diff/fuzz-case.js';
import { shrinkCandidates } from '../../sim/diff/fuzz-campaign.js';
import { parseScenario } from '../../sim/scenario/load.js';

const SEEDS = Array.from({ length: 300 }, (_, i) => i * 7919 + 1);

describe('generated differential cases', () => {
  it('are valid scenarios, shorter than the 10 s replication PING, and the same for the same seed', () => {
    for (const seed of SEEDS) {
      const c = generateDiffCase(seed);
      expect(diffCaseText(generateDiffCase(seed))).toBe(diffCaseText(c));
      const s = parseScenario(diffCaseText(c), null);
      expect(s.durationUs, `seed ${seed}`).toBeLessThan(9_500_000);
    }
  });

  it('keep outages ≥ 2 s away from repl-timeout, and faults after the first sync', () => {
    for (const seed of SEEDS) {
      const c = generateDiffCase(seed);
      const timeoutMs = Number(c.config['repl-timeout']) * 1000;
      const firstFault = c.dataset ? 1500 : 1000;
      for (const step of c.steps) {
        const pause = /pause: \w+, for: (\d+)ms/.exec(step.body);
        const heal = step.body === 'heal: all' ? c.steps.find((x) => x.episode === step.episode && x.body.startsWith('partition')) : undefined;
        const outage = pause ? Number(pause[1]) : heal ? step.atMs - heal.atMs : null;
        if (outage !== null) expect(outage <= timeoutMs - 2000 || outage >= timeoutMs + 2000, `seed ${seed}: ${outage} ms vs ${timeoutMs}`).toBe(true);
        if (!step.body.includes('command:')) expect(step.atMs, `seed ${seed}: ${step.body}`).toBeGreaterThanOrEqual(firstFault);
      }
    }
  });

  it('promote only once writes stopped 500 ms before, and end 3 s after the last fault', () => {
    for (const seed of SEEDS) {
      const c = generateDiffCase(seed);
      const promotion = c.steps.find((s) => s.body.includes('NO ONE'));
      if (promotion && c.workload) expect(promotion.atMs - c.workload.untilMs, `seed ${seed}`).toBeGreaterThanOrEqual(500);
      const last = Math.max(0, ...c.steps.map((s) => s.atMs + (Number(/for: (\d+)ms/.exec(s.body)?.[1] ?? 0))));
      expect(c.durationMs - last, `seed ${seed}`).toBeGreaterThanOrEqual(2000);
    }
  });

  it('shrink to smaller cases only', () => {
    const c = generateDiffCase(SEEDS.find((s) => generateDiffCase(s).steps.length >= 3)!);
    for (const k of shrinkCandidates(c)) {
      const size = (x: typeof c): number => x.steps.length + (x.workload ? 1 : 0) + (x.dataset ? 1 : 0) + x.replicas + Object.keys(x.config).length + (x.chain ? 1 : 0);
      expect(size(k)).toBeLessThan(size(c));
    }
  });
});
