/**
 * luaCallFunction (script_lua.c) as a suspendable execution: the script runs in a Lua
 * coroutine under `xpcall(f, __redis__err__handler)`, with the count hook Redis installs
 * (luaMaskCountHook, every 100,000 VM instructions). The hook is where Redis's
 * scriptInterrupt runs, and so is it here:
 *
 *  - before busy-reply-threshold (alias lua-time-limit) the script goes on, nothing else
 *    happens (the event loop is not entered);
 *  - at the first hook past the threshold the script is "timed out"
 *    (enterScriptTimedoutMode): the coroutine yields, and from then on it yields at every
 *    hook, where Redis calls processEventsWhileBlocked — the server (busy-script.ts) runs
 *    the next slice after handling what arrived, so other clients get -BUSY meanwhile;
 *  - SCRIPT KILL / FUNCTION KILL mark it killed: at the next resume a hook raises
 *    "Script killed by user with SCRIPT KILL..." and, as Redis switches the hook to
 *    LUA_MASKLINE, again at every new line, so a pcall in the script cannot keep it alive.
 *
 * The script's virtual duration is counted, not measured (scriptRunCtx.start_time is the
 * only clock Redis reads): the cost model's ns per fengari VM instruction plus ns per
 * redis.call / redis.pcall (4 and 1000 by default: docs/model.md, "Busy scripts", has the
 * calibration against redis-server 7.0.15).
 * An error comes back as Redis formats it: "<err> script: <name>, on <source>:<line>.".
 */
import fengari, { type LuaState } from 'fengari';
import { RunLimitExceeded } from '../../engine/index.js';
import { err, type Reply } from '../protocol/reply.js';
import { luaString, pushStringArray, toJs, type LuaVm } from './lua-vm.js';
import { popReply, pushErrorTable } from './lua-reply.js';
import type { ScriptingEngine } from './scripting-engine.js';
import type { ScriptRun } from './redis-api.js';

const { lua, lauxlib } = fengari;

/** luaCallFunction: lua_sethook(lua, luaMaskCountHook, LUA_MASKCOUNT, 100000). */
export const HOOK_EVERY_INSTRUCTIONS = 100_000;
/**
 * A script that cannot be suspended (inside MULTI, with busy-reply-threshold 0 as Redis
 * installs no hook then, or stuck where Lua cannot yield — a table.sort comparator) and
 * never returns would hang the simulator as it hangs Redis: past 10^8 instructions since
 * it last yielded, the run stops loudly instead.
 */
const INSTRUCTION_BUDGET = 100_000_000;
/**
 * A script that can be suspended is busy (served in slices) once past busy-reply-threshold,
 * however long it runs — but replsim executes every instruction (fengari: ≈ 3·10^7 a second
 * of wall time, ≈ 8× the virtual time at 4 ns an instruction). Past 2.5·10^9 instructions
 * (10 s of virtual time at the default cost) the run stops loudly rather than run for hours.
 */
const SUSPENDABLE_INSTRUCTION_BUDGET = 2_500_000_000;

const KILLED = 'Script killed by user with SCRIPT KILL...';

class ScriptBudgetExceeded extends RunLimitExceeded {
  constructor(name: string, suspendable: boolean) {
    super(
      suspendable
        ? `script ${name} ran past ${SUSPENDABLE_INSTRUCTION_BUDGET} Lua instructions without ending or being killed: replsim runs every instruction (≈ 3·10^7 a second), so the run stops here — kill it earlier (SCRIPT KILL / FUNCTION KILL), or make each instruction cost more virtual time (costs: lua-instruction-ns)`
        : `script ${name} ran past ${INSTRUCTION_BUDGET} Lua instructions where it cannot be suspended (inside MULTI, busy-reply-threshold 0, or where Lua cannot yield): Redis would never serve another client either`,
    );
    this.name = 'ScriptBudgetExceeded';
  }
}

/** What the script's run needs beyond the Lua call itself. */
export interface ExecutionOptions {
  /** busy-reply-threshold in µs; 0 = never times out (no hook in Redis). */
  readonly busyReplyThresholdUs: number;
  /** May yield to the event loop (not inside MULTI, not in a standalone host). */
  readonly maySuspend: boolean;
  /** ns per VM instruction and per redis.call (cost model). */
  readonly instructionNs: number;
  readonly callNs: number;
  /** Runs once when the script has ended, returned or raised (the caller's db restored…). */
  readonly onEnd: () => void;
}

/** One running script (curr_run_ctx with the coroutine that runs it). */
export class ScriptExecution {
  /** Fengari VM instructions executed (hook granularity until the end). */
  instructions = 0;
  /** SCRIPT_TIMEDOUT: past busy-reply-threshold; the server answers others -BUSY. */
  timedOut = false;
  /** SCRIPT_KILLED: SCRIPT KILL / FUNCTION KILL accepted. */
  killed = false;
  /** The reply, once the script ended. */
  result: Reply | null = null;
  private readonly thread: LuaState;
  private readonly threadRef: number;
  private started = false;
  private sinceYield = 0;
  private overBudget = false;

