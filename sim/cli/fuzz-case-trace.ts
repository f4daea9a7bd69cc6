/**
 * Child-process entry of `replsim fuzz --check-determinism=process`: runs one fuzz case in
 * a fresh process and prints its canonical trace, one record per line, then `hash <h>`.
 * The parent compares it with its own run of the case (fuzz-determinism.ts).
 *
 *   node fuzz-case-trace.js <case seed> <profile> <sample period µs | -> [bug…]
 */
import { canonicalRecord } from '../engine/index.js';
import { generateCase } from '../fuzz/index.js';
import { profileNamed } from '../fuzz/index.js';
import { caseScenario } from '../fuzz/index.js';
import { recordedRun } from '../scenario/determinism.js';

// The parent may be gone (stopped by a signal) before the trace is written: end quietly.
process.stdout.on('error', () => process.exit(0));

const [seedText, profile, sample, ...bugs] = process.argv.slice(2);
const scenario = caseScenario(generateCase(Number(seedText), profileNamed(profile ?? 'default')));
const { result, records } = recordedRun(scenario, { bugs, ...(sample !== undefined && sample !== '-' ? { samplePeriodUs: Number(sample) } : {}) });
const out: string[] = records.map(canonicalRecord);
out.push(`hash ${result.traceHash}`);
process.stdout.write(`${out.join('\n')}\n`);
