import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIO, Executor } from '../../sim/cli/io.js';
import { main } from '../../sim/cli/main.js';
import type { RunResult } from '../../sim/scenario/result.js';
import type { Scenario } from '../../sim/scenario/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'replsim-cli-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const GOOD = 'name: good\nseed: 42\nduration: 5s\nnodes:\n  m1: {}\n  r1: { replicaof: m1 }\nexpect:\n  - { converged: true }\n';
const NO_SEED = 'name: unseeded\nduration: 5s\nnodes:\n  m1: {}\n';
const BAD = 'name: bad\nduration: 5s\nnodes:\n  m1: {}\nconfig:\n  repl-timout: 5\n';
const good = file('good.yaml', GOOD);
const noSeed = file('no-seed.yaml', NO_SEED);
const bad = file('bad.yaml', BAD);

/** A stand-in runner: passes unless the scenario is named "failing"; records what it was asked. */
function fakeResult(s: Scenario, seed: string, ok: boolean): RunResult {
  return {
    scenario: s.name, file: s.file, seed, ok, traceHash: '00ff00ff00ff00ff', virtualTimeUs: s.durationUs, events: 12, wallMs: 3,
    nodes: {
      m1: { info: { role: 'master', connected_slaves: 1, master_replid: 'a'.repeat(40), master_repl_offset: 54 }, stats: { sync_full: 1 }, persistence: {}, dbsize: 1, digest: 'b'.repeat(40), keys: 1 },
    },
    commands: [{ at: 1_000_000, node: 'm1', command: 'SET foo bar', reply: 'OK' }],
    expectations: [{ description: 'converged', ok, actual: ok, line: 8 }],
    convergence: { ok, problems: ok ? [] : ['r1: offset 0 behind m1 at 54'] },
    timeline: [{ t: 500_000, node: 'r1', kind: 'sync', text: 'full resync', severity: 'sync' }],
  };
}

interface Harness {
  io: CliIO;
  out: () => string;
  err: () => string;
  runs: Array<{ name: string; seed: string | undefined }>;
  exits: number[];
}