  constructor(
    private readonly engine: ScriptingEngine,
    private readonly vm: LuaVm,
    readonly run: ScriptRun,
    readonly name: string,
    /** SCRIPT_EVAL_MODE: EVAL / EVALSHA (SCRIPT KILL), else FCALL (FUNCTION KILL). */
    readonly evalMode: boolean,
    readonly argv: readonly string[],
    private readonly options: ExecutionOptions,
    funcname: string,
    keys: readonly string[],
    args: readonly string[],
  ) {
    const L = vm.L;
    this.thread = lua.lua_newthread(L);
    this.threadRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    const T = this.thread;
    lua.lua_getglobal(T, luaString('xpcall'));
    lua.lua_getfield(T, lua.LUA_REGISTRYINDEX, luaString(funcname));
    lua.lua_getglobal(T, luaString('__redis__err__handler'));
    if (evalMode) {
      vm.setGlobalArray('KEYS', keys);
      vm.setGlobalArray('ARGV', args);
    } else {
      pushStringArray(T, keys);
      pushStringArray(T, args);
    }
    lua.lua_sethook(T, this.countHook, lua.LUA_MASKCOUNT, HOOK_EVERY_INSTRUCTIONS);
  }

  /** The script's virtual CPU time so far, µs (rounded up once). */
  elapsedUs(): number {
    return Math.ceil((this.instructions * this.options.instructionNs + this.run.calls * this.options.callNs) / 1000);
  }

  /**
   * Runs the script until it ends (returns the reply) or yields at a hook (returns null:
   * resume it later, from the event loop).
   */
  resume(): Reply | null {
    const T = this.thread;
    const nargs = this.started ? 0 : this.evalMode ? 2 : 4;
    if (this.started && this.killed) lua.lua_sethook(T, this.killHook, lua.LUA_MASKCOUNT, 1);
    this.started = true;
    this.sinceYield = 0;
    this.engine.current = this.run;
    this.engine.running = this;
    const status = lua.lua_resume(T, this.vm.L, nargs);
    if (this.overBudget) {
      this.end();
      throw new ScriptBudgetExceeded(this.name, this.suspendable(T));
    }
    if (status === lua.LUA_YIELD) return null;
    // The instructions since the last count hook (L.hookcount counts down to it).
    const hookcount = (T as unknown as { hookcount: number; basehookcount: number });
    if (!this.killed) this.instructions += hookcount.basehookcount - hookcount.hookcount;
    this.result = status === lua.LUA_OK ? this.outcome(T) : errorReply(T, this.name);
    this.end();
    return this.result;
  }

  /** The process dies, or the server gives up the script: release the coroutine. */
  abandon(): void {
    if (this.result === null) this.end();
  }

  private end(): void {
    lua.lua_sethook(this.thread, null, 0, 0);
    lauxlib.luaL_unref(this.vm.L, lua.LUA_REGISTRYINDEX, this.threadRef);
    if (this.engine.running === this) {
      this.engine.running = null;
      this.engine.current = null;
    }
    this.options.onEnd();
  }

  /** xpcall's results on the coroutine's stack: true, value — or false, error object. */
  private outcome(T: LuaState): Reply {
    const ok = lua.lua_toboolean(T, 1);
    lua.lua_settop(T, 2);
    return ok ? popReply(T) : errorReply(T, this.name);
  }

  /** luaMaskCountHook + scriptInterrupt. */
  private readonly countHook = (L: LuaState): void => {
    // Over budget the hook runs at every instruction and throws each time, so a pcall in
    // the script cannot swallow it; resume() rethrows once the coroutine has unwound.
    if (this.overBudget) throw new ScriptBudgetExceeded(this.name, this.suspendable(L));
    this.instructions += HOOK_EVERY_INSTRUCTIONS;
    this.sinceYield += HOOK_EVERY_INSTRUCTIONS;
    const suspendable = this.suspendable(L);
    if (suspendable && this.instructions < SUSPENDABLE_INSTRUCTION_BUDGET) {
      if (this.timedOut || this.elapsedUs() >= this.options.busyReplyThresholdUs) {
        this.timedOut = true;
        lua.lua_yield(L, 0);
      }
      // Before the threshold it runs on: it yields once past it, however long that takes.
      return;
    }
    if (!suspendable && this.sinceYield < INSTRUCTION_BUDGET) return;
    this.overBudget = true;
    lua.lua_sethook(L, this.countHook, lua.LUA_MASKCOUNT, 1);
    throw new ScriptBudgetExceeded(this.name, suspendable);
  };

  /** Whether the script can yield to the event loop here (Redis's hook is installed and may return). */
  private suspendable(L: LuaState): boolean {
    const o = this.options;
    return o.maySuspend && o.busyReplyThresholdUs > 0 && lua.lua_isyieldable(L);
  }

  /** After SCRIPT KILL: raise at once, then at every new line (LUA_MASKLINE). */
  private readonly killHook = (L: LuaState): void => {
    lua.lua_sethook(L, this.killHook, lua.LUA_MASKLINE, 0);
    pushErrorTable(L, KILLED);
    lua.lua_error(L);
  };
}

function field(L: LuaState, name: string): string | null {
  lua.lua_getfield(L, -1, luaString(name));
  const s = lua.lua_isstring(L, -1) ? toJs(L, -1) : null;
  lua.lua_pop(L, 1);
  return s;
}

/** The error object on top of the stack as the reply (luaExtractErrorInformation). */
function errorReply(L: LuaState, name: string): Reply {
  if (!lua.lua_istable(L, -1)) {
    const msg = lua.lua_isstring(L, -1) ? toJs(L, -1)! : 'execution failure';
    return err(`ERR Error running script ${name}, ${msg.slice(0, 100)}`);
  }
  const msg = field(L, 'err') ?? '';
  const source = field(L, 'source');
  const line = field(L, 'line');
  let text = msg;
  if (source !== null && line !== null) text += ` script: ${name}, on ${source}:${line}.`;
  return err(text.replace(/[\r\n]/g, ' '));
}
