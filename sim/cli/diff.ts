/**
 * `replsim diff FILE`: run a scenario against real redis-server processes and in replsim,
 * and compare the final states field by field (sim/diff/ does the work). Exit 0 when they
 * agree (or differ only where the file says they are known to), 1 on any other difference,
 * 2 on bad usage, a bad file or a redis-server that cannot be started. Ctrl-C stops every
 * redis-server it started before exiting with 130.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseArgs } from './cli-args.js';
import type { RealEvent } from '../diff/real-runner.js';
import { formatMicros } from '../engine/index.js';
import { DIFF_HELP } from './help.js';
import { colorsFor, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, type CliIO } from './io.js';
import { loadAll } from './scenario-files.js';
import { usageError } from './usage.js';
import { diffFuzzCommand } from './diff-fuzz.js';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `redis-server` on the PATH, or null. */
export function findRedisServer(env: Record<string, string | undefined>): string | null {
  return findOnPath(env, 'redis-server');
}

/** `redis-sentinel` on the PATH (Debian's redis-sentinel package), or null. */
export function findRedisSentinel(env: Record<string, string | undefined>): string | null {
  return findOnPath(env, 'redis-sentinel');
}

function findOnPath(env: Record<string, string | undefined>, name: string): string | null {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const p = join(dir, name);
    if (executable(p)) return p;
  }
  return null;
}

export async function diffCommand(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--fuzz')) return diffFuzzCommand(args, io, () => findRedisServer(io.env));
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        'redis-server': { type: 'string' },
        'redis-sentinel': { type: 'string' },
        'keep-logs': { type: 'string' },
        json: { type: 'boolean' },
        seed: { type: 'string' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return usageError(io, (e as Error).message, 'diff');
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(DIFF_HELP);
    return EXIT_OK;
  }
  if (parsed.positionals.length !== 1) return usageError(io, 'diff needs exactly one scenario FILE', 'diff');
  if (v.seed !== undefined && v.seed.trim() === '') return usageError(io, '--seed needs a non-empty value', 'diff');
  if (v['keep-logs'] !== undefined && v['keep-logs'].trim() === '') return usageError(io, '--keep-logs needs a directory', 'diff');
  let binary: string;
  if (v['redis-server'] !== undefined) {
    if (!executable(v['redis-server'])) return usageError(io, `--redis-server ${v['redis-server']}: not an executable file`, 'diff');
    binary = v['redis-server'];
  } else {
    const found = findRedisServer(io.env);
    if (found === null) return usageError(io, 'no redis-server on the PATH; install it (apt-get install redis-server) or pass --redis-server PATH', 'diff');
    binary = found;
  }
  const file = parsed.positionals[0]!;
  const loaded = loadAll([file], io.stderr);
  if (loaded === null) return EXIT_USAGE;
  const scenario = loaded[0]!;
  // Imported lazily like the runner, so `diff --help` works even if the model does not load.
  const { knownDifferencesOf, runDiff } = await import('../diff/diff.js');
  const { formatDiff } = await import('../diff/format-diff.js');
  let known;
  try {
    known = knownDifferencesOf(scenario, readFileSync(file, 'utf8'));
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  let sentinelBinary: string | undefined;
  if ((scenario.sentinels ?? []).length > 0) {
    const found = v['redis-sentinel'] ?? findRedisSentinel(io.env);
    if (found === null) return usageError(io, 'the scenario has Sentinels and there is no redis-sentinel on the PATH; install it (apt-get install redis-sentinel) or pass --redis-sentinel PATH', 'diff');
    sentinelBinary = found;
  }
  const seed = v.seed ?? scenario.seed ?? randomBytes(4).toString('hex');
  const c = colorsFor(io, v['no-color'] ?? false);
  const human = !v.json;
  if (human) {
    const sentinelText = sentinelBinary !== undefined ? ` and ${(scenario.sentinels ?? []).length} redis-sentinel` : '';
    io.stdout.write(`${c.bold('replsim diff')} ${scenario.name}: ${scenario.nodes.length} redis-server${sentinelText} processes for ${formatMicros(scenario.durationUs)} of real time, seed ${seed}\n`);
  }
  const controller = new AbortController();
  let interrupted = false;
  const unregister = io.onInterrupt?.(() => {
    if (interrupted) {
      io.exit?.(EXIT_INTERRUPTED); // a second Ctrl-C: the exit hook still SIGKILLs our children
      return;
    }
    interrupted = true;
    io.stderr.write(`\ninterrupted: stopping the redis-server processes of ${scenario.name} (seed ${seed})\n`);
    controller.abort(new Error('interrupted'));
  });
  const onEvent = human
    ? (e: RealEvent): void => {
        io.stdout.write(`  ${c.dim(`${(e.atUs / 1e6).toFixed(3)}s`)} ${e.node ?? ''}${e.node ? ' ' : ''}${e.text}\n`);
      }
    : undefined;
  try {
    const opts: Parameters<typeof runDiff>[2] = { redisServer: binary, seed, signal: controller.signal };
    if (v['keep-logs'] !== undefined) opts.keepLogsDir = v['keep-logs'];
    if (sentinelBinary !== undefined) opts.redisSentinel = sentinelBinary;
    if (onEvent) opts.onEvent = onEvent;
    const report = await runDiff(scenario, known, opts);
    io.stdout.write(v.json ? `${JSON.stringify(report)}\n` : `\n${formatDiff(report, c)}`);
    if (v['keep-logs'] !== undefined && human) io.stdout.write(`${c.dim('logs kept in')} ${v['keep-logs']}\n`);
    return report.ok ? EXIT_OK : EXIT_FAILED;
  } catch (e) {
    if (interrupted) return EXIT_INTERRUPTED;
    const err = e as Error;
    io.stderr.write(`replsim diff: ${err.message}\n`);
    return err.name === 'RedisStartError' ? EXIT_USAGE : EXIT_FAILED;
  } finally {
    unregister?.();
  }
}
