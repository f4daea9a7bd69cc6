/**
 * `replsim fuzz --check-determinism=process`: besides the two runs in the worker
 * (sim/fuzz/case-determinism.ts), the case runs once more in a child process
 * (fuzz-case-trace.js), which catches what two runs of one process share — module state set
 * before the first case, the process's environment. A difference becomes the run's
 * `determinism` failure, with the first differing record.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CampaignConfig, RunRecord } from '../fuzz/index.js';
import { canonicalTime, determinismFailure, firstCanonicalDifference, hashOnlyFinding } from '../fuzz/index.js';

const CHILD = new URL('./fuzz-case-trace.js', import.meta.url);

/** null when a child process can run a case (the compiled CLI); else why not. */
export function childProcessUnavailable(): string | null {
  if (CHILD.protocol === 'file:' && existsSync(fileURLToPath(CHILD))) return null;
  return '--check-determinism=process needs the compiled CLI (npm run build; the TypeScript sources cannot start a child process)';
}

/** Compares the record's canonical trace with a child process's run of the same case; updates the record on a difference. */
export function checkInChildProcess(cfg: CampaignConfig, record: RunRecord): void {
  const mine = record.canonicalTrace;
  delete record.canonicalTrace;
  if (mine === undefined || record.failure !== null) return;
  const args = [fileURLToPath(CHILD), String(record.caseSeed), cfg.profile, cfg.samplePeriodUs !== undefined ? String(cfg.samplePeriodUs) : '-', ...cfg.bugs];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 30 });
  const lines = out.trimEnd().split('\n');
  const hash = (lines.pop() ?? '').replace(/^hash /, '');
  if (hash === record.traceHash) return;
  const d = firstCanonicalDifference(mine, lines);
  const between = 'this process and a child process';
  const finding = d === null
    ? hashOnlyFinding(between, [record.traceHash, hash])
    : { between, index: d.index, t: canonicalTime(d.a ?? d.b), a: d.a, b: d.b, hashes: [record.traceHash, hash] as [string, string] };
  record.determinism = finding;
  record.failure = determinismFailure(finding, record.caseSeed);
}
