/**
 * The `cmsgpack` library Redis bundles (lua-cmsgpack 0.4.0, deps/lua/src/lua_cmsgpack.c),
 * as it behaves on Redis's Lua 5.1, where every number is a double:
 *
 *  - pack(...): each argument encoded and the encodings concatenated. A number that is an
 *    integral value within int64 is an integer in the smallest msgpack form (fixnum, uint
 *    8/16/32/64 for ≥ 0, int 8/16/32/64 below), any other one a float 32 when the double
 *    survives the round trip through a float, else a float 64; strings are str (fix, 8, 16,
 *    32); a table whose keys are exactly 1..N is an array of its N values, any other a map in
 *    the table's iteration order; nesting deeper than 16 tables and every other type
 *    (function, nil …) is nil.
 *  - unpack(s), unpack_one(s [, offset]), unpack_limit(s, limit [, offset]): every value, or
 *    one, or `limit` of them, the last two preceded by the offset to continue from (-1 at the
 *    end). Integers come back as numbers (64-bit ones rounded to doubles, as Lua 5.1 does).
 *
 * Map order follows the table's iteration order, which is fengari's (insertion) rather than
 * 5.1's hash order: KNOWN-DIFFERENCES.
 */
import fengari, { type LuaState } from 'fengari';
import { luaString, setFunction } from './lua-vm.js';

const { lua, lauxlib } = fengari;

const MAX_NESTING = 16;
const TWO63 = 2 ** 63;

class Encoder {
  private bytes: number[] = [];

  /** mp_buf's bytes, taken (the encoder starts afresh). */
  take(): Uint8Array {
    const out = Uint8Array.from(this.bytes);
    this.bytes = [];
    return out;
  }

  private push(...b: number[]): void {
    for (const x of b) this.bytes.push(x & 0xff);
  }

  private be(n: bigint, size: number): void {
    for (let i = size - 1; i >= 0; i--) this.bytes.push(Number((n >> BigInt(8 * i)) & 0xffn));
  }

  /** mp_encode_lua_type: the value on top of the stack, popped. */
  value(L: LuaState, level: number): void {
    let t = lua.lua_type(L, -1);
    if (t === lua.LUA_TTABLE && level === MAX_NESTING) t = lua.LUA_TNIL;
    if (t === lua.LUA_TSTRING) this.str(lua.lua_tolstring(L, -1));
    else if (t === lua.LUA_TBOOLEAN) this.push(lua.lua_toboolean(L, -1) ? 0xc3 : 0xc2);
    else if (t === lua.LUA_TNUMBER) this.number(lua.lua_tonumber(L, -1));
    else if (t === lua.LUA_TTABLE) this.table(L, level);
    else this.push(0xc0);
    lua.lua_pop(L, 1);
  }

  private str(s: Uint8Array): void {
    const n = s.length;
    if (n < 32) this.push(0xa0 | n);
    else if (n <= 0xff) this.push(0xd9, n);
    else if (n <= 0xffff) this.push(0xda, n >> 8, n);
    else this.push(0xdb, n >>> 24, n >> 16, n >> 8, n);
    for (let i = 0; i < n; i++) this.bytes.push(s[i]!);
  }

  /** mp_encode_lua_number: IS_INT64_EQUIVALENT → mp_encode_int, else mp_encode_double. */
  private number(d: number): void {
    if (Number.isInteger(d) && d >= -TWO63 && d < TWO63) return this.int(BigInt(d));
    const b = new DataView(new ArrayBuffer(8));
    if (Math.fround(d) === d) {
      b.setFloat32(0, d);
      this.push(0xca, b.getUint8(0), b.getUint8(1), b.getUint8(2), b.getUint8(3));
    } else {
      b.setFloat64(0, d);
      this.push(0xcb);
      for (let i = 0; i < 8; i++) this.push(b.getUint8(i));
    }
  }

  private int(n: bigint): void {
    if (n >= 0n) {
      if (n <= 127n) this.push(Number(n));
      else if (n <= 0xffn) this.push(0xcc, Number(n));
      else if (n <= 0xffffn) (this.push(0xcd), this.be(n, 2));
      else if (n <= 0xffffffffn) (this.push(0xce), this.be(n, 4));
      else (this.push(0xcf), this.be(n, 8));
    } else if (n >= -32n) this.push(Number(n) & 0xff);
    else if (n >= -128n) this.push(0xd0, Number(n));
    else if (n >= -32768n) (this.push(0xd1), this.be(BigInt.asUintN(16, n), 2));
    else if (n >= -2147483648n) (this.push(0xd2), this.be(BigInt.asUintN(32, n), 4));
    else (this.push(0xd3), this.be(BigInt.asUintN(64, n), 8));
  }

