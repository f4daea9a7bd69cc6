/**
 * What scripts need from the server around them, beyond the keyspace: the state
 * scriptPrepareForRun and scriptCall check (read-only replica, stale link, disk error,
 * min-replicas, OOM) and the commands the server executes itself (INFO, TIME, …). The
 * command processor implements it for a RedisServer; standaloneScriptingHost is a lone
 * master with none of those conditions, for the data-layer tests and the command fuzz.
 */
import type { Reply } from '../protocol/reply.js';
import type { CommandSpec } from '../commands/command-table.js';
import { ScriptingEngine } from './scripting-engine.js';

export interface ScriptingHost {
  readonly engine: ScriptingEngine;
  /** server.masterhost && server.repl_slave_ro. */
  readOnlyReplica(): boolean;
  /** masterhost, link not connected, replica-serve-stale-data no (running_stale). */
  staleReplica(): boolean;
  /** writeCommandsDeniedByDiskError's MISCONF text, or null. */
  diskError(): string | null;
  /** min-replicas-to-write not met (!checkGoodReplicasStatus). */
  notEnoughGoodReplicas(): boolean;
  /** server.pre_command_oom_state with maxmemory set. */
  oom(): boolean;
  /** lazyfree-lazy-user-flush (SCRIPT FLUSH / FUNCTION FLUSH without a mode). */
  lazyfreeLazyUserFlush(): boolean;
  /** A server-executed command called from a script, run as the script client. */
  runServerCommand(spec: CommandSpec, argv: string[]): Reply;
  /**
   * busy-reply-threshold (lua-time-limit) in ms when a script past it may yield to the
   * event loop (the server's busy-script.ts drives it); 0 = it never times out.
   */
  busyReplyThresholdMs(): number;
  /** A script's time (cost model): ns per Lua VM instruction and per redis.call. */
  scriptCosts(): { instructionNs: number; callNs: number };
}

export function standaloneScriptingHost(engine = new ScriptingEngine()): ScriptingHost {
  return {
    engine,
    readOnlyReplica: () => false,
    staleReplica: () => false,
    diskError: () => null,
    notEnoughGoodReplicas: () => false,
    oom: () => false,
    lazyfreeLazyUserFlush: () => false,
    busyReplyThresholdMs: () => 0,
    scriptCosts: () => ({ instructionNs: 4, callNs: 1000 }),
    runServerCommand: (spec) => ({ type: 'error', text: `ERR '${spec.fullname}' is not available in a standalone script host` }),
  };
}
