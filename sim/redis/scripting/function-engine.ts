/**
 * The Lua engine of FUNCTION (function_lua.c at 7.0.15): its own interpreter, whose
 * library code runs in a globals table of its own. While FUNCTION LOAD runs the code, that
 * table reads through to the load API only (`redis.register_function`, `redis.log`, the
 * LOG_* and version fields: anything else is a nonexistent global, so `redis.call` at load
 * time fails as in Redis); afterwards it reads through to the full API, which is what the
 * registered callbacks see when FCALL runs them.
 *
 * The libraries themselves (name -> code) live in the keyspace (Keyspace.functions), so
 * RDB snapshots, full syncs and the AOF carry them; this engine compiles whatever set the
 * keyspace holds, again when that set was replaced (a load, a full sync).
 */
import fengari, { type LuaState } from 'fengari';
import { LuaVm, lua51CompileMessage, luaString, raiseError, setFunction, toJs } from './lua-vm.js';
import { pushErrorTable } from './lua-reply.js';
import type { ScriptFlags } from './scripting-engine.js';
import type { LibraryInstaller } from './lua-vm.js';

const { lua, lauxlib } = fengari;

export interface FunctionInfo {
  readonly name: string;
  readonly library: string;
  readonly description: string | null;
  readonly flags: ScriptFlags;
  /** Registry key of the callback. */
  readonly registryKey: string;
}

export interface LibraryInfo {
  readonly name: string;
  readonly code: string;
  /** In registration order. */
  readonly functions: FunctionInfo[];
}

/** scripts_flags_def, in its order (FUNCTION LIST prints flags in this order). */
export const FLAG_DEFS: ReadonlyArray<[string, keyof ScriptFlags]> = [
  ['no-writes', 'noWrites'],
  ['allow-oom', 'allowOom'],
  ['allow-stale', 'allowStale'],
  ['no-cluster', 'noCluster'],
  ['allow-cross-slot-keys', 'allowCrossSlot'],
];

const NO_FLAGS: ScriptFlags = Object.freeze({ compat: false, noWrites: false, allowOom: false, allowStale: false, noCluster: false, allowCrossSlot: false });

/** functionsVerifyName. */
export function validFunctionName(name: string): boolean {
  return /^[A-Za-z0-9_]+$/.test(name);
}

function raiseTable(L: LuaState, text: string): never {
  pushErrorTable(L, text);
  lua.lua_error(L);
  throw new Error('unreachable');
}

export class FunctionEngine {
  readonly vm: LuaVm;
  private loading: LibraryInfo | null = null;
  private nextKey = 1;

