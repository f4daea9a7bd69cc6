/**
 * Replies across the Lua boundary (script_lua.c): a command's reply as a Lua value for
 * redis.call (redisProtocolToLuaType, RESP2), the script's return value as a reply
 * (luaReplyToRedisReply), and Redis's error tables ({err = "CODE msg"}, luaPushErrorBuff).
 */
import fengari, { type LuaState } from 'fengari';
import { array, bulk, err, int, intExact, nil, status, type Reply } from '../protocol/reply.js';
import { formatDouble17g } from '../protocol/double-text.js';
import { luaString, toJs } from './lua-vm.js';

const { lua } = fengari;

/**
 * luaPushErrorBuff: "-CODE msg" keeps CODE, "msg" gets ERR; a trailing CRLF is trimmed.
 * Pushes {err = "CODE msg"}.
 */
export function pushErrorTable(L: LuaState, text: string): void {
  let code = 'ERR';
  let msg = text;
  if (text.startsWith('-')) {
    const space = text.indexOf(' ');
    if (space < 0) msg = text.slice(1);
    else {
      code = text.slice(1, space);
      msg = text.slice(space + 1);
    }
  }
  msg = msg.replace(/^[\r\n]+|[\r\n]+$/g, '');
  lua.lua_newtable(L);
  lua.lua_pushstring(L, luaString(`${code} ${msg}`));
  lua.lua_setfield(L, -2, luaString('err'));
}

/** Marks the error table on top as already counted (ignore_error_stats_update). */
export function markErrorCounted(L: LuaState): void {
  lua.lua_pushboolean(L, true);
  lua.lua_setfield(L, -2, luaString('ignore_error_stats_update'));
}

/** redisProtocolToLuaType for RESP2 replies. */
export function pushReply(L: LuaState, r: Reply): void {
  switch (r.type) {
    case 'int':
      // Lua 5.1 has only doubles: integers arrive as numbers (lua_pushnumber).
      lua.lua_pushnumber(L, r.text !== undefined ? Number(r.text) : r.value);
      return;
    case 'bulk':
      if (r.value === null) lua.lua_pushboolean(L, false);
      else lua.lua_pushstring(L, luaString(r.value));
      return;
    case 'status':
      lua.lua_newtable(L);
      lua.lua_pushstring(L, luaString(r.text));
      lua.lua_setfield(L, -2, luaString('ok'));
      return;
    case 'error':
      pushErrorTable(L, `-${r.text}`);
      markErrorCounted(L);
      return;
    case 'array': {
      if (r.items === null) {
        lua.lua_pushboolean(L, false);
        return;
      }
      lua.lua_createtable(L, r.items.length, 0);
      for (let i = 0; i < r.items.length; i++) {
        pushReply(L, r.items[i]!);
        lua.lua_rawseti(L, -2, i + 1);
      }
      return;
    }
  }
}

/** (long long)d as x86-64 converts it: truncation; out of range or NaN gives INT64_MIN. */
function doubleToLongLong(d: number): Reply {
  if (Number.isNaN(d) || d >= 2 ** 63 || d < -(2 ** 63)) return intExact(-(2n ** 63n));
  const t = Math.trunc(d);
  return Number.isSafeInteger(t) ? int(t === 0 ? 0 : t) : intExact(BigInt(t));
}

/** The string field `name` of the table at `idx`, if it is a string (lua_rawget). */
function rawStringField(L: LuaState, idx: number, name: string): string | null {
  lua.lua_pushstring(L, luaString(name));
  lua.lua_rawget(L, idx < 0 ? idx - 1 : idx);
  const s = lua.lua_type(L, -1) === lua.LUA_TSTRING ? toJs(L, -1) : null;
  lua.lua_pop(L, 1);
  return s;
}

/** luaReplyToRedisReply (RESP2): the value on top of the stack, popped. */
export function popReply(L: LuaState): Reply {
  const r = replyOf(L);
  lua.lua_pop(L, 1);
  return r;
}

function replyOf(L: LuaState): Reply {
  switch (lua.lua_type(L, -1)) {
    case lua.LUA_TSTRING:
      return bulk(toJs(L, -1)!);
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, -1) ? int(1) : nil();
    case lua.LUA_TNUMBER:
      return doubleToLongLong(lua.lua_tonumber(L, -1));
    case lua.LUA_TTABLE:
      return tableReply(L);
    default:
      return nil();
  }
}

function tableReply(L: LuaState): Reply {
  const e = rawStringField(L, -1, 'err');
  if (e !== null) return err(e.replace(/[\r\n]/g, ' '));
  const ok = rawStringField(L, -1, 'ok');
  if (ok !== null) return status(ok.replace(/[\r\n]/g, ' '));
  // RESP3 shapes a script may return; in RESP2 they become bulk strings and arrays.
  lua.lua_pushstring(L, luaString('double'));
  lua.lua_rawget(L, -2);
  if (lua.lua_type(L, -1) === lua.LUA_TNUMBER) {
    const d = lua.lua_tonumber(L, -1);
    lua.lua_pop(L, 1);
    return bulk(formatDouble17g(d));
  }
  lua.lua_pop(L, 1);
  const big = rawStringField(L, -1, 'big_number');
  if (big !== null) return bulk(big.replace(/[\r\n]/g, ' '));
  for (const field of ['map', 'set'] as const) {
    lua.lua_pushstring(L, luaString(field));
    lua.lua_rawget(L, -2);
    if (lua.lua_type(L, -1) === lua.LUA_TTABLE) {
      const items: Reply[] = [];
      lua.lua_pushnil(L);
      while (lua.lua_next(L, -2) !== 0) {
        lua.lua_pushvalue(L, -2);
        items.push(popReply(L)); // the key
        if (field === 'map') items.push(popReply(L));
        else lua.lua_pop(L, 1);
      }
      lua.lua_pop(L, 1);
      return array(items);
    }
    lua.lua_pop(L, 1);
  }
  // An array: elements 1, 2, … up to the first nil.
  const items: Reply[] = [];
  for (let j = 1; ; j++) {
    lua.lua_rawgeti(L, -1, j);
    if (lua.lua_type(L, -1) === lua.LUA_TNIL) {
      lua.lua_pop(L, 1);
      break;
    }
    items.push(popReply(L));
  }
  return array(items);
}
