/**
 * Scripts run against real redis-server 7.0.15 with redis-cli EVAL, their reply lines as
 * redis-cli printed them, checked in replsim: a hex helper H in front of each script makes
 * binary output compare as text (lua-struct and lua-cmsgpack tests).
 */
import { describe, expect, test } from 'vitest';
import { exec, makeCtx } from './exec.js';
import { standaloneScriptingHost } from '../../sim/redis/scripting/script-host.js';
import type { Reply } from '../../sim/redis/protocol/reply.js';

const H = "local function H(s) return (s:gsub('.', function(c) return string.format('%02x', string.byte(c)) end)) end ";

/** redis-cli's lines for a reply (no nesting in these cases). */
function lines(r: Reply): string[] {
  switch (r.type) {
    case 'array':
      return (r.items ?? []).flatMap(lines);
    case 'bulk':
      return r.value === null ? [''] : [r.value];
    case 'int':
      return [String(r.text ?? r.value)];
    case 'status':
    case 'error':
      return [r.text];
    default:
      return [JSON.stringify(r)];
  }
}

/** The error's position suffix names the script's SHA1, which the H prefix changes. */
const unplaced = (l: string): string => l.replace(/ script: [0-9a-f]{40}, on @user_script:1\.$/, '');

/** One test per [script, expected lines]: the script (H defined) gives those lines. */
export function describeLuaHexCases(title: string, cases: ReadonlyArray<[string, string[]]>): void {
  describe(title, () => {
    for (const [script, expected] of cases) {
      test(script.slice(0, 90), () => {
        const ctx = makeCtx({ scripting: standaloneScriptingHost() });
        expect(lines(exec(ctx, 'EVAL', H + script, '0')).map(unplaced)).toEqual(expected.map(unplaced));
      });
    }
  });
}
