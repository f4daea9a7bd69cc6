/**
 * The `bit` library Redis bundles (LuaBitOp 1.0): 32-bit operations on numbers. Arguments
 * are normalised as bit.c's barrel does — the double plus 2^52 + 2^51, keeping the low 32
 * bits — so fractions round half to even (bit.tobit(2.5) is 2) and values wrap mod 2^32.
 * Results are signed 32-bit numbers.
 */
import fengari, { type LuaState } from 'fengari';
import { luaString, setFunction } from './lua-vm.js';

const { lua, lauxlib } = fengari;

const BARREL = 6755399441055744; // 2^52 + 2^51

function tobit(d: number): number {
  const y = d + BARREL;
  if (!Number.isFinite(y)) return 0;
  return Number(BigInt.asIntN(32, BigInt(y)));
}

function arg(L: LuaState, i: number): number {
  return tobit(lauxlib.luaL_checknumber(L, i));
}

function fold(op: (a: number, b: number) => number) {
  return (L: LuaState): number => {
    let r = arg(L, 1);
    const n = lua.lua_gettop(L);
    for (let i = 2; i <= n; i++) r = op(r, arg(L, i));
    lua.lua_pushnumber(L, r | 0);
    return 1;
  };
}

function shift(op: (a: number, n: number) => number) {
  return (L: LuaState): number => {
    const a = arg(L, 1);
    const n = arg(L, 2) & 31;
    lua.lua_pushnumber(L, op(a, n) | 0);
    return 1;
  };
}

export function installBit(L: LuaState): void {
  lua.lua_newtable(L);
  setFunction(L, 'tobit', (Ls) => {
    lua.lua_pushnumber(Ls, arg(Ls, 1));
    return 1;
  });
  setFunction(L, 'bnot', (Ls) => {
    lua.lua_pushnumber(Ls, ~arg(Ls, 1));
    return 1;
  });
  setFunction(L, 'band', fold((a, b) => a & b));
  setFunction(L, 'bor', fold((a, b) => a | b));
  setFunction(L, 'bxor', fold((a, b) => a ^ b));
  setFunction(L, 'lshift', shift((a, n) => a << n));
  setFunction(L, 'rshift', shift((a, n) => a >>> n));
  setFunction(L, 'arshift', shift((a, n) => a >> n));
  setFunction(L, 'rol', shift((a, n) => (a << n) | (a >>> (32 - n))));
  setFunction(L, 'ror', shift((a, n) => (a >>> n) | (a << (32 - n))));
  setFunction(L, 'bswap', (Ls) => {
    const a = arg(Ls, 1);
    lua.lua_pushnumber(Ls, ((a >>> 24) | ((a >> 8) & 0xff00) | ((a & 0xff00) << 8) | (a << 24)) | 0);
    return 1;
  });
  setFunction(L, 'tohex', (Ls) => {
    const b = arg(Ls, 1);
    let n = lua.lua_isnoneornil(Ls, 2) ? 8 : arg(Ls, 2);
    const upper = n < 0;
    if (upper) n = -n;
    if (n > 8) n = 8;
    let hex = (b >>> 0).toString(16).padStart(8, '0').slice(8 - n);
    if (upper) hex = hex.toUpperCase();
    lua.lua_pushstring(Ls, luaString(hex));
    return 1;
  });
  lua.lua_setglobal(L, luaString('bit'));
}
