/**
 * The end-of-run view of every node, as INFO and DEBUG DIGEST would show it, and the
 * convergence check: every replica connected, at its master's offset, with its digest.
 */
import { linkDownText } from '../check/index.js';
import { infoPersistence, infoReplication, infoStats, type InfoSection } from '../redis/index.js';
import type { RedisServer } from '../redis/index.js';
import type { Convergence, NodeReport, SlaveInfo } from './result.js';

export type DigestOf = (s: RedisServer) => string;

/**
 * A digest function that computes each node's digest once (it is O(keys)); use one per
 * moment of inspection, since the data may change afterwards.
 */
export function digestCache(): DigestOf {
  const digests = new Map<RedisServer, string>();
  return (s) => {
    let d = digests.get(s);
    if (d === undefined) {
      d = s.keyspace.digest();
      digests.set(s, d);
    }
    return d;
  };
}

export function nodeReport(s: RedisServer, digestOf: DigestOf = (x) => x.keyspace.digest()): NodeReport {
  if (!s.alive) {
    return { info: { role: 'down' }, stats: {}, persistence: {}, dbsize: 0, digest: '', keys: 0 };
  }
  const info: NodeReport['info'] = {};
  const slaves: SlaveInfo[] = [];
  for (const [k, v] of infoReplication(s)) {
    info[k] = v;
    if (/^slave\d+$/.test(k)) slaves.push(parseSlaveLine(String(v), s));
  }
  info['slaves'] = slaves;
  return {
    info,
    stats: numbers(infoStats(s)),
    persistence: Object.fromEntries(infoPersistence(s)),
    dbsize: s.keyspace.dbsize(0),
    digest: digestOf(s),
    keys: s.keyspace.totalKeys(),
    usedMemory: s.memory.usedMemory(), // INFO used_memory: the whole process (used-memory.ts)
    rdbBytes: s.keyspace.rdbSizeBytes(s.config.rdbcompression),
  };
}

function numbers(section: InfoSection): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of section) out[k] = Number(v);
  return out;
}

function parseSlaveLine(line: string, s: RedisServer): SlaveInfo {
  const kv = Object.fromEntries(line.split(',').map((p) => p.split('=') as [string, string]));
  const ip = kv['ip'] ?? '';
  const rep = s.master.replicas.find((r) => (r.client.announcedIp ?? r.name) === ip);
  return {
    name: rep?.name ?? ip,
    ip,
    port: Number(kv['port']),
    state: kv['state'] ?? '',
    offset: Number(kv['offset']),
    lag: Number(kv['lag']),
  };
}

/** Every node that follows a master: link up, same offset, same dataset. */
export function checkConvergence(servers: Map<string, RedisServer>, digestOf: DigestOf = digestCache()): Convergence {
  const problems: string[] = [];
  for (const [name, s] of servers) {
    if (!s.alive) {
      problems.push(`${name}: not running`);
      continue;
    }
    if (s.isMaster) continue;
    const host = s.replica.masterHost!;
    const m = servers.get(host);
    if (!m || !m.alive) {
      problems.push(`${name}: its master ${host} is not running`);
      continue;
    }
    if (s.replica.state !== 'connected') {
      problems.push(`${name}: ${linkDownText(s.replica.state)}`);
      continue;
    }
    const off = s.replica.master!.reploff;
    if (off !== m.masterReplOffset) problems.push(`${name}: offset ${off}, its master ${host} is at ${m.masterReplOffset}`);
    if (s.replid !== m.replid) problems.push(`${name}: replid ${s.replid.slice(0, 8)}… differs from ${host}'s ${m.replid.slice(0, 8)}…`);
    const d = digestOf(s);
    const md = digestOf(m);
    if (d !== md) problems.push(`${name}: dataset digest ${d.slice(0, 12)} differs from ${host}'s ${md.slice(0, 12)} (${s.keyspace.totalKeys()} vs ${m.keyspace.totalKeys()} keys)`);
  }
  return { ok: problems.length === 0, problems };
}
