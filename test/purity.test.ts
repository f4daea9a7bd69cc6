/**
 * docs/layers.md: engine/ net/ redis/ sentinel/ workload/ check/ are pure. No wall clock, no
 * unseeded randomness, no real timers, no async, no real I/O: any of these would make a
 * seed stop being one execution.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const PURE_DIRS = ['engine', 'net', 'redis', 'sentinel', 'workload', 'check'].map((d) => path.join(ROOT, 'sim', d));

const FORBIDDEN: [RegExp, string][] = [
  [/\bDate\b/, 'Date (wall clock)'],
  [/\bMath\.random\b/, 'Math.random (unseeded)'],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask)\b/, 'real timers'],
  [/\bperformance\.now\b/, 'performance.now (wall clock)'],
  [/\bprocess\.hrtime\b/, 'process.hrtime (wall clock)'],
  [/\basync\s/, 'async'],
  [/\bawait\s/, 'await'],
  [/(from\s+|import\s*\(\s*|require\s*\(\s*)['"](node:)?(fs|fs\/promises|net|child_process|worker_threads)['"]/, 'real I/O module'],
];

/** The line without a trailing // comment; empty for comment-only lines. */
function codeOf(line: string): string {
  const t = line.trim();
  if (t.startsWith('//') || t.startsWith('*') || t.startsWith('/*')) return '';
  const i = line.search(/(^|\s)\/\/\s/);
  return i >= 0 ? line.slice(0, i) : line;
}

export function impurities(source: string): string[] {
  const found: string[] = [];
  source.split('\n').forEach((line, i) => {
    const code = codeOf(line);
    for (const [re, what] of FORBIDDEN) if (re.test(code)) found.push(`${i + 1}: ${what}: ${line.trim()}`);
  });
  return found;
}

function tsFiles(dir: string): string[] {
  let exists = false;
  try {
    exists = statSync(dir).isDirectory();
  } catch {
    return [];
  }
  if (!exists) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f))
    .sort();
}

describe('purity of the model layers', () => {
  it('the checker catches each forbidden construct and ignores comments', () => {
    const bad = [
      'const t = Date.now();',
      'const x = Math.random();',
      'setTimeout(f, 1);',
      'setImmediate(f);',
      'const t = performance.now();',
      'const t = process.hrtime.bigint();',
      'async function f() {}',
      'const v = await p;',
      "import { readFileSync } from 'node:fs';",
      "import net from 'net';",
      "import { spawn } from 'node:child_process';",
      "import { Worker } from 'node:worker_threads';",
    ];
    for (const line of bad) expect(impurities(line), line).toHaveLength(1);
    const fine = [
      '// Date.now() would break determinism',
      ' * never Math.random()',
      'const x = 1; // not setTimeout',
      'const updated = true;',
      "import { Network } from '../net/network.js';",
    ];
    for (const line of fine) expect(impurities(line), line).toEqual([]);
  });

  it('no file under sim/{engine,net,redis,sentinel,workload,check} uses them', () => {
    const files = PURE_DIRS.flatMap(tsFiles);
    expect(files.length).toBeGreaterThan(0);
    const problems = files.flatMap((f) => impurities(readFileSync(f, 'utf8')).map((p) => `${path.relative(ROOT, f)}:${p}`));
    expect(problems).toEqual([]);
  });
});
