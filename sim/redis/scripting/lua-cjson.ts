/**
 * The `cjson` library Redis bundles (lua-cjson 2.1.0) with its default settings: numbers
 * as "%.14g", '/' escaped as "\/", a table is an array when its keys are exactly
 * 1..n-ish (holes become null; "excessively sparse" beyond ratio 2 and 10 elements),
 * otherwise an object; NaN/Inf refused; cjson.null a light userdata. The error texts are
 * lua-cjson's ("Expected value but found T_END at character 1"). Object keys come out in
 * fengari's table order (insertion order), not Lua 5.1's hash order: KNOWN-DIFFERENCES.
 */
import fengari, { type LuaState } from 'fengari';
import { luaString, raiseError, setFunction, toJs } from './lua-vm.js';
import { luaNumberText } from './lua-number-text.js';

const { lua, lauxlib } = fengari;

/** cjson.null: one light userdata per process, compared by identity. */
const JSON_NULL = { cjsonNull: true };
const MAX_DEPTH = 1000;

export function installCjson(L: LuaState): void {
  lua.lua_newtable(L);
  setFunction(L, 'encode', (Ls) => {
    if (lua.lua_gettop(Ls) !== 1) return raiseError(Ls, 'expected 1 argument');
    const out: string[] = [];
    encodeValue(Ls, out, 0);
    lua.lua_pushstring(Ls, luaString(out.join('')));
    return 1;
  });
  setFunction(L, 'decode', (Ls) => {
    if (lua.lua_gettop(Ls) !== 1) return raiseError(Ls, 'expected 1 argument');
    const text = toJs(Ls, 1);
    if (text === null) lauxlib.luaL_checklstring(Ls, 1);
    lua.lua_settop(Ls, 0);
    new JsonDecoder(Ls, text ?? '').decodeTop();
    return 1;
  });
  lua.lua_pushlightuserdata(L, JSON_NULL);
  lua.lua_setfield(L, -2, luaString('null'));
  lua.lua_pushstring(L, luaString('cjson'));
  lua.lua_setfield(L, -2, luaString('_NAME'));
  lua.lua_pushstring(L, luaString('2.1.0'));
  lua.lua_setfield(L, -2, luaString('_VERSION'));
  lua.lua_setglobal(L, luaString('cjson'));
}

function escapeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x22: out += '\\"'; break;
      case 0x5c: out += '\\\\'; break;
      case 0x2f: out += '\\/'; break;
      case 0x08: out += '\\b'; break;
      case 0x0c: out += '\\f'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      default:
        out += c < 0x20 || c === 0x7f ? `\\u${c.toString(16).padStart(4, '0')}` : s[i];
    }
  }
  return out + '"';
}

function encodeNumber(L: LuaState, d: number): string {
  if (!Number.isFinite(d)) return raiseError(L, 'Cannot serialise number: must not be NaN or Inf');
  return luaNumberText(d);
}

/** Encodes the value on top of the stack (left there). */
function encodeValue(L: LuaState, out: string[], depth: number): void {
  switch (lua.lua_type(L, -1)) {
    case lua.LUA_TSTRING:
      out.push(escapeString(toJs(L, -1)!));
      return;
    case lua.LUA_TNUMBER:
      out.push(encodeNumber(L, lua.lua_tonumber(L, -1)));
      return;
    case lua.LUA_TBOOLEAN:
      out.push(lua.lua_toboolean(L, -1) ? 'true' : 'false');
      return;
    case lua.LUA_TNIL:
      out.push('null');
      return;
    case lua.LUA_TLIGHTUSERDATA:
      if (lua.lua_touserdata(L, -1) === JSON_NULL) {
        out.push('null');
        return;
      }
      break;
    case lua.LUA_TTABLE: {
      if (depth + 1 > MAX_DEPTH) raiseError(L, `Cannot serialise, excessive nesting (${depth + 1})`);
      const len = arrayLength(L);
      if (len >= 0) {
        out.push('[');
        for (let i = 1; i <= len; i++) {
          if (i > 1) out.push(',');
          lua.lua_rawgeti(L, -1, i);
          encodeValue(L, out, depth + 1);
          lua.lua_pop(L, 1);
        }
        out.push(']');
        return;
      }
      out.push('{');
      let first = true;
      lua.lua_pushnil(L);
      while (lua.lua_next(L, -2) !== 0) {
        if (!first) out.push(',');
        first = false;
        const kt = lua.lua_type(L, -2);
        if (kt === lua.LUA_TSTRING) out.push(escapeString(toJs(L, -2)!));
        else if (kt === lua.LUA_TNUMBER) out.push(`"${encodeNumber(L, lua.lua_tonumber(L, -2))}"`);
        else raiseError(L, `Cannot serialise ${typeName(L, -2)}: table key must be a number or string`);
        out.push(':');
        encodeValue(L, out, depth + 1);
        lua.lua_pop(L, 1);
      }
      out.push('}');
      return;
    }
  }
  raiseError(L, `Cannot serialise ${typeName(L, -1)}: type not supported`);
}

function typeName(L: LuaState, idx: number): string {
  return fengari.to_jsstring(lua.lua_typename(L, lua.lua_type(L, idx)));
}

