/**
 * The `struct` library Redis bundles (Roberto Ierusalimschy's struct, deps/lua/src/lua_struct.c)
 * as it behaves in redis-server 7.0.15 on x86-64: native little-endian, `long` and `size_t`
 * of 8 bytes, `int` of 4, maximum alignment 8.
 *
 * Format options: `>` big- and `<` little-endian, `!n` alignment (default 8; a power of 2),
 * space ignored; `b`/`B` (1), `h`/`H` (2), `l`/`L` and `T` (8), `i`/`I` with an optional size
 * (default 4, at most 32) — lower case signed —, `f` float, `d` double, `x` a zero byte,
 * `cn` n chars (`c0`: the whole string in pack, the previous number in unpack), `s` a
 * zero-terminated string. pack(fmt, ...) → string; unpack(fmt, s [, pos]) → values and
 * the next position; size(fmt) → bytes. Integers are computed as the C code does on 64-bit
 * values (a double truncated, negative ones two's-complement) and come back as doubles.
 */
import fengari, { type LuaState } from 'fengari';
import { luaString, setFunction } from './lua-vm.js';

const { lua, lauxlib } = fengari;

const MAXINTSIZE = 32;
const MAXALIGN = 8;
const LITTLE = 1;
const BIG = 0;

interface Header {
  endian: number;
  align: number;
}

/** A cursor over the format string's bytes. */
class Format {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  next(): string {
    return String.fromCharCode(this.bytes[this.pos++]!);
  }

  /** getnum: the digits here, or `df`. */
  num(L: LuaState, df: number): number {
    if (!isDigit(this.bytes[this.pos])) return df;
    let a = 0;
    while (isDigit(this.bytes[this.pos])) {
      const d = this.bytes[this.pos++]! - 48;
      if (a > Math.trunc(2147483647 / 10) || a * 10 > 2147483647 - d) lauxlib.luaL_error(L, luaString('integral size overflow'));
      a = a * 10 + d;
    }
    return a;
  }
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 48 && b <= 57;
}

/** optsize */
function optSize(L: LuaState, opt: string, fmt: Format): number {
  switch (opt) {
    case 'B': case 'b': case 'x': return 1;
    case 'H': case 'h': return 2;
    case 'L': case 'l': case 'T': case 'd': return 8;
    case 'f': return 4;
    case 'c': return fmt.num(L, 1);
    case 'i': case 'I': {
      const sz = fmt.num(L, 4);
      if (sz > MAXINTSIZE) lauxlib.luaL_error(L, luaString(`integral size ${sz} is larger than limit of ${MAXINTSIZE}`));
      return sz;
    }
    default: return 0;
  }
}

/** gettoalign */
function toAlign(len: number, h: Header, opt: string, size: number): number {
  if (size === 0 || opt === 'c') return 0;
  if (size > h.align) size = h.align;
  return (size - (len & (size - 1))) & (size - 1);
}

/** controloptions */
function controlOptions(L: LuaState, opt: string, fmt: Format, h: Header): void {
  switch (opt) {
    case ' ': return;
    case '>': h.endian = BIG; return;
    case '<': h.endian = LITTLE; return;
    case '!': {
      const a = fmt.num(L, MAXALIGN);
      if (!(a > 0 && (a & (a - 1)) === 0)) lauxlib.luaL_error(L, luaString(`alignment ${a} is not a power of 2`));
      h.align = a;
      return;
    }
    default:
      lauxlib.luaL_argerror(L, 1, luaString(`invalid format option '${opt}'`));
  }
}

const isInteger = (opt: string): boolean => 'bBhHlLTiI'.includes(opt);

function pack(L: LuaState): number {
  const fmt = new Format(lauxlib.luaL_checklstring(L, 1));
  const h: Header = { endian: LITTLE, align: 1 };
  let arg = 2;
  // b_pack's mark separating the arguments from its buffer: a missing argument reads as nil.
  lua.lua_pushnil(L);
  const out: number[] = [];
  while (!fmt.done) {
    const opt = fmt.next();
    let size = optSize(L, opt, fmt);
    for (let n = toAlign(out.length, h, opt, size); n > 0; n--) out.push(0);
    if (isInteger(opt)) {
      // putinteger: (Uinttype)(Inttype)n for negatives, (Uinttype)n otherwise; 64 bits.
      const n = Math.trunc(lauxlib.luaL_checknumber(L, arg++));
      const v = Number.isFinite(n) ? BigInt.asUintN(64, BigInt(n)) : 0n;
      const bytes: number[] = [];
      for (let i = 0; i < size; i++) bytes.push(i < 8 ? Number((v >> BigInt(8 * i)) & 0xffn) : 0);
      if (h.endian === BIG) bytes.reverse();
      out.push(...bytes);
    } else if (opt === 'x') out.push(0);
    else if (opt === 'f' || opt === 'd') {
      const view = new DataView(new ArrayBuffer(size));
      const d = lauxlib.luaL_checknumber(L, arg++);
      if (opt === 'f') view.setFloat32(0, d, h.endian === LITTLE);
      else view.setFloat64(0, d, h.endian === LITTLE);
      for (let i = 0; i < size; i++) out.push(view.getUint8(i));
    } else if (opt === 'c' || opt === 's') {
      const s: Uint8Array = lauxlib.luaL_checklstring(L, arg++);
      if (size === 0) size = s.length;
      lauxlib.luaL_argcheck(L, s.length >= size, arg, luaString('string too short'));
      for (let i = 0; i < size; i++) out.push(s[i]!);
      if (opt === 's') out.push(0);
    } else controlOptions(L, opt, fmt, h);
  }
  lua.lua_pushstring(L, Uint8Array.from(out));
  return 1;
}