  constructor(libs: readonly LibraryInstaller[]) {
    this.vm = new LuaVm(libs);
    const L = this.vm.L;
    // The load API: { redis = { register_function, log, LOG_*, REDIS_VERSION(_NUM) } }.
    lua.lua_newtable(L);
    lua.lua_newtable(L);
    setFunction(L, 'register_function', (Ls) => this.registerFunction(Ls));
    lua.lua_getglobal(L, luaString('redis'));
    for (const field of ['log', 'LOG_DEBUG', 'LOG_VERBOSE', 'LOG_NOTICE', 'LOG_WARNING', 'REDIS_VERSION', 'REDIS_VERSION_NUM']) {
      lua.lua_getfield(L, -1, luaString(field));
      lua.lua_setfield(L, -3, luaString(field));
    }
    lua.lua_pop(L, 1);
    setErrorMetatable(L);
    lua.lua_setfield(L, -2, luaString('redis'));
    setErrorMetatable(L);
    lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, luaString('__library_api__'));
    // The libraries' globals: empty, reading through its metatable's __index.
    lua.lua_newtable(L);
    lua.lua_newtable(L);
    lua.lua_pushglobaltable(L);
    lua.lua_setfield(L, -2, luaString('__index'));
    lua.lua_pushcfunction(L, (Ls: LuaState) => raiseError(Ls, 'Attempt to modify a readonly table'));
    lua.lua_setfield(L, -2, luaString('__newindex'));
    lua.lua_pushvalue(L, -1);
    lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, luaString('__library_globals_mt__'));
    lua.lua_setmetatable(L, -2);
    lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, luaString('__library_globals__'));
  }

  /** Points the libraries' globals at the load API (true) or the full API (false). */
  private setLoadMode(on: boolean): void {
    const L = this.vm.L;
    lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, luaString('__library_globals_mt__'));
    if (on) lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, luaString('__library_api__'));
    else lua.lua_pushglobaltable(L);
    lua.lua_setfield(L, -2, luaString('__index'));
    lua.lua_pop(L, 1);
  }

  /**
   * luaEngineCreate: compiles and runs a library's code (after its shebang line, whose
   * newline is kept), collecting what it registers. Returns the library or the error text.
   */
  create(name: string, fullCode: string, body: string): LibraryInfo | string {
    const L = this.vm.L;
    const base = lua.lua_gettop(L);
    const lib: LibraryInfo = { name, code: fullCode, functions: [] };
    const bytes = luaString(body);
    try {
      if (lauxlib.luaL_loadbuffer(L, bytes, bytes.length, luaString('@user_function')) !== 0) {
        return `Error compiling function: ${lua51CompileMessage(toJs(L, -1) ?? '')}`;
      }
      lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, luaString('__library_globals__'));
      lua.lua_setupvalue(L, -2, 1); // the chunk's _ENV
      this.loading = lib;
      this.setLoadMode(true);
      if (lua.lua_pcall(L, 0, 0, 0) !== 0) {
        let msg: string;
        if (lua.lua_istable(L, -1)) {
          lua.lua_getfield(L, -1, luaString('err'));
          msg = toJs(L, -1) ?? '';
        } else msg = `ERR ${toJs(L, -1) ?? ''}`;
        this.dropFunctions(lib);
        return `Error registering functions: ${msg}`;
      }
      return lib;
    } finally {
      this.loading = null;
      this.setLoadMode(false);
      lua.lua_settop(L, base);
    }
  }

  /** Forgets a library's callbacks (FUNCTION DELETE, a replaced or failed library). */
  dropFunctions(lib: LibraryInfo): void {
    const L = this.vm.L;
    for (const f of lib.functions) {
      lua.lua_pushnil(L);
      lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, luaString(f.registryKey));
    }
  }

  /** luaRegisterFunction: positional (name, callback) or named {function_name, callback, flags, description}. */
  private registerFunction(L: LuaState): number {
    const lib = this.loading;
    if (lib === null) return raiseTable(L, 'redis.register_function can only be called on FUNCTION LOAD command');
    const argc = lua.lua_gettop(L);
    if (argc < 1 || argc > 2) return raiseTable(L, 'wrong number of arguments to redis.register_function');
    let name: string | null = null;
    let description: string | null = null;
    let flags: ScriptFlags = NO_FLAGS;
    if (argc === 2) {
      name = lua.lua_isstring(L, 1) ? toJs(L, 1) : null;
      if (name === null) return raiseTable(L, 'first argument to redis.register_function must be a string');
      if (!lua.lua_isfunction(L, 2)) return raiseTable(L, 'second argument to redis.register_function must be a function');
      lua.lua_pushvalue(L, 2);
    } else {
      if (!lua.lua_istable(L, 1)) return raiseTable(L, 'calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).');
      let haveCallback = false;
      lua.lua_pushnil(L);
      while (lua.lua_next(L, 1) !== 0) {
        if (!lua.lua_isstring(L, -2)) return raiseTable(L, 'named argument key given to redis.register_function is not a string');
        const key = (toJs(L, -2) ?? '').toLowerCase();
        if (key === 'function_name') {
          name = lua.lua_isstring(L, -1) ? toJs(L, -1) : null;
          if (name === null) return raiseTable(L, 'function_name argument given to redis.register_function must be a string');
        } else if (key === 'description') {
          description = lua.lua_isstring(L, -1) ? toJs(L, -1) : null;
          if (description === null) return raiseTable(L, 'description argument given to redis.register_function must be a string');
        } else if (key === 'callback') {
          if (!lua.lua_isfunction(L, -1)) return raiseTable(L, 'callback argument given to redis.register_function must be a function');
          lua.lua_pushvalue(L, -1);
          lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, luaString('__pending_callback__'));
          haveCallback = true;
        } else if (key === 'flags') {
          if (!lua.lua_istable(L, -1)) return raiseTable(L, 'flags argument to redis.register_function must be a table representing function flags');
          const read = readFlags(L);
          if (read === null) return raiseTable(L, 'unknown flag given');
          flags = read;
        } else return raiseTable(L, 'unknown argument given to redis.register_function');
        lua.lua_pop(L, 1);
      }
      if (name === null) return raiseTable(L, 'redis.register_function must get a function name argument');
      if (!haveCallback) return raiseTable(L, 'redis.register_function must get a callback argument');
      lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, luaString('__pending_callback__'));
    }
    // functionLibCreateFunction (its name check reuses the library-name message).
    if (!validFunctionName(name)) {
      return raiseTable(L, 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long');
    }
    if (lib.functions.some((f) => f.name === name)) return raiseTable(L, 'Function already exists in the library');
    const registryKey = `__function_${this.nextKey++}__`;
    lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, luaString(registryKey));
    lib.functions.push({ name, library: lib.name, description, flags, registryKey });
    return 0;
  }
}

/** luaRegisterFunctionReadFlags: the flags table on top of the stack, or null on an unknown flag. */
function readFlags(L: LuaState): ScriptFlags | null {
  const flags: { -readonly [K in keyof ScriptFlags]: boolean } = { ...NO_FLAGS };
  for (let j = 1; ; j++) {
    lua.lua_rawgeti(L, -1, j);
    if (lua.lua_isnil(L, -1)) {
      lua.lua_pop(L, 1);
      return flags;
    }
    const s = lua.lua_isstring(L, -1) ? (toJs(L, -1) ?? '').toLowerCase() : null;
    lua.lua_pop(L, 1);
    const def = FLAG_DEFS.find(([text]) => text === s);
    if (def === undefined) return null;
    flags[def[1]] = true;
  }
}

/** luaSetErrorMetatable on the table on top of the stack. */
function setErrorMetatable(L: LuaState): void {
  lua.lua_newtable(L);
  lua.lua_pushcfunction(L, (Ls: LuaState) => raiseError(Ls, `Script attempted to access nonexistent global variable '${toJs(Ls, 2) ?? '?'}'`));
  lua.lua_setfield(L, -2, luaString('__index'));
  lua.lua_setmetatable(L, -2);
}

