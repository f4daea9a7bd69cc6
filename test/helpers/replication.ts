/**
 * Small tools for the replication behaviour tests (test/redis/replication-*.test.ts), on
 * top of TestCluster: a client that keeps its connection state (SELECT, MULTI, WAIT's
 * offset) between commands, INFO readers, "run until" loops on the virtual clock, open-loop
 * write load, and the convergence check of the scenario runner.
 */
import { TestCluster } from './cluster.js';
import { formatReply, type Reply } from '../../sim/redis/protocol/reply.js';
import type { ClientSession } from '../../sim/redis/command-processor.js';
import { OpenLoopClient, type OpenLoopSpec } from '../../sim/workload/open-loop.js';
import { checkConvergence } from '../../sim/scenario/final-state.js';
import { sec } from '../../sim/engine/time.js';

export { TestCluster };

/** m1 and its replica r1 (diskless sync without delay), with the link up. */
export function masterWithReplica(): TestCluster {
  const c = new TestCluster(`
config:
  repl-diskless-sync-delay: 0
nodes:
  m1: {}
  r1: { replicaof: m1 }
`);
  runUntilTrue(c, () => linkUp(c, 'r1'), 'link up', 10);
  return c;
}

/**
 * Sends argv on a connection of its own without running the clock; the getter returns the
 * reply once there is one (null while the command is blocked or postponed).
 */
export function sendAsync(c: TestCluster, node: string, ...argv: string[]): () => Reply | null {
  const s = c.node(node);
  let reply: Reply | null = null;
  s.commands.call(s.commands.newSession('async'), argv, (r) => (reply = r));
  return () => reply;
}

/** One client connection to one node: SELECT, MULTI and WAIT's offset persist across calls. */
export class Client {
  private readonly session: ClientSession;

  constructor(
    private readonly c: TestCluster,
    readonly node: string,
  ) {
    this.session = c.node(node).commands.newSession('test-client');
  }

  /** Sends argv, runs the clock (1 ms steps, at most `maxSeconds`) until the reply comes. */
  reply(argv: string[], maxSeconds = 30): Reply {
    let out: Reply | null = null;
    this.c.node(this.node).commands.call(this.session, argv, (r) => (out = r));
    const deadline = this.c.now + sec(maxSeconds);
    while (out === null && this.c.now < deadline) this.c.runUntil(this.c.now + 1000);
    if (out === null) throw new Error(`no reply from ${this.node} to ${argv.join(' ')}`);
    return out;
  }

  /** redis-cli's rendering of the reply: `OK`, `"bar"`, `(integer) 1`, `(nil)`, `(error) …`. */
  run(...argv: string[]): string {
    return formatReply(this.reply(argv));
  }

  /** Several commands on this connection, in order; returns the replies' texts. */
  pipeline(lines: string[][]): string[] {
    return lines.map((argv) => this.run(...argv));
  }
}

/** A field of one INFO section (cheaper than TestCluster.info, which reads INFO everything). */
export function infoField(c: TestCluster, node: string, field: string, section = 'replication'): string {
  const r = c.cmd(node, 'INFO', section);
  const text = r.type === 'bulk' ? (r.value ?? '') : '';
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && line.slice(0, i) === field) return line.slice(i + 1);
  }
  throw new Error(`no INFO ${section} field ${field} on ${node}`);
}

export function offset(c: TestCluster, node: string): number {
  return Number(infoField(c, node, 'master_repl_offset'));
}

export function replid(c: TestCluster, node: string): string {
  return c.info(node, 'master_replid');
}

export function stat(c: TestCluster, node: string, field: 'sync_full' | 'sync_partial_ok' | 'sync_partial_err' | 'expired_keys'): number {
  return c.infoNum(node, field);
}

/**
 * The dataset fingerprint the scenario runner's convergence check uses: (db, key, type,
 * value, exact expiry) over all keys, like DEBUG DIGEST but stricter on TTLs and ~10× faster
 * on large datasets (DEBUG DIGEST's SHA1 costs ~0.5 s per 20k keys in the model).
 */
export function digest(c: TestCluster, node: string): string {
  return c.node(node).keyspace.digest();
}

export function dbsize(c: TestCluster, node: string): number {
  const r = c.cmd(node, 'DBSIZE');
  if (r.type !== 'int') throw new Error(`DBSIZE on ${node}: ${formatReply(r)}`);
  return r.value;
}

