/**
 * `run --check-determinism[=process]`: the run is repeated and compared record by record
 * (in this process, with every trace record kept) or by trace hash (in a fresh child
 * process, which also catches hidden state shared between runs of one process).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkDeterminism } from '../scenario/determinism.js';
import type { RunOptions, RunResult } from '../scenario/result.js';
import type { Scenario } from '../scenario/scenario.js';

export interface DeterminismVerdict {
  ok: boolean;
  text: string;
}

export async function determinismVerdict(scenario: Scenario, opts: RunOptions, first: RunResult, mode: 'memory' | 'process'): Promise<DeterminismVerdict> {
  // The same options as the first run (seed, bugs, checkers…), minus the progress display.
  const { onProgress: _progress, observe: _observe, ...base } = opts;
  const report = checkDeterminism(scenario, base);
  const seed = first.seed;
  if (!report.ok) {
    const d = report.difference;
    const where = d ? `first differing trace record #${d.index} at t=${d.t ?? '?'}us:\n  run 1: ${d.a ?? '(none)'}\n  run 2: ${d.b ?? '(none)'}` : `same records, hashes ${report.hashes[0]} vs ${report.hashes[1]}`;
    return { ok: false, text: `determinism: FAILED for ${scenario.name} (seed ${seed}): ${where}\n` };
  }
  if (report.hashes[0] !== first.traceHash) {
    return { ok: false, text: `determinism: FAILED for ${scenario.name} (seed ${seed}): the checked runs hash ${report.hashes[0]}, the first run ${first.traceHash}\n` };
  }
  if (mode === 'process' && scenario.file !== null) {
    const main = fileURLToPath(new URL('./main.js', import.meta.url));
    const args = [main, mode === 'process' && opts.check ? 'replay' : 'run', scenario.file, ...(opts.check ? [] : ['--seed', seed]), '--json', ...(opts.bugs ?? []).flatMap((b) => ['--bug', b])];
    const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
    const child = JSON.parse(out.trim().split('\n')[0] ?? '{}') as RunResult;
    if (child.traceHash !== first.traceHash) {
      return { ok: false, text: `determinism: FAILED for ${scenario.name} (seed ${seed}): a child process hashes ${child.traceHash}, this process ${first.traceHash} — state leaks between runs or depends on the process\n` };
    }
  }
  return { ok: true, text: `determinism: ok for ${scenario.name} (seed ${seed}): ${report.records} trace records identical, hash ${first.traceHash}${mode === 'process' ? ', also in a child process' : ''}\n` };
}
