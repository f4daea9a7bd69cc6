/**
 * EVAL / EVALSHA / SCRIPT on the data layer. Every expected reply was printed by a real
 * redis-server 7.0.15 on this machine (redis-cli, same command); the propagated ops by a
 * fake replica attached to it (PSYNC ? -1, then the stream read raw).
 */
import { describe, expect, test } from 'vitest';
import { makeCtx, run, EPOCH_MS } from '../../helpers/exec.js';
import { standaloneScriptingHost } from '../../../sim/redis/scripting/script-host.js';
import type { ExecContext } from '../../../sim/redis/commands/exec-context.js';

function scriptCtx(overrides: Partial<ExecContext> = {}): ExecContext {
  return makeCtx({ scripting: standaloneScriptingHost(), ...overrides });
}

describe('replies and error texts (real 7.0.15)', () => {
  const ctx = scriptCtx();
  const cases: Array<[string[], string]> = [
    [['EVAL', 'return 1', '0'], '(integer) 1'],
    [['EVAL', "return redis.call('set',KEYS[1],'v')", '1', 'a'], 'OK'],
    [['EVAL', "redis.call('set','b','1'); redis.call('incr','b'); return redis.call('get','b')", '0'], '"2"'],
    [['EVAL', 'return x', '0'], "(error) ERR user_script:1: Script attempted to access nonexistent global variable 'x' script: 03c387736bb5cc009ff35151572cee04677aa374, on @user_script:1."],
    [['EVAL', 'x = 5', '0'], '(error) ERR user_script:1: Attempt to modify a readonly table script: 818a330663e3c3e78469660421595218e5ab5c48, on @user_script:1.'],
    [['EVAL', "return redis.call('nosuch')", '0'], '(error) ERR Unknown Redis command called from script script: 206396248e12c6e742fd7296250433c8d7343b74, on @user_script:1.'],
    [['EVAL', "return redis.call('get')", '0'], '(error) ERR Wrong number of args calling Redis command from script script: f187dee77f607f7cff00bbabc9df38507582c78d, on @user_script:1.'],
    [['EVAL', "return redis.pcall('incr','a')", '0'], '(error) ERR value is not an integer or out of range'],
    [['EVAL', "return redis.call('incr','a')", '0'], '(error) ERR value is not an integer or out of range script: c9f3dee5d73c1008119b4067129338abc98620f3, on @user_script:1.'],
    [['EVAL', "return {1,2.5,'x',{ok='fine'},{err='bad'},nil,3}", '0'], '1) (integer) 1\n2) (integer) 2\n3) "x"\n4) fine\n5) (error) bad'],
    [['EVAL', "return {err='bad'}", '0'], '(error) bad'],
    [['EVAL', "return redis.error_reply('MY bad')", '0'], '(error) MY bad'],
    [['EVAL', "return redis.error_reply('bad')", '0'], '(error) ERR bad'],
    [['EVAL', "return redis.status_reply('FINE')", '0'], 'FINE'],
    [['EVAL', "return tostring(3.0) .. ' ' .. tostring(1/3) .. ' ' .. tostring(1e20) .. ' ' .. 10/2", '0'], '"3 0.33333333333333 1e+20 5"'],
    [['EVAL', "return tostring(0/0) .. ' ' .. tostring(123456789012345678) .. ' ' .. tostring(2^63) .. ' ' .. 7 % 2 .. ' ' .. 2^0.5", '0'], '"-nan 1.2345678901235e+17 9.2233720368548e+18 1 1.4142135623731"'],
    [['EVAL', "error('boom')", '0'], '(error) ERR user_script:1: boom script: 82903a0434f1503e152f89c03c9acd881a0e8150, on @user_script:1.'],
    [['EVAL', "error({err='X y'})", '0'], '(error) X y script: 4fba4bac04df521d52f90e9091a962514f12c323, on @user_script:1.'],
    [['EVAL', 'return 1 +', '0'], "(error) ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'"],
    [['EVALSHA', '0123456789012345678901234567890123456789', '0'], '(error) NOSCRIPT No matching script. Please use EVAL.'],
    [['EVALSHA', 'abc', '0'], '(error) NOSCRIPT No matching script. Please use EVAL.'],
    [['SCRIPT', 'LOAD', 'return 2'], '"7f923f79fe76194c868d7e1d0820de36700eb649"'],
    [['EVAL', "return redis.call('blpop','x','0')", '0'], '(error) ERR This Redis command is not allowed from script script: 5b370bbc114158cb2514842602b5f6f2cc535db2, on @user_script:1.'],
    [['EVAL', "return redis.call('eval','return 1','0')", '0'], '(error) ERR This Redis command is not allowed from script script: 1e5046f3a9119d3dc9cf5824428b6d9fedd305d2, on @user_script:1.'],
    [['EVAL_RO', "return redis.call('set','x','1')", '0'], '(error) ERR Write commands are not allowed from read-only scripts. script: 8b2ae6dd76cda7fc3e27f97431ae27d7b08a221d, on @user_script:1.'],
    [['EVAL_RO', "return redis.call('publish','x','1')", '0'], '(error) ERR Write commands are not allowed from read-only scripts. script: fcbb71a9929a1716cee6f64b8b50a82dac506720, on @user_script:1.'],
    [['EVAL', "return redis.pcall('set','x')", '0'], '(error) ERR Wrong number of args calling Redis command from script'],
    [['EVAL', "local r = redis.pcall('incr','a'); return type(r) .. ' ' .. tostring(r.err)", '0'], '"table ERR value is not an integer or out of range"'],
    [['EVAL', "local ok, e = pcall(function() redis.call('incr','a') end); return type(e) .. ' ' .. tostring(e)", '0'], '"string ERR value is not an integer or out of range"'],
    [['EVAL', "return redis.call('set','n', 1.5)", '0'], 'OK'],
    [['EVAL', "redis.call('set','n', 0.1); return redis.call('get','n')", '0'], '"0.10000000000000001"'],
    [['EVAL', "redis.call('set','n', 100); return redis.call('get','n')", '0'], '"100"'],
    [['EVAL', "redis.call('set','n', {})", '0'], '(error) ERR Lua redis lib command arguments must be strings or integers script: 6abbb32f8f37135bdd42c136469c2b62b25b8f0a, on @user_script:1.'],
    [['EVAL', "redis.call('set','n', true)", '0'], '(error) ERR Lua redis lib command arguments must be strings or integers script: 3c5751782b8cdc06b4f40194c80b3a5a5a202add, on @user_script:1.'],
    [['EVAL', 'return cjson.encode({a=1,b={1,2,3}})', '0'], '"{\\"a\\":1,\\"b\\":[1,2,3]}"'],
    [['EVAL', "return cjson.decode('[1,2,{\"x\":3}]')[3].x", '0'], '(integer) 3'],
    [['EVAL', 'return cjson.encode({1,2,nil,4})', '0'], '"[1,2,null,4]"'],
    [['EVAL', 'return cjson.encode({[1]=1,[5]=2})', '0'], '"[1,null,null,null,2]"'],
    [['EVAL', 'return cjson.encode({[1]=1,[20]=2})', '0'], '(error) ERR user_script:1: Cannot serialise table: excessively sparse array script: 17303987ac6a57263cac31c74212431dce49e99c, on @user_script:1.'],
    [['EVAL', 'return cjson.encode(0/0)', '0'], '(error) ERR user_script:1: Cannot serialise number: must not be NaN or Inf script: d3f8d4e745d6587b04e9dd216e0d4631f0a306d9, on @user_script:1.'],
    [['EVAL', "return cjson.decode('[1,2')", '0'], '(error) ERR user_script:1: Expected comma or array end but found T_END at character 5 script: c107001b5ba2ff860ee2557f64da37c4767ef4bd, on @user_script:1.'],
    [['EVAL', "return cjson.decode('')", '0'], '(error) ERR user_script:1: Expected value but found T_END at character 1 script: 7ff8cf86abed928f4d61a01dcc9713f0117b180a, on @user_script:1.'],
    [['EVAL', "return cjson.decode('{bad')", '0'], '(error) ERR user_script:1: Expected object key string but found invalid token at character 2 script: 30ef5270b6812bc00d57c0e3376f7ab6f31d9da0, on @user_script:1.'],
    [['EVAL', "return type(cjson.decode('null')) .. tostring(cjson.decode('null') == cjson.null)", '0'], '"userdatatrue"'],
    [['EVAL', 'return cjson.encode({[true]=1})', '0'], '(error) ERR user_script:1: Cannot serialise boolean: table key must be a number or string script: 376a640005c8509c694166527ca834359bf69aa8, on @user_script:1.'],
    [['EVAL', 'return cjson.encode(function() end)', '0'], '(error) ERR user_script:1: Cannot serialise function: type not supported script: c6600573aa08cdf0af5da6e0ef682db69a3acc00, on @user_script:1.'],
    [['EVAL', "return bit.band(7,3) .. ' ' .. bit.tohex(255)", '0'], '"3 000000ff"'],
    [['EVAL', 'return {bit.tobit(2^32+5), bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-1.5), bit.tohex(-1), bit.tohex(255, -4), bit.tohex(255,2), bit.bnot(0), bit.lshift(1,31), bit.rshift(-1,28), bit.arshift(-16,2), bit.rol(1,33), bit.bswap(0x12345678), bit.bor(1,2,4), bit.band(7)}', '0'],
      ' 1) (integer) 5\n 2) (integer) 2\n 3) (integer) 2\n 4) (integer) -2\n 5) "ffffffff"\n 6) "00FF"\n 7) "ff"\n 8) (integer) -1\n 9) (integer) -2147483648\n10) (integer) 15\n11) (integer) -4\n12) (integer) 2\n13) (integer) 2018915346\n14) (integer) 7\n15) (integer) 7'],
    [['EVAL', 'return bit.band()', '0'], "(error) ERR user_script:1: bad argument #1 to 'band' (number expected, got no value) script: 5cf53f885283a4f44a8fe7ad7e7fccaed4113e62, on @user_script:1."],
    [['EVAL', "return loadstring('return 5')()", '0'], '(integer) 5'],
    [['EVAL', 'return unpack({1,2})', '0'], '(integer) 1'],
    [['EVAL', 'return os', '0'], "(error) ERR user_script:1: Script attempted to access nonexistent global variable 'os' script: f03b5ad6e7d58786b6a5e879efbea4a4408f5c2f, on @user_script:1."],
    [['EVAL', 'return print', '0'], "(error) ERR user_script:1: Script attempted to access nonexistent global variable 'print' script: df4c752a7558004676bbee87e38b92e0b9056d68, on @user_script:1."],
    [['EVAL', 'return _VERSION', '0'], '"Lua 5.1"'],
    [['EVAL', "return redis.sha1hex('')", '0'], '"da39a3ee5e6b4b0d3255bfef95601890afd80709"'],
    [['EVAL', 'return {1.9, -1.9, 3}', '0'], '1) (integer) 1\n2) (integer) -1\n3) (integer) 3'],
    [['EVAL', 'return 2^53+1', '0'], '(integer) 9007199254740992'],
    [['EVAL', 'return 1e30', '0'], '(integer) -9223372036854775808'],
    [['EVAL', 'return true', '0'], '(integer) 1'],
    [['EVAL', 'return false', '0'], '(nil)'],
    [['EVAL', 'return nil', '0'], '(nil)'],
    [['EVAL', 'return {a=1}', '0'], '(empty array)'],
    [['EVAL', "return 'a' .. 1.5", '0'], '"a1.5"'],
    [['EVAL', "return #KEYS .. ' ' .. #ARGV", '2', 'a', 'b', 'c'], '"2 1"'],
    [['EVAL', "return tonumber('0x10') .. ' ' .. tostring(tonumber('  5  ')) .. ' ' .. tostring(tonumber('1e2'))", '0'], '"16 5 100"'],
    [['EVAL', "return redis.call('incrbyfloat', 'fl', 1.1)", '0'], '"1.1000000000000001"'],
    [['EVAL', '#!lua flags=no-writes\nreturn redis.call(\'set\',\'x\', 1)', '0'], '(error) ERR Write commands are not allowed from read-only scripts. script: b09ee26f74dee108ed9ccc5a605bce35e8619cac, on @user_script:2.'],
    [['EVAL', '#!lua flags=no-writes,bogus\nreturn 1', '0'], '(error) ERR Unexpected flag in script shebang: bogus'],
    [['EVAL', '#!lua xx\nreturn 1', '0'], '(error) ERR Unknown lua shebang option: xx'],
    [['EVAL', '#!lua', '0'], '(error) ERR Invalid script shebang'],
    [['EVAL', '#!perl\nreturn 1', '0'], '(error) ERR Unexpected engine in script shebang: #!perl'],
    [['EVAL_RO', '#!lua\nreturn 1', '0'], '(error) ERR Can not execute a script with write flag using *_ro command.'],
    [['SCRIPT', 'foo'], "(error) ERR unknown subcommand 'foo'. Try SCRIPT HELP."],
    [['SCRIPT', 'load'], "(error) ERR wrong number of arguments for 'script|load' command"],
    [['SCRIPT', 'flush', 'bad'], '(error) ERR SCRIPT FLUSH only support SYNC|ASYNC option'],
    [['EVAL', 'return 1', 'x'], '(error) ERR value is not an integer or out of range'],
    [['EVAL', 'return 1', '2', 'a'], "(error) ERR Number of keys can't be greater than number of args"],
    [['EVAL', 'return 1', '-1'], "(error) ERR Number of keys can't be negative"],
  ];
  test.each(cases)('%j', (argv, expected) => {
    expect(run(ctx, ...argv)).toBe(expected);
  });
});

