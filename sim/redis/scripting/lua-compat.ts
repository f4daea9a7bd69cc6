/**
 * The globals of Redis's Lua 5.1 that fengari (Lua 5.3) lacks, and the 5.3 ones Redis's
 * scripts cannot see. The list is what a real redis-server 7.0.15 answers to
 * `EVAL "return type(<name>)" 0` (Debian's build: setfenv, getfenv, newproxy and module
 * are absent there too). Aliases of built-in functions are the 5.3 functions themselves;
 * the few written in Lua report errors at their own chunk ("=compat"), not at the script.
 */
import fengari, { type LuaState } from 'fengari';

import { luaNumberText } from './lua-number-text.js';

const { lua, lauxlib } = fengari;

const COMPAT = `
local table, math, string, select = table, math, string, select
unpack = table.unpack
loadstring = load
gcinfo = function() return math.floor(collectgarbage('count')) end
math.pow = function(x, y) return x ^ y end
math.mod = math.fmod
math.log10 = function(x) return math.log(x, 10) end
math.ldexp = function(m, e) return m * 2.0 ^ e end
math.frexp = function(x)
  if x == 0 or x ~= x or x == math.huge or x == -math.huge then return x, 0 end
  local e = math.floor(math.log(math.abs(x), 2)) + 1
  local m = x / 2.0 ^ e
  if math.abs(m) >= 1 then m = m / 2; e = e + 1 elseif math.abs(m) < 0.5 then m = m * 2; e = e - 1 end
  return m, e
end
math.cosh = function(x) return (math.exp(x) + math.exp(-x)) / 2 end
math.sinh = function(x) return (math.exp(x) - math.exp(-x)) / 2 end
math.tanh = function(x) local a, b = math.exp(x), math.exp(-x) return (a - b) / (a + b) end
table.getn = function(t) return #t end
table.setn = function() error("'setn' is obsolete", 2) end
table.maxn = function(t)
  local n = 0
  for k in pairs(t) do if type(k) == 'number' and k > n then n = k end end
  return n
end
table.foreach = function(t, f)
  for k, v in pairs(t) do local r = f(k, v) if r ~= nil then return r end end
end
table.foreachi = function(t, f)
  for i = 1, #t do local r = f(i, t[i]) if r ~= nil then return r end end
end
string.gfind = string.gmatch
table.unpack = nil
table.move = nil
string.pack = nil
string.unpack = nil
string.packsize = nil
math.tointeger = nil
math.maxinteger = nil
math.mininteger = nil
math.ult = nil
coroutine.isyieldable = nil
rawlen = nil
print = nil
dofile = nil
loadfile = nil
require = nil
_VERSION = 'Lua 5.1'
`;

/**
 * tostring: fengari's goes through luaL_tolstring, which formats numbers as 5.3 does
 * ("3.0"); Redis's prints them "%.14g". Other values keep fengari's rendering.
 */
function tostring51(L: LuaState): number {
  lauxlib.luaL_checkany(L, 1);
  if (lua.lua_type(L, 1) === lua.LUA_TNUMBER && !lauxlib.luaL_getmetafield(L, 1, fengari.to_luastring('__tostring'))) {
    lua.lua_pushstring(L, fengari.to_luastring(luaNumberText(lua.lua_tonumber(L, 1))));
    return 1;
  }
  lua.lua_settop(L, 1);
  lauxlib.luaL_tolstring(L, 1);
  return 1;
}

export function installCompat(L: LuaState): void {
  lua.lua_pushcfunction(L, tostring51);
  lua.lua_setglobal(L, fengari.to_luastring('tostring'));
  const bytes = fengari.to_luastring(COMPAT);
  if (lauxlib.luaL_loadbuffer(L, bytes, bytes.length, fengari.to_luastring('=compat')) !== 0 || lua.lua_pcall(L, 0, 0, 0) !== 0) {
    throw new Error(`Lua compat chunk failed: ${fengari.to_jsstring(lua.lua_tolstring(L, -1))}`);
  }
}
