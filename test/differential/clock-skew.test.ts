/**
 * TIME and LASTSAVE read the same wall clock as key expiry (gettimeofday / time(NULL) in
 * Redis), so a client that turns their answers into absolute expiry times gets the TTL it
 * asked for — on a real redis-server, and in replsim on a node whose clock is skewed or
 * drifting (DESIGN.md rule 1: a node's wall clock is epoch + virtual time + its skew).
 * Skipped without a redis-server on the PATH.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRedisServer } from '../../sim/cli/diff.js';
import type { RespClient } from '../../sim/diff/resp-client.js';
import type { Reply } from '../../sim/redis/protocol/reply.js';
import { TestCluster } from '../helpers/cluster.js';
import { startPlainServer, type PlainServer } from '../helpers/real-server.js';

const REDIS = findRedisServer(process.env);
const AHEAD_S = 100;

type Send = (argv: string[]) => Promise<Reply>;

/** SAVE, then keys expiring AHEAD_S after TIME's and LASTSAVE's second; their TTLs. */
async function ttlsFromServerClock(send: Send): Promise<{ fromTime: number; fromLastsave: number }> {
  await send(['SAVE']);
  const time = await send(['TIME']);
  const lastsave = await send(['LASTSAVE']);
  if (time.type !== 'array' || lastsave.type !== 'int' || time.items === null) throw new Error('unexpected TIME/LASTSAVE reply');
  const first = time.items[0];
  const seconds = Number(first?.type === 'bulk' ? first.value : NaN);
  await send(['SET', 'a', 'v', 'EXAT', String(seconds + AHEAD_S)]);
  await send(['SET', 'b', 'v', 'EXAT', String(lastsave.value + AHEAD_S)]);
  const ttl = async (k: string): Promise<number> => {
    const r = await send(['TTL', k]);
    return r.type === 'int' ? r.value : NaN;
  };
  return { fromTime: await ttl('a'), fromLastsave: await ttl('b') };
}

/** TTL rounds the ms left to the nearest second; under a second has passed since TIME/SAVE. */
const EXPECTED_TTLS = [AHEAD_S - 1, AHEAD_S];

function simSend(clockChange: { skewMs?: number; driftPpm?: number }): Send {
  const cluster = new TestCluster('name: t\nduration: 60s\nnodes:\n  m1: {}\n');
  cluster.runFor(1.3); // mid-second, so the sub-second part of the clock matters
  const m1 = cluster.node('m1');
  m1.adjustClock(clockChange);
  cluster.runFor(10); // a drift of 20 % is 2 s ahead by now
  const session = m1.commands.newSession('client');
  return async (argv) => {
    let reply: Reply | null = null;
    m1.commands.call(session, argv, (r) => (reply = r));
    cluster.runFor(0.003);
    if (reply === null) throw new Error(`no reply to ${argv.join(' ')}`);
    return reply;
  };
}

describe.skipIf(REDIS === null)('TIME and LASTSAVE follow the node clock that expiry uses (real redis-server vs replsim)', () => {
  let server: PlainServer;
  let client: RespClient;
  beforeAll(async () => {
    server = await startPlainServer(REDIS!, 'clock-skew');
    client = await server.connect();
  });
  afterAll(async () => {
    await server.close();
  });

  it('on the real server, keys set to expire 100 s after TIME and LASTSAVE have a TTL of 99-100 s', async () => {
    const real = await ttlsFromServerClock((argv) => client.call(argv));
    expect(EXPECTED_TTLS).toContain(real.fromTime);
    expect(EXPECTED_TTLS).toContain(real.fromLastsave);
  });

  for (const [what, change] of [
    ['a clock 1 h ahead', { skewMs: 3_600_000 }],
    ['a clock 1 h behind', { skewMs: -3_600_000 }],
    ['a clock drifting 20 % fast', { driftPpm: 200_000 }],
  ] as const) {
    it(`in replsim, the same holds on a node with ${what}`, async () => {
      const sim = await ttlsFromServerClock(simSend(change));
      expect(EXPECTED_TTLS).toContain(sim.fromTime);
      expect(EXPECTED_TTLS).toContain(sim.fromLastsave);
    });
  }
});