/** Field `k` of the `slaveN:ip=…,port=…,state=…,offset=…,lag=…` line. */
export function slaveField(c: TestCluster, master: string, index: number, k: 'ip' | 'state' | 'offset' | 'lag' | 'port'): string {
  const line = infoField(c, master, `slave${index}`);
  for (const part of line.split(',')) {
    const [key, value] = part.split('=');
    if (key === k) return value!;
  }
  throw new Error(`no ${k} in ${line}`);
}

/**
 * Steps the clock by `stepMs` until `pred()` holds; returns the virtual time (µs) at which it
 * first held. Throws after `maxSeconds` of virtual time.
 */
export function runUntilTrue(c: TestCluster, pred: () => boolean, what: string, maxSeconds = 60, stepMs = 10): number {
  const deadline = c.now + sec(maxSeconds);
  while (!pred()) {
    if (c.now >= deadline) throw new Error(`timed out after ${maxSeconds}s (virtual) waiting for ${what}`);
    c.runUntil(c.now + stepMs * 1000);
  }
  return c.now;
}

export function linkUp(c: TestCluster, replica: string): boolean {
  return infoField(c, replica, 'master_link_status') === 'up';
}

/** The runner's convergence check: every replica connected, at its master's offset and digest. */
export function convergence(c: TestCluster): { ok: boolean; problems: string[] } {
  return checkConvergence(c.world.servers);
}

/** Every replica connected at its master's offset and replid (cheap; no digests). */
function offsetsConverged(c: TestCluster): boolean {
  for (const s of c.world.servers.values()) {
    if (!s.alive) return false;
    if (s.isMaster) continue;
    const m = c.world.servers.get(s.replica.masterHost!);
    if (!m || !m.alive || s.replica.state !== 'connected') return false;
    if (s.replica.master!.reploff !== m.masterReplOffset || s.replid !== m.replid) return false;
  }
  return true;
}

/**
 * Runs until every replica has converged (see `convergence`), or throws with the problems.
 * Digests are only compared once links, offsets and replids agree, so polling stays cheap.
 */
export function runUntilConverged(c: TestCluster, maxSeconds = 60): number {
  let last: string[] = [];
  try {
    return runUntilTrue(
      c,
      () => {
        if (!offsetsConverged(c)) {
          last = ['links/offsets/replids not converged'];
          return false;
        }
        const r = convergence(c);
        last = r.problems;
        return r.ok;
      },
      'convergence',
      maxSeconds,
      50,
    );
  } catch {
    throw new Error(`no convergence within ${maxSeconds}s: ${last.join('; ')} ${convergence(c).problems.join('; ')}`);
  }
}

/** An open-loop SET/INCR writer on `node` from now for `seconds` of virtual time. */
export function startWrites(
  c: TestCluster,
  node: string,
  o: { rateHz: number; seconds: number; keys?: number; valueSize?: number; prefix?: string; ops?: Partial<OpenLoopSpec['ops']>; stream?: string },
): OpenLoopClient {
  const spec: OpenLoopSpec = {
    rateHz: o.rateHz,
    fromUs: c.now,
    untilUs: c.now + sec(o.seconds),
    keys: o.keys ?? 1000,
    valueSize: o.valueSize ?? 100,
    db: 0,
    keyPrefix: o.prefix ?? 'load',
    ops: { set: 1, incr: 0, get: 0, del: 0, expire: 0, append: 0, ...o.ops },
  };
  const client = new OpenLoopClient(c.world.sim, () => c.node(node), spec, c.world.sim.random.stream(o.stream ?? `test-writes/${node}`));
  client.start();
  return client;
}

/** `count` SETs of `valueSize`-byte values to distinct keys `burst:<n>` on `node`, at once. */
export function burst(c: TestCluster, node: string, count: number, valueSize = 100): void {
  c.act({ kind: 'write', node, count, valueSize, db: 0, prefix: 'burst' });
}

/** Virtual times (µs) of the trace records of `kind` on `node`. */
export function traceTimes(c: TestCluster, kind: string, node?: string): number[] {
  return c.traceKinds(kind, node).map((r) => r.t);
}

/** RESP size of one command as the replication stream carries it (hand formula of redis-replication.md §3.1). */
export function respBytes(...argv: string[]): number {
  let n = `*${argv.length}\r\n`.length;
  for (const a of argv) n += `$${Buffer.byteLength(a)}\r\n`.length + Buffer.byteLength(a) + 2;
  return n;
}
