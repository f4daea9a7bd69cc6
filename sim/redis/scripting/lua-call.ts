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
 * Calls registry[funcname]: in EVAL mode with KEYS and ARGV as globals and no arguments;
 * otherwise (FCALL) with the two tables as arguments.
 */
export function runLuaFunction(engine: ScriptingEngine, vm: LuaVm, run: ScriptRun, funcname: string, name: string, keys: readonly string[], args: readonly string[], evalMode: boolean): Reply {
  const L = vm.L;
  const base = lua.lua_gettop(L);
  lua.lua_getglobal(L, luaString('__redis__err__handler'));
  lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, luaString(funcname));
  engine.current = run;
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
    if (status === 0) return popReply(L);
    return errorReply(L, name);
  } finally {
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
