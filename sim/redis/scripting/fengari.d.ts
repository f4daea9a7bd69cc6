/**
 * The slice of fengari (Lua 5.3 in JavaScript, npm "fengari" 0.1.5) the scripting layer
 * uses. fengari ships no types; its API mirrors the Lua C API, with Lua strings as
 * Uint8Array and a "C function" being a JS function of the state.
 */
declare module 'fengari' {
  export type LuaState = { readonly __luaState: unique symbol };
  export type LuaString = Uint8Array;
  export type JsFunction = (L: LuaState) => number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Api = Record<string, any>;
  const fengari: {
    lua: Api;
    lauxlib: Api;
    lualib: Api;
    to_luastring(s: string, cache?: boolean): LuaString;
    to_jsstring(b: LuaString, from?: number, to?: number, replacementChar?: boolean): string;
  };
  export default fengari;
}

declare module 'fengari/src/lobject.js' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const lobject: Record<string, any>;
  export default lobject;
}

declare module 'fengari/src/lstring.js' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const lstring: Record<string, any>;
  export default lstring;
}
