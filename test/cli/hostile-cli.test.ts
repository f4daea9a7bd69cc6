/**
 * Hostile command lines and hostile ends (issue 20, issue 17 item 7): negative numbers,
 * unwritable output directories checked before any work, malformed summaries to merge,
 * signals that must still leave a summary, and a reader that closes the pipe early.
 */
import { spawn, execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { interruptGate, type SignalProcess } from '../../sim/cli/interrupt-gate.js';
import type { CliIO, InterruptSignal } from '../../sim/cli/io.js';
import { main } from '../../sim/cli/main.js';
import type { ReportRunners } from '../../sim/cli/report-pool.js';
import { sweepCommand } from '../../sim/cli/sweep.js';
import type { CellRun } from '../../sim/sweep/outcome.js';
import type { SweepResult } from '../../sim/sweep/sweep.js';

const dir = mkdtempSync(join(tmpdir(), 'replsim-hostile-cli-'));
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'not a directory\n');
const good = join(dir, 'good.yaml');
writeFileSync(good, 'name: good\nseed: 42\nduration: 2s\nnodes:\n  m1: {}\n  r1: { replicaof: m1 }\nexpect:\n  - { converged: true }\n');

function harness(): { io: CliIO; out: () => string; err: () => string; exits: number[]; interrupt: (s: InterruptSignal) => void } {
  const out: string[] = [];
  const err: string[] = [];
  const exits: number[] = [];
  let handler: ((s?: InterruptSignal) => void) | undefined;
  const io: CliIO = {
    stdout: { write: (s: string) => out.push(s), isTTY: false },
    stderr: { write: (s: string) => err.push(s) },
    env: {},
    onInterrupt: (h) => {
      handler = h;
      return () => (handler = undefined);
    },
    exit: (code) => exits.push(code),
  };
  return { io, out: () => out.join(''), err: () => err.join(''), exits, interrupt: (s) => handler?.(s) };
}

describe('negative numbers are values, checked by the option', () => {
  it.each([
    [['fuzz', '--runs', '-5'], /--runs expects a whole number ≥ 0, got "-5"/],
    [['fuzz', '--time', '-5s'], /--time.*not negative|--time.*-5s/],
    [['replay', '--seed', '1', '--around', '-5s'], /--around that is not negative, got "-5s"/],
    [['fuzz', '--workers', '-1'], /--workers expects a whole number ≥ 0, got "-1"/],
    [['sweep', good, '--vary', 'repl-timeout=5,10', '--seeds', '-2'], /--seeds expects a whole number ≥ 1, got "-2"/],
  ])('%j', async (args, message) => {
    const h = harness();
    expect(await main(args, h.io)).toBe(2);
    expect(h.err()).toMatch(message);
    expect(h.err()).not.toMatch(/ambiguous/);
  });
  it('an option with no value says which one needs it', async () => {
    const h = harness();
    expect(await main(['run', good, '--seed'], h.io)).toBe(2);
    expect(h.err()).toMatch(/--seed needs a value/);
  });
});

describe('scenario and costs files the file system refuses: one line, exit 2, no stack', () => {
  const loop = join(dir, 'loop-a.yaml');
  symlinkSync(join(dir, 'loop-b.yaml'), loop);
  symlinkSync(loop, join(dir, 'loop-b.yaml'));
  const badAlias = join(dir, 'costs-alias.yaml');
  writeFileSync(badAlias, 'costs: *nope\n');
  it.each([
    ['validate of a symlink loop', ['validate', loop], /loop-a\.yaml: too many levels of symbolic links/],
    ['replay of a symlink loop', ['replay', loop], /loop-a\.yaml: too many levels of symbolic links/],
    ['run of a path through a file', ['run', join(aFile, 'x.yaml')], /a-file\/x\.yaml: a part of the path is a file, not a directory/],
    ['--costs with an alias to no anchor', ['report', good, '--out', join(dir, 'r1'), '--costs', badAlias], /costs-alias\.yaml:1:8 the alias \*nope names no anchor/],
    ['--costs /dev/zero', ['report', good, '--out', join(dir, 'r2'), '--costs', '/dev/zero'], /\/dev\/zero:1:1 the file is larger than 2 MB/],
    ['--costs of a symlink loop', ['sweep', good, '--vary', 'repl-timeout=5,10', '--out', join(dir, 's1'), '--costs', loop], /too many levels of symbolic links/],
  ])('%s', async (_what, args, message) => {
    const h = harness();
    expect(await main(args, h.io)).toBe(2);
    expect(h.err()).toMatch(message);
    expect(h.err()).not.toMatch(/internal error|\n\s+at /);
  });
});