  private header(n: number, fix: number, x16: number, x32: number): void {
    if (n <= 15) this.push(fix | n);
    else if (n <= 0xffff) this.push(x16, n >> 8, n);
    else this.push(x32, n >>> 24, n >> 16, n >> 8, n);
  }

  /** mp_encode_lua_table: an array when table_is_an_array, else a map. */
  private table(L: LuaState, level: number): void {
    const len = arrayLength(L);
    if (len !== null) {
      this.header(len, 0x90, 0xdc, 0xdd);
      for (let j = 1; j <= len; j++) {
        lua.lua_pushnumber(L, j);
        lua.lua_gettable(L, -2);
        this.value(L, level + 1);
      }
      return;
    }
    let count = 0;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2) !== 0) {
      lua.lua_pop(L, 1);
      count++;
    }
    this.header(count, 0x80, 0xde, 0xdf);
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2) !== 0) {
      lua.lua_pushvalue(L, -2);
      this.value(L, level + 1); // key
      this.value(L, level + 1); // value
    }
  }
}

/** table_is_an_array: keys exactly 1..N (integral, positive, within int) → N, else null. */
function arrayLength(L: LuaState): number | null {
  const top = lua.lua_gettop(L);
  let count = 0;
  let max = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    lua.lua_pop(L, 1);
    const n = lua.lua_type(L, -1) === lua.LUA_TNUMBER ? lua.lua_tonumber(L, -1) : 0;
    if (!(n > 0) || !Number.isInteger(n) || n > 2147483647) {
      lua.lua_settop(L, top);
      return null;
    }
    max = Math.max(max, n);
    count++;
  }
  lua.lua_settop(L, top);
  return max === count ? count : null;
}

function pack(L: LuaState): number {
  const nargs = lua.lua_gettop(L);
  if (nargs === 0) return lauxlib.luaL_argerror(L, 0, luaString('MessagePack pack needs input.'));
  const enc = new Encoder();
  for (let i = 1; i <= nargs; i++) {
    lua.lua_pushvalue(L, i);
    enc.value(L, 0);
    lua.lua_pushstring(L, enc.take());
  }
  lua.lua_concat(L, nargs);
  return 1;
}

class DecodeError extends Error {}
const EOF = new DecodeError('Missing bytes in input.');
const BADFMT = new DecodeError('Bad data format in input.');

class Decoder {
  constructor(
    private readonly s: Uint8Array,
    public pos: number,
  ) {}

  get left(): number {
    return this.s.length - this.pos;
  }

  private need(n: number): void {
    if (this.left < n) throw EOF;
  }

  private uint(at: number, size: number): bigint {
    let v = 0n;
    for (let i = 0; i < size; i++) v = (v << 8n) | BigInt(this.s[at + i]!);
    return v;
  }

  /** mp_decode_to_lua_type: one value pushed. */
  value(L: LuaState): void {
    this.need(1);
    lauxlib.luaL_checkstack(L, 1, luaString('too many return values at once; use unpack_one or unpack_limit instead.'));
    const p = this.pos;
    const b = this.s[p]!;
    const fixed = (size: number, signed: boolean): void => {
      this.need(1 + size);
      const v = this.uint(p + 1, size);
      lua.lua_pushnumber(L, Number(signed ? BigInt.asIntN(size * 8, v) : v));
      this.pos += 1 + size;
    };
    const str = (size: number): void => {
      this.need(1 + size);
      const l = Number(this.uint(p + 1, size));
      this.need(1 + size + l);
      lua.lua_pushstring(L, this.s.subarray(p + 1 + size, p + 1 + size + l));
      this.pos += 1 + size + l;
    };
    const container = (size: number, map: boolean): void => {
      this.need(1 + size);
      const l = Number(this.uint(p + 1, size));
      this.pos += 1 + size;
      this.container(L, l, map);
    };
    switch (b) {
      case 0xcc: return fixed(1, false);
      case 0xd0: return fixed(1, true);
      case 0xcd: return fixed(2, false);
      case 0xd1: return fixed(2, true);
      case 0xce: return fixed(4, false);
      case 0xd2: return fixed(4, true);
      case 0xcf: return fixed(8, false);
      case 0xd3: return fixed(8, true);
      case 0xc0: this.pos++; return lua.lua_pushnil(L);
      case 0xc3: this.pos++; return lua.lua_pushboolean(L, true);
      case 0xc2: this.pos++; return lua.lua_pushboolean(L, false);
      case 0xca:
      case 0xcb: {
        const size = b === 0xca ? 4 : 8;
        this.need(1 + size);
        const view = new DataView(this.s.buffer, this.s.byteOffset + p + 1, size);
        lua.lua_pushnumber(L, size === 4 ? view.getFloat32(0) : view.getFloat64(0));
        this.pos += 1 + size;
        return;
      }
      case 0xd9: return str(1);
      case 0xda: return str(2);
      case 0xdb: return str(4);
      case 0xdc: return container(2, false);
      case 0xdd: return container(4, false);
      case 0xde: return container(2, true);
      case 0xdf: return container(4, true);
    }
    if ((b & 0x80) === 0) {
      this.pos++;
      lua.lua_pushnumber(L, b);
    } else if ((b & 0xe0) === 0xe0) {
      this.pos++;
      lua.lua_pushnumber(L, b - 256);
    } else if ((b & 0xe0) === 0xa0) {
      const l = b & 0x1f;
      this.need(1 + l);
      lua.lua_pushstring(L, this.s.subarray(p + 1, p + 1 + l));
      this.pos += 1 + l;
    } else if ((b & 0xf0) === 0x90 || (b & 0xf0) === 0x80) {
      this.pos++;
      this.container(L, b & 0xf, (b & 0xf0) === 0x80);
    } else throw BADFMT;
  }

