/**
 * luaCallFunction (script_lua.c): runs a compiled script or function under the error
 * handler and turns the outcome into the reply. An error comes back as Redis formats it:
 * "<err> script: <name>, on <source>:<line>." when the handler found where it happened.
 */
import fengari, { type LuaState } from 'fengari';
import { err, type Reply } from '../protocol/reply.js';
import { luaString, pushStringArray, toJs, type LuaVm } from './lua-vm.js';
import { popReply } from './lua-reply.js';
import type { ScriptingEngine } from './scripting-engine.js';
import type { ScriptRun } from './redis-api.js';

const { lua } = fengari;

/**
 * Busy scripts are not modelled: a script runs to its end within one event, so one that
 * never returns (`while true do end`, which Redis runs until SCRIPT KILL) would hang the
 * simulator. A count hook (luaMaskCountHook's place in Redis) stops it loudly instead, after
 * far more work than any script in a replication workload does: 10^8 VM instructions,
 * about half a second of real Lua 5.1, seconds of fengari.
 */
const HOOK_EVERY_INSTRUCTIONS = 1_000_000;
const INSTRUCTION_BUDGET = 100_000_000;

class ScriptBudgetExceeded extends Error {
  constructor(name: string) {
    super(
      `script ${name} ran past ${INSTRUCTION_BUDGET} Lua instructions without returning: long-running (busy) scripts — lua-time-limit / busy-reply-threshold, -BUSY, SCRIPT KILL — are not modelled by replsim`,
    );
    this.name = 'ScriptBudgetExceeded';
  }
}

/**
 * Calls registry[funcname]: in EVAL mode with KEYS and ARGV as globals and no arguments;
 * otherwise (FCALL) with the two tables as arguments.
 */
export function runLuaFunction(engine: ScriptingEngine, vm: LuaVm, run: ScriptRun, funcname: string, name: string, keys: readonly string[], args: readonly string[], evalMode: boolean): Reply {
  const L = vm.L;
  const base = lua.lua_gettop(L);
  lua.lua_getglobal(L, luaString('__redis__err__handler'));
  lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, luaString(funcname));
  engine.current = run;
  let executed = 0;
  // Once over budget the hook runs at every instruction and throws each time, so a Lua
  // pcall inside the script cannot swallow it: the next instruction outside the pcall
  // throws again. Rethrown below, outside fengari, once the call has unwound.
  const hook = (): void => {
    executed += HOOK_EVERY_INSTRUCTIONS;
    if (executed < INSTRUCTION_BUDGET) return;
    lua.lua_sethook(L, hook, lua.LUA_MASKCOUNT, 1);
    throw new ScriptBudgetExceeded(name);
  };
  lua.lua_sethook(L, hook, lua.LUA_MASKCOUNT, HOOK_EVERY_INSTRUCTIONS);
  try {
    let status: number;
    if (evalMode) {
      vm.setGlobalArray('KEYS', keys);
      vm.setGlobalArray('ARGV', args);
      status = lua.lua_pcall(L, 0, 1, -2);
    } else {
      pushStringArray(L, keys);
      pushStringArray(L, args);
      status = lua.lua_pcall(L, 2, 1, -4);
    }
    if (executed >= INSTRUCTION_BUDGET) throw new ScriptBudgetExceeded(name);
    if (status === 0) return popReply(L);
    return errorReply(L, name);
  } finally {
    lua.lua_sethook(L, null, 0, 0);
    engine.current = null;
    lua.lua_settop(L, base);
  }
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
