/**
 * `replsim calibrate [--redis-server PATH] [--keys N,N] [--repeat N] [--out FILE]`: measure the cost
 * model's parameters on the user's own redis-server and print (or write) a `costs:`
 * section. Everything it starts is stopped on every way out, Ctrl-C included.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from './cli-args.js';
import { costsYaml, fitCosts } from '../calibrate/fit.js';
import { measureRedis } from '../calibrate/measure.js';
import { parseCount, VaryError } from '../sweep/vary.js';
import { CALIBRATE_HELP } from './report-help.js';
import { EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, type CliIO } from './io.js';
import { usageError } from './usage.js';

export async function calibrateCommand(args: string[], io: CliIO): Promise<number> {
  let parsed;
  let keys: number[];
  try {
    parsed = parseArgs({
      args,
      allowPositionals: false,
      options: {
        'redis-server': { type: 'string' },
        keys: { type: 'string' },
        'value-size': { type: 'string' },
        repeat: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    keys = (parsed.values.keys ?? '100000,400000').split(',').map((k) => parseCount(k, '--keys'));
    if (keys.some((k) => k < 1000)) throw new Error('--keys: use datasets of at least 1000 keys, or the timings are noise');
  } catch (e) {
    return usageError(io, e instanceof VaryError ? e.message : (e as Error).message, 'calibrate');
  }
  const { values } = parsed;
  if (values.help) {
    io.stdout.write(CALIBRATE_HELP);
    return EXIT_OK;
  }
  const redisServer = values['redis-server'] ?? 'redis-server';
  const valueSize = values['value-size'] === undefined ? 100 : Number(values['value-size']);
  if (!Number.isSafeInteger(valueSize) || valueSize < 1) return usageError(io, '--value-size expects a whole number of bytes ≥ 1', 'calibrate');
  const repeat = values.repeat === undefined ? 1 : Number(values.repeat);
  if (!Number.isSafeInteger(repeat) || repeat < 1 || repeat > 100) return usageError(io, '--repeat expects a whole number from 1 to 100', 'calibrate');
  const stop: { now?: () => Promise<void> } = {};
  const unregister = io.onInterrupt?.(() => {
    io.stderr.write('\ninterrupted: stopping the redis-server processes calibrate started\n');
    void (stop.now?.() ?? Promise.resolve()).finally(() => io.exit?.(EXIT_INTERRUPTED));
  });
  try {
    io.stderr.write(`calibrate: ${redisServer}, datasets of ${keys.join(', ')} keys × ${valueSize} bytes${repeat > 1 ? `, each measured ${repeat} times (medians)` : ''}\n`);
    const m = await measureRedis({ redisServer, keys, valueSize, repeat, log: (l) => io.stderr.write(`  ${l}\n`) }, stop);
    const costs = fitCosts(m.datasets);
    const header = [
      `replsim calibrate: redis-server ${m.version} (${redisServer}), ${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), ${new Date().toISOString()}`,
      'Times measured from a client on loopback; SAVE stands for the BGSAVE child\'s work, DEBUG RELOAD for the replica\'s load.',
      ...(repeat > 1 ? [`Each row: the medians of ${repeat} measurements of that dataset.`] : []),
    ];
    const yaml = costsYaml(costs, m.datasets, header);
    if (values.out !== undefined) {
      writeFileSync(values.out, yaml);
      io.stdout.write(`wrote ${values.out}\n`);
    } else {
      io.stdout.write(yaml);
    }
    return EXIT_OK;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' || /did not answer|exited with code|at start/.test(err.message)) {
      io.stderr.write(`replsim: could not start ${redisServer}: ${err.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`replsim: calibration failed: ${err.stack ?? err.message}\n`);
    return EXIT_FAILED;
  } finally {
    unregister?.();
  }
}