  private container(L: LuaState, n: number, map: boolean): void {
    lua.lua_newtable(L);
    for (let i = 1; i <= n; i++) {
      if (map) this.value(L);
      else lua.lua_pushnumber(L, i);
      this.value(L);
      lua.lua_settable(L, -3);
    }
  }
}

/** mp_unpack_full: limit 0 and offset 0 decode everything (and return no offset). */
function unpackFull(L: LuaState, limit: number, offset: number): number {
  const s: Uint8Array = lauxlib.luaL_checklstring(L, 1);
  const all = limit === 0 && offset === 0;
  // Redis's message prints the input length where it means the limit.
  if (offset < 0 || limit < 0) return lauxlib.luaL_error(L, luaString(`Invalid request to unpack with offset of ${offset} and limit of ${s.length}.`));
  if (offset > s.length) return lauxlib.luaL_error(L, luaString(`Start offset ${offset} greater than input length ${s.length}.`));
  const max = all ? Infinity : limit;
  const dec = new Decoder(s, offset);
  let count = 0;
  for (; dec.left > 0 && count < max; count++) {
    try {
      dec.value(L);
    } catch (e) {
      if (e instanceof DecodeError) return lauxlib.luaL_error(L, luaString(e.message));
      throw e;
    }
  }
  if (all) return count;
  lua.lua_pushnumber(L, dec.left === 0 ? -1 : dec.pos);
  lua.lua_insert(L, 2);
  return count + 1;
}

/** luaL_checkinteger / luaL_optinteger as 5.1 reads them: any number, truncated. */
function integerArg(L: LuaState, i: number, def: number | null): number {
  if (def !== null && lua.lua_isnoneornil(L, i)) return def;
  return Math.trunc(lauxlib.luaL_checknumber(L, i));
}

export function installCmsgpack(L: LuaState): void {
  lua.lua_newtable(L);
  setFunction(L, 'pack', pack);
  setFunction(L, 'unpack', (Ls) => unpackFull(Ls, 0, 0));
  setFunction(L, 'unpack_one', (Ls) => {
    const offset = integerArg(Ls, 2, 0);
    lua.lua_settop(Ls, 1);
    return unpackFull(Ls, 1, offset);
  });
  setFunction(L, 'unpack_limit', (Ls) => {
    const limit = integerArg(Ls, 2, null);
    const offset = integerArg(Ls, 3, 0);
    lua.lua_settop(Ls, 1);
    return unpackFull(Ls, limit, offset);
  });
  for (const [k, v] of [
    ['_NAME', 'cmsgpack'],
    ['_VERSION', 'lua-cmsgpack 0.4.0'],
    ['_COPYRIGHT', 'Copyright (C) 2012, Salvatore Sanfilippo'],
    ['_DESCRIPTION', 'MessagePack C implementation for Lua'],
  ] as const) {
    lua.lua_pushstring(L, luaString(v));
    lua.lua_setfield(L, -2, luaString(k));
  }
  lua.lua_setglobal(L, luaString('cmsgpack'));
}
