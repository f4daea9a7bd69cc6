/**
 * Real INFO text → the simulator's NodeReport shape, so the scenario's `expect:` can be
 * evaluated against real Redis with the very same code (expect.ts), and the convergence
 * check applied with the simulator's rules (final-state.ts checkConvergence).
 *
 * Addresses are translated back into the scenario's names: a replica's `master_host` /
 * `master_port` (a fault proxy's port on 127.0.0.1) become the master's node name and its
 * scenario port; a master's `slaveN` lines name the replica node and its scenario port, as
 * the simulator writes them. Replication ids and digests stay as Redis gave them: they
 * are only ever compared for equality between nodes of the same world.
 */
import type { Convergence, NodeReport, SlaveInfo } from '../scenario/result.js';

/** How real ports map back to scenario names. */
export interface AddressBook {
  /** A proxy or node port → the node it leads to (a replica's master_port resolves here). */
  nodeAtPort(port: number): string | undefined;
  /** The scenario's port of a node (6379 unless its config sets `port`). */
  scenarioPort(node: string): number;
}

/** `key:value` lines of one INFO section. */
export function parseInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

/** Ids stay text even when they are all digits (40 zeros is "no replid2"). */
const TEXT_FIELDS = new Set(['master_replid', 'master_replid2', 'run_id']);

function value(v: string, key = ''): string | number {
  return NUMERIC.test(v) && !TEXT_FIELDS.has(key) ? Number(v) : v;
}

export interface RawNodeState {
  replication: string;
  stats: string;
  persistence: string;
  keyspace: string;
  dbsize: number;
  digest: string;
}

export function downReport(): NodeReport {
  return { info: { role: 'down' }, stats: {}, persistence: {}, dbsize: 0, digest: '', keys: 0 };
}

export function realNodeReport(raw: RawNodeState, book: AddressBook): NodeReport {
  const info: NodeReport['info'] = {};
  const slaves: SlaveInfo[] = [];
  for (const [k, v] of parseInfo(raw.replication)) {
    if (/^slave\d+$/.test(k)) {
      const s = parseSlave(v, book);
      slaves.push(s);
      info[k] = `ip=${s.ip},port=${s.port},state=${s.state},offset=${s.offset},lag=${s.lag}`;
    } else {
      info[k] = value(v, k);
    }
  }
  if (info['role'] === 'slave') {
    const master = book.nodeAtPort(Number(info['master_port']));
    info['master_host'] = master ?? `unknown(${String(info['master_host'])}:${String(info['master_port'])})`;
    if (master !== undefined) info['master_port'] = book.scenarioPort(master);
  }
  info['slaves'] = slaves;
  const stats: Record<string, number> = {};
  for (const [k, v] of parseInfo(raw.stats)) if (NUMERIC.test(v)) stats[k] = Number(v);
  const persistence: Record<string, string | number> = {};
  for (const [k, v] of parseInfo(raw.persistence)) persistence[k] = value(v);
  let keys = 0;
  for (const [, v] of parseInfo(raw.keyspace)) keys += Number(/keys=(\d+)/.exec(v)?.[1] ?? 0);
  return { info, stats, persistence, dbsize: raw.dbsize, digest: raw.digest, keys };
}

function parseSlave(line: string, book: AddressBook): SlaveInfo {
  const kv = Object.fromEntries(line.split(',').map((p) => p.split('=') as [string, string]));
  const port = Number(kv['port']);
  const name = book.nodeAtPort(port);
  return {
    name: name ?? `${kv['ip'] ?? ''}:${port}`,
    ip: name ?? kv['ip'] ?? '',
    port: name !== undefined ? book.scenarioPort(name) : port,
    state: kv['state'] ?? '',
    offset: Number(kv['offset']),
    lag: Number(kv['lag']),
  };
}

/**
 * The simulator's convergence rules (final-state.ts) over real reports: every replica
 * running, its master running, link up, applied offset = master's offset, same replid,
 * same digest.
 */
export function realConvergence(nodes: Record<string, NodeReport>): Convergence {
  const problems: string[] = [];
  for (const [name, r] of Object.entries(nodes)) {
    const role = r.info['role'];
    if (role === 'down') {
      problems.push(`${name}: not running`);
      continue;
    }
    if (role !== 'slave') continue;
    const host = String(r.info['master_host']);
    const m = nodes[host];
    if (!m || m.info['role'] === 'down') {
      problems.push(`${name}: its master ${host} is not running`);
      continue;
    }
    if (r.info['master_link_status'] !== 'up') {
      problems.push(`${name}: master link is down`);
      continue;
    }
    const off = Number(r.info['slave_repl_offset']);
    const moff = Number(m.info['master_repl_offset']);
    if (off !== moff) problems.push(`${name}: offset ${off}, its master ${host} is at ${moff}`);
    if (r.info['master_replid'] !== m.info['master_replid']) problems.push(`${name}: replid differs from ${host}'s`);
    if (r.digest !== m.digest) problems.push(`${name}: dataset digest differs from ${host}'s (${r.keys} vs ${m.keys} keys)`);
  }
  return { ok: problems.length === 0, problems };
}
