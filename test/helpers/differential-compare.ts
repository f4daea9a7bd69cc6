/**
 * The comparison every data-layer differential fuzz test makes against one real
 * redis-server (test/helpers/real-server.ts): each command runs on the model
 * (executeCommand on an ExecContext) and on the real server and the replies are compared;
 * then the propagated streams — the real one as the fake replica read it up to a PUBLISH
 * marker, the model's as a stream emulator rebuilds it from the propagated ops — and
 * DEBUG DIGEST. The differences come back as text lines, none when the two agree.
 */
import { executeCommand } from '../../sim/redis/commands/commands.js';
import type { ExecContext } from '../../sim/redis/commands/exec-context.js';
import { formatReply, type Reply } from '../../sim/redis/protocol/reply.js';
import type { RealServer } from './real-server.js';

/** What rebuilds the model's replication stream from its propagated ops. */
export interface ComparedStream {
  readonly commands: string[][];
  unit(ops: ReadonlyArray<{ db: number; argv: string[] }>): void;
}

export interface CompareOptions {
  /** A reply as compared text (sorting unordered replies, masking times). */
  normalize(argv: readonly string[], reply: Reply): string;
  /** Both streams as compared text (default: each command joined by spaces); may mask and report. */
  streamText?(sim: string[][], real: string[][], problems: string[]): [string[], string[]];
  /** Read the clock before each command, for commands whose effect depends on the time. */
  tickClock?: boolean;
}

const joined = (cmds: string[][]): string[] => cmds.map((c) => c.join(' '));

/** Runs `commands` (after SELECT 0 and FLUSHALL) on both sides and lists what differs. */
export async function compareWithReal(real: RealServer, run: number, ctx: ExecContext, stream: ComparedStream, commands: string[][], opts: CompareOptions): Promise<string[]> {
  const { client, reader } = real;
  const start = reader.commands.length;
  const problems: string[] = [];
  for (const argv of [['SELECT', '0'], ['FLUSHALL'], ...commands]) {
    ctx.ops = [];
    if (opts.tickClock) ctx.nowMs = Date.now();
    const simReply = opts.normalize(argv, executeCommand(ctx, argv));
    stream.unit(ctx.ops);
    const realReply = opts.normalize(argv, await client.call(argv));
    if (simReply !== realReply) problems.push(`${JSON.stringify(argv)}: sim ${JSON.stringify(simReply)} real ${JSON.stringify(realReply)}`);
  }
  // The fake replica has read everything up to here once it sees this run's marker.
  const marker = ['PUBLISH', '__end__', String(run)];
  await client.call(marker);
  stream.unit([{ db: ctx.db, argv: marker }]);
  const deadline = Date.now() + 5000;
  while (!reader.commands.slice(start).some((c) => c[0] === 'PUBLISH' && c[2] === String(run)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2));
  }
  // The real stream's leading SELECT depends on what it selected before this run.
  const dropLeadingSelect = (c: string[][]): string[][] => (c[0]?.[0] === 'SELECT' ? c.slice(1) : c);
  const simCmds = dropLeadingSelect(stream.commands);
  const realCmds = dropLeadingSelect(reader.commands.slice(start).filter((c) => c[0] !== 'ping'));
  const [simStream, realStream] = opts.streamText ? opts.streamText(simCmds, realCmds, problems) : [joined(simCmds), joined(realCmds)];
  if (JSON.stringify(realStream) !== JSON.stringify(simStream)) problems.push(`stream: sim ${JSON.stringify(simStream)} real ${JSON.stringify(realStream)}`);
  ctx.db = 0;
  const digest = formatReply(await client.call(['DEBUG', 'DIGEST']));
  const simDigest = formatReply(executeCommand(ctx, ['DEBUG', 'DIGEST']));
  if (digest !== simDigest) problems.push(`digest: sim ${simDigest} real ${digest}`);
  return problems;
}

/** Absolute ms a command computed from each side's own clock (13+ digits) differ by a few ms: masked. */
export function maskAbsoluteMs(cmds: string[][]): string[] {
  return cmds.map((c) => c.map((a) => (/^\d{13,}$/.test(a) ? '<ms>' : a)).join(' '));
}
