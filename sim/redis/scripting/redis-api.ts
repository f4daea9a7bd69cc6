/**
 * The `redis` table a script sees (script_lua.c luaRegisterRedisAPI at 7.0.15): call,
 * pcall, sha1hex, error_reply, status_reply, set_repl and REPL_*, setresp, log and LOG_*,
 * REDIS_VERSION(_NUM), acl_check_cmd, and eval.c's replicate_commands / breakpoint /
 * debug; plus the global pcall that hands back an error table's message (luaRedisPcall)
 * and math.random / math.randomseed on the process's redisLrand48.
 */
import fengari, { type LuaState } from 'fengari';
import type { Reply } from '../protocol/reply.js';
import { sha1, toHex } from '../protocol/sha1.js';
import { formatDouble17g } from '../protocol/double-text.js';
import { luaString, raiseError, setFunction, setNumber, toJs } from './lua-vm.js';
import { markErrorCounted, pushErrorTable, pushReply } from './lua-reply.js';
import { LRAND48_MAX, type Lrand48 } from './lrand48.js';

const { lua, lauxlib } = fengari;

/** PROPAGATE_AOF and PROPAGATE_REPL (server.h). */
export const PROPAGATE_AOF = 1;
export const PROPAGATE_REPL = 2;

/** What the running script can ask of the server (scriptRunCtx). */
export interface ScriptRun {
  /** redis.call / redis.pcall made so far (each costs the cost model's luaCallNs of script time). */
  readonly calls: number;
  /** SCRIPT_WRITE_DIRTY: a write ran (SCRIPT KILL then answers -UNKILLABLE). */
  readonly writeDirty: boolean;
  /** scriptCall: the command's reply, or the text of the gate that refused it. */
  call(argv: string[]): Reply | { rejected: string };
  setRepl(flags: number): void;
  setResp(resp: number): void;
  /** acl_check_cmd: whether argv names a command (there are no ACL users in the model). */
  commandExists(argv: string[]): boolean;
}

/** The Redis version the model answers as (REDIS_VERSION, REDIS_VERSION_NUM). */
const REDIS_VERSION = '7.0.15';
const REDIS_VERSION_NUM = 0x00070f;

/** Pushes an error table and raises it (luaPushError + luaError). */
function raiseTable(L: LuaState, text: string): never {
  pushErrorTable(L, text);
  lua.lua_error(L);
  throw new Error('unreachable');
}

/** luaArgsToRedisArgv: numbers as "%.17g", strings as they are; anything else refused. */
function argvOf(L: LuaState): string[] | string {
  const argc = lua.lua_gettop(L);
  if (argc === 0) return 'Please specify at least one argument for this redis lib call';
  const argv: string[] = new Array(argc);
  for (let j = 1; j <= argc; j++) {
    const t = lua.lua_type(L, j);
    if (t === lua.LUA_TNUMBER) argv[j - 1] = formatDouble17g(lua.lua_tonumber(L, j));
    else if (t === lua.LUA_TSTRING) argv[j - 1] = toJs(L, j)!;
    else {
      lua.lua_settop(L, 0);
      return 'Lua redis lib command arguments must be strings or integers';
    }
  }
  lua.lua_settop(L, 0);
  return argv;
}

