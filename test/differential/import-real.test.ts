/**
 * `replsim import` against a real deployment: three redis-server 7.0.15 processes (a master,
 * its replica, a chained replica with its own setting), a populated dataset and a client
 * running a known mix at a known rate. INFO everything (twice, some seconds apart),
 * CONFIG GET '*' and MONITOR are captured with a plain client as redis-cli would print them,
 * imported, and the scenario run: the topology, the settings, the dataset size, the write
 * rate and the replication byte rate must come out as the real deployment showed them
 * (issue 22's tolerance: within 10 %), and the MONITOR capture, replayed, must carry the
 * real command mix and replicate as many bytes. Skipped without a redis-server on the PATH.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRedisServer } from '../../sim/cli/diff.js';
import { RedisProcess, freePort } from '../../sim/diff/redis-process.js';
import { RespClient } from '../../sim/diff/resp-client.js';
import { importDeployment, type NodeFiles } from '../../sim/import/import-deployment.js';
import { loadScenarioFile, parseScenario } from '../../sim/scenario/load.js';
import { parseMonitorCapture } from '../../sim/workload/monitor-capture.js';
import { runScenario } from '../../sim/scenario/runner.js';
import { buildWorld } from '../../sim/scenario/world.js';
import type { Reply } from '../../sim/redis/protocol/reply.js';

const REDIS = findRedisServer(process.env);
const KEYS = 20_000;
const POPULATE_SIZE = 200;
const SET_SIZE = 300;

function text(r: Reply): string {
  return r.type === 'bulk' ? (r.value ?? '') : '';
}

/** CONFIG GET '*' as redis-cli prints it: name and value on alternating lines. */
function configText(r: Reply): string {
  if (r.type !== 'array' || r.items === null) throw new Error('CONFIG GET: not an array');
  return r.items.map((i) => (i.type === 'bulk' ? (i.value ?? '') : '')).join('\n') + '\n';
}

/** MONITOR on a plain socket, kept as redis-cli writes it to a file: "OK", then one line per command. */
function monitor(port: number): { stop: () => Promise<string> } {
  const socket = connect({ port, host: '127.0.0.1' });
  let buf = '';
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => (buf += d));
  socket.write('MONITOR\r\n');
  return {
    stop: () =>
      new Promise((resolve) => {
        socket.end(() => resolve(buf.split('\r\n').filter((l) => l !== '').map((l) => l.replace(/^\+/, '')).join('\n') + '\n'));
      }),
  };
}

function cmdstatCalls(info: string, cmd: string): number {
  return Number(new RegExp(`^cmdstat_${cmd}:calls=(\\d+)`, 'm').exec(info)?.[1] ?? 0);
}

function infoField(info: string, field: string): number {
  const m = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
  if (!m) throw new Error(`no ${field}`);
  return Number(m[1]);
}

