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

  it('adds the Sentinels every captured one lists in SENTINEL SENTINELS but that were not captured', () => {
    const peers = (...ports: number[]): string => ports.map((p) => `name\nid${p}\nip\n10.0.1.${p - 26000}\nport\n${p}\nrunid\nid${p}\nflags\nsentinel\n`).join('');
    // s1 (26401) and s2 (26402) were captured; 26403 is known to both: s3, with its port.
    const both = sentinels({ s1: masters({}), s2: masters({}) }).map((f, i) => ({ ...f, sentinels: { file: `${f.name}.sentinels`, text: i === 0 ? peers(26402, 26403) : peers(26401, 26403) } }));
    const r = importDeployment(nodes, { sentinels: both, durationSec: 10 });
    expect(r.text).toMatch(/^ {2}s3: \{ port: 26403 \}    # not captured: SENTINEL SENTINELS lists 10\.0\.1\.403:26403 \(s1\.sentinels:11\)/m);
    expect(r.warnings.join('\n')).not.toMatch(/were captured/); // 3 known, 2 captured + 1 added
    expect(parseScenario(r.text, 'x.yaml').sentinels?.map((x) => x.name)).toEqual(['s1', 's2', 's3']);
    // Only one of them with its peers: a captured Sentinel could pass for an uncaptured one.
    const one = importDeployment(nodes, { sentinels: [both[0]!, sentinels({ s2: masters({}) })[0]!] });
    expect(one.warnings.join('\n')).toMatch(/SENTINEL SENTINELS was captured for s1 only/);
    expect(captureError(() => importDeployment(nodes, { sentinels: [{ ...both[0]!, sentinels: { file: 's1.sentinels', text: 'name\nx\nip\n10.0.0.9\n' } }] })).message).toMatch(/lacks its port field/);
  });

  it('checks SENTINEL REPLICAS against the captured replicas', () => {
    const replica = (port: number, flags = 'slave', masterPort = 6379): string => `name\n10.0.0.2:${port}\nip\n10.0.0.2\nport\n${port}\nflags\n${flags}\nmaster-host\n10.0.0.1\nmaster-port\n${masterPort}\n`;
    const withReplicas = (text: string): SentinelFiles[] => [{ ...sentinels({ s1: masters({}) })[0]!, replicas: { file: 's1.replicas', text } }];
    const ok = importDeployment(nodes, { sentinels: withReplicas(replica(6380)) });
    expect(ok.derivations.find((d) => d.what === 'replicas of mymaster')).toMatchObject({ node: 's1', value: 'r1' });
    expect(ok.warnings.filter((w) => /replica/.test(w))).toEqual([]);
    const other = importDeployment(nodes, { sentinels: withReplicas(replica(6380, 'slave,s_down') + replica(6390)) });
    expect(other.warnings.join('\n')).toMatch(/replica 10\.0\.0\.2:6380 slave,s_down/);
    expect(other.warnings.join('\n')).toMatch(/knows a replica of mymaster at 10\.0\.0\.2:6390 \(s1\.replicas:13\) that was not captured/);
    expect(importDeployment(nodes, { sentinels: withReplicas('') }).warnings.join('\n')).toMatch(/does not list r1 as a replica of mymaster/);
    expect(captureError(() => importDeployment(nodes, { sentinels: withReplicas(replica(6380, 'slave', 7000)) })).message).toMatch(/master-port is 7000, but mymaster is m1 on port 6379/);
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

  it('imports a real chain under Sentinel with 2 of its 3 Sentinels captured (examples/import/sentinel-chain)', async () => {
    const dir = join(import.meta.dirname, '..', '..', 'examples', 'import', 'sentinel-chain');
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, env: {} };
    expect(await main(['import', dir, '--duration', '20', '--name', 'imported-sentinel-chain'], io)).toBe(0);
    const text = out.join('');
    // s3 was not captured: both captured Sentinels list it in SENTINEL SENTINELS.
    expect(text).toMatch(/^ {2}s3: \{ port: 25878 \}    # not captured: SENTINEL SENTINELS lists 127\.0\.0\.1:25878/m);
    // Sentinel lists the master's direct replica r1, not the chained r2: no warning for either.
    expect(err.join('')).toMatch(/s1 {2}replicas of mymaster = r1 {3}← SENTINEL REPLICAS mymaster \(1 listed\)/);
    expect(err.join('')).not.toMatch(/warning/);
    const s = parseScenario(text, 'imported.yaml');
    expect(s.nodes.find((n) => n.name === 'r2')!.replicaof).toBe('r1');
    const run = runScenario(s, { seed: '1' });
    expect(run.ok).toBe(true);
    expect(run.nodes['s1']!.sentinel!.masters['mymaster']!['num-other-sentinels']).toBe('2');
    // The real master's stream grew 88,276 B/s between the captures; 19 s of imported writes.
    const rate = Number(run.nodes['m1']!.info['master_repl_offset']) / 19;
    expect(Math.abs(rate - 88_276) / 88_276).toBeLessThan(0.1);
  });
});