describe('the script cache', () => {
  test('EVAL caches by SHA1; EVALSHA finds it in any case; SCRIPT FLUSH empties it', () => {
    const ctx = scriptCtx();
    expect(run(ctx, 'EVAL', 'return 2', '0')).toBe('(integer) 2');
    expect(run(ctx, 'SCRIPT', 'EXISTS', '7f923f79fe76194c868d7e1d0820de36700eb649', '7F923F79FE76194C868D7E1D0820DE36700EB649', 'ffff')).toBe('1) (integer) 1\n2) (integer) 1\n3) (integer) 0');
    expect(run(ctx, 'EVALSHA', '7F923F79FE76194C868D7E1D0820DE36700EB649', '0')).toBe('(integer) 2');
    expect(run(ctx, 'SCRIPT', 'FLUSH')).toBe('OK');
    expect(run(ctx, 'EVALSHA', '7f923f79fe76194c868d7e1d0820de36700eb649', '0')).toBe('(error) NOSCRIPT No matching script. Please use EVAL.');
  });

  test('math.random draws from one process-wide rand.c sequence, across scripts', () => {
    const ctx = scriptCtx();
    // A fresh real server answered 851401619 then 1804928588 to two such scripts
    // (rand.c's first two outputs + 1; see lrand48.test.ts).
    expect(run(ctx, 'EVAL', 'return math.random(2147483647)', '0')).toBe('(integer) 851401619');
    expect(run(ctx, 'EVAL', 'return math.random(2147483647)', '0')).toBe('(integer) 1804928588');
  });
});

