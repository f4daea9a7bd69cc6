/**
 * The Lua interpreter of one Redis process (eval.c scriptingInit / script_lua.c), on
 * fengari: Lua 5.3 in JavaScript, synchronous, made to look like the Lua 5.1 Redis embeds:
 *
 *  - the libraries Redis loads (base, table, string, math, debug for the error handler
 *    only, cjson, bit, struct, cmsgpack) and the 5.1 globals scripts use (unpack,
 *    loadstring, gcinfo, math.pow, table.getn, …); the 5.3-only ones removed (utf8,
 *    rawlen, table.unpack, string.pack, math.tointeger, …) — lua-compat.ts;
 *  - numbers printed as 5.1 does ("%.14g": lua-number-text.ts);
 *  - the globals locked (luaSetErrorMetatable + the read-only global table): reading an
 *    unknown global and writing any global raise Redis's errors;
 *  - the error handler __redis__err__handler, which adds the source and line Redis puts
 *    after "script: <sha1>, on @user_script:<line>.".
 *
 * Everything a script can do to the server goes through `redis` (redis-api.ts).
 * Remaining differences from Lua 5.1 are listed in test/differential/KNOWN-DIFFERENCES.md.
 */
import fengari, { type LuaState } from 'fengari';
import lobject from 'fengari/src/lobject.js';
import lstring from 'fengari/src/lstring.js';
import { luaNumberText } from './lua-number-text.js';
import { installCompat } from './lua-compat.js';

const { lua, lauxlib, lualib, to_luastring, to_jsstring } = fengari;

// Lua 5.1 has one number type printed with "%.14g"; fengari's luaO_tostring (5.3) prints
// integers in full and integral floats as "3.0". lvm.js and lapi.js call it through the
// module object, so replacing the export changes every number-to-string conversion.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
lobject.luaO_tostring = (L: LuaState, obj: any): void => {
  const n: number = obj.ttisinteger() ? Number(obj.value) : obj.value;
  obj.setsvalue(lstring.luaS_bless(L, to_luastring(luaNumberText(n))));
};

/** A JS string as Lua bytes (UTF-8, the sim's string model). */
export function luaString(s: string): Uint8Array {
  return to_luastring(s);
}

/**
 * Lua bytes as the sim's JS string: UTF-8 when valid; otherwise one char per byte
 * (binary output such as cmsgpack.pack then has another byte length: KNOWN-DIFFERENCES).
 */
export function jsString(b: Uint8Array): string {
  try {
    return to_jsstring(b);
  } catch {
    let s = '';
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
    return s;
  }
}

/** The string at `idx` (strings and numbers, as lua_tolstring), or null. */
export function toJs(L: LuaState, idx: number): string | null {
  const b = lua.lua_tolstring(L, idx);
  return b === null || b === undefined ? null : jsString(b);
}

/** luaL_error: "<where>: msg" (the caller's position, level 1), raised. */
export function raiseError(L: LuaState, msg: string): never {
  lauxlib.luaL_where(L, 1);
  lua.lua_pushstring(L, luaString(msg));
  lua.lua_concat(L, 2);
  lua.lua_error(L);
  throw new Error('unreachable: lua_error returned');
}

export type JsLuaFunction = (L: LuaState) => number;

/** Sets t[name] = fn on the table at the top of the stack. */
export function setFunction(L: LuaState, name: string, fn: JsLuaFunction): void {
  lua.lua_pushcfunction(L, fn);
  lua.lua_setfield(L, -2, luaString(name));
}

export function setNumber(L: LuaState, name: string, n: number): void {
  lua.lua_pushnumber(L, n);
  lua.lua_setfield(L, -2, luaString(name));
}

/**
 * The message handler, as eval.c defines it in Lua: the error as a table with source and
 * line. fengari reports its JS functions as what = 'J' where C Lua says 'C'.
 */
const ERROR_HANDLER = `local dbg = debug
debug = nil
function __redis__err__handler(err)
  local i = dbg.getinfo(2,'nSl')
  if i and (i.what == 'C' or i.what == 'J') then
    i = dbg.getinfo(3,'nSl')
  end
  if type(err) ~= 'table' then
    err = {err='ERR ' .. tostring(err)}
  end
  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end
  return err
end
`;

export interface LibraryInstaller {
  /** Pushes nothing, leaves the stack as found: registers globals on L. */
  (L: LuaState): void;
}

export class LuaVm {
  readonly L: LuaState;