describe.skipIf(REDIS === null)('replsim import of a real deployment', () => {
  const procs: RedisProcess[] = [];
  const clients: RespClient[] = [];
  const dirs: string[] = [];
  const captures = new Map<string, { info: string; config: string }>();
  let realBytesPerSec = 0;
  let realUsedMemory = 0;
  let realOffsetGrowth = 0;
  /** SET, INCR and GET calls per second between the two captures (cmdstat_*). */
  const realCalls = new Map<string, number>();
  let monitorText = '';

  beforeAll(async () => {
    const start = async (name: string, extra: string[]): Promise<RespClient> => {
      const dir = mkdtempSync(join(tmpdir(), `replsim-import-${name}-`));
      dirs.push(dir);
      const p = new RedisProcess(name, REDIS!, dir, await freePort(), [
        '--save', '', '--enable-debug-command', 'yes', '--repl-backlog-size', '10mb', '--repl-timeout', '30', '--repl-diskless-sync-delay', '0', ...extra,
      ]);
      await p.start();
      procs.push(p);
      const c = await RespClient.connect(p.port);
      clients.push(c);
      return c;
    };
    const m1 = await start('m1', []);
    const r1 = await start('r1', ['--replicaof', '127.0.0.1', String(procs[0]!.port)]);
    const r2 = await start('r2', ['--replicaof', '127.0.0.1', String(procs[1]!.port), '--repl-diskless-load', 'swapdb']);
    await m1.call(['DEBUG', 'POPULATE', String(KEYS), 'key', String(POPULATE_SIZE)]);
    for (let i = 0; i < 100; i++) {
      const up = await Promise.all([r1, r2].map(async (c) => /master_link_status:up/.test(text(await c.call(['INFO', 'replication'])))));
      if (up.every(Boolean)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const nodes = [['m1', m1], ['r1', r1], ['r2', r2]] as const;
    for (const [name, c] of nodes) captures.set(name, { info: text(await c.call(['INFO', 'everything'])), config: configText(await c.call(['CONFIG', 'GET', '*'])) });
    // The application: 400 commands/s for 4 s — 80 % SET of 300 B values over the
    // populated keys, 10 % INCR, 10 % GET — in batches every 50 ms.
    const value = 'x'.repeat(SET_SIZE);
    const app = await RespClient.connect(procs[0]!.port);
    clients.push(app);
    const mon = monitor(procs[0]!.port);
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    let n = 0;
    while (Date.now() - t0 < 4000) {
      const batch: string[][] = [];
      for (let i = 0; i < 20; i++, n++) {
        const k = `key:${(n * 7919) % KEYS}`;
        batch.push(n % 10 === 8 ? ['INCR', `counter:${n % 100}`] : n % 10 === 9 ? ['GET', k] : ['SET', k, value]);
      }
      await Promise.all(app.pipeline(batch));
      await new Promise((r) => setTimeout(r, Math.max(0, 50 * Math.ceil((Date.now() - t0 + 1) / 50) - (Date.now() - t0))));
    }
    monitorText = await mon.stop();
    for (const [name, c] of nodes) {
      const before = captures.get(name)!;
      captures.set(name, { ...before, info: `${before.info}\r\n${text(await c.call(['INFO', 'everything']))}` });
    }
    const [first, second] = captures.get('m1')!.info.split('# Server').slice(1);
    const dt = (infoField(second!, 'server_time_usec') - infoField(first!, 'server_time_usec')) / 1e6;
    realOffsetGrowth = infoField(second!, 'master_repl_offset') - infoField(first!, 'master_repl_offset');
    realBytesPerSec = realOffsetGrowth / dt;
    realUsedMemory = infoField(first!, 'used_memory');
    for (const cmd of ['set', 'incr', 'get']) realCalls.set(cmd, (cmdstatCalls(second!, cmd) - cmdstatCalls(first!, cmd)) / dt);
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    for (const p of procs) await p.kill();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const files = (): NodeFiles[] =>
    [...captures].map(([name, c]) => ({ name, info: { file: `${name}.info`, text: c.info }, config: { file: `${name}.config`, text: c.config } }));

  it('rebuilds the chain, the settings, and a scenario that validates', () => {
    const result = importDeployment(files());
    const scenario = parseScenario(result.text, 'imported.yaml');
    const byName = new Map(scenario.nodes.map((n) => [n.name, n]));
    expect(byName.get('m1')!.replicaof ?? null).toBeNull();
    expect(byName.get('r1')!.replicaof).toBe('m1');
    expect(byName.get('r2')!.replicaof).toBe('r1');
    expect(result.text).toMatch(/^ {2}repl-backlog-size: 10485760 {4}# CONFIG GET/m);
    expect(result.text).toMatch(/^ {2}repl-timeout: 30 {4}#/m);
    expect(result.text).toMatch(/r2: \{ replicaof: r1, config: \{[^}]*repl-diskless-load: swapdb/);
    // Redis's own default save points differ from a scenario's ("" by default): written out.
    expect(result.text).not.toMatch(/^ {2}save:/m); // started with --save ''
  });

  it('sizes the dataset like the real one (used_memory within 10 %)', () => {
    const scenario = parseScenario(importDeployment(files()).text, 'imported.yaml');
    expect(scenario.dataset[0]!.keys).toBeGreaterThanOrEqual(KEYS);
    const world = buildWorld(scenario, '1');
    const simulated = world.servers.get('m1')!.keyspace.usedMemoryBytes();
    expect(Math.abs(simulated - realUsedMemory) / realUsedMemory).toBeLessThan(0.1);
  });

  it('writes at the real rate and mix (within 10 %)', () => {
    const text = importDeployment(files()).text;
    const m = /rate: (\d+)\/s, keys: \d+, value-size: \d+, ops: \{ ([^}]*) \}/.exec(text)!;
    const share = new Map(m[2]!.split(', ').map((kv) => [kv.split(': ')[0]!, Number(kv.split(': ')[1])]));
    const realTotal = [...realCalls.values()].reduce((a, b) => a + b, 0);
    expect(realTotal).toBeGreaterThan(400 * 0.5); // the load really ran
    expect(Math.abs(Number(m[1]) - realTotal) / realTotal).toBeLessThan(0.1);
    for (const [cmd, rate] of realCalls) expect(Math.abs(share.get(cmd)! * Number(m[1]) - rate) / rate).toBeLessThan(0.1);
  });

  it('replicates as many bytes per second as the real master did (within 10 %)', () => {
    // The imported workload writes until a second before the end: 19 s of a 20 s run.
    const scenario = parseScenario(importDeployment(files(), { durationSec: 20 }).text, 'imported.yaml');
    const run = runScenario(scenario, { seed: '1' });
    expect(run.ok).toBe(true);
    const offset = Number(run.nodes['m1']!.info['master_repl_offset']);
    const simulatedBytesPerSec = offset / 19;
    expect(realBytesPerSec).toBeGreaterThan(400 * 0.8 * SET_SIZE * 0.5); // the load really ran
    expect(Math.abs(simulatedBytesPerSec - realBytesPerSec) / realBytesPerSec).toBeLessThan(0.1);
  });

  it('replays the MONITOR capture with the real command mix, and replicates as many bytes', () => {
    const { capture, problem } = parseMonitorCapture(monitorText);
    expect(problem).toBeNull();
    const byName = new Map<string, number>();
    for (const e of capture.entries) byName.set(e.argv[0]!.toLowerCase(), (byName.get(e.argv[0]!.toLowerCase()) ?? 0) + 1);
    // The capture holds the application's commands: as many of each as cmdstat_* counted
    // between the INFO captures, which enclose it (less the INFO calls of the test itself).
    for (const [cmd, rate] of realCalls) expect(byName.get(cmd)).toBeGreaterThan(rate * 3.5);
    expect([...byName.keys()].sort()).toEqual(['get', 'incr', 'set']);
    const dir = mkdtempSync(join(tmpdir(), 'replsim-import-replay-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'monitor.txt'), monitorText);
    const imported = importDeployment(files(), { durationSec: 10 }).text;
    const replay = imported.replace(/^workload:\n(?: {2,}.*\n)*/m, 'workload:\n  - { node: m1, replay: monitor.txt, from: 1s }\n');
    writeFileSync(join(dir, 'replay.yaml'), replay);
    const run = runScenario(loadScenarioFile(join(dir, 'replay.yaml')), { seed: '1' });
    expect(run.ok).toBe(true); // converged
    const counters = run.replays![0]!.counters;
    expect(counters).toMatchObject({ sent: capture.entries.length, ok: capture.entries.length, errors: 0, unmodelled: {} });
    // The real stream grew by the capture's writes (and a PING or two) between the INFO captures.
    const offset = Number(run.nodes['m1']!.info['master_repl_offset']);
    expect(Math.abs(offset - realOffsetGrowth) / realOffsetGrowth).toBeLessThan(0.1);
  });
});
