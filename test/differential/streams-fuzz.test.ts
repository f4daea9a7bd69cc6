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
import type { RespClient } from '../../sim/diff/resp-client.js';
import { startRealServer, type RealServer } from '../helpers/real-server.js';
import { makeCtx } from '../helpers/exec.js';
import { StreamReader, StreamEmulator } from '../helpers/stream-reader.js';
import { executeCommand } from '../../sim/redis/commands/commands.js';
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
  let client: RespClient;
  let reader: StreamReader;
  let runs = 0;

  beforeAll(async () => {
    real = await startRealServer(REDIS!, 'streams');
    ({ client, reader } = real);
  }, 30_000);

  afterAll(async () => {
    await real?.close();
  });

  async function compare(commands: string[][]): Promise<string[]> {
    const run = ++runs;
    const start = reader.commands.length;
    const stream = new StreamEmulator();
    const ctx = makeCtx({ nowMs: Date.now() });
    const problems: string[] = [];
    for (const argv of [['SELECT', '0'], ['FLUSHALL'], ...commands]) {
      ctx.ops = [];
      const simReply = normalizeReply(executeCommand(ctx, argv));
      stream.unit(ctx.ops);
      const realReply = normalizeReply(await client.call(argv));
      if (simReply !== realReply) problems.push(`${argv.join(' ')}: sim ${JSON.stringify(simReply)} real ${JSON.stringify(realReply)}`);
    }
    const marker = ['PUBLISH', '__end__', String(run)];
    await client.call(marker);
    stream.unit([{ db: ctx.db, argv: marker }]);
    const deadline = Date.now() + 5000;
    while (!reader.commands.slice(start).some((c) => c[0] === 'PUBLISH' && c[2] === String(run)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2));
    }
    const dropLeadingSelect = (c: string[][]): string[][] => (c[0]?.[0] === 'SELECT' ? c.slice(1) : c);
    const realStream = dropLeadingSelect(reader.commands.slice(start).filter((c) => c[0] !== 'ping')).map((c) => c.join(' '));
    const simStream = dropLeadingSelect(stream.commands).map((c) => c.join(' '));
    if (JSON.stringify(realStream) !== JSON.stringify(simStream)) problems.push(`stream: sim ${JSON.stringify(simStream)} real ${JSON.stringify(realStream)}`);
    const digest = formatReply(await client.call(['DEBUG', 'DIGEST']));
    const simDigest = formatReply(executeCommand(ctx, ['DEBUG', 'DIGEST']));
    if (digest !== simDigest) problems.push(`digest: sim ${simDigest} real ${digest}`);
    return problems;
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
