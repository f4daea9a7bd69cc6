/**
 * Every generator must be built with an explicit seed: unseeded, seedrandom's xor4096
 * reads Date and its default generator reads crypto (perf-notes.md). Checked two ways:
 * statically, every seedrandom call site in sim/ passes an argument; and at run time,
 * every construction during a network workload receives a string seed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runChaos } from '../net/support/chaos.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('seeded generators only', () => {
  afterEach(() => vi.restoreAllMocks());

  it('every seedrandom call in sim/ passes a seed argument', () => {
    const files = readdirSync(path.join(ROOT, 'sim'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(ROOT, 'sim', f));
    const calls: string[] = [];
    for (const f of files) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/\bseedrandom(\.\w+)?\s*\(([^)]*)\)/g)) {
        calls.push(`${path.relative(ROOT, f)}: ${m[0]}`);
        expect(m[2]!.trim(), `${path.relative(ROOT, f)}: ${m[0]}`).not.toBe('');
      }
    }
    // The one construction site is random.ts; more are fine as long as they pass a seed.
    expect(calls.some((c) => c.startsWith(path.join('sim', 'engine', 'random.ts')))).toBe(true);
  });

  it('at run time, every generator constructed gets a string seed and nothing else is called', () => {
    const seeds: unknown[][] = [];
    const original = seedrandom.xor4096;
    const spy = vi.spyOn(seedrandom, 'xor4096').mockImplementation(((...args: Parameters<typeof original>) => {
      seeds.push(args);
      return original(...args);
    }) as typeof original);
    const others = (['alea', 'xor128', 'xorwow', 'xorshift7', 'tychei'] as const).map((k) => vi.spyOn(seedrandom, k));
    runChaos('seeding-check');
    expect(spy).toHaveBeenCalled();
    for (const args of seeds) {
      expect(typeof args[0]).toBe('string');
      expect(args[0]).toMatch(/^seeding-check\//);
    }
    for (const o of others) expect(o).not.toHaveBeenCalled();
  });
});
