/**
 * `replsim import` on hand-made captures: how nodes are matched, what is derived from which
 * field, and the errors for captures that cannot be used (truncated, another Redis version,
 * mixed-up nodes, an ambiguous topology). The end-to-end check against real servers is
 * test/differential/import-real.test.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../sim/cli/main.js';
import { CaptureError } from '../../sim/import/captures.js';
import { thrown } from '../helpers/thrown.js';
import { meanKeyLength } from '../../sim/import/workload-derivation.js';
import { importDeployment, type NodeFiles } from '../../sim/import/import-deployment.js';
import { parseScenario } from '../../sim/scenario/load.js';

interface InfoOpts {
  role: 'master' | 'slave';
  port: number;
  runId: string;
  replid?: string;
  masterHost?: string;
  masterPort?: number;
  slaves?: Array<{ ip: string; port: number }>;
  offset?: number;
  timeUsec?: number;
  uptime?: number;
  calls?: Record<string, number>;
  keys?: number;
  version?: string;
  usedMemory?: number;
  /** More `# Stats` lines (instantaneous_ops_per_sec:…, …). */
  stats?: string[];
}

function info(o: InfoOpts): string {
  const l: string[] = ['# Server', `redis_version:${o.version ?? '7.0.15'}`, 'redis_mode:standalone', `run_id:${o.runId.padEnd(40, '0')}`, `tcp_port:${o.port}`];
  l.push(`server_time_usec:${o.timeUsec ?? 1_700_000_000_000_000}`, `uptime_in_seconds:${o.uptime ?? 1000}`);
  l.push('', '# Memory', `used_memory:${o.usedMemory ?? 1_000_000}`, 'mem_total_replication_buffers:0', 'mem_clients_normal:0');
  l.push('', '# Stats', 'total_commands_processed:0', 'total_net_repl_output_bytes:0', ...(o.stats ?? []));
  l.push('', '# Replication', `role:${o.role}`);
  if (o.role === 'slave') l.push(`master_host:${o.masterHost}`, `master_port:${o.masterPort}`, 'master_link_status:up');
  (o.slaves ?? []).forEach((s, i) => l.push(`slave${i}:ip=${s.ip},port=${s.port},state=online,offset=0,lag=0`));
  l.push(`master_replid:${(o.replid ?? 'a').padEnd(40, 'a')}`, `master_repl_offset:${o.offset ?? 0}`);
  if (o.calls !== undefined) l.push('', '# Commandstats');
  for (const [cmd, calls] of Object.entries(o.calls ?? {})) l.push(`cmdstat_${cmd}:calls=${calls},usec=1,usec_per_call=1.00`);
  l.push('', '# Keyspace');
  if (o.keys) l.push(`db0:keys=${o.keys},expires=0,avg_ttl=0`);
  return l.join('\r\n') + '\r\n';
}

function files(map: Record<string, string>, configs: Record<string, string> = {}): NodeFiles[] {
  return Object.entries(map).map(([name, text]) => ({
    name,
    info: { file: `${name}.info`, text },
    ...(configs[name] !== undefined ? { config: { file: `${name}.config`, text: configs[name]! } } : {}),
  }));
}

const m1 = info({ role: 'master', port: 6379, runId: 'm1', slaves: [{ ip: '10.0.0.2', port: 6379 }], keys: 1000 });
const r1 = info({ role: 'slave', port: 6379, runId: 'r1', masterHost: '10.0.0.1', masterPort: 6379 });

function captureError(f: () => unknown): CaptureError {
  return thrown(CaptureError, f);
}