export function installRedisApi(L: LuaState, currentRun: () => ScriptRun | null, rand: () => Lrand48): void {
  const generic = (raise: boolean) => (Ls: LuaState): number => {
    const run = currentRun();
    if (run === null) return raiseTable(Ls, 'redis.call/pcall can only be called inside a script invocation');
    const argv = argvOf(Ls);
    if (typeof argv === 'string') {
      pushErrorTable(Ls, argv);
      if (raise) lua.lua_error(Ls);
      return 1;
    }
    const r = run.call(argv);
    if ('rejected' in r) {
      pushErrorTable(Ls, r.rejected);
      markErrorCounted(Ls);
      if (raise) lua.lua_error(Ls);
      return 1;
    }
    pushReply(Ls, r);
    if (raise && r.type === 'error') lua.lua_error(Ls);
    return 1;
  };

  // luaRedisPcall: Lua's pcall, but an error table comes back as its message. Called with a
  // continuation (lua_pcallk, as Lua 5.3's own pcall), so a script can yield inside it when
  // it runs past busy-reply-threshold (lua-call.ts).
  lua.lua_pushcfunction(L, (Ls: LuaState) => {
    lua.lua_pushboolean(Ls, true);
    lua.lua_insert(Ls, 1);
    const status = lua.lua_pcallk(Ls, lua.lua_gettop(Ls) - 2, lua.LUA_MULTRET, 0, 0, finishPcall);
    return finishPcall(Ls, status, 0);
  });
  lua.lua_setglobal(L, luaString('pcall'));
  // luaB_xpcall, replaced only for the allowhook repair below (scripts and lua-call.ts's
  // top-level call use it).
  lua.lua_pushcfunction(L, (Ls: LuaState) => {
    const n = lua.lua_gettop(Ls);
    lauxlib.luaL_checktype(Ls, 2, lua.LUA_TFUNCTION);
    lua.lua_pushboolean(Ls, true);
    lua.lua_pushvalue(Ls, 1);
    lua.lua_rotate(Ls, 3, 2);
    const status = lua.lua_pcallk(Ls, n - 2, lua.LUA_MULTRET, 2, 2, finishXpcall);
    return finishXpcall(Ls, status, 2);
  });
  lua.lua_setglobal(L, luaString('xpcall'));

  lua.lua_newtable(L);
  setFunction(L, 'call', generic(true));
  setFunction(L, 'pcall', generic(false));
  setFunction(L, 'log', (Ls) => {
    const argc = lua.lua_gettop(Ls);
    if (argc < 2) return raiseTable(Ls, 'redis.log() requires two arguments or more.');
    if (!lua.lua_isnumber(Ls, -argc)) return raiseTable(Ls, 'First argument must be a number (log level).');
    const level = Math.trunc(lua.lua_tonumber(Ls, -argc));
    if (level < 0 || level > 3) return raiseTable(Ls, 'Invalid debug level.');
    return 0; // the model keeps no log file
  });
  setNumber(L, 'LOG_DEBUG', 0);
  setNumber(L, 'LOG_VERBOSE', 1);
  setNumber(L, 'LOG_NOTICE', 2);
  setNumber(L, 'LOG_WARNING', 3);
  setNumber(L, 'REDIS_VERSION_NUM', REDIS_VERSION_NUM);
  lua.lua_pushstring(L, luaString(REDIS_VERSION));
  lua.lua_setfield(L, -2, luaString('REDIS_VERSION'));
  setFunction(L, 'setresp', (Ls) => {
    const run = currentRun();
    if (run === null) return raiseTable(Ls, 'redis.setresp can only be called inside a script invocation');
    if (lua.lua_gettop(Ls) !== 1) return raiseTable(Ls, 'redis.setresp() requires one argument.');
    const resp = Math.trunc(lua.lua_tonumber(Ls, 1));
    if (resp !== 2 && resp !== 3) return raiseTable(Ls, 'RESP version must be 2 or 3.');
    run.setResp(resp);
    return 0;
  });
  setFunction(L, 'sha1hex', (Ls) => {
    if (lua.lua_gettop(Ls) !== 1) return raiseTable(Ls, 'wrong number of arguments');
    const b: Uint8Array | null = lua.lua_tolstring(Ls, 1);
    lua.lua_pushstring(Ls, luaString(toHex(sha1(b ?? new Uint8Array(0)))));
    return 1;
  });
  setFunction(L, 'error_reply', (Ls) => {
    if (lua.lua_gettop(Ls) !== 1 || lua.lua_type(Ls, -1) !== lua.LUA_TSTRING) {
      pushErrorTable(Ls, 'wrong number or type of arguments');
      return 1;
    }
    const e = toJs(Ls, -1)!;
    pushErrorTable(Ls, e.startsWith('-') ? e : `-${e}`);
    return 1;
  });
  setFunction(L, 'status_reply', (Ls) => {
    if (lua.lua_gettop(Ls) !== 1 || lua.lua_type(Ls, -1) !== lua.LUA_TSTRING) {
      pushErrorTable(Ls, 'wrong number or type of arguments');
      return 1;
    }
    lua.lua_newtable(Ls);
    lua.lua_pushvalue(Ls, -2);
    lua.lua_setfield(Ls, -2, luaString('ok'));
    return 1;
  });
  setFunction(L, 'set_repl', (Ls) => {
    const run = currentRun();
    if (run === null) return raiseTable(Ls, 'redis.set_repl can only be called inside a script invocation');
    if (lua.lua_gettop(Ls) !== 1) return raiseTable(Ls, 'redis.set_repl() requires two arguments.');
    const flags = Math.trunc(lua.lua_tonumber(Ls, -1));
    if ((flags & ~(PROPAGATE_AOF | PROPAGATE_REPL)) !== 0) {
      return raiseTable(Ls, 'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.');
    }
    run.setRepl(flags);
    return 0;
  });
  setNumber(L, 'REPL_NONE', 0);
  setNumber(L, 'REPL_AOF', PROPAGATE_AOF);
  setNumber(L, 'REPL_SLAVE', PROPAGATE_REPL);
  setNumber(L, 'REPL_REPLICA', PROPAGATE_REPL);
  setNumber(L, 'REPL_ALL', PROPAGATE_AOF | PROPAGATE_REPL);
  setFunction(L, 'acl_check_cmd', (Ls) => {
    const run = currentRun();
    if (run === null) return raiseTable(Ls, 'redis.acl_check_cmd can only be called inside a script invocation');
    const argv = argvOf(Ls);
    if (typeof argv === 'string') return raiseTable(Ls, argv);
    if (!run.commandExists(argv)) return raiseTable(Ls, 'Invalid command passed to redis.acl_check_cmd()');
    lua.lua_pushboolean(Ls, true); // the default user may run everything
    return 1;
  });
  // Effects replication is the only mode in 7.0: replicate_commands says so and does nothing.
  setFunction(L, 'replicate_commands', (Ls) => {
    lua.lua_pushboolean(Ls, true);
    return 1;
  });
  // The debugger (SCRIPT DEBUG) is not modelled; outside it these do nothing, as in Redis.
  setFunction(L, 'breakpoint', (Ls) => {
    lua.lua_pushboolean(Ls, false);
    return 1;
  });
  setFunction(L, 'debug', () => 0);
  lua.lua_setglobal(L, luaString('redis'));

  // math.random / math.randomseed (redis_math_random): Lua 5.1's, on redisLrand48.
  lua.lua_getglobal(L, luaString('math'));
  setFunction(L, 'random', (Ls) => {
    if (currentRun() === null) return raiseError(Ls, 'math.random can only be called inside a script invocation');
    const r = (rand().next() % LRAND48_MAX) / LRAND48_MAX;
    switch (lua.lua_gettop(Ls)) {
      case 0:
        lua.lua_pushnumber(Ls, r);
        return 1;
      case 1: {
        const u = checkInt(Ls, 1);
        if (!(1 <= u)) lauxlib.luaL_argerror(Ls, 1, luaString('interval is empty'));
        lua.lua_pushnumber(Ls, Math.floor(r * u) + 1);
        return 1;
      }
      case 2: {
        const l = checkInt(Ls, 1);
        const u = checkInt(Ls, 2);
        if (!(l <= u)) lauxlib.luaL_argerror(Ls, 2, luaString('interval is empty'));
        lua.lua_pushnumber(Ls, Math.floor(r * (u - l + 1)) + l);
        return 1;
      }
      default:
        return raiseError(Ls, 'wrong number of arguments');
    }
  });
  setFunction(L, 'randomseed', (Ls) => {
    if (currentRun() === null) return raiseError(Ls, 'math.randomseed can only be called inside a script invocation');
    rand().seed(checkInt(Ls, 1));
    return 0;
  });
  lua.lua_pop(L, 1);
}

