/**
 * What a Sentinel knows besides its masters: `SENTINEL SENTINELS <master>` (the other
 * Sentinels, from their hellos) and `SENTINEL REPLICAS <master>` (the replicas it discovered
 * in the master's INFO). The first adds to the scenario the Sentinels that were not captured —
 * their number decides the majority a failover needs, so leaving them out changes the answer —
 * and the second checks the captured topology against the one Sentinel acts on.
 */
import { CaptureError } from './captures.js';
import type { Derivation } from './derive.js';
import { parseSentinelReply, wholeNumber } from './sentinel-records.js';
import { latest, portOf, type CapturedNode } from './topology.js';

export interface PeerCaptures {
  name: string;
  sentinels?: { file: string; text: string };
  replicas?: { file: string; text: string };
}

/** A Sentinel that the captured ones know but that was not captured: its address. */
export interface UncapturedSentinel {
  name: string;
  ip: string;
  port: number;
  /** Which capture lists it. */
  source: string;
}

interface Address {
  ip: string;
  port: number;
  line: number;
}

function addresses(file: string, text: string, command: string): Address[] {
  return parseSentinelReply(file, text, command, true).map((r) => ({
    ip: r.fields.get('ip')?.text ?? '',
    port: wholeNumber(file, r, 'port', command),
    line: r.line,
  }));
}

/**
 * The Sentinels every captured Sentinel lists as a peer: none of the captured ones (a
 * Sentinel does not list itself), so the ones not captured. Only when every captured
 * Sentinel's SENTINEL SENTINELS was captured — else a captured one could pass for a peer.
 */
export function uncapturedSentinels(captured: readonly PeerCaptures[], master: string, warnings: string[]): UncapturedSentinel[] {
  const withPeers = captured.filter((c) => c.sentinels !== undefined);
  if (withPeers.length === 0) return [];
  if (withPeers.length < captured.length) {
    warnings.push(`SENTINEL SENTINELS was captured for ${withPeers.map((c) => c.name).join(', ')} only: capture it on every Sentinel to add the Sentinels that were not captured`);
    return [];
  }
  const lists = withPeers.map((c) => ({ c, peers: addresses(c.sentinels!.file, c.sentinels!.text, `SENTINEL SENTINELS ${master}`) }));
  const key = (a: Address): string => `${a.ip}:${a.port}`;
  const common = lists[0]!.peers.filter((a) => lists.every((l) => l.peers.some((b) => key(b) === key(a))));
  const taken = new Set(captured.map((c) => c.name));
  return common.map((a) => {
    const name = freeName(captured.map((c) => c.name), taken);
    taken.add(name);
    return { name, ip: a.ip, port: a.port, source: `${lists[0]!.c.sentinels!.file}:${a.line}` };
  });
}

/** s4 after s1–s3; sentinel1, sentinel2, … when the captured names have no common stem. */
function freeName(names: readonly string[], taken: ReadonlySet<string>): string {
  const stems = new Set(names.map((n) => /^(.*?)\d+$/.exec(n)?.[1] ?? null));
  const stem = stems.size === 1 && [...stems][0] ? [...stems][0]! : 'sentinel';
  for (let i = 1; ; i++) if (!taken.has(`${stem}${i}`)) return `${stem}${i}`;
}

/**
 * Checks each SENTINEL REPLICAS capture against the captured nodes: a replica Sentinel knows
 * that was not captured (a failover may promote it), one it flags down or disconnected, and a
 * captured direct replica of the master it does not list (it would never promote that one).
 */
export function checkSentinelReplicas(captured: readonly PeerCaptures[], master: { name: string; node: CapturedNode }, nodes: readonly CapturedNode[], derivations: Derivation[], warnings: string[]): void {
  const direct = nodes.filter((n) => latest(n, 'role') === 'slave' && Number(latest(n, 'master_port')) === portOf(master.node));
  for (const c of captured) {
    if (c.replicas === undefined) continue;
    const command = `SENTINEL REPLICAS ${master.name}`;
    const records = parseSentinelReply(c.replicas.file, c.replicas.text, command, true);
    const found: string[] = [];
    for (const r of records) {
      const port = wholeNumber(c.replicas.file, r, 'port', command);
      const ip = r.fields.get('ip')?.text ?? '';
      const mport = r.fields.get('master-port');
      if (mport !== undefined && Number(mport.text) !== portOf(master.node)) {
        throw new CaptureError(c.replicas.file, mport.line, `these replicas' master-port is ${mport.text}, but ${master.name} is ${master.node.name} on port ${portOf(master.node)}`,
          `capture SENTINEL REPLICAS of the master SENTINEL MASTERS names, at the same time: redis-cli -h HOST -p 26379 SENTINEL REPLICAS ${master.name} > ${c.name}.replicas`);
      }
      const flags = r.fields.get('flags')?.text ?? '';
      const node = nodes.filter((n) => portOf(n) === port && (n.ip === null || n.ip === ip));
      if (node.length === 0) {
        warnings.push(`${c.name} knows a replica of ${master.name} at ${ip}:${port} (${c.replicas.file}:${r.line}) that was not captured: a failover may promote it — capture it too`);
        continue;
      }
      found.push(node.length === 1 ? node[0]!.name : `${ip}:${port}`);
      if (/\b(s_down|o_down|disconnected)\b/.test(flags)) warnings.push(`${c.name} flags replica ${ip}:${port} ${flags} (${c.replicas.file}:${r.line})`);
    }
    derivations.push({ node: c.name, what: `replicas of ${master.name}`, value: found.length > 0 ? found.join(', ') : 'none', source: `${command} (${records.length} listed)` });
    for (const n of direct) {
      if (!found.includes(n.name)) warnings.push(`${c.name} does not list ${n.name} as a replica of ${master.name} (replica-announced no, or not discovered yet): the real Sentinel would not promote it; the simulated one will`);
    }
  }
}
