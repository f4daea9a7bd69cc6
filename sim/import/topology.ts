/**
 * Who replicates from whom, from the nodes' own INFO: a replica names its master by
 * `master_host`/`master_port`, a master lists its replicas as `slaveN:ip=…,port=…`, and all
 * members of one replication history share `master_replid`. Captures are matched to each
 * other by those, by `run_id` (two files of one process are a mix-up) and, where addresses
 * alone are ambiguous (every node on port 6379 of its own host), by addresses the user gives
 * (`--address r1=10.0.0.2`). A capture's port is its `tcp_port`.
 */
import { CaptureError, type InfoCapture } from './captures.js';
import type { VersionFamily } from './info-versions.js';

export interface CapturedNode {
  /** The node's name in the scenario (from its file name). */
  name: string;
  infoFile: string;
  /** The INFO captures, oldest first. */
  info: InfoCapture[];
  configFile: string | null;
  config: Map<string, string> | null;
  /** A known IP of the node: given by the user, or learnt from a peer's INFO. */
  ip: string | null;
  /** The Redis version family of its INFO (fields' meaning differs: see info-versions.ts). */
  family: VersionFamily;
}

export interface ReplicaEdge {
  replica: string;
  master: string;
  /** How the master was identified, for the scenario's comment. */
  how: string;
}

interface SlaveLine {
  ip: string;
  port: number;
}

/** The latest value of an INFO field of a node. */
export function latest(n: CapturedNode, field: string): string | undefined {
  return n.info[n.info.length - 1]!.fields.get(field);
}

function slaveLines(n: CapturedNode): SlaveLine[] {
  const out: SlaveLine[] = [];
  for (const [k, v] of n.info[n.info.length - 1]!.fields) {
    if (!/^slave\d+$/.test(k)) continue;
    const ip = /(?:^|,)ip=([^,]*)/.exec(v)?.[1];
    const port = /(?:^|,)port=(\d+)/.exec(v)?.[1];
    if (ip !== undefined && port !== undefined) out.push({ ip, port: Number(port) });
  }
  return out;
}

/** The port a node listens on, and the one it announces to its master. */
export function portOf(n: CapturedNode): number {
  return Number(latest(n, 'tcp_port') ?? n.config?.get('port') ?? 6379);
}
function announcedPort(n: CapturedNode): number {
  const p = Number(n.config?.get('replica-announce-port') ?? 0);
  return p > 0 ? p : portOf(n);
}

/** Checks the captures against each other: the same process twice, a config of another node. */
export function checkCaptures(nodes: readonly CapturedNode[]): void {
  const byRunId = new Map<string, CapturedNode>();
  for (const n of nodes) {
    const role = latest(n, 'role');
    if (role !== 'master' && role !== 'slave') {
      throw new CaptureError(n.infoFile, n.info[0]!.line, role === undefined ? 'no role: field: the INFO capture lacks its Replication section (truncated?)' : `role:${role} is neither master nor slave`,
        'capture `INFO everything` (or at least `INFO server replication keyspace`) from a redis-server, not a Sentinel');
    }
    const runs = new Set(n.info.map((c) => c.fields.get('run_id')).filter((x) => x !== undefined));
    if (runs.size > 1) {
      throw new CaptureError(n.infoFile, n.info[1]!.line, `the captures in this file come from different processes (run_id ${[...runs].map((r) => r!.slice(0, 8)).join(' and ')})`,
        'a node restarted between the captures, or captures of two nodes were appended to one file: keep one node per file, captured without a restart in between');
    }
    const runId = [...runs][0];
    if (runId !== undefined) {
      const other = byRunId.get(runId);
      if (other !== undefined) {
        throw new CaptureError(n.infoFile, n.info[0]!.line, `${n.infoFile} and ${other.infoFile} are captures of the same process (run_id ${runId.slice(0, 8)}…)`,
          'capture each node once, into a file named after it');
      }
      byRunId.set(runId, n);
    }
    if (n.config !== null && n.configFile !== null) {
      const cport = n.config.get('port');
      const iport = latest(n, 'tcp_port');
      if (cport !== undefined && iport !== undefined && cport !== iport) {
        throw new CaptureError(n.configFile, 0, `${n.configFile} is from a server on port ${cport}, but ${n.infoFile} says tcp_port:${iport}`,
          'the CONFIG and INFO captures of one node were mixed up: capture both from the same server');
      }
    }
  }
}

/** Each replica's master among the captured nodes. */
export function replicationEdges(nodes: readonly CapturedNode[]): ReplicaEdge[] {
  const edges: ReplicaEdge[] = [];
  for (const r of nodes) {
    if (latest(r, 'role') !== 'slave') continue;
    const host = latest(r, 'master_host') ?? '';
    const port = Number(latest(r, 'master_port') ?? NaN);
    let candidates = nodes.filter((m) => m !== r && portOf(m) === port);
    let how = `master_port ${port}`;
    const byIp = candidates.filter((m) => m.ip !== null && m.ip === host);
    if (byIp.length === 1) {
      candidates = byIp;
      how = `master_host ${host} is ${byIp[0]!.name}'s address`;
    }
    if (candidates.length > 1) {
      const listing = candidates.filter((m) => slaveLines(m).some((l) => l.port === announcedPort(r) && (r.ip === null || l.ip === r.ip)));
      if (listing.length >= 1) {
        candidates = listing;
        how = `its master lists a replica on port ${announcedPort(r)}`;
      }
    }
    if (candidates.length > 1) {
      const sameHistory = candidates.filter((m) => latest(m, 'master_replid') === latest(r, 'master_replid'));
      if (sameHistory.length >= 1) {
        candidates = sameHistory;
        how = 'same master_replid';
      }
    }
    if (candidates.length === 0) {
      throw new CaptureError(r.infoFile, r.info[0]!.line, `${r.name} replicates from ${host}:${port}, which is none of the captured nodes`,
        `capture that master too (INFO everything and CONFIG GET '*'), or give its address: --address NAME=${host}`);
    }
    if (candidates.length > 1) {
      throw new CaptureError(r.infoFile, r.info[0]!.line, `cannot tell which capture is ${r.name}'s master (${host}:${port}): ${candidates.map((c) => c.name).join(', ')} all fit`,
        `give the nodes' addresses, e.g. --address ${candidates[0]!.name}=${host}`);
    }
    edges.push({ replica: r.name, master: candidates[0]!.name, how });
  }
  // A cycle (captures of a moment when roles were changing) cannot be built.
  const masterOf = new Map(edges.map((e) => [e.replica, e.master]));
  for (const start of masterOf.keys()) {
    const seen = new Set<string>([start]);
    let at = masterOf.get(start);
    while (at !== undefined) {
      if (seen.has(at)) {
        const n = nodes.find((x) => x.name === start)!;
        throw new CaptureError(n.infoFile, 0, `the captures describe a replication cycle through ${start}`,
          'the roles were changing while you captured (a failover?): capture all nodes again once it settled');
      }
      seen.add(at);
      at = masterOf.get(at);
    }
  }
  return edges;
}
