/**
 * FUNCTION / FCALL on the data layer. Expected replies and propagated commands were
 * printed by a real redis-server 7.0.15 on this machine (redis-cli; a fake replica reading
 * the master's stream).
 */
import { describe, expect, test } from 'vitest';
import { exec, makeCtx, run } from '../../helpers/exec.js';
import type { Reply } from '../../../sim/redis/protocol/reply.js';
import { standaloneScriptingHost } from '../../../sim/redis/scripting/script-host.js';
import type { ExecContext } from '../../../sim/redis/commands/exec-context.js';

const LIB2 = "#!lua name=lib2\nredis.register_function('f2', function(keys, args) redis.call('set', keys[1], args[1]); return redis.call('incr', 'cnt') end)";
const LIB3 = "#!LUA name=lib3\nredis.register_function('f3', function(keys, args) return string.len(args[1]) end)";
const LIBG = "#!lua name=ab\nredis.register_function{function_name='g', callback=function() return 1 end, flags={'NO-WRITES', 'allow-stale'}, description='d'}";

function leaves(r: Reply): string[] {
  if (r.type === 'array') return (r.items ?? []).flatMap(leaves);
  if (r.type === 'bulk') return [r.value ?? ''];
  if (r.type === 'status' || r.type === 'error') return [r.text];
  return [String(r.value)];
}

function ctxWithHost(): ExecContext {
  return makeCtx({ scripting: standaloneScriptingHost() });
}

function ops(ctx: ExecContext, ...argv: string[]): { reply: string; ops: string[][] } {
  ctx.ops.length = 0;
  const reply = run(ctx, ...argv);
  return { reply, ops: ctx.ops.map((o) => o.argv) };
}

