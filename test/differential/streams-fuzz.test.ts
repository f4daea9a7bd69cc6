/**
 * Differential fuzz of the stream commands (XADD with explicit, `<ms>-*` IDs, MAXLEN/MINID
 * exact and `~` trimming, NOMKSTREAM; XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XREAD) against
 * a real redis-server 7.0.15: replies, the propagated stream (the generated IDs and the
 * rewritten approximate trims) and DEBUG DIGEST must agree. `*` IDs come from each side's
 * own clock, so they are tested in test/redis/commands/commands-stream.test.ts instead.
 * Skipped without a redis-server.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { findRedisServer } from '../../sim/cli/diff.js';
import { startRealServer, type RealServer } from '../helpers/real-server.js';
import { compareWithReal } from '../helpers/differential-compare.js';
import { makeCtx } from '../helpers/exec.js';
import { StreamEmulator } from '../helpers/stream-reader.js';
import { formatReply, type Reply } from '../../sim/redis/protocol/reply.js';

const REDIS = findRedisServer(process.env);

const keyArb = fc.constantFrom('s', 's', 't');
const msArb = fc.integer({ min: 0, max: 40 });
const fieldsArb = fc.constantFrom(['a', '1'], ['a', '2', 'b', 'x'], ['b', 'y'], ['a', 'long-value-'.repeat(8)]);
const trimArb = fc.constantFrom<string[]>([], [], ['MAXLEN', '3'], ['MAXLEN', '~', '2'], ['MAXLEN', '=', '0'], ['MINID', '5'], ['MINID', '~', '20'], ['MAXLEN', '~', '1', 'LIMIT', '100'], ['NOMKSTREAM']);
const commandArb: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(keyArb, trimArb, msArb, fc.constantFrom('-*', '-0', '-1', '', '-*'), fieldsArb).map(([k, t, ms, seq, f]) => ['XADD', k, ...t, `${ms}${seq}`, ...f]) },
  { weight: 1, arbitrary: keyArb.map((k) => ['XLEN', k]) },
  { weight: 2, arbitrary: fc.tuple(keyArb, fc.constantFrom('-', '5', '(3-0', '10-1'), fc.constantFrom('+', '30', '(30', '10'), fc.constantFrom<string[]>([], ['COUNT', '2'], ['COUNT', '0'])).map(([k, a, b, c]) => ['XRANGE', k, a, b, ...c]) },
  { weight: 1, arbitrary: fc.tuple(keyArb, fc.constantFrom<string[]>([], ['COUNT', '1'])).map(([k, c]) => ['XREVRANGE', k, '+', '-', ...c]) },
  { weight: 2, arbitrary: fc.tuple(keyArb, msArb, msArb).map(([k, a, b]) => ['XDEL', k, `${a}-0`, `${b}-1`]) },
  { weight: 1, arbitrary: fc.tuple(keyArb, fc.constantFrom<string[]>(['MAXLEN', '2'], ['MAXLEN', '~', '1'], ['MINID', '~', '15'], ['MINID', '12'])).map(([k, t]) => ['XTRIM', k, ...t]) },
  { weight: 1, arbitrary: fc.tuple(keyArb, fc.constantFrom('0', '10-0', '$')).map(([k, id]) => ['XREAD', 'COUNT', '2', 'STREAMS', k, id]) },
  { weight: 1, arbitrary: keyArb.map((k) => ['TYPE', k]) },
  { weight: 1, arbitrary: keyArb.map((k) => ['SET', k, 'x']) },
  { weight: 1, arbitrary: keyArb.map((k) => ['DEL', k]) },
);

function normalizeReply(r: Reply): string {
  return r.type === 'int' ? `(integer) ${r.value}` : formatReply(r);
}

describe.skipIf(REDIS === null)('stream commands vs a real redis-server 7.0.15', () => {
  let real: RealServer;
  let runs = 0;

  beforeAll(async () => {
    real = await startRealServer(REDIS!, 'streams');
  }, 30_000);

  afterAll(async () => {
    await real?.close();
  });

  async function compare(commands: string[][]): Promise<string[]> {
    return compareWithReal(real, ++runs, makeCtx({ nowMs: Date.now() }), new StreamEmulator(), commands, { normalize: (_argv, r) => normalizeReply(r) });
  }

  test('many entries through MAXLEN ~: whole 100-entry nodes go, the rewrite says how many stay', async () => {
    const cmds: string[][] = [];
    for (let i = 1; i <= 250; i++) cmds.push(['XADD', 's', `${i}-1`, 'f', String(i)]);
    cmds.push(['XADD', 's', 'MAXLEN', '~', '120', '251-1', 'f', 'x'], ['XLEN', 's'], ['XTRIM', 's', 'MINID', '~', '230'], ['XLEN', 's'], ['XDEL', 's', '240-1'], ['XTRIM', 's', 'MAXLEN', '5'], ['XRANGE', 's', '-', '+']);
    expect(await compare(cmds)).toEqual([]);
  });

  test('node boundaries by bytes (stream-node-max-bytes 4096) decide what MAXLEN ~ keeps', async () => {
    const cmds: string[][] = [];
    for (let i = 1; i <= 200; i++) cmds.push(['XADD', 's', `${i}-0`, 'field', 'v'.repeat(i % 7 === 0 ? 300 : 60), ...(i % 3 === 0 ? ['other', 'x'] : [])]);
    cmds.push(['XADD', 's', 'MAXLEN', '~', '150', '201-0', 'f', 'x'], ['XLEN', 's'], ['XADD', 's', 'MAXLEN', '~', '60', '202-0', 'f', 'x'], ['XLEN', 's'], ['XTRIM', 's', 'MINID', '~', '190'], ['XLEN', 's']);
    expect(await compare(cmds)).toEqual([]);
  });

  test('random sequences: same replies, stream and digest', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 25 }), async (commands) => {
        expect(await compare(commands)).toEqual([]);
      }),
      { numRuns: 400, seed: 11, endOnFailure: true },
    );
  }, 120_000);
});
