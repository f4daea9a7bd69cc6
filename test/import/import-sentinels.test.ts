/**
 * `replsim import` with Sentinel captures (SENTINEL MASTERS, as redis-cli writes it to a
 * file or shows it on a terminal): the monitored master matched to a captured node by its
 * address, shared settings in `sentinel:`, differing ones per Sentinel, and the errors for
 * captures that cannot be used. examples/import/sentinel/ holds captures of real
 * redis-server and redis-sentinel 7.0.15 processes (3 nodes, 3 Sentinels on loopback).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../sim/cli/main.js';
import { CaptureError } from '../../sim/import/captures.js';
import { thrown } from '../helpers/thrown.js';
import { importDeployment, type NodeFiles } from '../../sim/import/import-deployment.js';
import { parseSentinelMasters, type SentinelFiles } from '../../sim/import/sentinels.js';
import { parseScenario } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';

function nodeInfo(role: 'master' | 'slave', port: number, runId: string, master?: number): string {
  const l = ['# Server', 'redis_version:7.0.15', 'redis_mode:standalone', `run_id:${runId.padEnd(40, '0')}`, `tcp_port:${port}`, 'uptime_in_seconds:100'];
  l.push('# Replication', `role:${role}`, `master_replid:${'a'.repeat(40)}`, 'master_repl_offset:0');
  if (master !== undefined) l.push('master_host:10.0.0.1', `master_port:${master}`);
  return l.join('\r\n') + '\r\n';
}

function masters(fields: Record<string, string | number>): string {
  const base: Record<string, string | number> = { name: 'mymaster', ip: '10.0.0.1', port: 6379, runid: 'x', flags: 'master', 'down-after-milliseconds': 5000, 'config-epoch': 0, 'num-slaves': 1, 'num-other-sentinels': 2, quorum: 2, 'failover-timeout': 60000, 'parallel-syncs': 1 };
  return Object.entries({ ...base, ...fields }).flatMap(([k, v]) => [k, String(v)]).join('\n') + '\n';
}

const nodes: NodeFiles[] = [
  { name: 'm1', info: { file: 'm1.info', text: nodeInfo('master', 6379, 'm1') } },
  { name: 'r1', info: { file: 'r1.info', text: nodeInfo('slave', 6380, 'r1', 6379) } },
];

function sentinels(texts: Record<string, string>): SentinelFiles[] {
  return Object.entries(texts).map(([name, text]) => ({ name, sentinel: { file: `${name}.sentinel`, text } }));
}

function captureError(f: () => unknown): CaptureError {
  return thrown(CaptureError, f);
}

describe('replsim import with Sentinels', () => {
  it('reads SENTINEL MASTERS as redis-cli writes it to a file and as it shows it on a terminal', () => {
    const plain = parseSentinelMasters('s1.sentinel', masters({}));
    const tty = masters({}).trim().split('\n').map((x, i) => `${i === 0 ? '1) ' : '   '}${String(i + 1).padStart(2)}) "${x}"`).join('\n');
    expect(parseSentinelMasters('s1.sentinel', tty)).toEqual(plain);
    expect(plain).toMatchObject([{ name: 'mymaster', ip: '10.0.0.1', port: 6379, quorum: 2, numOtherSentinels: 2 }]);
    expect(plain[0]!.options.get('down-after-milliseconds')).toBe(5000);
  });

  it('writes sentinels: and sentinel: that run: shared settings once, differing ones per Sentinel', () => {
    const r = importDeployment(nodes, {
      sentinels: sentinels({ s1: masters({}), s2: masters({}), s3: masters({ 'down-after-milliseconds': 3000 }) }),
      durationSec: 10,
    });
    expect(r.text).toMatch(/^ {2}monitor: \{ name: mymaster, master: m1, quorum: 2 \}/m);
    expect(r.text).toMatch(/^ {2}failover-timeout: 60000 /m);
    expect(r.text).toMatch(/^ {2}s3: \{ config: \{ down-after-milliseconds: 3000 \} \}/m);
    const s = parseScenario(r.text, 'x.yaml');
    expect(s.sentinels?.map((x) => x.name)).toEqual(['s1', 's2', 's3']);
    expect(runScenario(s).ok).toBe(true);
  });

  it('warns when fewer Sentinels were captured than they know, or they disagree on the quorum', () => {
    const r = importDeployment(nodes, { sentinels: sentinels({ s1: masters({ 'num-other-sentinels': 4 }), s2: masters({ quorum: 3 }) }) });
    expect(r.warnings.join('\n')).toMatch(/know 5 Sentinels .* 2 were captured/);
    expect(r.warnings.join('\n')).toMatch(/different quorums for mymaster \(2, 3\)/);
  });

  it('refuses a master at an address no captured node has, an error reply, and a truncated capture', () => {
    expect(captureError(() => importDeployment(nodes, { sentinels: sentinels({ s1: masters({ port: 7000 }) }) })).message).toMatch(/10\.0\.0\.1:7000, which is none of the captured nodes/);
    expect(captureError(() => parseSentinelMasters('s1.sentinel', 'NOAUTH Authentication required.\n')).message).toMatch(/error reply/);
    expect(captureError(() => parseSentinelMasters('s1.sentinel', 'name\nmymaster\nip\n')).message).toMatch(/"ip" has no value/);
    expect(captureError(() => parseSentinelMasters('s1.sentinel', 'role\nmaster\n')).message).toMatch(/does not start a SENTINEL MASTERS reply/);
  });

  it('imports the captures of real redis-server and redis-sentinel 7.0.15 (examples/import/sentinel)', async () => {
    const dir = join(import.meta.dirname, '..', '..', 'examples', 'import', 'sentinel');
    expect(readdirSync(dir)).toContain('s1.sentinel');
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, env: {} };
    expect(await main(['import', dir, '--duration', '5'], io)).toBe(0);
    const text = out.join('');
    expect(text).toMatch(/^ {2}s1: \{ port: 26401 \}/m);
    expect(text).toMatch(/monitor: \{ name: mymaster, master: m1, quorum: 2 \}/);
    expect(text).toMatch(/publish [\d.]+\/s \(the Sentinels' hello messages/);
    expect(err.join('')).toMatch(/s1 {2}monitor mymaster = m1 quorum 2 {3}← SENTINEL MASTERS/);
    expect(readFileSync(join(dir, 's1.info'), 'utf8')).toMatch(/redis_mode:sentinel/);
    expect(runScenario(parseScenario(text, 'imported.yaml')).ok).toBe(true);
  });
});
