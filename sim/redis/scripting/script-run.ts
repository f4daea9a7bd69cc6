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

  constructor(
    private readonly ctx: ExecContext,
    private readonly host: ScriptingHost,
    private readonly flags: RunFlags,
  ) {}

  call(argv: string[]): Reply | { rejected: string } {
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
