/**
 * The scripting state of one Redis process: the Lua interpreter (created on first use),
 * the EVAL script cache by SHA1 (lctx.lua_scripts), and redisLrand48's state. All of it
 * lives in memory only: a restart, SCRIPT FLUSH or a promotion does not bring scripts
 * back (SCRIPT LOAD is not propagated), so EVALSHA answers NOSCRIPT as in Redis.
 */
import { LuaVm } from './lua-vm.js';
import { installBit } from './lua-bit.js';
import { installCjson } from './lua-cjson.js';
import { installUnmodelledLibs } from './lua-unmodelled-libs.js';
import { installRedisApi, type ScriptRun } from './redis-api.js';
import { Lrand48 } from './lrand48.js';

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
  /** One per process; SCRIPT FLUSH does not reset it. */
  readonly rand = new Lrand48();

  get vm(): LuaVm {
    if (this.vmInstance === null) {
      this.vmInstance = new LuaVm([
        installCjson,
        installBit,
        installUnmodelledLibs,
        (L) => installRedisApi(L, () => this.current, () => this.rand),
      ]);
    }
    return this.vmInstance;
  }

  /** scriptingReset: a new interpreter and an empty cache (SCRIPT FLUSH). */
  flush(): void {
    this.vmInstance = null;
    this.scripts.clear();
  }
}
