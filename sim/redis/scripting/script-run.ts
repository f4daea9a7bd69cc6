/**
 * One script invocation (script.c scriptRunCtx): scriptCall's gates in 7.0.15's order for
 * every redis.call, the command run against the caller's ExecContext so its effects join
 * the caller's propagation unit (propagatePendingCommands wraps them in MULTI/EXEC when
 * there is more than one), redis.set_repl's targets, and the script's own SELECT.
 *
 * Time is frozen for the whole script: every command sees ctx.nowMs as it was when the
 * script started (scriptTimeSnapshot), so expiry decisions inside the script agree.
 */
import { lookupCommandByArgv, checkArity, type CommandSpec } from '../commands/command-table.js';
import { executeLookedUp, isKeyspaceCommand } from '../commands/commands.js';
import type { ExecContext } from '../commands/exec-context.js';
import type { Reply } from '../protocol/reply.js';
import { PROPAGATE_AOF, PROPAGATE_REPL, type ScriptRun } from './redis-api.js';
import type { ScriptingHost } from './script-host.js';
import { ScriptExecution } from './lua-call.js';
import type { LuaVm } from './lua-vm.js';
import { nil } from '../protocol/reply.js';

const ROSLAVE_ERR = "-READONLY You can't write against a read only replica.";
const NOREPLICAS_ERR = '-NOREPLICAS Not enough good replicas to write.';
const OOM_ERR = "-OOM command not allowed when used memory > 'maxmemory'.";

export interface RunFlags {
  /** SCRIPT_READ_ONLY: *_RO commands, or a no-writes shebang. */
  readOnly: boolean;
  /** SCRIPT_ALLOW_OOM. */
  allowOom: boolean;
}

export class ScriptRunContext implements ScriptRun {
  /** SCRIPT_WRITE_DIRTY: a write ran; later writes skip the state gates. */
  writeDirty = false;
  replFlags = PROPAGATE_AOF | PROPAGATE_REPL;
  resp = 2;
  calls = 0;

  constructor(
    private readonly ctx: ExecContext,
    private readonly host: ScriptingHost,
    private readonly flags: RunFlags,
  ) {}

  call(argv: string[]): Reply | { rejected: string } {
    this.calls++;
    const spec = lookupCommandByArgv(argv);
    if (spec === undefined) return { rejected: 'Unknown Redis command called from script' };
    if (checkArity(spec, argv.length) !== null) return { rejected: 'Wrong number of args calling Redis command from script' };
    const f = spec.flags;
    if (f.noscript) return { rejected: 'This Redis command is not allowed from script' };
    if (this.host.staleReplica() && !f.stale) return { rejected: 'Can not execute the command on a stale replica' };
    // scriptVerifyWriteCommandAllow: may-replicate counts as a write for read-only scripts.
    if (this.flags.readOnly && (f.write || f.mayReplicate)) return { rejected: 'Write commands are not allowed from read-only scripts.' };
    const obey = this.ctx.fromMaster;
    if (f.write && !this.writeDirty) {
      if (this.host.readOnlyReplica() && !obey) return { rejected: ROSLAVE_ERR };
      const disk = this.host.diskError();
      if (disk !== null) return { rejected: `-${disk}` };
      if (this.host.notEnoughGoodReplicas()) return { rejected: NOREPLICAS_ERR };
    }
    // scriptVerifyOOM: only before the script's first write; deny-oom commands only.
    if (!this.flags.allowOom && !obey && !this.writeDirty && this.host.oom() && f.denyOom) return { rejected: OOM_ERR };
    if (f.write) this.writeDirty = true;
    const top = lookupCommandByArgv([argv[0]!]) ?? spec;
    if (top.executor === 'server' || !isKeyspaceCommand(argv)) return this.host.runServerCommand(spec, argv);
    const ops = this.ctx.ops;
    const before = ops.length;
    const reply = this.execute(top, argv);
    if (this.replFlags !== (PROPAGATE_AOF | PROPAGATE_REPL) && ops.length > before) {
      // redis.set_repl: what this call propagates goes only where the script asked.
      if (this.replFlags === 0) ops.length = before;
      else for (let i = before; i < ops.length; i++) ops[i] = { ...ops[i]!, target: this.replFlags };
    }
    return reply;
  }

  /** CLIENT_SCRIPT: the command knows it runs from a script (XREAD BLOCK refuses). */
  private execute(spec: CommandSpec, argv: string[]): Reply {
    this.ctx.inScript = true;
    try {
      return executeLookedUp(this.ctx, spec, argv);
    } finally {
      this.ctx.inScript = false;
    }
  }

  setRepl(flags: number): void {
    this.replFlags = flags;
  }

  setResp(resp: number): void {
    this.resp = resp;
  }

  commandExists(argv: string[]): boolean {
    return lookupCommandByArgv(argv) !== undefined;
  }
}

/** What EVAL / FCALL run: the compiled function, its name in replies, KEYS and ARGV. */
export interface ScriptCall {
  readonly vm: LuaVm;
  readonly funcname: string;
  readonly name: string;
  readonly keys: readonly string[];
  readonly args: readonly string[];
  /** SCRIPT_EVAL_MODE (EVAL*) rather than FCALL*. */
  readonly evalMode: boolean;
  /** The command that runs it (FUNCTION STATS shows it). */
  readonly argv: readonly string[];
}

/**
 * scriptPrepareForRun … luaCallFunction … scriptResetRun for one EVAL / FCALL. The script's
 * client selects the caller's db and its own SELECTs do not leak out. A script that ran past
 * busy-reply-threshold is handed to the server as ctx.suspendedScript (the reply then is a
 * placeholder the server discards); otherwise its virtual CPU time is added to
 * ctx.scriptCpuUs and its reply returned.
 */
export function callScript(ctx: ExecContext, host: ScriptingHost, run: ScriptRunContext, c: ScriptCall): Reply {
  const callerDb = ctx.db;
  const thresholdMs = host.busyReplyThresholdMs();
  const execution = new ScriptExecution(host.engine, c.vm, run, c.name, c.evalMode, c.argv, {
    busyReplyThresholdUs: thresholdMs * 1000,
    // Inside EXEC, or applying a stream, there is no event loop to yield to.
    maySuspend: thresholdMs > 0 && ctx.inMulti !== true && !ctx.fromMaster && ctx.servingBlocked !== true,
    ...host.scriptCosts(),
    onEnd: () => {
      ctx.db = callerDb;
    },
  }, c.funcname, c.keys, c.args);
  const reply = execution.resume();
  if (reply === null) {
    ctx.suspendedScript = execution;
    return nil();
  }
  ctx.scriptCpuUs = (ctx.scriptCpuUs ?? 0) + execution.elapsedUs();
  return reply;
}
