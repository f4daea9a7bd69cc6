/**
 * `replsim calibrate` against the real redis-server (skipped when there is none): it
 * measures, prints a costs: section the scenario schema accepts, and leaves no process
 * or temp directory behind.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CliIO } from '../../sim/cli/io.js';
import { main } from '../../sim/cli/main.js';
import { costsSchema } from '../../sim/scenario/costs.js';

function which(bin: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}
const REDIS = which('redis-server');
if (REDIS === null) console.warn('calibrate test skipped: no redis-server on the PATH (apt-get install redis-server)');

const leftovers = (): string[] => readdirSync(tmpdir()).filter((f) => f.startsWith('replsim-calibrate-'));

describe.skipIf(REDIS === null)('replsim calibrate', () => {
  it('measures the real server and writes a costs: section', async () => {
    const before = leftovers();
    const out = join(mkdtempSync(join(tmpdir(), 'replsim-cal-out-')), 'costs.yaml');
    const err: string[] = [];
    const io: CliIO = { stdout: { write: () => true }, stderr: { write: (s: string) => err.push(s) }, env: {} };
    expect(await main(['calibrate', '--redis-server', REDIS!, '--keys', '20000,60000', '--out', out], io)).toBe(0);
    const yaml = readFileSync(out, 'utf8');
    expect(yaml).toMatch(/^# replsim calibrate: redis-server \d+\.\d+\.\d+/);
    const costs = costsSchema.parse((parse(yaml) as { costs: unknown }).costs);
    for (const k of ['rdb-save-keys-per-sec', 'rdb-load-keys-per-sec', 'flush-keys-per-sec']) expect(costs[k]).toBeGreaterThan(10_000);
    expect(costs['fork-ms-per-gb']).toBeGreaterThanOrEqual(0);
    // the fixed parts are always written (two sizes); the transfer rate when the log timed one
    expect(costs['rdb-save-base-ms']).toBeGreaterThanOrEqual(0);
    expect(costs['rdb-load-base-ms']).toBeGreaterThanOrEqual(0);
    expect(yaml).toMatch(/its child\/transfer\/load/);
    expect(err.join('')).toContain('60000 keys: SAVE');
    expect(leftovers()).toEqual(before);
    expect(existsSync(out)).toBe(true);
  });

  it('refuses a --repeat that is not a whole number ≥ 1', async () => {
    const err: string[] = [];
    const io: CliIO = { stdout: { write: () => true }, stderr: { write: (s: string) => err.push(s) }, env: {} };
    expect(await main(['calibrate', '--repeat', '0'], io)).toBe(2);
    expect(err.join('')).toContain('--repeat expects a whole number');
  });

  it('says so when the binary does not start', async () => {
    const err: string[] = [];
    const io: CliIO = { stdout: { write: () => true }, stderr: { write: (s: string) => err.push(s) }, env: {} };
    expect(await main(['calibrate', '--redis-server', '/nonexistent/redis-server'], io)).toBe(2);
    expect(err.join('')).toContain('could not start /nonexistent/redis-server');
  });
});
