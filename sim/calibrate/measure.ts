/**
 * The measuring half of `replsim calibrate` (I/O): two redis-server processes of the
 * user's own binary on free loopback ports, each in its own temp directory, filled with
 * DEBUG POPULATE and timed from this side of the socket (loopback adds tens of µs to
 * operations that take milliseconds). Both are stopped, and the directory removed, on
 * every way out: the harness only ever signals the pids it started (sim/diff/redis-process).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, RedisProcess } from '../diff/redis-process.js';
import { RespClient } from '../diff/resp-client.js';
import type { Reply } from '../redis/index.js';
import { medianMeasurement, type DatasetMeasurement } from './fit.js';
import { lastChildSave, lastSyncLoad, lastSyncTransfer } from './redis-log.js';

export interface MeasureOptions {
  redisServer: string;
  keys: readonly number[];
  valueSize: number;
  /** Measure each dataset this many times and keep the median of each quantity (default 1). */
  repeat?: number;
  /** Called with a line of progress ("100000 keys: SAVE 180 ms"). */
  log?: (line: string) => void;
}

const BASE_ARGS = ['--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes', '--protected-mode', 'no',
  '--repl-diskless-sync', 'no', '--repl-diskless-sync-delay', '0', '--dbfilename', 'dump.rdb'];

function text(r: Reply): string {
  if (r.type === 'error') throw new Error(r.text);
  if (r.type === 'status') return r.text;
  if (r.type === 'bulk') return r.value ?? '';
  if (r.type === 'int') return String(r.value);
  return '';
}

function infoField(info: string, field: string): string {
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
  if (!m) throw new Error(`INFO has no ${field}`);
  return m[1]!.trim();
}

async function timed(c: RespClient, argv: string[], timeoutMs = 600_000): Promise<number> {
  const t0 = process.hrtime.bigint();
  text(await c.callWithTimeout(argv, timeoutMs));
  return Number((process.hrtime.bigint() - t0) / 1000n);
}