describe('propagation: the effects, wrapped as propagatePendingCommands wraps them', () => {
  const opsAfter = (ctx: ExecContext, ...argv: string[]): string[][] => {
    ctx.ops.length = 0;
    run(ctx, ...argv);
    return ctx.ops.map((op) => [String(op.db), ...op.argv, ...(op.target !== undefined ? [`target=${op.target}`] : [])]);
  };

  test('one write: the command itself; several: each of them (the server wraps them in MULTI/EXEC)', () => {
    const ctx = scriptCtx();
    expect(opsAfter(ctx, 'EVAL', "return redis.call('set',KEYS[1],'v')", '1', 'a')).toEqual([['0', 'set', 'a', 'v']]);
    expect(opsAfter(ctx, 'EVAL', "redis.call('set','b','1'); redis.call('incr','b'); return redis.call('get','b')", '0')).toEqual([['0', 'set', 'b', '1'], ['0', 'incr', 'b']]);
    expect(opsAfter(ctx, 'EVAL', "return redis.call('get','b')", '0')).toEqual([]);
  });

  test('rewrites as for direct calls, all at the frozen script time', () => {
    const ctx = scriptCtx();
    const at = String(EPOCH_MS + 100_000);
    expect(opsAfter(ctx, 'EVAL', "redis.call('set','k','v','ex','100'); redis.call('expire','k','100'); redis.call('set','k2','v','keepttl'); return 1", '0')).toEqual([
      ['0', 'SET', 'k', 'v', 'PXAT', at],
      ['0', 'PEXPIREAT', 'k', at],
      ['0', 'set', 'k2', 'v', 'keepttl'],
    ]);
  });

  test('redis.set_repl: REPL_NONE drops, REPL_ALL restores', () => {
    const ctx = scriptCtx();
    expect(opsAfter(ctx, 'EVAL', "redis.set_repl(redis.REPL_NONE); redis.call('set','n','1'); redis.set_repl(redis.REPL_ALL); redis.call('set','n2','1')", '0')).toEqual([['0', 'set', 'n2', '1']]);
    expect(opsAfter(ctx, 'EVAL', "redis.set_repl(redis.REPL_AOF); redis.call('set','n','1')", '0')).toEqual([['0', 'set', 'n', '1', 'target=1']]);
    expect(run(ctx, 'EVAL', 'redis.set_repl(7)', '0')).toBe('(error) ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE. script: 0a6bcff5a0a4a12c4bcd2c7c1da53d5bbdc5d8e1, on @user_script:1.'.replace('0a6bcff5a0a4a12c4bcd2c7c1da53d5bbdc5d8e1', sha1Of('redis.set_repl(7)')));
  });

  test('an error stops the script; what ran before it stays and propagates', () => {
    const ctx = scriptCtx();
    run(ctx, 'SET', 'a', 'v');
    expect(opsAfter(ctx, 'EVAL', "redis.call('set','b','1'); redis.call('incr','a')", '0')).toEqual([['0', 'set', 'b', '1']]);
  });

  test("the script's SELECT moves its own writes, not the caller", () => {
    const ctx = scriptCtx();
    expect(opsAfter(ctx, 'EVAL', "redis.call('select','1'); redis.call('set','b','1'); redis.call('select','0'); redis.call('set','b','2')", '0')).toEqual([['1', 'set', 'b', '1'], ['0', 'set', 'b', '2']]);
    expect(opsAfter(ctx, 'EVAL', "redis.call('select','1'); redis.call('set','b','1');", '0')).toEqual([['1', 'set', 'b', '1']]);
    expect(ctx.db).toBe(0);
  });

  test('time is frozen: a key expiring during the script is seen by every call alike', () => {
    const ctx = scriptCtx();
    run(ctx, 'SET', 'k', 'v', 'PX', '1');
    ctx.nowMs = EPOCH_MS; // still alive at the script's start
    expect(run(ctx, 'EVAL', "local a = redis.call('get','k'); local b = redis.call('pttl','k'); return {a, b}", '0')).toBe('1) "v"\n2) (integer) 1');
  });
});

function sha1Of(s: string): string {
  const ctx = scriptCtx();
  return run(ctx, 'SCRIPT', 'LOAD', s).slice(1, -1);
}
