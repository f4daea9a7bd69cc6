/**
 * The instruction budget of lua-call.ts: a script that never returns where it cannot be
 * suspended (here a host with no event loop, as busy-reply-threshold 0: Redis installs no
 * hook and would never serve anyone again) stops the run loudly instead of hanging the
 * simulator, even when it catches errors with pcall; an ordinary script is untouched.
 * (Suspendable busy scripts: test/redis/busy-script.test.ts.)
 */
import { describe, expect, test } from 'vitest';
import { makeCtx, run } from '../../helpers/exec.js';
import { standaloneScriptingHost } from '../../../sim/redis/scripting/script-host.js';

describe('the instruction budget', () => {
  test('a loop that never ends, even behind pcall, throws ScriptBudgetExceeded; the VM serves the next script', () => {
    const ctx = makeCtx({ scripting: standaloneScriptingHost() });
    expect(() => run(ctx, 'EVAL', 'while true do pcall(function() while true do end end) end', '0')).toThrow(/ran past 100000000 Lua instructions where it cannot be suspended/);
    expect(run(ctx, 'EVAL', 'local n = 0 for i = 1, 1000 do n = n + i end return n', '0')).toBe('(integer) 500500');
  }, 60_000);
});
