/**
 * examples/ci: the GitHub Actions matrix and the Kubernetes Indexed Job split one campaign
 * into shards and merge their summaries. What makes that sound is checked here the way
 * they do it, with n local processes of the compiled CLI: the shards of campaign S with
 * `--runs K` each, merged, report exactly what one process running `--runs n×K` reports
 * (same cases, same events, faults, syncs and failures), wall-clock fields aside.
 * The example files are read, so their shard counts and commands are what is tested.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'sim', 'cli', 'main.js');
const examples = join(root, 'examples', 'ci');
const tmp = mkdtempSync(join(tmpdir(), 'replsim-shards-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Workflow {
  env: Record<string, string | number>;
  jobs: Record<string, { strategy?: { matrix: { shard: number[] } }; steps: Array<{ run?: string }> }>;
}

describe('examples/ci files', () => {
  it('GitHub Actions: one matrix job per shard of one seed, then a merge of every shard', () => {
    const wf = parse(readFileSync(join(examples, 'github-actions-fuzz.yml'), 'utf8')) as Workflow;
    const shards = Number(wf.env['SHARDS']);
    expect(wf.jobs['shard']!.strategy!.matrix.shard).toEqual([...Array(shards).keys()]);
    const fuzz = wf.jobs['shard']!.steps.map((s) => s.run ?? '').find((r) => r.includes('replsim fuzz'))!;
    expect(fuzz).toMatch(/--seed "\$CAMPAIGN_SEED"/);
    expect(fuzz).toMatch(/--shard \$\{\{ matrix\.shard \}\}\/\$SHARDS/);
    expect(wf.env['CAMPAIGN_SEED']).toMatch(/github\.run_id/); // the same in every job of a run
    expect(wf.jobs['merge']!.steps.map((s) => s.run ?? '').join('\n')).toMatch(/npx replsim fuzz --merge out\/\*/);
  });

  it('Kubernetes: an Indexed Job whose completion index is the shard, completions = shards', () => {
    const docs = readFileSync(join(examples, 'kubernetes-fuzz-job.yaml'), 'utf8').split(/^---$/m).map((d) => parse(d) as Record<string, any>);
    const job = docs.find((d) => d['kind'] === 'Job' && d['metadata'].name === 'replsim-fuzz')!;
    expect(job['spec'].completionMode).toBe('Indexed');
    const n = job['spec'].completions as number;
    const args = (job['spec'].template.spec.containers[0].args as string[]).join(' ');
    expect(args).toContain(`--shard "$JOB_COMPLETION_INDEX/${n}"`);
    expect(args).toContain('--out "/results/$JOB_COMPLETION_INDEX"');
    const merge = docs.find((d) => d['metadata']?.name === 'replsim-fuzz-merge')!;
    expect(JSON.stringify(merge)).toContain('npx replsim fuzz --merge /results/*');
  });
});

function fuzz(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'fuzz', ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

/** The summary without what depends on the machine or the shard layout. */
function comparable(s: Record<string, unknown>): Record<string, unknown> {
  const { runWallMs: _w, runCpuMs: _c, elapsedMs: _e, shards: _s, failures, failureSeeds, ...rest } = s as Record<string, unknown> & { failures: Array<{ caseSeed: number; checker: string }>; failureSeeds: Record<string, number[]> };
  const seeds = Object.fromEntries(Object.entries(failureSeeds).map(([k, v]) => [k, [...v].sort((a, b) => a - b)]));
  return { ...rest, failureSeeds: seeds, failed: failures.map((f) => `${f.checker}:${f.caseSeed}`).sort() };
}

describe.skipIf(!existsSync(cli))('a campaign sharded over processes', () => {
  it('merges to exactly the unsharded campaign', async () => {
    const n = 3;
    const perShard = 2;
    // A planted bug, so that failures (and their case seeds) are part of what must add up.
    const common = ['--seed', 'examples-ci', '--profile', 'quick', '--workers', '1', '--shrink-runs', '0', '--bug', 'replica-expires-keys'];
    const shards = await Promise.all([...Array(n).keys()].map((i) => fuzz([...common, '--runs', String(perShard), '--shard', `${i}/${n}`, '--out', join(tmp, `shard-${i}`)])));
    for (const s of shards) expect(s.code === 0 || s.code === 1, s.out).toBe(true);
    const whole = await fuzz([...common, '--runs', String(n * perShard), '--out', join(tmp, 'whole')]);
    expect(whole.code === 0 || whole.code === 1, whole.out).toBe(true);
    const merged = await fuzz(['--merge', ...[...Array(n).keys()].map((i) => join(tmp, `shard-${i}`)), '--json']);
    const m = JSON.parse(merged.out.trim().split('\n').at(-1)!) as Record<string, unknown>;
    const w = JSON.parse(readFileSync(join(tmp, 'whole', 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(m['runs']).toBe(n * perShard);
    expect(m['shards']).toEqual(['0/3', '1/3', '2/3']);
    expect(comparable(m)).toEqual(comparable(w));
    expect(merged.code).toBe(whole.code);
  }, 240_000);
});
