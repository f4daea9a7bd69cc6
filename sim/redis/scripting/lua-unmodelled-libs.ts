/**
 * `struct` and `cmsgpack`, which Redis bundles, are not modelled yet: the tables exist (a
 * script that only mentions them behaves as in Redis) but calling one of their functions
 * raises an error naming the gap, rather than producing bytes that differ from Redis's.
 * KNOWN-DIFFERENCES lists them.
 */
import fengari, { type LuaState } from 'fengari';
import { luaString, raiseError, setFunction } from './lua-vm.js';

const { lua } = fengari;

const LIBS: Record<string, string[]> = {
  struct: ['pack', 'unpack', 'size'],
  cmsgpack: ['pack', 'unpack', 'unpack_one', 'unpack_limit'],
};

export function installUnmodelledLibs(L: LuaState): void {
  for (const [lib, functions] of Object.entries(LIBS)) {
    lua.lua_newtable(L);
    for (const fn of functions) setFunction(L, fn, (Ls) => raiseError(Ls, `${lib}.${fn} is not modelled by replsim (see KNOWN-DIFFERENCES)`));
    lua.lua_setglobal(L, luaString(lib));
  }
}