  /** `libs` installs cjson, bit, struct, cmsgpack and the redis table (called in that order). */
  constructor(libs: readonly LibraryInstaller[]) {
    const L = lauxlib.luaL_newstate();
    this.L = L;
    for (const [name, open] of [
      ['_G', lualib.luaopen_base],
      ['table', lualib.luaopen_table],
      ['string', lualib.luaopen_string],
      ['math', lualib.luaopen_math],
      ['debug', lualib.luaopen_debug],
      ['coroutine', lualib.luaopen_coroutine],
    ] as const) {
      lauxlib.luaL_requiref(L, luaString(name), open, 1);
      lua.lua_pop(L, 1);
    }
    for (const install of libs) install(L);
    installCompat(L);
    this.runChunk(ERROR_HANDLER, '@err_handler_def');
    lockGlobals(L);
  }

  private runChunk(code: string, name: string): void {
    const L = this.L;
    const bytes = luaString(code);
    if (lauxlib.luaL_loadbuffer(L, bytes, bytes.length, luaString(name)) !== 0 || lua.lua_pcall(L, 0, 0, 0) !== 0) {
      throw new Error(`Lua init chunk ${name} failed: ${toJs(L, -1)}`);
    }
  }

  /**
   * luaL_loadbuffer(body, "@user_script"), the function kept in the registry under `funcname`.
   * Returns null, or the compiler's message written as Lua 5.1 writes it.
   */
  compile(funcname: string, body: string, chunkname: string): string | null {
    const L = this.L;
    const bytes = luaString(body);
    if (lauxlib.luaL_loadbuffer(L, bytes, bytes.length, luaString(chunkname)) !== 0) {
      const msg = toJs(L, -1) ?? 'unknown error';
      lua.lua_pop(L, 1);
      return lua51CompileMessage(msg);
    }
    lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, luaString(funcname));
    return null;
  }

  /** Sets a global bypassing the lock (KEYS and ARGV, as luaCallFunction opens it for them). */
  setGlobalArray(name: string, values: readonly string[]): void {
    const L = this.L;
    lua.lua_pushglobaltable(L);
    lua.lua_pushstring(L, luaString(name));
    pushStringArray(L, values);
    lua.lua_rawset(L, -3);
    lua.lua_pop(L, 1);
  }
}

export function pushStringArray(L: LuaState, values: readonly string[]): void {
  lua.lua_createtable(L, values.length, 0);
  for (let i = 0; i < values.length; i++) {
    lua.lua_pushstring(L, luaString(values[i]!));
    lua.lua_rawseti(L, -2, i + 1);
  }
}

/**
 * Lua 5.3 leaves the token classes unquoted in syntax errors ("near <eof>", "<eof>
 * expected", "<name> expected"); 5.1 quotes every token ("near '<eof>'").
 */
export function lua51CompileMessage(msg: string): string {
  return msg.replace(/(?<!')<(eof|name|string|number|integer)>(?!')/g, "'<$1>'");
}

/**
 * luaSetErrorMetatable and the read-only global table: an unknown global raises "Script
 * attempted to access nonexistent global variable", any assignment "Attempt to modify a
 * readonly table" — both at the script's line, as Redis's patched Lua 5.1 reports them.
 * The library tables are replaced by read-only views of themselves.
 */
function lockGlobals(L: LuaState): void {
  lua.lua_pushglobaltable(L);
  // Library tables first, while the global table can still be written.
  for (const name of ['string', 'math', 'table', 'coroutine', 'redis', 'cjson', 'bit', 'struct', 'cmsgpack']) {
    lua.lua_getfield(L, -1, luaString(name));
    if (!lua.lua_istable(L, -1)) {
      lua.lua_pop(L, 1);
      continue;
    }
    lua.lua_newtable(L); // the view
    lua.lua_newtable(L); // its metatable
    lua.lua_pushvalue(L, -3);
    lua.lua_setfield(L, -2, luaString('__index'));
    lua.lua_pushcfunction(L, readonlyTableError);
    lua.lua_setfield(L, -2, luaString('__newindex'));
    lua.lua_setmetatable(L, -2);
    lua.lua_setfield(L, -3, luaString(name)); // _G[name] = view
    lua.lua_pop(L, 1); // the real table
  }
  lua.lua_newtable(L);
  lua.lua_pushcfunction(L, (Ls: LuaState) => {
    const name = toJs(Ls, 2) ?? '?';
    return raiseError(Ls, `Script attempted to access nonexistent global variable '${name}'`);
  });
  lua.lua_setfield(L, -2, luaString('__index'));
  lua.lua_pushcfunction(L, readonlyTableError);
  lua.lua_setfield(L, -2, luaString('__newindex'));
  lua.lua_setmetatable(L, -2);
  lua.lua_pop(L, 1);
}

function readonlyTableError(L: LuaState): number {
  return raiseError(L, 'Attempt to modify a readonly table');
}
