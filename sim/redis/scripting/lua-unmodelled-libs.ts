/**
 * `struct`, which Redis bundles, is not modelled yet: the table exists (a script that only
 * mentions it behaves as in Redis) but calling one of its functions raises an error naming
 * the gap, rather than producing bytes that differ from Redis's. KNOWN-DIFFERENCES lists it.
 */
import fengari, { type LuaState } from 'fengari';
import { luaString, raiseError, setFunction } from './lua-vm.js';

const { lua } = fengari;

const LIBS: Record<string, string[]> = {
  struct: ['pack', 'unpack', 'size'],
};

export function installUnmodelledLibs(L: LuaState): void {
  for (const [lib, functions] of Object.entries(LIBS)) {
    lua.lua_newtable(L);
    for (const fn of functions) setFunction(L, fn, (Ls) => raiseError(Ls, `${lib}.${fn} is not modelled by replsim (see KNOWN-DIFFERENCES)`));
    lua.lua_setglobal(L, luaString(lib));
  }
}
