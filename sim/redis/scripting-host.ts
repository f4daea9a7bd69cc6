/**
 * The scripting host of one RedisServer: its scripting state (script cache, Lua VM,
 * redisLrand48 — lost with the process, so boot gives a fresh one) and the server state a
 * script's gates read (scriptPrepareForRun / scriptCall in script.c). Server-executed
 * commands a script calls (INFO, TIME, …) run on an internal session, as the Lua client.
 */
import type { CommandSpec } from './commands/command-table.js';
import type { Reply } from './protocol/reply.js';
import { ScriptingEngine } from './scripting/scripting-engine.js';
import type { ScriptingHost } from './scripting/script-host.js';
import type { ClientSession } from './command-processor.js';
import type { ServerCommands } from './server-commands.js';
import type { RedisServer } from './server.js';

const MISCONF_RDB =
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

export class ServerScriptingHost implements ScriptingHost {
  engine = new ScriptingEngine();
  /** server.pre_command_oom_state, set by processCommand before each command. */
  preCommandOom = false;
  private luaSession: ClientSession | null = null;

  constructor(
    private readonly server: RedisServer,
    private readonly serverCommands: ServerCommands,
    private readonly newSession: () => ClientSession,
  ) {}

  /** A restarted process: no scripts, a new interpreter, the random sequence from its start. */
  reset(): void {
    this.engine = new ScriptingEngine();
    this.preCommandOom = false;
    this.luaSession = null;
  }

  readOnlyReplica(): boolean {
    return !this.server.isMaster && this.server.config.replicaReadOnly;
  }

  staleReplica(): boolean {
    const s = this.server;
    return !s.isMaster && s.replica.state !== 'connected' && !s.config.replicaServeStaleData;
  }

  diskError(): string | null {
    const s = this.server;
    return !s.lastBgsaveOk && s.config.stopWritesOnBgsaveError && s.config.save.length > 0 ? MISCONF_RDB : null;
  }

  notEnoughGoodReplicas(): boolean {
    return !this.server.master.enoughGoodReplicas();
  }

  oom(): boolean {
    return this.preCommandOom;
  }

  lazyfreeLazyUserFlush(): boolean {
    return false;
  }

  busyReplyThresholdMs(): number {
    return this.server.config.busyReplyThresholdMs;
  }

  scriptCosts(): { instructionNs: number; callNs: number } {
    const costs = this.server.env.costs;
    return { instructionNs: costs.luaInstructionNs, callNs: costs.luaCallNs };
  }

  runServerCommand(spec: CommandSpec, argv: string[]): Reply {
    this.luaSession ??= this.newSession();
    return this.serverCommands.runInMulti(this.luaSession, spec, argv);
  }
}