/** luaL_checkint (5.1): a number, truncated to an int. */
function checkInt(L: LuaState, arg: number): number {
  return Math.trunc(lauxlib.luaL_checknumber(L, arg)) | 0;
}

/**
 * finishpcall (lbaselib.c) as luaRedisPcall ends: on error the placeholder goes, an error
 * table with an `err` string is replaced by it (one without keeps the table and a nil, as
 * Redis leaves them), and false goes first; otherwise true and the results.
 */
function finishPcall(L: LuaState, status: number, extra: number): number {
  if (status !== lua.LUA_OK && status !== lua.LUA_YIELD) {
    allowHooks(L);
    lua.lua_remove(L, 1);
    if (lua.lua_istable(L, -1)) {
      lua.lua_getfield(L, -1, luaString('err'));
      if (lua.lua_isstring(L, -1)) lua.lua_replace(L, -2);
    }
    lua.lua_pushboolean(L, false);
    lua.lua_insert(L, 1);
  }
  return lua.lua_gettop(L) - extra;
}

/** finishpcall (lbaselib.c) for xpcall: false and the handler's result, or true and the results. */
function finishXpcall(L: LuaState, status: number, extra: number): number {
  if (status !== lua.LUA_OK && status !== lua.LUA_YIELD) {
    allowHooks(L);
    lua.lua_pushboolean(L, false);
    lua.lua_pushvalue(L, -2);
    return 2;
  }
  return lua.lua_gettop(L) - extra;
}

/**
 * fengari 0.1.5's lua_pcallk never records allowhook in the frame (`callstatus &= ~CIST_OAH
 * | allowhook` cannot set the bit), so an error caught after the script yielded inside a
 * pcall comes back with hooks off: the count hook, and SCRIPT KILL's, would never run
 * again. A continuation runs outside any hook: hooks are allowed there.
 */
function allowHooks(L: LuaState): void {
  (L as unknown as { allowhook: number }).allowhook = 1;
}