function unpack(L: LuaState): number {
  const fmt = new Format(lauxlib.luaL_checklstring(L, 1));
  const data: Uint8Array = lauxlib.luaL_checklstring(L, 2);
  const ld = data.length;
  let pos = Math.trunc(lauxlib.luaL_optnumber(L, 3, 1));
  lauxlib.luaL_argcheck(L, pos > 0, 3, luaString('offset must be 1 or greater'));
  pos--;
  let n = 0;
  const h: Header = { endian: LITTLE, align: 1 };
  while (!fmt.done) {
    const opt = fmt.next();
    let size = optSize(L, opt, fmt);
    pos += toAlign(pos, h, opt, size);
    lauxlib.luaL_argcheck(L, size <= ld && pos <= ld - size, 2, luaString('data string too short'));
    lauxlib.luaL_checkstack(L, 2, luaString('too many results'));
    if (isInteger(opt)) {
      lua.lua_pushnumber(L, getInteger(data, pos, h.endian, opt === opt.toLowerCase(), size));
      n++;
    } else if (opt === 'x') {
      // padding
    } else if (opt === 'f' || opt === 'd') {
      const view = new DataView(data.buffer, data.byteOffset + pos, size);
      lua.lua_pushnumber(L, opt === 'f' ? view.getFloat32(0, h.endian === LITTLE) : view.getFloat64(0, h.endian === LITTLE));
      n++;
    } else if (opt === 'c') {
      if (size === 0) {
        if (n === 0 || !lua.lua_isnumber(L, -1)) lauxlib.luaL_error(L, luaString("format 'c0' needs a previous size"));
        size = Math.trunc(lua.lua_tonumber(L, -1));
        lua.lua_pop(L, 1);
        n--;
        lauxlib.luaL_argcheck(L, size <= ld && pos <= ld - size, 2, luaString('data string too short'));
      }
      lua.lua_pushstring(L, data.subarray(pos, pos + size));
      n++;
    } else if (opt === 's') {
      const e = data.indexOf(0, pos);
      if (e < 0) lauxlib.luaL_error(L, luaString('unfinished string in data'));
      size = e - pos + 1;
      lua.lua_pushstring(L, data.subarray(pos, e));
      n++;
    } else controlOptions(L, opt, fmt, h);
    pos += size;
  }
  lua.lua_pushnumber(L, pos + 1);
  return n + 1;
}

/** getinteger: the bytes as a 64-bit value (wider sizes keep their last 8 bytes read), sign-extended. */
function getInteger(data: Uint8Array, pos: number, endian: number, signed: boolean, size: number): number {
  let l = 0n;
  for (let k = 0; k < size; k++) {
    const i = endian === BIG ? k : size - 1 - k;
    l = BigInt.asUintN(64, (l << 8n) | BigInt(data[pos + i]!));
  }
  if (!signed) return Number(l);
  const bits = size * 8 - 1;
  const mask = bits >= 64 ? 0n : BigInt.asUintN(64, ~0n << BigInt(bits));
  if ((l & mask) !== 0n) l |= mask;
  return Number(BigInt.asIntN(64, l));
}

function size(L: LuaState): number {
  const fmt = new Format(lauxlib.luaL_checklstring(L, 1));
  const h: Header = { endian: LITTLE, align: 1 };
  let pos = 0;
  while (!fmt.done) {
    const opt = fmt.next();
    const sz = optSize(L, opt, fmt);
    pos += toAlign(pos, h, opt, sz);
    if (opt === 's') lauxlib.luaL_argerror(L, 1, luaString("option 's' has no fixed size"));
    else if (opt === 'c' && sz === 0) lauxlib.luaL_argerror(L, 1, luaString("option 'c0' has no fixed size"));
    if (!/[0-9A-Za-z]/.test(opt)) controlOptions(L, opt, fmt, h);
    pos += sz;
  }
  lua.lua_pushnumber(L, pos);
  return 1;
}

export function installStruct(L: LuaState): void {
  lua.lua_newtable(L);
  setFunction(L, 'pack', pack);
  setFunction(L, 'unpack', unpack);
  setFunction(L, 'size', size);
  lua.lua_setglobal(L, luaString('struct'));
}