async function waitFor(c: RespClient, section: string, ok: (info: string) => boolean, timeoutMs: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (;;) {
    const info = text(await c.callWithTimeout(['INFO', section], 5000));
    if (ok(info)) return Number((process.hrtime.bigint() - t0) / 1000n);
    if (Number((process.hrtime.bigint() - t0) / 1_000_000n) > timeoutMs) throw new Error(`timed out waiting on INFO ${section}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/**
 * A real full sync of `master`'s dataset to the empty `replica`, disk-based: REPLICAOF to
 * master_link_status:up, and from the two logs (to the ms) its BGSAVE child's work, its
 * transfer and the replica's load. The replica is detached and emptied again afterwards.
 */
async function timeFullSync(
  master: RedisProcess,
  replica: Server,
  log: (s: string) => void,
): Promise<Pick<DatasetMeasurement, 'fullSyncUs' | 'syncRdbUs' | 'transferUs' | 'syncLoadUs'>> {
  text(await replica.client.call(['REPLICAOF', '127.0.0.1', String(master.port)]));
  try {
    const fullSyncUs = await waitFor(replica.client, 'replication', (i) => /^master_link_status:up/m.test(i), 600_000);
    const replicaLog = readFileSync(replica.proc.logFile, 'utf8');
    const syncRdbUs = lastChildSave(readFileSync(master.logFile, 'utf8'));
    const transferUs = lastSyncTransfer(replicaLog)?.us ?? null;
    const syncLoadUs = lastSyncLoad(replicaLog);
    const ms = (us: number | null): string => (us === null ? '-' : `${(us / 1000).toFixed(0)} ms`);
    log(`full sync ${(fullSyncUs / 1000).toFixed(1)} ms: its child ${ms(syncRdbUs)}, transfer ${ms(transferUs)}, load ${ms(syncLoadUs)}`);
    return { fullSyncUs, syncRdbUs, transferUs, syncLoadUs };
  } finally {
    text(await replica.client.call(['REPLICAOF', 'NO', 'ONE']));
    text(await replica.client.call(['FLUSHALL', 'SYNC']));
  }
}

export interface Measured {
  version: string;
  /** One per dataset size: the median of its repeats, field by field. */
  datasets: DatasetMeasurement[];
  /** Every repeat, per dataset size (how noisy the host was). */
  samples: DatasetMeasurement[][];
}

type Server = { proc: RedisProcess; client: RespClient };

/** One measurement of a `keys`-key dataset on `a` (master) and `b` (empty replica); both are left empty. */
async function measureDataset(a: Server, b: Server, keys: number, valueSize: number, log: (s: string) => void): Promise<DatasetMeasurement> {
  const c = a.client;
  text(await c.call(['FLUSHALL', 'SYNC']));
  text(await c.callWithTimeout(['DEBUG', 'POPULATE', String(keys), 'key', String(valueSize)], 600_000));
  const usedMemoryBytes = Number(infoField(text(await c.call(['INFO', 'memory'])), 'used_memory'));
  const rdbFile = join(a.proc.dir, 'dump.rdb');
  text(await c.call(['CONFIG', 'SET', 'rdbcompression', 'yes']));
  const saveUs = await timed(c, ['SAVE']);
  const rdbBytes = statSync(rdbFile).size;
  log(`SAVE ${(saveUs / 1000).toFixed(1)} ms, ${rdbBytes} bytes`);
  text(await c.call(['BGSAVE']));
  await waitFor(c, 'persistence', (i) => infoField(i, 'rdb_bgsave_in_progress') === '0', 600_000);
  const forkUs = Number(infoField(text(await c.call(['INFO', 'stats'])), 'latest_fork_usec'));
  log(`fork ${(forkUs / 1000).toFixed(1)} ms`);
  const sync = await timeFullSync(a.proc, b, log);
  const flushUs = await timed(c, ['FLUSHALL', 'SYNC']);
  const loadUs = await timed(c, ['DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH']);
  log(`FLUSHALL ${(flushUs / 1000).toFixed(1)} ms, load ${(loadUs / 1000).toFixed(1)} ms`);
  text(await c.call(['CONFIG', 'SET', 'rdbcompression', 'no']));
  const saveUncompressedUs = await timed(c, ['SAVE']);
  const rdbBytesUncompressed = statSync(rdbFile).size;
  text(await c.call(['FLUSHALL', 'SYNC']));
  const loadUncompressedUs = await timed(c, ['DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH']);
  log(`uncompressed: SAVE ${(saveUncompressedUs / 1000).toFixed(1)} ms (${rdbBytesUncompressed} bytes), load ${(loadUncompressedUs / 1000).toFixed(1)} ms`);
  text(await c.call(['FLUSHALL', 'SYNC']));
  return {
    keys, valueSize, usedMemoryBytes, rdbBytes, rdbBytesUncompressed, saveUs, saveUncompressedUs,
    forkUs, flushUs, loadUs, loadUncompressedUs, ...sync,
  };
}

/** Runs the measurements; `stop` is filled with a function that kills everything (for Ctrl-C). */
export async function measureRedis(opts: MeasureOptions, stop: { now?: () => Promise<void> } = {}): Promise<Measured> {
  const root = mkdtempSync(join(tmpdir(), 'replsim-calibrate-'));
  const started: RedisProcess[] = [];
  const clients: RespClient[] = [];
  const cleanup = async (): Promise<void> => {
    for (const c of clients) c.close();
    for (const p of started) await p.kill();
    rmSync(root, { recursive: true, force: true });
  };
  stop.now = cleanup;
  try {
    const start = async (name: string): Promise<{ proc: RedisProcess; client: RespClient }> => {
      const dir = mkdtempSync(join(root, `${name}-`));
      const proc = new RedisProcess(name, opts.redisServer, dir, await freePort(), BASE_ARGS);
      started.push(proc);
      await proc.start();
      const client = await RespClient.connect(proc.port);
      clients.push(client);
      return { proc, client };
    };
    const a = await start('master');
    const b = await start('replica');
    const version = infoField(text(await a.client.call(['INFO', 'server'])), 'redis_version');
    const datasets: DatasetMeasurement[] = [];
    const samples: DatasetMeasurement[][] = [];
    for (const keys of opts.keys) {
      const repeats: DatasetMeasurement[] = [];
      for (let r = 0; r < (opts.repeat ?? 1); r++) {
        const tag = (opts.repeat ?? 1) > 1 ? ` (${r + 1}/${opts.repeat})` : '';
        repeats.push(await measureDataset(a, b, keys, opts.valueSize, (s) => opts.log?.(`${keys} keys${tag}: ${s}`)));
      }
      samples.push(repeats);
      datasets.push(medianMeasurement(repeats));
    }
    return { version, datasets, samples };
  } finally {
    await cleanup();
  }
}
