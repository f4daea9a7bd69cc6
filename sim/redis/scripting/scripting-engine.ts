/**
 * The scripting state of one Redis process: the Lua interpreter (created on first use),
 * the EVAL script cache by SHA1 (lctx.lua_scripts), and redisLrand48's state. All of it
 * lives in memory only: a restart, SCRIPT FLUSH or a promotion does not bring scripts
 * back (SCRIPT LOAD is not propagated), so EVALSHA answers NOSCRIPT as in Redis.
 */
import type { LuaState } from 'fengari';
import { LuaVm } from './lua-vm.js';
import { installBit } from './lua-bit.js';
import { installCjson } from './lua-cjson.js';
import { installCmsgpack } from './lua-cmsgpack.js';
import { installStruct } from './lua-struct.js';
import { installRedisApi, type ScriptRun } from './redis-api.js';
import { Lrand48 } from './lrand48.js';
import type { ScriptExecution } from './lua-call.js';
import { FunctionEngine, type FunctionInfo, type LibraryInfo } from './function-engine.js';

/** A script's shebang flags (SCRIPT_FLAG_* in script.h). */
export interface ScriptFlags {
  /** No shebang: SCRIPT_FLAG_EVAL_COMPAT_MODE. */
  readonly compat: boolean;
  readonly noWrites: boolean;
  readonly allowOom: boolean;
  readonly allowStale: boolean;
  readonly noCluster: boolean;
  readonly allowCrossSlot: boolean;
}

export interface LuaScript {
  readonly body: string;
  readonly flags: ScriptFlags;
}

export class ScriptingEngine {
  private vmInstance: LuaVm | null = null;
  /** lctx.lua_scripts: sha1 (lower-case hex) -> script. */
  readonly scripts = new Map<string, LuaScript>();
  /** The script running now (curr_run_ctx), for redis.call & co. */
  current: ScriptRun | null = null;
  /** curr_run_ctx seen from outside: the script running, or suspended past busy-reply-threshold. */
  running: ScriptExecution | null = null;
  /** One per process; SCRIPT FLUSH does not reset it. */
  readonly rand = new Lrand48();
  // FUNCTION's state (the methods are in the FUNCTION part below).
  private functionEngine: FunctionEngine | null = null;
  /** The Keyspace.functions map the compiled libraries (loadedLibraries, functionsByName) stand for. */
  private compiledFor: ReadonlyMap<string, string> | null = null;
  readonly loadedLibraries = new Map<string, LibraryInfo>();
  readonly functionsByName = new Map<string, FunctionInfo>();

  get vm(): LuaVm {
    if (this.vmInstance === null) this.vmInstance = new LuaVm(this.libraries());
    return this.vmInstance;
  }

  private libraries() {
    return [installCjson, installBit, installCmsgpack, installStruct, (L: LuaState) => installRedisApi(L, () => this.current, () => this.rand)];
  }

  // ---- FUNCTION ---------------------------------------------------------------------------

  get functions(): FunctionEngine {
    this.functionEngine ??= new FunctionEngine(this.libraries());
    return this.functionEngine;
  }

  /**
   * Compiles the keyspace's libraries when they are not the set compiled last (a full
   * sync, a restart or the AOF replaced them; a replica applied FUNCTION LOAD).
   */
  syncFunctions(source: ReadonlyMap<string, string>): void {
    if (this.compiledFor === source) return;
    this.functionEngine = null;
    this.loadedLibraries.clear();
    this.functionsByName.clear();
    for (const [name, code] of source) {
      const nl = code.indexOf('\n');
      const lib = this.functions.create(name, code, nl < 0 ? '' : code.slice(nl));
      if (typeof lib === 'string') continue; // it loaded where it was written; cannot fail here
      this.adoptLibrary(lib);
    }
    this.compiledFor = source;
  }

  adoptLibrary(lib: LibraryInfo): void {
    this.loadedLibraries.set(lib.name, lib);
    for (const f of lib.functions) this.functionsByName.set(f.name, f);
  }

  dropLibrary(name: string): void {
    const lib = this.loadedLibraries.get(name);
    if (lib === undefined) return;
    this.loadedLibraries.delete(name);
    for (const f of lib.functions) this.functionsByName.delete(f.name);
    this.functions.dropFunctions(lib);
  }

  /** The keyspace now holds `source`, which matches the compiled libraries. */
  markCompiled(source: ReadonlyMap<string, string>): void {
    this.compiledFor = source;
  }

  /** scriptingReset: a new interpreter and an empty cache (SCRIPT FLUSH). */
  flush(): void {
    this.vmInstance = null;
    this.scripts.clear();
  }
}