function harness(opts: { tty?: boolean; env?: Record<string, string>; execute?: Executor } = {}): Harness {
  const out: string[] = [];
  const err: string[] = [];
  const runs: Harness['runs'] = [];
  const exits: number[] = [];
  const io: CliIO = {
    stdout: { write: (s: string) => out.push(s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => err.push(s) },
    env: opts.env ?? {},
    execute: opts.execute ?? (async (s, o) => {
      runs.push({ name: s.name, seed: o.seed });
      return fakeResult(s, o.seed ?? '?', s.name !== 'failing');
    }),
    newSeed: () => 'fresh-seed',
    exit: (code) => exits.push(code),
  };
  return { io, out: () => out.join(''), err: () => err.join(''), runs, exits };
}

describe('usage and help', () => {
  it('exits 2 with help on stderr when no command is given', async () => {
    const h = harness();
    expect(await main([], h.io)).toBe(2);
    expect(h.err()).toMatch(/Usage:/);
    expect(h.out()).toBe('');
  });
  it.each([['--help'], ['-h'], ['help'], ['run', '--help'], ['validate', '--help'], ['help', 'run'], ['run', 'x.yaml', '-h']])(
    '%s prints help and exits 0',
    async (...args) => {
      const h = harness();
      expect(await main(args, h.io)).toBe(0);
      expect(h.out()).toMatch(/Usage: replsim|Usage:\n/);
    },
  );
  it('each command has its own help', async () => {
    const run = harness();
    await main(['run', '--help'], run.io);
    expect(run.out()).toMatch(/--seed S/);
    const validate = harness();
    await main(['validate', '--help'], validate.io);
    expect(validate.out()).toMatch(/without running it/);
  });
  it('--version prints the package version', async () => {
    const h = harness();
    expect(await main(['--version'], h.io)).toBe(0);
    expect(h.out()).toMatch(/^replsim \d+\.\d+\.\d+\n$/);
  });
  it.each([
    [['rnu', good], /unknown command "rnu"; did you mean run\?/],
    [['--seed', '1'], /unknown option --seed/],
    [['run'], /run needs at least one scenario FILE/],
    [['validate'], /validate needs at least one scenario FILE/],
    [['run', '--bogus', good], /unknown option --bogus/],
    [['run', '--sede', '1', good], /unknown option --sede; did you mean --seed\?/],
    [['run', '--trace=nte', good], /unknown trace kind "nte"; kinds are .*net/],
    [['run', good, '--seed'], /--seed/],
    [['run', good, '--seed='], /--seed needs a non-empty value/],
  ])('bad usage %j exits 2 with the message on stderr', async (args, message) => {
    const h = harness();
    expect(await main(args, h.io)).toBe(2);
    expect(h.err()).toMatch(message);
    expect(h.out()).toBe('');
    expect(h.runs).toEqual([]);
  });
});

describe('validate', () => {
  it('exits 0 on a good file', async () => {
    const h = harness();
    expect(await main(['validate', good], h.io)).toBe(0);
    expect(h.out()).toBe(`ok ${good}: good, 2 nodes, 5s, 0 timeline steps, 1 expectations\n`);
  });
  it('exits 2 on an invalid file with file:line:col path: message and hint', async () => {
    const h = harness();
    expect(await main(['validate', good, bad], h.io)).toBe(2);
    expect(h.err()).toBe(`${bad}:6:3 config.repl-timout: unknown redis.conf option "repl-timout"\n  hint: did you mean repl-timeout?\n`);
  });
  it('exits 2 on a missing file or a directory', async () => {
    const h = harness();
    expect(await main(['validate', join(dir, 'nope.yaml')], h.io)).toBe(2);
    expect(h.err()).toMatch(/nope\.yaml: no such file/);
    const d = harness();
    mkdirSync(join(dir, 'sub'), { recursive: true });
    expect(await main(['validate', join(dir, 'sub')], d.io)).toBe(2);
    expect(d.err()).toMatch(/is a directory/);
  });
});

describe('run', () => {
  it('prints header, timeline, nodes, expectations, seed, trace hash and replay line; exits 0', async () => {
    const h = harness();
    expect(await main(['run', good], h.io)).toBe(0);
    const out = h.out();
    expect(out).toMatch(/^good\n/);
    expect(out).toMatch(/seed\s+42 \(the file\)\s+duration 5s/);
    expect(out).toMatch(/nodes\s+m1 master; r1 replica of m1/);
    expect(out).toMatch(/config\s+repl-backlog-size 1mb, .*repl-timeout 60/);
    expect(out).toMatch(/network\s+latency 200us, bandwidth 1gbit/);
    expect(out).toMatch(/0\.500000s\s+r1\s+full resync/);
    expect(out).toMatch(/1\.000000s\s+m1\s+SET foo bar → OK/);
    expect(out).toMatch(/m1\s+master\s+-\s+aaaaaaaa\s+54\s+1 replicas/);
    expect(out).toMatch(/✓ converged\s+actual true\s+line 8/);
    expect(out).toMatch(/trace 00ff00ff00ff00ff/);
    expect(out).toContain(`replay  npx replsim run ${good} --seed 42`);
    expect(out).toMatch(/PASS good: 1\/1 expectations held {2}seed 42\n$/);
    expect(out).not.toMatch(/\x1b\[/);
    expect(h.runs).toEqual([{ name: 'good', seed: '42' }]);
  });
  it('exits 1 when an expectation fails, and shows the replay command in the verdict', async () => {
    const failing = file('failing.yaml', GOOD.replace('name: good', 'name: failing'));
    const h = harness();
    expect(await main(['run', failing], h.io)).toBe(1);
    expect(h.out()).toMatch(/✗ converged\s+actual false/);
    expect(h.out()).toMatch(/r1: offset 0 behind m1 at 54/);
    expect(h.out()).toContain(`FAIL failing: 0/1 expectations held  seed 42  (npx replsim run ${failing} --seed 42)`);
  });
  it('--seed overrides the file; a fresh seed is chosen when neither gives one', async () => {
    const h = harness();
    await main(['run', good, noSeed, '--seed', '7', '--quiet'], h.io);
    expect(h.runs).toEqual([{ name: 'good', seed: '7' }, { name: 'unseeded', seed: '7' }]);
    const f = harness();
    await main(['run', noSeed], f.io);
    expect(f.runs).toEqual([{ name: 'unseeded', seed: 'fresh-seed' }]);
    expect(f.out()).toMatch(/seed\s+fresh-seed \(fresh\)/);
  });
  it('--json prints exactly one RunResult per line and nothing else', async () => {
    const h = harness({ tty: true });
    expect(await main(['run', good, noSeed, '--json'], h.io)).toBe(0);
    const lines = h.out().split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => (JSON.parse(l) as RunResult).scenario)).toEqual(['good', 'unseeded']);
    expect((JSON.parse(lines[0]!) as RunResult).seed).toBe('42');
  });
  it('--quiet prints only the verdict lines', async () => {
    const h = harness();
    await main(['run', good, noSeed, '-q'], h.io);
    expect(h.out()).toBe('PASS good: 1/1 expectations held  seed 42\nPASS unseeded: 1/1 expectations held  seed fresh-seed\n');
  });
  it('--trace passes trace kinds to the runner', async () => {
    const seen: unknown[] = [];
    const execute: Executor = async (s, o) => {
      seen.push(o.traceKinds);
      return fakeResult(s, o.seed!, true);
    };
    await main(['run', good, '--trace', '-q'], harness({ execute }).io);
    await main(['run', good, '--trace=repl.psync,net.partition', '-q'], harness({ execute }).io);
    expect(seen).toEqual(['all', ['repl.psync', 'net.partition']]);
  });
  it('runs nothing when any file is invalid (exit 2)', async () => {
    const h = harness();
    expect(await main(['run', good, bad], h.io)).toBe(2);
    expect(h.runs).toEqual([]);
    expect(h.err()).toMatch(/bad\.yaml:6:3 config\.repl-timout/);
  });
  it('a crash is an internal error: exit 3 with the seed and the replay command (human and JSON)', async () => {
    const crash: Executor = async () => {
      const e = new Error('offset went backwards [seed="42" t=1.000000s (1000000us)]');
      e.name = 'SimulationAssertion';
      throw e;
    };
    const h = harness({ execute: crash });
    expect(await main(['run', good], h.io)).toBe(3);
    expect(h.err()).toMatch(/internal error in good .*seed 42; replay: npx replsim run .* --seed 42/);
    expect(h.out()).toMatch(/crashed: SimulationAssertion: offset went backwards/);
    expect(h.out()).toMatch(/CRASH good: SimulationAssertion: offset went backwards .* seed 42 {2}\(npx replsim run .* --seed 42\)/);
    const j = harness({ execute: crash });
    expect(await main(['run', good, '--json'], j.io)).toBe(3);
    const doc = JSON.parse(j.out()) as RunResult;
    expect([doc.ok, doc.seed, doc.error]).toEqual([false, '42', expect.stringMatching(/offset went backwards/)]);
    expect(j.err()).toMatch(/crashed \(seed 42\)/);
  });
  it('Ctrl-C during a run prints the seed and the replay command, then exits 130', async () => {
    let interrupt: (() => void) | undefined;
    let unregistered = false;
    const h = harness({
      execute: async (s, o) => {
        o.onProgress?.(2_500_000);
        interrupt!();
        return fakeResult(s, o.seed!, true);
      },
    });
    h.io.onInterrupt = (handler) => {
      interrupt = handler;
      return () => {
        unregistered = true;
      };
    };
    await main(['run', good], h.io);
    expect(h.err()).toContain('interrupted: good at virtual time 2.500000s; seed 42');
    expect(h.err()).toContain(`replay: npx replsim run ${good} --seed 42`);
    expect(h.exits).toEqual([130]);
    expect(unregistered).toBe(true);
  });
  it('colours only on a TTY without NO_COLOR or --no-color', async () => {
    const tty = harness({ tty: true });
    await main(['run', good], tty.io);
    expect(tty.out()).toMatch(/\x1b\[/);
    for (const h of [harness({ tty: true, env: { NO_COLOR: '1' } }), harness({ tty: true })]) {
      await main(['run', good, ...(h.io.env['NO_COLOR'] ? [] : ['--no-color'])], h.io);
      expect(h.out()).not.toMatch(/\x1b\[/);
    }
  });
});

describe('run --costs and --trace kinds (issue 17 item 7)', () => {
  // A full sync of 200k keys: its load time, and so the trace, depends on rdb-load-keys-per-sec.
  const sync = file('costs-sync.yaml', 'name: costs-sync\nseed: 3\nduration: 6s\nconfig: { repl-diskless-sync-delay: 0 }\nnodes:\n  m1: {}\n  r1: { replicaof: m1 }\ndataset: { node: m1, keys: 200000, value-size: 10 }\n');
  const slow = file('slow-load.yaml', '# from calibrate\ncosts:\n  rdb-load-keys-per-sec: 50000\n  rdb-load-base-ms: 0\n');
  const real = (): Harness => harness({ execute: async (s, o) => (await import('../../sim/scenario/runner.js')).runScenario(s, o) });
  const loadLine = (out: string): string => /RDB loaded: 200000 keys in [\d.]+m?s/.exec(out)?.[0] ?? '';

  it('lays the file\'s costs over the scenario, and the replay line carries --costs', async () => {
    const plain = real();
    expect(await main(['run', sync], plain.io)).toBe(0);
    const h = real();
    expect(await main(['run', sync, '--costs', slow], h.io)).toBe(0);
    // 200,000 keys at 50,000 keys/s: 4 s of load instead of the default's fraction of a second.
    expect(loadLine(h.out())).toBe('RDB loaded: 200000 keys in 4s');
    expect(loadLine(plain.out())).not.toBe(loadLine(h.out()));
    expect(h.out()).toContain(`replay  npx replsim run ${sync} --seed 3 --costs ${slow}`);
  });
  it('refuses a bad --costs file before any run (exit 2)', async () => {
    const h = harness();
    expect(await main(['run', good, '--costs', file('bad-costs.yaml', 'costs: { fork-speed: 3 }\n')], h.io)).toBe(2);
    expect(await main(['run', good, '--costs', join(dir, 'nope.yaml')], h.io)).toBe(2);
    expect(h.runs).toEqual([]);
    expect(h.err()).toMatch(/fork-speed/);
  });
  it('refuses a kind outside the families, and names a kind that matched no record of the run', async () => {
    const bad = harness();
    expect(await main(['run', good, '--trace=bogus'], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/unknown trace kind "bogus"/);
    const h = real();
    expect(await main(['run', sync, '--trace=repl.bakclog,rdb.fork', '-q'], h.io)).toBe(0);
    expect(h.err()).toContain('--trace repl.bakclog: no record of costs-sync has a kind starting with "repl.bakclog"');
    expect(h.err()).not.toContain('--trace rdb.fork');
  });
  it('--trace KINDS with a space: told to write --trace=KINDS, not "no such file"', async () => {
    const h = harness();
    expect(await main(['run', good, '--trace', 'net,replica.link'], h.io)).toBe(2);
    expect(h.err()).toMatch(/--trace takes its kinds after "=": --trace=net,replica\.link/);
    expect(h.runs).toEqual([]);
    // A file after a bare --trace is still a file.
    expect(await main(['run', '--trace', good, '-q'], harness().io)).toBe(0);
  });
  it('run --help lists every trace family and --costs', async () => {
    const h = harness();
    await main(['run', '--help'], h.io);
    const { TRACE_KIND_FAMILIES } = await import('../../sim/scenario/timeline-events.js');
    const families = /the families are\n([\s\S]*?)\n {20}a kind outside/.exec(h.out())![1]!.split(/\s+/).filter((w) => w !== '');
    expect(families).toEqual([...TRACE_KIND_FAMILIES]);
    expect(h.out()).toMatch(/--costs FILE/);
  });
});

describe('the built binary', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const bin = join(root, 'dist/sim/cli/main.js');
  beforeAll(() => {
    // Others' files may not compile yet; tsc still emits, and only our entry point matters here.
    try {
      execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' }); // the package's build: tsc, then build/ambient-types.mjs
    } catch {
      /* type errors elsewhere */
    }
  }, 120_000);

  it('has a shebang and validates a good file (exit 0)', () => {
    expect(existsSync(bin)).toBe(true);
    const r = spawnSync(process.execPath, [bin, 'validate', good], { encoding: 'utf8' });
    expect([r.status, r.stdout]).toEqual([0, `ok ${good}: good, 2 nodes, 5s, 0 timeline steps, 1 expectations\n`]);
    expect(execFileSync('head', ['-c', '19', bin], { encoding: 'utf8' })).toBe('#!/usr/bin/env node');
  });
  it('exits 2 on an invalid file, with the error on stderr only', () => {
    const r = spawnSync(process.execPath, [bin, 'run', bad, '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/bad\.yaml:6:3 config\.repl-timout: unknown redis\.conf option/);
  });
});