/** lua_array_length: n for an array 1..n (holes allowed up to the sparse ratio), -1 for an object. */
function arrayLength(L: LuaState): number {
  let max = 0;
  let items = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    if (lua.lua_type(L, -2) === lua.LUA_TNUMBER) {
      const k = lua.lua_tonumber(L, -2);
      if (Number.isInteger(k) && k >= 1) {
        if (k > max) max = k;
        items++;
        lua.lua_pop(L, 1);
        continue;
      }
    }
    lua.lua_pop(L, 2);
    return -1;
  }
  // encode_sparse_array defaults: convert = 0, ratio = 2, safe = 10.
  if (max > 10 && max > items * 2) raiseError(L, 'Cannot serialise table: excessively sparse array');
  return items === 0 ? -1 : max;
}

class JsonDecoder {
  private pos = 0;
  constructor(
    private readonly L: LuaState,
    private readonly s: string,
  ) {}

  decodeTop(): void {
    this.value(0, 'value');
    this.ws();
    if (this.pos < this.s.length) this.fail('the end', this.tokenName(), this.pos);
  }

  private ws(): void {
    while (this.pos < this.s.length && ' \t\n\r'.includes(this.s[this.pos]!)) this.pos++;
  }

  private tokenName(): string {
    const c = this.s[this.pos];
    if (c === undefined) return 'T_END';
    const names: Record<string, string> = { '{': 'T_OBJ_BEGIN', '}': 'T_OBJ_END', '[': 'T_ARR_BEGIN', ']': 'T_ARR_END', ':': 'T_COLON', ',': 'T_COMMA', '"': 'T_STRING' };
    if (names[c]) return names[c]!;
    if (/[-0-9]/.test(c)) return 'T_NUMBER';
    if (this.s.startsWith('true', this.pos) || this.s.startsWith('false', this.pos)) return 'T_BOOLEAN';
    if (this.s.startsWith('null', this.pos)) return 'T_NULL';
    return 'invalid token';
  }

  private fail(expected: string, found: string, at: number): never {
    return raiseError(this.L, `Expected ${expected} but found ${found} at character ${at + 1}`);
  }

  private value(depth: number, expected: string): void {
    const L = this.L;
    this.ws();
    const c = this.s[this.pos];
    const at = this.pos;
    if (c === '{' || c === '[') {
      if (depth + 1 > MAX_DEPTH) raiseError(L, `Found too many nested data structures (${depth + 1}) at character ${at + 1}`);
      lua.lua_checkstack(L, 3);
      lua.lua_newtable(L);
      this.pos++;
      return c === '{' ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (c === '"') {
      lua.lua_pushstring(L, luaString(this.string()));
      return;
    }
    for (const [word, push] of [
      ['true', () => lua.lua_pushboolean(L, true)],
      ['false', () => lua.lua_pushboolean(L, false)],
      ['null', () => lua.lua_pushlightuserdata(L, JSON_NULL)],
    ] as const) {
      if (this.s.startsWith(word, this.pos)) {
        this.pos += word.length;
        push();
        return;
      }
    }
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(this.s.slice(this.pos));
    if (m && m[0] !== '-' && m[0] !== '') {
      this.pos += m[0].length;
      lua.lua_pushnumber(L, Number(m[0]));
      return;
    }
    this.fail(expected, this.tokenName(), at);
  }

  private array(depth: number): void {
    const L = this.L;
    this.ws();
    if (this.s[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (let i = 1; ; i++) {
      this.value(depth, 'value');
      lua.lua_rawseti(L, -2, i);
      this.ws();
      const c = this.s[this.pos];
      if (c === ']') {
        this.pos++;
        return;
      }
      if (c !== ',') this.fail('comma or array end', this.tokenName(), this.pos);
      this.pos++;
    }
  }

  private object(depth: number): void {
    const L = this.L;
    this.ws();
    if (this.s[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.ws();
      if (this.s[this.pos] !== '"') this.fail('object key string', this.tokenName(), this.pos);
      lua.lua_pushstring(L, luaString(this.string()));
      this.ws();
      if (this.s[this.pos] !== ':') this.fail('colon', this.tokenName(), this.pos);
      this.pos++;
      this.value(depth, 'value');
      lua.lua_rawset(L, -3);
      this.ws();
      const c = this.s[this.pos];
      if (c === '}') {
        this.pos++;
        return;
      }
      if (c !== ',') this.fail('comma or object end', this.tokenName(), this.pos);
      this.pos++;
    }
  }

  /** A JSON string at pos (on the opening quote); \uXXXX pairs become UTF-8 text. */
  private string(): string {
    const start = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.s[this.pos];
      if (c === undefined) this.fail('value', 'unexpected end of string', start);
      this.pos++;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.pos++];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && simple[e] !== undefined) out += simple[e];
      else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.s.slice(this.pos, this.pos + 4))) {
        out += String.fromCharCode(parseInt(this.s.slice(this.pos, this.pos + 4), 16));
        this.pos += 4;
      } else this.fail('value', 'invalid escape code', start);
    }
  }
}
