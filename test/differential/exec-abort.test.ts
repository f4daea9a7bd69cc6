/**
 * EXEC passes processCommand's gates with the flags of the commands it queued (Redis's
 * mstate.cmd_flags / cmd_inv_flags), and a refused EXEC is answered by execCommandAbort:
 * -EXECABORT "Transaction discarded because of: <the refusal>", the transaction gone. Each
 * script runs with two clients on a real redis-server 7.0.15 and on a simulated node; every
 * reply must be the same. Skipped without a redis-server on the PATH.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRedisServer } from '../../sim/cli/diff.js';
import { formatReply } from '../../sim/redis/protocol/reply.js';
import type { ClientSession } from '../../sim/redis/command-processor.js';
import { TestCluster } from '../helpers/cluster.js';
import { startPlainServer, type PlainServer } from '../helpers/real-server.js';

const REDIS = findRedisServer(process.env);

/** [client, command]; client "c" connects only when it first speaks (after CONFIG SET requirepass). */
type Step = ['a' | 'b' | 'c', string];
const NOWHERE = 'REPLICAOF 127.0.0.1 1'; // becomes a replica of a master that never answers

const SCRIPTS: Record<string, Step[]> = {
  'READONLY: a write queued on a master that became a replica before EXEC': [
    ['a', 'MULTI'], ['a', 'SET k v'], ['b', NOWHERE], ['a', 'EXEC'], ['a', 'EXEC'], ['a', 'GET k'],
  ],
  'a read-only transaction still runs on the new replica': [
    ['b', 'SET k v'], ['a', 'MULTI'], ['a', 'GET k'], ['b', NOWHERE], ['a', 'EXEC'],
  ],
  'MASTERDOWN: a queued read without the stale flag, then the link is down': [
    ['b', 'CONFIG SET replica-serve-stale-data no'], ['a', 'MULTI'], ['a', 'GET k'], ['b', NOWHERE], ['a', 'EXEC'], ['a', 'MULTI'], ['a', 'SELECT 0'], ['a', 'EXEC'],
  ],
  'OOM: a queued denyoom write, then maxmemory is exceeded': [
    ['b', 'SET a 1'], ['a', 'MULTI'], ['a', 'SET b 1'], ['b', 'CONFIG SET maxmemory 1'], ['a', 'EXEC'], ['a', 'MULTI'], ['a', 'GET a'], ['a', 'PING'], ['a', 'EXEC'], ['b', 'CONFIG SET maxmemory 0'],
  ],
  'a transaction already aborted queues nothing, so its later writes add no flags': [
    ['a', 'MULTI'], ['a', 'NOSUCHCOMMAND'], ['a', 'SET k v'], ['b', NOWHERE], ['a', 'EXEC'],
  ],
  'NOAUTH on EXEC without MULTI is an EXECABORT too': [
    ['b', 'CONFIG SET requirepass pw'], ['c', 'EXEC'], ['c', 'MULTI'], ['c', 'AUTH pw'], ['c', 'EXEC'],
  ],
  'EXEC with arguments: the arity refusal is an EXECABORT': [['a', 'MULTI'], ['a', 'SET k v'], ['a', 'EXEC now'], ['a', 'EXEC']],
};

async function realReplies(server: PlainServer, steps: Step[]): Promise<string[]> {
  const clients = new Map<string, Awaited<ReturnType<PlainServer['connect']>>>();
  const out: string[] = [];
  for (const [who, command] of steps) {
    if (!clients.has(who)) clients.set(who, await server.connect());
    out.push(formatReply(await clients.get(who)!.call(command.split(' '))));
  }
  for (const c of clients.values()) c.close();
  return out;
}

function simReplies(steps: Step[]): string[] {
  const cluster = new TestCluster('name: t\nduration: 10s\nnodes:\n  m1: {}\n');
  const m1 = cluster.node('m1');
  const sessions = new Map<string, ClientSession>();
  const out: string[] = [];
  for (const [who, command] of steps) {
    if (!sessions.has(who)) sessions.set(who, m1.commands.newSession(who));
    let reply: string | null = null;
    m1.commands.call(sessions.get(who)!, command.split(' '), (r) => (reply = formatReply(r)));
    cluster.runFor(0.01);
    out.push(reply ?? '(no reply)');
  }
  return out;
}

describe.skipIf(REDIS === null)('EXEC gated on its queued commands (real redis-server vs replsim)', () => {
  let server: PlainServer;
  beforeAll(async () => {
    server = await startPlainServer(REDIS!, 'exec-abort');
  });
  afterAll(async () => {
    await server.close();
  });

  for (const [name, steps] of Object.entries(SCRIPTS)) {
    it(name, async () => {
      const real = await realReplies(server, steps);
      // Back to a writable master with no password for the next script.
      const admin = await server.connect();
      await admin.call(['AUTH', 'pw']);
      for (const c of [['CONFIG', 'SET', 'requirepass', ''], ['REPLICAOF', 'NO', 'ONE'], ['CONFIG', 'SET', 'replica-serve-stale-data', 'yes'], ['CONFIG', 'SET', 'maxmemory', '0'], ['FLUSHALL']]) await admin.call(c);
      admin.close();
      expect(simReplies(steps), real.join('\n')).toEqual(real);
    });
  }
});