describe('replsim import', () => {
  it('matches a replica to the only master on its master_port', () => {
    const s = parseScenario(importDeployment(files({ m1, r1 })).text, 'x.yaml');
    expect(s.nodes.find((n) => n.name === 'r1')!.replicaof).toBe('m1');
  });

  it('tells two masters on the same port apart by the address the user gives', () => {
    const m2 = info({ role: 'master', port: 6379, runId: 'm2', slaves: [{ ip: '10.0.0.2', port: 6379 }], keys: 10 });
    expect(captureError(() => importDeployment(files({ m1, m2, r1 }))).message).toMatch(/cannot tell which capture is r1's master/);
    const picked = importDeployment(files({ m1, m2, r1 }), { addresses: new Map([['m2', '10.0.0.1']]) });
    expect(parseScenario(picked.text, 'x.yaml').nodes.find((n) => n.name === 'r1')!.replicaof).toBe('m2');
    // Or by the address a node announces (replica-announce-ip in its CONFIG GET).
    const announced = importDeployment(files({ m1, m2, r1 }, { m2: 'port\n6379\nreplica-announce-ip\n10.0.0.1\n' }));
    expect(parseScenario(announced.text, 'x.yaml').nodes.find((n) => n.name === 'r1')!.replicaof).toBe('m2');
  });

  it('refuses two captures of one process, and a replica whose master was not captured', () => {
    const again = info({ role: 'master', port: 6379, runId: 'm1', keys: 1000 });
    expect(captureError(() => importDeployment(files({ m1, again }))).message).toMatch(/same process/);
    expect(captureError(() => importDeployment(files({ r1 }))).message).toMatch(/none of the captured nodes/);
  });

  it('refuses a truncated capture, another Redis version, and a CONFIG GET of another node', () => {
    const truncated = m1.slice(0, m1.indexOf('# Replication'));
    expect(captureError(() => importDeployment(files({ m1: truncated }))).message).toMatch(/no role: field/);
    const old = info({ role: 'master', port: 6379, runId: 'm1', version: '5.0.7' });
    expect(captureError(() => importDeployment(files({ m1: old }))).message).toMatch(/redis_version 5\.0\.7/);
    const e = captureError(() => importDeployment(files({ m1 }, { m1: 'port\n6380\n' })));
    expect(e.message).toMatch(/port 6380.*tcp_port:6379/);
    expect(captureError(() => importDeployment(files({ m1 }, { m1: 'port\n' }))).message).toMatch(/truncated/);
  });

  it('refuses another version (exit 2 at its redis_version line) unless --any-version, and fields of another version always', () => {
    for (const version of ['6.2.14', '7.2.4']) {
      const capture = info({ role: 'master', port: 6379, runId: 'm1', version });
      const real = version === '6.2.14' ? capture.replace('mem_total_replication_buffers:0\r\n', '').replace('total_net_repl_output_bytes:0\r\n', '') : capture;
      const e = captureError(() => importDeployment(files({ m1: real })));
      expect(e.message).toMatch(new RegExp(`redis_version ${version.replace(/\./g, '\\.')}: replsim models Redis 7\\.0`));
      expect(e.line).toBe(2);
      expect(e.hint).toMatch(/--any-version/);
    }
    const v72 = info({ role: 'master', port: 6379, runId: 'm1', version: '7.2.4' }).replace('total_commands_processed:0', 'total_commands_processed:0\r\nacl_access_denied_auth:0');
    const r = importDeployment(files({ m1: v72 }), { anyVersion: true });
    expect(r.warnings.join('\n')).toMatch(/redis_version 7\.2\.4 imported with --any-version/);
    // A 7.0 capture with a 7.2 field, or without a field 7.0 always prints: an edited or spliced file.
    const spliced = m1.replace('total_commands_processed:0', 'total_commands_processed:0\r\nacl_access_denied_auth:0');
    const e = captureError(() => importDeployment(files({ m1: spliced }), { anyVersion: true }));
    expect(e.message).toMatch(/redis_version says 7\.0\.15, but acl_access_denied_auth is not a field of that version/);
    expect(e.line).toBe(spliced.split('\r\n').indexOf('acl_access_denied_auth:0') + 1);
    const no70 = m1.replace('mem_total_replication_buffers:0\r\n', '');
    expect(captureError(() => importDeployment(files({ m1: no70 }))).message).toMatch(/memory section lacks mem_total_replication_buffers/);
  });

  it('sizes a 6.2 dataset without its backlog, which 6.2 allocates whole inside used_memory', () => {
    const v62 = (backlog: boolean): string =>
      info({ role: 'master', port: 6379, runId: 'm1', version: '6.2.14', keys: 1000, usedMemory: 3_000_000 })
        .replace('mem_total_replication_buffers:0\r\n', '')
        .replace('total_net_repl_output_bytes:0\r\n', '')
        .replace('role:master', `role:master\r\nrepl_backlog_active:${backlog ? 1 : 0}\r\nrepl_backlog_size:1048576`);
    const size = (t: string): number => Number(/value-size: (\d+)/.exec(importDeployment(files({ m1: t }), { anyVersion: true }).text)![1]);
    expect(size(v62(true))).toBeLessThan(size(v62(false)) - 900); // 1 MiB less over 1000 keys
  });

  it('refuses an INFO everything cut before Keyspace, and a second capture with fewer sections than the first', () => {
    const cut = m1.slice(0, m1.indexOf('# Keyspace'));
    const withCalls = info({ role: 'master', port: 6379, runId: 'm1', keys: 1000, calls: { set: 1 } });
    expect(captureError(() => importDeployment(files({ m1: withCalls.slice(0, withCalls.indexOf('# Keyspace')) }))).message).toMatch(/ends in its commandstats section, before Keyspace/);
    importDeployment(files({ m1: cut })); // no Commandstats: INFO with chosen sections, not a cut INFO everything
    const e = captureError(() => importDeployment(files({ m1: withCalls + withCalls.slice(0, withCalls.indexOf('# Commandstats')) })));
    expect(e.message).toMatch(/INFO capture #2 lacks the commandstats, keyspace sections the first one has/);
    expect(e.line).toBe(withCalls.split('\r\n').length);
  });

  it('refuses empty, binary and summary-less captures, naming the file and line', () => {
    expect(captureError(() => importDeployment(files({ m1 }, { m1: '' }))).message).toMatch(/the file is empty/);
    const binary = captureError(() => importDeployment(files({ m1: m1.replace('tcp_port', 'tcp\u0000port') })));
    expect(binary.message).toMatch(/binary data \(byte 0x00\)/);
    expect(binary.line).toBe(5);
    const bigkeys = captureError(() => importDeployment([{ ...files({ m1 })[0]!, bigkeys: { file: 'm1.bigkeys', text: '# Scanning the entire keyspace\n' } }]));
    expect([bigkeys.file, bigkeys.message]).toEqual(['m1.bigkeys', expect.stringMatching(/no summary lines/)]);
  });

  it('writes modelled options that differ from a scenario default, and lists unmodelled ones', () => {
    const cfg = 'repl-backlog-size\n104857600\nrepl-timeout\n60\nsave\n3600 1 300 100 60 10000\ntcp-keepalive\n60\nport\n6379\n';
    const r = importDeployment(files({ m1 }, { m1: cfg }));
    expect(r.text).toMatch(/^ {2}repl-backlog-size: 104857600 {4}# CONFIG GET repl-backlog-size/m);
    expect(r.text).not.toMatch(/repl-timeout/); // 60 is the default
    expect(r.text).toMatch(/^ {2}save: "3600 1 300 100 60 10000"/m); // a scenario's save is "" by default
    expect(r.text).toMatch(/# {3}m1: tcp-keepalive 60 {3}\(default 300\)/);
    parseScenario(r.text, 'x.yaml');
  });

  it('derives rates from two captures and the SET value size from the replication byte rate', () => {
    // 10 s apart: 5000 SETs and 1000 GETs; a SET of key:<n> (n < 1000) with a 100 B value
    // propagates 13 + bulk(key) + bulk(value) bytes.
    const keyLen = Math.round(meanKeyLength(1000));
    const setBytes = 13 + (1 + String(keyLen).length + 2 + keyLen + 2) + (1 + 3 + 2 + 100 + 2);
    const a = info({ role: 'master', port: 6379, runId: 'm1', keys: 1000, timeUsec: 1e15, offset: 1000, calls: { set: 100, get: 50, info: 3 } });
    const b = info({ role: 'master', port: 6379, runId: 'm1', keys: 1000, timeUsec: 1e15 + 10e6, offset: 1000 + 5000 * setBytes, calls: { set: 5100, get: 1050, info: 9, hset: 200 } });
    const r = importDeployment(files({ m1: a + b }));
    expect(r.text).toMatch(/rate: 600\/s, keys: 1000, value-size: 100, ops: \{ set: 0\.833, get: 0\.167 \}/);
    expect(r.text).toMatch(/not in the workload: hset 20\.0\/s/);
    expect(r.derivations.find((d) => d.what === 'SET value size')!.source).toMatch(/master_repl_offset grew/);
    expect(r.warnings.join('\n')).not.toMatch(/too close/);
    // Two captures pasted one after the other, milliseconds apart: warned about.
    const close = info({ role: 'master', port: 6379, runId: 'm1', keys: 1000, timeUsec: 1e15 + 4000, offset: 1000, calls: { set: 102, get: 50, info: 4 } });
    expect(importDeployment(files({ m1: a + close })).warnings.join('\n')).toMatch(/m1: its two INFO captures are 0\.004 s apart, too close/);
  });

  it('with one capture: the current rate from instantaneous_ops_per_sec, the SET size from instantaneous_input_kbps', () => {
    // Since start: 9000 SETs, 1000 INFOs (admin: not in the mix). Now: 2000 commands/s, 90 % of them SETs.
    // Clients send 1800 SETs/s of 13 + bulk(key) + bulk(200) bytes (keys key:0 … key:999, ~7 B).
    const keyLen = Math.round(meanKeyLength(1000));
    const perSet = 13 + (1 + 1 + 2 + keyLen + 2) + (1 + 3 + 2 + 200 + 2);
    const kbps = ((1800 * perSet) / 1024).toFixed(2);
    const one = info({ role: 'master', port: 6379, runId: 'm1', keys: 1000, calls: { set: 9000, info: 1000 }, stats: ['instantaneous_ops_per_sec:2000', `instantaneous_input_kbps:${kbps}`] });
    const r = importDeployment(files({ m1: one }), { durationSec: 30 });
    expect(r.text).toMatch(/rate: 1800\/s, keys: 1000, value-size: 200, ops: \{ set: 1 \}, until: 29s \}/);
    expect(r.derivations.map((d) => `${d.what} ← ${d.source}`)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^write\/read rate ← instantaneous_ops_per_sec 2000, shared as the cmdstat_\* calls since start/),
      expect.stringMatching(/^SET value size ← instantaneous_input_kbps /),
      'all commands now ← instantaneous_ops_per_sec (last capture)',
    ]));
    expect(r.warnings.join('\n')).toMatch(/one INFO capture/);
  });

  it('without a Commandstats section: total_commands_processed between the captures, as SETs', () => {
    const a = info({ role: 'master', port: 6379, runId: 'm1', keys: 1000, timeUsec: 1e15, offset: 0 }).replace('total_commands_processed:0', 'total_commands_processed:1000');
    const b = info({ role: 'master', port: 6379, runId: 'm1', keys: 1000, timeUsec: 1e15 + 10e6, offset: 500_000 }).replace('total_commands_processed:0', 'total_commands_processed:6000');
    const r = importDeployment(files({ m1: a + b }));
    expect(r.text).toMatch(/rate: 500\/s, keys: 1000, value-size: \d+, ops: \{ set: 1 \}/);
    expect(r.derivations.find((d) => d.what === 'write/read rate')!.source).toMatch(/all taken as SETs: no Commandstats section/);
    expect(r.derivations.find((d) => d.what === 'replication byte rate')).toMatchObject({ value: '50000 B/s', source: 'master_repl_offset growth between the captures' });
  });

  it('--bigkeys: the key type mix printed, strings-only sized by their average, its own TYPE/STRLEN calls not read as GETs', () => {
    const summary = (hashes: number): string =>
      ['Sampled 1000 keys in the keyspace!', `${1000 - hashes} strings with ${(1000 - hashes) * 250} bytes (90.00% of keys, avg size 250.00)`,
        `${hashes} hashs with ${hashes * 4} fields (10.00% of keys, avg size 4.00)`, '0 lists with 0 items (00.00% of keys, avg size 0.00)'].join('\n');
    // Between the captures the application made 3000 SETs; the scan 1000 TYPEs and 900 STRLENs.
    const a = info({ role: 'master', port: 6379, runId: 'm1', keys: 1000, timeUsec: 1e15, calls: { set: 0, type: 0, strlen: 0, hlen: 0 } });
    const b = info({ role: 'master', port: 6379, runId: 'm1', keys: 1000, timeUsec: 1e15 + 10e6, calls: { set: 3000, type: 1000, strlen: 900, hlen: 100 } });
    const withScan = (hashes: number): ReturnType<typeof importDeployment> =>
      importDeployment([{ ...files({ m1: a + b })[0]!, bigkeys: { file: 'm1.bigkeys', text: summary(hashes) } }]);
    const strings = withScan(0);
    expect(strings.text).toMatch(/rate: 300\/s, keys: 1000, value-size: 250, ops: \{ set: 1 \}/);
    expect(strings.derivations.find((d) => d.what === 'left out of the mix')!.value).toBe('TYPE ×1000, STRLEN ×1000');
    expect(strings.text).toMatch(/^ {2}- \{ node: m1, keys: 1000, value-size: 250, values: random \}/m);
    const mixed = withScan(100);
    expect(mixed.derivations.find((d) => d.what === 'key types')).toMatchObject({ value: '900 strings, 100 hashs', source: expect.stringMatching(/simulated as strings of the same memory/) });
    expect(mixed.derivations.find((d) => d.what === 'value size')!.source).toMatch(/^used_memory/);
    expect(mixed.text).toMatch(/ops: \{ set: 1 \}/); // HLEN ×100 left out too
  });

  it('the CLI: writes the file, prints each figure with its source, and exits 2 on a UTF-16 capture', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replsim-import-'));
    writeFileSync(join(dir, 'm1.info'), m1);
    writeFileSync(join(dir, 'r1.info'), r1);
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, env: {} };
    expect(await main(['import', dir, '--out', join(dir, 'x.yaml')], io)).toBe(0);
    expect(err.join('')).toMatch(/m1 {2}value size = \d+ B {3}← used_memory/);
    expect(err.join('')).toMatch(/npx replsim run .*x\.yaml/);
    writeFileSync(join(dir, 'r1.info'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(r1, 'utf16le')]));
    err.length = 0;
    expect(await main(['import', dir], io)).toBe(2);
    expect(err.join('')).toMatch(/r1\.info: not a UTF-8 text file/);
  });
});