describe('campaign sizes that would exhaust memory are refused before any work', () => {
  it.each([
    ['sweep --seeds 1e9 (its runs are planned up front)', ['sweep', good, '--vary', 'repl-timeout=5,10', '--seeds', '1e9', '--out', join(dir, 's2')], /2 cell\(s\) × 1000000000 seed\(s\) = 2000000000 runs: over the limit of 100000/],
    ['fuzz --workers 100000 (one thread each)', ['fuzz', '--runs', '1', '--workers', '100000', '--out', join(dir, 'f1')], /--workers 100000: at most 256/],
    ['diff --fuzz --workers 1000 (real processes each)', ['diff', '--fuzz', '--runs', '1', '--workers', '1000', '--out', join(dir, 'd1')], /--workers 1000: expected a whole number from 1 to 32 \(each case runs its own redis-server/],
  ])('%s', async (_what, args, message) => {
    const h = harness();
    expect(await main(args, h.io)).toBe(2);
    expect(h.err()).toMatch(message);
    expect(h.out()).toBe('');
  });
});

describe('output directories are checked before any work', () => {
  it.each([
    ['fuzz', ['fuzz', '--runs', '1000', '--out', join(aFile, 'out')]],
    ['report', ['report', good, '--out', join(aFile, 'out')]],
    ['sweep', ['sweep', good, '--vary', 'repl-timeout=5,10', '--out', join(aFile, 'out')]],
    ['report under /proc', ['report', good, '--out', '/proc/replsim-test/out']],
  ])('%s: exit 2 at once, naming the file in the way', async (_name, args) => {
    const h = harness();
    expect(await main(args, h.io)).toBe(2);
    expect(h.err()).toMatch(/--out: cannot (use|write files in) .*(is a file, not a directory|no such file or directory)/);
    // Nothing ran: no campaign header, no report line.
    expect(h.out()).toBe('');
  });
});

describe('fuzz --merge of a malformed summary', () => {
  it.each([
    ['not JSON', '{"version": 1,'],
    ['a list', '[1, 2]'],
    ['runs missing', JSON.stringify({ version: 1, campaignSeed: 's', profile: 'quick', bugs: [], shards: ['0/1'] })],
    ['faults not numbers', JSON.stringify({
      version: 1, campaignSeed: 's', profile: 'quick', bugs: [], shards: ['0/1'], runs: 1, failedRuns: 0, events: 1, virtualUs: 1,
      runWallMs: 1, elapsedMs: 1, syncsFull: 0, syncsPartial: 0, faults: { crash: 'x' }, failuresByChecker: {}, failures: [],
    })],
  ])('%s → exit 2 with a message, no TypeError', async (name, text) => {
    const d = join(dir, `merge-${name.replace(/\W+/g, '-')}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'summary.json'), text);
    const h = harness();
    expect(await main(['fuzz', '--merge', d], h.io)).toBe(2);
    expect(h.err()).toMatch(/summary\.json/);
    expect(h.err()).not.toMatch(/TypeError|\n\s+at /);
  });
});

describe('a fuzz campaign stopped by a signal keeps what it did', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: summary.json (interrupted) and, with --json, the document on stdout', async (signal) => {
    const out = join(dir, `stopped-${signal}`);
    const h = harness();
    const io: CliIO = {
      ...h.io,
      // The signal comes as soon as the campaign listens for it: at its first await, between cases.
      onInterrupt: (handler) => {
        const off = h.io.onInterrupt!(handler);
        setImmediate(() => h.interrupt(signal));
        return off;
      },
    };
    const code = await main(['fuzz', '--runs', '50', '--profile', 'quick', '--seed', 'sig', '--out', out, '--json', '--workers', '1'], io);
    expect(code).toBe(signal === 'SIGTERM' ? 143 : 130);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { interrupted?: boolean; runs: number };
    expect(summary.interrupted).toBe(true);
    expect(summary.runs).toBeLessThan(50);
    expect(JSON.parse(h.out())).toMatchObject({ interrupted: true, campaignSeed: 'sig' });
  });
});

/** A stand-in for `process` that records the signals the gate raises again. */
function fakeProcess(): SignalProcess & { emit: (s: InterruptSignal) => void; kills: InterruptSignal[]; listening: () => number } {
  const em = new EventEmitter();
  const kills: InterruptSignal[] = [];
  return {
    pid: 4242,
    on: (s, l) => em.on(s, l),
    off: (s, l) => em.off(s, l),
    kill: (_pid, s) => kills.push(s),
    emit: (s) => em.emit(s),
    kills,
    listening: () => em.listenerCount('SIGINT') + em.listenerCount('SIGTERM'),
  };
}

describe('a signal while the command is still loading', () => {
  it('is held for the fuzz campaign, which writes the summary of its 0 runs and exits 143', async () => {
    const out = join(dir, 'stopped-loading');
    const h = harness();
    const proc = fakeProcess();
    const gate = interruptGate(proc);
    const io: CliIO = { ...h.io, onInterrupt: gate.onInterrupt, commandStarted: gate.commandStarted };
    const done = main(['fuzz', '--runs', '50', '--profile', 'quick', '--seed', 'early', '--out', out, '--json', '--workers', '1'], io);
    // main() is still importing the fuzz command: nothing listens yet.
    proc.emit('SIGTERM');
    expect(await done).toBe(143);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { interrupted?: boolean; runs: number };
    expect(summary).toMatchObject({ interrupted: true, runs: 0, campaignSeed: 'early' });
    expect(JSON.parse(h.out())).toMatchObject({ interrupted: true, runs: 0 });
    expect(h.exits).toEqual([143]);
    expect(proc.kills).toEqual([]);
  });
  it('ends the process by that signal when the command does not listen for it (as with no listener at all)', async () => {
    const h = harness();
    const proc = fakeProcess();
    const gate = interruptGate(proc);
    const done = main(['validate', good], { ...h.io, onInterrupt: gate.onInterrupt, commandStarted: gate.commandStarted });
    proc.emit('SIGINT');
    await done;
    expect(proc.kills).toEqual(['SIGINT']);
    expect(proc.listening()).toBe(0);
  });
  it('once the command has stopped listening, a signal ends the process at once', () => {
    const proc = fakeProcess();
    const gate = interruptGate(proc);
    const seen: (InterruptSignal | undefined)[] = [];
    const off = gate.onInterrupt((s) => seen.push(s));
    gate.commandStarted();
    proc.emit('SIGINT');
    off();
    proc.emit('SIGTERM');
    expect(seen).toEqual(['SIGINT']);
    expect(proc.kills).toEqual(['SIGTERM']);
  });
});

describe('a sweep stopped by a signal keeps what it found', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: the finished runs are written, marked incomplete; cells no run finished read "not run"', async (signal) => {
    const out = join(dir, `sweep-stopped-${signal}`);
    const h = harness();
    let started = 0;
    const runners: ReportRunners = {
      threaded: false,
      report: () => Promise.reject(new Error('not used')),
      cell: async (_s, seed) => {
        // Two runs finish; the signal arrives during the third, which never ends.
        if (++started === 3) {
          h.interrupt(signal);
          return new Promise<CellRun>(() => {});
        }
        return {
          seed, outcome: 'full', fullSyncs: 2, partialSyncs: 0, abortedSyncs: 0, maxFullSyncsOfOneReplica: 2,
          recoveryUs: 1_000_000, unrecoveredFaults: 0, faults: 1, syncedUs: 2_000_000, expectationsOk: true, error: null, traceHash: '0',
        };
      },
    };
    void sweepCommand([good, '--vary', 'repl-timeout=5,10,20,30', '--out', out], h.io, runners);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.exits).toEqual([signal === 'SIGTERM' ? 143 : 130]);
    expect(h.err()).toMatch(/after 2 of 4 runs/);
    expect(h.err()).toContain(join(out, 'sweep.json'));
    const json = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as SweepResult;
    expect(json.incomplete).toEqual({ runsDone: 2, runsTotal: 4 });
    expect(json.cells.map((c) => c.runs.length)).toEqual([1, 1, 0, 0]);
    const md = readFileSync(join(out, 'sweep.md'), 'utf8');
    expect(md).toContain('Interrupted: 2 of 4 runs finished.');
    expect(md).toContain('full at repl-timeout=5…10; not run at repl-timeout=20…30');
    expect(md).toContain('| 20 | not run | — | — | — | — | — | — |');
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('Interrupted: 2 of 4 runs finished.');
  });
  it('a sweep stopped before any run finished writes nothing and says so', async () => {
    const out = join(dir, 'sweep-stopped-early');
    const h = harness();
    const runners: ReportRunners = {
      threaded: false,
      report: () => Promise.reject(new Error('not used')),
      cell: () => {
        h.interrupt('SIGINT');
        return new Promise<CellRun>(() => {});
      },
    };
    void sweepCommand([good, '--vary', 'repl-timeout=5,10', '--out', out], h.io, runners);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.exits).toEqual([130]);
    expect(h.err()).toMatch(/interrupted after 0 of 2 runs/);
    expect(existsSync(join(out, 'sweep.json'))).toBe(false);
  });
});

describe('run --json always emits a document', () => {
  it('a run stopped by SIGTERM prints one JSON line with the seed and exits 143', async () => {
    const h = harness();
    const io: CliIO = {
      ...h.io,
      execute: async (scenario, opts) => {
        opts.onProgress?.(1_000_000);
        h.interrupt('SIGTERM');
        // What the process would have done had exit() ended it: nothing more.
        return new Promise(() => {});
      },
    };
    void main(['run', good, '--json'], io);
    await new Promise((r) => setImmediate(r));
    expect(h.exits).toEqual([143]);
    expect(JSON.parse(h.out())).toMatchObject({ scenario: 'good', seed: '42', ok: false, interrupted: 'SIGTERM', virtualTimeUs: 1_000_000 });
  });
});

describe('the built binary at the ends of a pipe', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const bin = join(root, 'dist/sim/cli/main.js');
  beforeAll(() => {
    try {
      execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' }); // the package's build: tsc, then build/ambient-types.mjs
    } catch {
      /* type errors elsewhere; only the entry point matters */
    }
  }, 120_000);

  it('replsim run … | head: a reader that stops early ends the run quietly (no EPIPE stack)', async () => {
    expect(existsSync(bin)).toBe(true);
    const child = spawn(process.execPath, [bin, 'run', join(root, 'scenarios/quickstart.yaml'), '--trace'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Like head -1: read the first chunk, then close our end.
    await new Promise<void>((resolve) => child.stdout.once('data', () => { child.stdout.destroy(); resolve(); }));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  }, 60_000);
});

describe('a limit met only at run time', () => {
  it('a Lua script that cannot yield and never ends stops the run: STOPPED, exit 2, no internal error', async () => {
    const spin = join(dir, 'spin-multi.yaml');
    writeFileSync(spin, `name: spin-multi\nduration: 3s\nnodes:\n  m1: {}\ntimeline:\n  - { at: 1s, node: m1, command: "MULTI" }\n  - { at: 1s, node: m1, command: "EVAL 'while true do end' 0" }\n  - { at: 1s, node: m1, command: "EXEC" }\n`);
    const h = harness();
    expect(await main(['run', spin], h.io)).toBe(2);
    expect(h.out()).toMatch(/STOPPED spin-multi: script [0-9a-f]{40} ran past 100000000 Lua instructions/);
    expect(h.err()).toMatch(/stopped at a run-time limit/);
    expect(h.err() + h.out()).not.toMatch(/internal error|crashed|\n\s+at /);
  });
});
