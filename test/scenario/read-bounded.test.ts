/**
 * Input files that could make replsim read or wait forever (issue 20): /dev/zero is cut at
 * the limit, and a named pipe (FIFO) is read without blocking — refused when no process
 * writes to it, read to its end when a writer comes, however late.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAtMost } from '../../sim/scenario/read-bounded.js';

const dir = mkdtempSync(join(tmpdir(), 'replsim-read-bounded-'));

function fifo(name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

describe('readAtMost', () => {
  it('an endless device is cut one byte past the limit', () => {
    expect(readAtMost('/dev/zero', 1000)).toHaveLength(1000);
  });

  it('a FIFO no process writes to is refused (ENOWRITER) instead of waiting for ever', () => {
    const path = fifo('nobody.yaml');
    const t0 = performance.now();
    let code: unknown;
    try {
      readAtMost(path, 1000);
    } catch (e) {
      code = (e as { code?: unknown }).code;
    }
    expect(code).toBe('ENOWRITER');
    expect(performance.now() - t0).toBeLessThan(15_000);
  }, 30_000);

  it('a FIFO whose writer opens it late and writes slowly is read to its end', () => {
    const path = fifo('late.yaml');
    const src = join(dir, 'late-source.yaml');
    writeFileSync(src, 'name: t\nnodes: { m1: {} }\n');
    // Opens the FIFO 300 ms after us, writes half, waits, writes the rest.
    spawn('sh', ['-c', `sleep 0.3; exec 3>"${path}"; head -c 10 "${src}" >&3; sleep 0.3; tail -c +11 "${src}" >&3`], { stdio: 'ignore' });
    expect(readAtMost(path, 1000).toString()).toBe('name: t\nnodes: { m1: {} }\n');
  }, 30_000);
});
