/**
 * Test helpers for the data layer: an ExecContext on a fresh keyspace, and a one-liner
 * that runs a command and renders the reply the way redis-cli prints it.
 */
import { Keyspace } from '../../sim/redis/data/keyspace.js';
import { executeCommand } from '../../sim/redis/commands/commands.js';
import type { ExecContext } from '../../sim/redis/commands/exec-context.js';
import { formatReply, type Reply } from '../../sim/redis/protocol/reply.js';

/** 2026-01-01T00:00:00Z, the simulator's default wall-clock epoch (DESIGN.md rule 1). */
export const EPOCH_MS = 1_767_225_600_000;

export function makeCtx(overrides: Partial<ExecContext> = {}): ExecContext {
  return {
    keyspace: new Keyspace(),
    db: 0,
    nowMs: EPOCH_MS,
    isMaster: true,
    fromMaster: false,
    ops: [],
    discardOps: false,
    lazyfreeLazyExpire: false,
    lazyfreeLazyUserDel: false,
    stats: { expiredKeys: 0, keyspaceHits: 0, keyspaceMisses: 0, dirty: 0 },
    ...overrides,
  };
}

export function exec(ctx: ExecContext, ...argv: string[]): Reply {
  return executeCommand(ctx, argv);
}

/** Runs a command; returns the reply as redis-cli prints it. */
export function run(ctx: ExecContext, ...argv: string[]): string {
  return formatReply(executeCommand(ctx, argv));
}

/** Runs a command and returns the ops it appended (clearing ctx.ops first). */
export function opsOf(ctx: ExecContext, ...argv: string[]): string[][] {
  ctx.ops.length = 0;
  executeCommand(ctx, argv);
  return ctx.ops.map((o) => o.argv);
}
