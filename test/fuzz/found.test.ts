/**
 * The model bugs replsim fuzz found (known-model-bugs.ts) still reproduce, each from its
 * file in test/fuzz/found/, failing the invariant it names. When a fix lands, its test
 * turns red on purpose: delete the reproducer and its entry in known-model-bugs.ts (the
 * clean campaign then holds the fix to account).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failureOf } from '../../sim/fuzz/property.js';
import { loadScenarioFile } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';
import { KNOWN_MODEL_BUGS } from './known-model-bugs.js';

const dir = join(import.meta.dirname, 'found');

describe('known model bugs found by fuzzing', () => {
  it('every reproducer in found/ belongs to a known bug, and every known bug has its reproducer', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    for (const f of files) expect(KNOWN_MODEL_BUGS.some((b) => f.startsWith(b.name)), f).toBe(true);
    for (const b of KNOWN_MODEL_BUGS) expect(files).toContain(b.reproducer);
  });

  for (const bug of KNOWN_MODEL_BUGS) {
    const files = readdirSync(dir).filter((f) => f.startsWith(bug.name) && f.endsWith('.yaml'));
    for (const file of files) {
      it(`${file} still fails (${bug.name}; if fixed, delete it and its entry)`, () => {
        const result = runScenario(loadScenarioFile(join(dir, file)));
        expect(result.ok).toBe(false);
        const failed: string[] = (result.check?.violations ?? []).map((v) => v.checker);
        expect(failed.includes(bug.checker) || failureOf(result)?.checker === bug.checker).toBe(true);
      });
    }
  }
});