describe('FUNCTION LOAD and FCALL (real 7.0.15)', () => {
  test('load, call, delete, flush: replies and what propagates', () => {
    const ctx = ctxWithHost();
    expect(ops(ctx, 'FUNCTION', 'LOAD', LIB2)).toEqual({ reply: '"lib2"', ops: [['FUNCTION', 'LOAD', LIB2]] });
    expect(ops(ctx, 'FCALL', 'f2', '1', 'k', 'v')).toEqual({ reply: '(integer) 1', ops: [['set', 'k', 'v'], ['incr', 'cnt']] });
    expect(ops(ctx, 'FUNCTION', 'DELETE', 'lib2')).toEqual({ reply: 'OK', ops: [['FUNCTION', 'DELETE', 'lib2']] });
    expect(run(ctx, 'FCALL', 'f2', '1', 'k', 'v')).toBe('(error) ERR Function not found');
    expect(ops(ctx, 'FUNCTION', 'FLUSH', 'async')).toEqual({ reply: 'OK', ops: [['FUNCTION', 'FLUSH', 'async']] });
    expect(run(ctx, 'FUNCTION', 'LOAD', LIB3)).toBe('"lib3"');
    expect(run(ctx, 'FCALL', 'f3', '0', 'abc')).toBe('(integer) 3');
  });

  const errors: Array<[string, string]> = [
    ["#!lua name=lib4\nlocal x = string.len('a')\nredis.register_function('f4', function() return 1 end)", "(error) ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'string'"],
    ['#!lua name=lib4 name=x\n', '(error) ERR Invalid metadata value, name argument was given multiple times'],
    ['#!lua name=lib4 foo=bar\n', '(error) ERR Invalid metadata value given: foo=bar'],
    ['#!lua name=a-b\n', '(error) ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long'],
    ['#!py name=ab\n', "(error) ERR Engine 'py' not found"],
    ['#!lua name=ab\nreturn 1 +', "(error) ERR Error compiling function: user_function:2: unexpected symbol near '<eof>'"],
    ["#!lua name=ab\nredis.register_function('f3', function() return 1 end)", '(error) ERR Function f3 already exists'],
    ["#!lua name=ab\nredis.register_function('x-y', function() return 1 end)", '(error) ERR Error registering functions: ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long'],
    ["#!lua name=ab\nredis.register_function{function_name='g', callback=function() return 1 end, flags={'bogus'}}", '(error) ERR Error registering functions: ERR unknown flag given'],
    ["#!lua name=ac\nredis.register_function('h', function() return redis.call('set','x','1') end)\nredis.register_function('h', function() return 1 end)", '(error) ERR Error registering functions: ERR Function already exists in the library'],
    ['#!lua name=ad\nx = 1', '(error) ERR Error registering functions: ERR user_function:2: Attempt to modify a readonly table'],
    ['return 1', '(error) ERR Missing library metadata'],
    ['#!lua\nreturn 1', '(error) ERR Library name was not given'],
    ['#!lua name=x\nreturn 1', '(error) ERR No functions registered'],
    ["#!lua name=x\nredis.call('set','a','b')", "(error) ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'call'"],
    ["#!lua name=x\nredis.register_function('f', 5)", '(error) ERR Error registering functions: ERR second argument to redis.register_function must be a function'],
    ["#!lua name=lib3\nredis.register_function('zz', function() return 1 end)", "(error) ERR Library 'lib3' already exists"],
  ];
  test.each(errors)('FUNCTION LOAD %j', (code, expected) => {
    const ctx = ctxWithHost();
    run(ctx, 'FUNCTION', 'LOAD', LIB3);
    ctx.ops.length = 0;
    expect(run(ctx, 'FUNCTION', 'LOAD', code)).toBe(expected);
    expect(ctx.ops).toEqual([]);
    expect(run(ctx, 'FCALL', 'f3', '0', 'abcd')).toBe('(integer) 4'); // a failed load leaves the others alone
  });

  test('named registration: flags, description, LIST; no-writes allows FCALL_RO; write functions do not', () => {
    const ctx = ctxWithHost();
    expect(run(ctx, 'FUNCTION', 'LOAD', LIBG)).toBe('"ab"');
    // redis-cli (not a tty) printed the reply's leaves in order; the nesting is functionListCommand's.
    const list = exec(ctx, 'FUNCTION', 'LIST', 'libraryname', 'a*');
    expect(leaves(list)).toEqual(['library_name', 'ab', 'engine', 'LUA', 'functions', 'name', 'g', 'description', 'd', 'flags', 'no-writes', 'allow-stale']);
    expect(list.type === 'array' && list.items?.length).toBe(1);
    expect(run(ctx, 'FCALL_RO', 'g', '0')).toBe('(integer) 1');
    run(ctx, 'FUNCTION', 'LOAD', LIB2);
    expect(run(ctx, 'FCALL_RO', 'f2', '1', 'k', 'v')).toBe('(error) ERR Can not execute a script with write flag using *_ro command.');
    expect(run(ctx, 'FCALL', 'f2', 'x')).toBe('(error) ERR Bad number of keys provided');
    expect(run(ctx, 'FCALL', 'f2', '2', 'a')).toBe("(error) ERR Number of keys can't be greater than number of args");
    expect(run(ctx, 'FCALL', 'nosuch', '0')).toBe('(error) ERR Function not found');
    expect(run(ctx, 'FUNCTION', 'DELETE', 'nosuch')).toBe('(error) ERR Library not found');
  });

  test('an error inside a function names the function and its line', () => {
    const ctx = ctxWithHost();
    run(ctx, 'FUNCTION', 'LOAD', "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return redis.call('set', keys[1], args[1]) end)");
    expect(run(ctx, 'FCALL', 'myfunc', '1', 'k')).toBe('(error) ERR Lua redis lib command arguments must be strings or integers script: myfunc, on @user_function:2.');
  });

  test('libraries live in the keyspace: FLUSHALL keeps them, a loaded snapshot brings them, a bare context stores them', () => {
    const ctx = ctxWithHost();
    run(ctx, 'FUNCTION', 'LOAD', LIB3);
    run(ctx, 'FLUSHALL');
    expect(run(ctx, 'FCALL', 'f3', '0', 'ab')).toBe('(integer) 2');
    // A replica's stream applier or the AOF replay: no scripting host, the library is stored.
    const bare = makeCtx();
    run(bare, 'FUNCTION', 'LOAD', LIB3);
    expect([...bare.keyspace.functions.keys()]).toEqual(['lib3']);
    const other = makeCtx({ scripting: standaloneScriptingHost(), keyspace: bare.keyspace });
    expect(run(other, 'FCALL', 'f3', '0', 'abc')).toBe('(integer) 3');
    const snap = bare.keyspace.snapshot();
    const copy = makeCtx({ scripting: standaloneScriptingHost() });
    copy.keyspace.load(snap);
    snap.release();
    expect(run(copy, 'FCALL', 'f3', '0', 'abcde')).toBe('(integer) 5');
  });
});
