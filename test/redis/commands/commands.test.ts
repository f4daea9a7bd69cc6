/**
 * Replies and error texts of the data commands. Every expected reply marked "real" was
 * produced by a redis-server 7.0.15 on this machine (raw RESP over a socket) for the same
 * command sequence.
 */
import { describe, expect, test } from 'vitest';
import { makeCtx, run, exec, EPOCH_MS } from '../../helpers/exec.js';
import { lookupCommand, lookupCommandByArgv, checkCommand, allCommands, isKeyspaceCommand, ServerCommandError } from '../../../sim/redis/commands/commands.js';

describe('unknown commands and arity (real 7.0.15 texts)', () => {
  test('unknown command lists the first arguments, quoted, with a trailing space', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'FOO', 'a', 'b')).toBe("(error) ERR unknown command 'FOO', with args beginning with: 'a' 'b' ");
    expect(run(ctx, 'foo')).toBe("(error) ERR unknown command 'foo', with args beginning with: ");
  });
  test('arguments are cut at 128 characters and newlines become spaces', () => {
    const long = 'x'.repeat(200);
    const r = checkCommand(['nope', long, 'y'])!;
    expect(r.type === 'error' && r.text).toBe(`ERR unknown command 'nope', with args beginning with: '${'x'.repeat(128)}' `);
    const nl = checkCommand(['a\r\nb'])!;
    expect(nl.type === 'error' && nl.text).toBe("ERR unknown command 'a  b', with args beginning with: ");
  });
  test('wrong number of arguments uses the fullname', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'set', 'k')).toBe("(error) ERR wrong number of arguments for 'set' command");
    expect(run(ctx, 'ECHO')).toBe("(error) ERR wrong number of arguments for 'echo' command");
    expect(run(ctx, 'ping', 'a', 'b')).toBe("(error) ERR wrong number of arguments for 'ping' command");
    expect(run(ctx, 'mset', 'a')).toBe("(error) ERR wrong number of arguments for 'mset' command");
    expect(run(ctx, 'mset', 'a', '1', 'b')).toBe("(error) ERR wrong number of arguments for 'mset' command");
    const sub = checkCommand(['config', 'get'])!;
    expect(sub.type === 'error' && sub.text).toBe("ERR wrong number of arguments for 'config|get' command");
  });
  test('unknown subcommand of a container', () => {
    const r = checkCommand(['CONFIG', 'foo'])!;
    expect(r.type === 'error' && r.text).toBe("ERR unknown subcommand 'foo'. Try CONFIG HELP.");
    expect(checkCommand(['config', 'GET', 'maxmemory'])).toBeNull();
  });
});

describe('command table', () => {
  test('lookup is case-insensitive and flags match commands.c at 7.0.15', () => {
    expect(lookupCommand('SeT')).toBe(lookupCommand('set'));
    const set = lookupCommand('set')!;
    expect(set.arity).toBe(-3);
    expect(set.flags).toMatchObject({ write: true, readonly: false, denyOom: true, stale: false, loading: false });
    expect(lookupCommand('get')!.flags).toMatchObject({ readonly: true, fast: true, stale: false, loading: false });
    // replica-serve-stale-data no: PING is NOT allowed, INFO/REPLICAOF/SELECT/PUBLISH are.
    expect(lookupCommand('ping')!.flags.stale).toBe(false);
    for (const name of ['info', 'replicaof', 'slaveof', 'select', 'publish', 'echo', 'multi', 'exec', 'config', 'debug', 'role', 'shutdown', 'replconf', 'failover', 'auth', 'hello']) {
      const spec = lookupCommandByArgv(name === 'config' ? ['config', 'get', 'x'] : [name])!;
      expect(spec.flags.stale, name).toBe(true);
    }
    // Loading: INFO yes, PING/GET no.
    expect(lookupCommand('info')!.flags.loading).toBe(true);
    expect(lookupCommand('ping')!.flags.loading).toBe(false);
    expect(lookupCommand('replicaof')!.flags).toMatchObject({ noAsyncLoading: true, admin: true, stale: true });
    expect(lookupCommand('publish')!.flags).toMatchObject({ pubsub: true, mayReplicate: true, loading: true, stale: true });
    expect(lookupCommand('flushall')!.flags.write).toBe(true);
    expect(lookupCommand('randomkey')!.flags.touchesArbitraryKeys).toBe(true);
    expect(lookupCommand('wait')!.arity).toBe(3);
    expect(lookupCommand('shutdown')!.flags.noMulti).toBe(true);
    expect(lookupCommandByArgv(['client', 'kill', 'x'])!.fullname).toBe('client|kill');
  });
  test('every keyspace command has a handler; server commands throw ServerCommandError', () => {
    const ctx = makeCtx();
    for (const spec of allCommands()) {
      if (spec.executor === 'server') {
        expect(isKeyspaceCommand([spec.name]), spec.name).toBe(false);
        if (!spec.subcommands) expect(() => exec(ctx, spec.name), spec.name).toThrow(ServerCommandError);
      } else expect(isKeyspaceCommand([spec.name, 'populate']), spec.name).toBe(true);
    }
    expect(() => exec(ctx, 'MULTI')).toThrow(ServerCommandError);
    expect(() => exec(ctx, 'DEBUG', 'SLEEP', '0')).toThrow(ServerCommandError);
    expect(isKeyspaceCommand(['debug', 'sleep', '0'])).toBe(false);
    expect(isKeyspaceCommand(['DEBUG', 'Populate', '10'])).toBe(true);
  });
});

describe('strings (real 7.0.15 replies)', () => {
  test('SET / GET / options', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'get', 'k')).toBe('(nil)');
    expect(run(ctx, 'set', 'k', 'v')).toBe('OK');
    expect(run(ctx, 'set', 'k', 'v2', 'NX')).toBe('(nil)');
    expect(run(ctx, 'set', 'k', 'v2', 'XX', 'GET')).toBe('"v"');
    expect(run(ctx, 'set', 'k2', 'v', 'Get', 'nx')).toBe('(nil)');
    expect(run(ctx, 'get', 'k2')).toBe('"v"');
    expect(run(ctx, 'set', 'nokey', 'v', 'xx', 'get')).toBe('(nil)');
    expect(run(ctx, 'exists', 'nokey')).toBe('(integer) 0');
  });
  test('SET option errors', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'set', 'k', 'v', 'EX', '0')).toBe("(error) ERR invalid expire time in 'set' command");
    expect(run(ctx, 'set', 'k', 'v', 'EX', '-1')).toBe("(error) ERR invalid expire time in 'set' command");
    expect(run(ctx, 'set', 'k', 'v', 'EX', 'abc')).toBe('(error) ERR value is not an integer or out of range');
    expect(run(ctx, 'set', 'k', 'v', 'nx', 'xx')).toBe('(error) ERR syntax error');
    expect(run(ctx, 'set', 'k', 'v', 'keepttl', 'ex', '5')).toBe('(error) ERR syntax error');
    expect(run(ctx, 'set', 'k', 'v', 'EX')).toBe('(error) ERR syntax error');
    expect(run(ctx, 'set', 'k', 'v', 'EX', '10', 'PX', '100')).toBe('(error) ERR syntax error');
    expect(run(ctx, 'set', 'k', 'v', 'EX', '9223372036854776')).toBe("(error) ERR invalid expire time in 'set' command");
    expect(run(ctx, 'setex', 'k', '0', 'v')).toBe("(error) ERR invalid expire time in 'setex' command");
    expect(run(ctx, 'psetex', 'k', '-5', 'v')).toBe("(error) ERR invalid expire time in 'psetex' command");
    expect(run(ctx, 'exists', 'k')).toBe('(integer) 0');
  });
  test('TTL forms set an absolute expiry', () => {
    const ctx = makeCtx();
    run(ctx, 'set', 'a', 'v', 'EX', '100');
    run(ctx, 'set', 'b', 'v', 'PX', '1500');
    run(ctx, 'set', 'c', 'v', 'EXAT', String(EPOCH_MS / 1000 + 10));
    run(ctx, 'set', 'd', 'v', 'PXAT', String(EPOCH_MS + 20));
    run(ctx, 'setex', 'e', '7', 'v');
    run(ctx, 'psetex', 'f', '700', 'v');
    expect(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => ctx.keyspace.getExpire(0, k) - EPOCH_MS)).toEqual([100000, 1500, 10000, 20, 7000, 700]);
    expect(run(ctx, 'ttl', 'b')).toBe('(integer) 2'); // (1500+500)/1000
    expect(run(ctx, 'pttl', 'b')).toBe('(integer) 1500');
    expect(run(ctx, 'expiretime', 'a')).toBe(`(integer) ${EPOCH_MS / 1000 + 100}`);
    expect(run(ctx, 'pexpiretime', 'd')).toBe(`(integer) ${EPOCH_MS + 20}`);
    run(ctx, 'set', 'a', 'v2', 'KEEPTTL');
    expect(run(ctx, 'pttl', 'a')).toBe('(integer) 100000');
    run(ctx, 'set', 'a', 'v3');
    expect(run(ctx, 'ttl', 'a')).toBe('(integer) -1');
    expect(run(ctx, 'ttl', 'zz')).toBe('(integer) -2');
  });
  test('SETNX, GETSET, GETDEL, GETEX, MSET, MSETNX, MGET, APPEND, STRLEN', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'setnx', 'a', '1')).toBe('(integer) 1');
    expect(run(ctx, 'setnx', 'a', '2')).toBe('(integer) 0');
    expect(run(ctx, 'getset', 'a', '3')).toBe('"1"');
    expect(run(ctx, 'getset', 'new', 'x')).toBe('(nil)');
    expect(run(ctx, 'getdel', 'a')).toBe('"3"');
    expect(run(ctx, 'getdel', 'a')).toBe('(nil)');
    expect(run(ctx, 'mset', 'a', '1', 'b', '2')).toBe('OK');
    expect(run(ctx, 'msetnx', 'a', '1', 'c', '3')).toBe('(integer) 0');
    expect(run(ctx, 'msetnx', 'c', '3', 'd', '4')).toBe('(integer) 1');
    expect(run(ctx, 'mget', 'a', 'zz', 'd')).toBe('1) "1"\n2) (nil)\n3) "4"');
    expect(run(ctx, 'append', 'a', '')).toBe('(integer) 1');
    expect(run(ctx, 'append', 'a', 'bc')).toBe('(integer) 3');
    expect(run(ctx, 'append', 'nn', 'xyz')).toBe('(integer) 3');
    expect(run(ctx, 'strlen', 'a')).toBe('(integer) 3');
    expect(run(ctx, 'strlen', 'zz')).toBe('(integer) 0');
    expect(run(ctx, 'getex', 'a')).toBe('"1bc"');
    expect(run(ctx, 'getex', 'a', 'px', '5000')).toBe('"1bc"');
    expect(run(ctx, 'pttl', 'a')).toBe('(integer) 5000');
    expect(run(ctx, 'getex', 'a', 'persist')).toBe('"1bc"');
    expect(run(ctx, 'ttl', 'a')).toBe('(integer) -1');
    expect(run(ctx, 'getex', 'a', 'persist', 'ex', '1')).toBe('(error) ERR syntax error');
    expect(run(ctx, 'getex', 'a', 'nx')).toBe('(error) ERR syntax error');
    expect(run(ctx, 'getex', 'missing', 'ex', '0')).toBe('(nil)'); // lookup happens before the TTL check
    expect(run(ctx, 'getex', 'a', 'ex', '0')).toBe("(error) ERR invalid expire time in 'getex' command");
    expect(run(ctx, 'getex', 'a', 'exat', '1000')).toBe('"1bc"');
    expect(run(ctx, 'exists', 'a')).toBe('(integer) 0');
  });
  test('WRONGTYPE', () => {
    const ctx = makeCtx();
    run(ctx, 'sadd', 's', 'a');
    const wrong = '(error) WRONGTYPE Operation against a key holding the wrong kind of value';
    for (const argv of [['get', 's'], ['getset', 's', 'x'], ['getdel', 's'], ['getex', 's'], ['incr', 's'], ['incrbyfloat', 's', '1'], ['append', 's', 'x'], ['strlen', 's'], ['set', 's', 'v', 'GET']]) {
      expect(run(ctx, ...argv), argv.join(' ')).toBe(wrong);
    }
    expect(run(ctx, 'mget', 's')).toBe('1) (nil)');
    expect(run(ctx, 'set', 's', 'now a string')).toBe('OK');
    expect(run(ctx, 'sadd', 's', 'x')).toBe(wrong);
    expect(run(ctx, 'type', 's')).toBe('string');
  });
});

describe('counters (real 7.0.15 replies)', () => {
  test('INCR family', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'incr', 'c')).toBe('(integer) 1');
    expect(run(ctx, 'incrby', 'c', '10')).toBe('(integer) 11');
    expect(run(ctx, 'decr', 'c')).toBe('(integer) 10');
    expect(run(ctx, 'decrby', 'c', '-5')).toBe('(integer) 15');
    expect(run(ctx, 'get', 'c')).toBe('"15"');
    run(ctx, 'set', 'n', 'abc');
    expect(run(ctx, 'incr', 'n')).toBe('(error) ERR value is not an integer or out of range');
    expect(run(ctx, 'incrby', 'c', 'x')).toBe('(error) ERR value is not an integer or out of range');
    for (const bad of [' 1', '1 ', '01', '+1', '-0', '1.0', '', '99999999999999999999']) {
      run(ctx, 'set', 'b', bad);
      expect(run(ctx, 'incr', 'b'), JSON.stringify(bad)).toBe('(error) ERR value is not an integer or out of range');
    }
  });
  test('64-bit limits', () => {
    const ctx = makeCtx();
    run(ctx, 'set', 'big', '9223372036854775807');
    expect(run(ctx, 'incr', 'big')).toBe('(error) ERR increment or decrement would overflow');
    expect(run(ctx, 'decrby', 'big', '-9223372036854775808')).toBe('(error) ERR decrement would overflow');
    run(ctx, 'set', 'b2', '9007199254740991');
    run(ctx, 'incrby', 'b2', '10');
    expect(run(ctx, 'get', 'b2')).toBe('"9007199254741001"');
    run(ctx, 'decrby', 'b2', '9007199254741002');
    expect(run(ctx, 'get', 'b2')).toBe('"-1"');
    run(ctx, 'set', 'm', '-9223372036854775807');
    expect(run(ctx, 'decr', 'm')).toBe('(integer) -9223372036854775808');
    expect(run(ctx, 'get', 'm')).toBe('"-9223372036854775808"');
    expect(run(ctx, 'decr', 'm')).toBe('(error) ERR increment or decrement would overflow');
  });
  test('INCR keeps the TTL', () => {
    const ctx = makeCtx();
    run(ctx, 'set', 'c', '1', 'PX', '5000');
    run(ctx, 'incr', 'c');
    expect(run(ctx, 'pttl', 'c')).toBe('(integer) 5000');
  });
  // Each pair: stored value, increment, the reply of a real 7.0.15 (80-bit long double, %.17Lf).
  const floatCases: Array<[string, string, string]> = [
    ['0', '0.1', '0.1'],
    ['0.1', '0.2', '0.3'],
    ['10.5', '0.1', '10.6'],
    ['1000000', '0.1', '1000000.10000000000002274'],
    ['1e6', '1e-6', '1000000.00000099999999748'],
    ['3', '0', '3'],
    ['-5', '5', '0'],
    ['0', '-0', '0'],
    ['0', '0x1p3', '8'],
    ['0', '1.5e-10', '0.00000000015'],
    ['123456789012345678', '1', '123456789012345679'],
    ['0', '5.0e3', '5000'],
    ['0', '+1.5', '1.5'],
    ['0', '.5', '0.5'],
    ['0', '5.', '5'],
    ['17', '3.0000000000000000001', '20'],
    ['0', '1e-4950', '0'],
    ['1.1', '-1.1', '0'],
    ['0', '12345678901234567890.5', '12345678901234567890'],
    ['0.1', '0', '0.1'],
  ];
  for (const [stored, incr, expected] of floatCases) {
    test(`INCRBYFLOAT ${stored} + ${incr} = ${expected} (real 7.0.15)`, () => {
      const ctx = makeCtx();
      run(ctx, 'set', 'f', stored);
      expect(run(ctx, 'incrbyfloat', 'f', incr)).toBe(`"${expected}"`);
      expect(run(ctx, 'get', 'f')).toBe(`"${expected}"`);
    });
  }
  test('INCRBYFLOAT of huge values prints every digit like %.17Lf (real 7.0.15)', () => {
    const ctx = makeCtx();
    run(ctx, 'set', 'f', '1');
    const r = exec(ctx, 'incrbyfloat', 'f', '1e308');
    expect(r.type === 'bulk' && r.value).toBe(
      '99999999999999999996685879655845645660560099847415567207797047994921734868838061872100126921888539320446747225054013223152134749593960583597420814430196418767959100019603190778663109604507106667939153395788938914560543563061268364901618630217086589253444881623791300855757318142424510452728255046343928578048',
    );
    run(ctx, 'set', 'g', '0');
    const g = exec(ctx, 'incrbyfloat', 'g', '1e4932');
    expect(g.type === 'bulk' && g.value!.length).toBe(4933);
    expect(g.type === 'bulk' && g.value!.startsWith('10000000000000000000060189493879638913238377742545331147737850413525330194866087224')).toBe(true);
  });
  test('INCRBYFLOAT errors (real 7.0.15)', () => {
    const ctx = makeCtx();
    run(ctx, 'set', 'n', 'abc');
    expect(run(ctx, 'incrbyfloat', 'n', '1')).toBe('(error) ERR value is not a valid float');
    run(ctx, 'set', 'f', '0');
    expect(run(ctx, 'incrbyfloat', 'f', 'x')).toBe('(error) ERR value is not a valid float');
    expect(run(ctx, 'incrbyfloat', 'f', '1e4933')).toBe('(error) ERR value is not a valid float');
    expect(run(ctx, 'incrbyfloat', 'f', '1e-4960')).toBe('(error) ERR value is not a valid float');
    expect(run(ctx, 'incrbyfloat', 'f', ' 1')).toBe('(error) ERR value is not a valid float');
    expect(run(ctx, 'incrbyfloat', 'f', 'nan')).toBe('(error) ERR value is not a valid float');
    expect(run(ctx, 'incrbyfloat', 'f', 'inf')).toBe('(error) ERR increment would produce NaN or Infinity');
  });
});

describe('keys and databases (real 7.0.15 replies)', () => {
  test('DEL, UNLINK, EXISTS, TOUCH, TYPE, DBSIZE', () => {
    const ctx = makeCtx();
    run(ctx, 'mset', 'a', '1', 'b', '2', 'c', '3');
    expect(run(ctx, 'exists', 'a', 'a', 'zz')).toBe('(integer) 2');
    expect(run(ctx, 'touch', 'a', 'b', 'zz')).toBe('(integer) 2');
    expect(run(ctx, 'del', 'a', 'zz')).toBe('(integer) 1');
    expect(run(ctx, 'unlink', 'b', 'c')).toBe('(integer) 2');
    expect(run(ctx, 'dbsize')).toBe('(integer) 0');
    run(ctx, 'sadd', 's', 'x');
    expect(run(ctx, 'type', 's')).toBe('set');
    expect(run(ctx, 'type', 'zz')).toBe('none');
  });
  test('SELECT, FLUSHDB, FLUSHALL', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'select', '16')).toBe('(error) ERR DB index is out of range');
    expect(run(ctx, 'select', 'x')).toBe('(error) ERR value is not an integer or out of range');
    expect(run(ctx, 'select', '3')).toBe('OK');
    expect(ctx.db).toBe(3);
    run(ctx, 'set', 'k', 'v');
    run(ctx, 'select', '0');
    expect(run(ctx, 'get', 'k')).toBe('(nil)');
    run(ctx, 'set', 'k', 'v');
    expect(run(ctx, 'flushdb', 'foo')).toBe('(error) ERR syntax error');
    expect(run(ctx, 'flushdb', 'ASYNC')).toBe('OK');
    expect(ctx.keyspace.totalKeys()).toBe(1);
    expect(run(ctx, 'flushall', 'sync')).toBe('OK');
    expect(ctx.keyspace.totalKeys()).toBe(0);
  });
  test('KEYS globs like stringmatchlen', () => {
    const ctx = makeCtx();
    run(ctx, 'mset', 'hello', '1', 'hallo', '1', 'hxllo', '1', 'hllo', '1', 'heeeello', '1', 'h*llo', '1', 'x', '1');
    const keys = (p: string): string[] => {
      const r = exec(ctx, 'keys', p);
      return r.type === 'array' ? r.items!.map((i) => (i.type === 'bulk' ? i.value! : '')).sort() : [];
    };
    expect(keys('h?llo')).toEqual(['h*llo', 'hallo', 'hello', 'hxllo']);
    expect(keys('h*llo')).toEqual(['h*llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo']);
    expect(keys('h[ae]llo')).toEqual(['hallo', 'hello']);
    expect(keys('h[^e]llo')).toEqual(['h*llo', 'hallo', 'hxllo']);
    expect(keys('h[a-b]llo')).toEqual(['hallo']);
    expect(keys('h\\*llo')).toEqual(['h*llo']);
    expect(keys('*')).toHaveLength(7);
    expect(keys('nomatch*')).toEqual([]);
  });
  test('RANDOMKEY is deterministic for a seed', () => {
    const draw = (seed: number): string[] => {
      const ctx = makeCtx();
      ctx.keyspace.seedRandom(seed);
      ctx.keyspace.populate(0, 100, 'key', 0);
      return Array.from({ length: 20 }, () => run(ctx, 'randomkey'));
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(new Set(draw(7)).size).toBeGreaterThan(10);
    expect(run(makeCtx(), 'randomkey')).toBe('(nil)');
  });
});

describe('sets (real 7.0.15 replies)', () => {
  test('SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'sadd', 's', 'a', 'b', 'a')).toBe('(integer) 2');
    expect(run(ctx, 'sadd', 's', 'a')).toBe('(integer) 0');
    expect(run(ctx, 'scard', 's')).toBe('(integer) 2');
    expect(run(ctx, 'sismember', 's', 'a')).toBe('(integer) 1');
    expect(run(ctx, 'smismember', 's', 'a', 'z')).toBe('1) (integer) 1\n2) (integer) 0');
    expect(run(ctx, 'smembers', 's')).toBe('1) "a"\n2) "b"');
    expect(run(ctx, 'srem', 's', 'zz')).toBe('(integer) 0');
    expect(run(ctx, 'srem', 's', 'a', 'zz')).toBe('(integer) 1');
    expect(run(ctx, 'srem', 's', 'b')).toBe('(integer) 1');
    expect(run(ctx, 'exists', 's')).toBe('(integer) 0'); // an emptied set is deleted
    expect(run(ctx, 'smembers', 's')).toBe('(empty array)');
    expect(run(ctx, 'scard', 's')).toBe('(integer) 0');
    expect(run(ctx, 'srem', 's', 'a')).toBe('(integer) 0');
  });
  test('SPOP', () => {
    const ctx = makeCtx();
    run(ctx, 'sadd', 's', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j');
    expect(exec(ctx, 'spop', 's').type).toBe('bulk');
    const two = exec(ctx, 'spop', 's', '2');
    expect(two.type === 'array' && two.items!.length).toBe(2);
    const six = exec(ctx, 'spop', 's', '6'); // the "pick the survivors" strategy
    expect(six.type === 'array' && six.items!.length).toBe(6);
    expect(run(ctx, 'scard', 's')).toBe('(integer) 1');
    expect(exec(ctx, 'spop', 's', '5').type).toBe('array');
    expect(run(ctx, 'exists', 's')).toBe('(integer) 0');
    expect(run(ctx, 'spop', 's', '0')).toBe('(empty array)');
    expect(run(ctx, 'spop', 'nokey', '3')).toBe('(empty array)');
    expect(run(ctx, 'spop', 'nokey')).toBe('(nil)');
    expect(run(ctx, 'spop', 's', '-1')).toBe('(error) ERR value is out of range, must be positive');
    expect(run(ctx, 'spop', 's', '1', '2')).toBe('(error) ERR syntax error');
    run(ctx, 'sadd', 'one', 'x');
    expect(run(ctx, 'spop', 'one')).toBe('"x"');
    expect(run(ctx, 'exists', 'one')).toBe('(integer) 0');
  });
});

describe('connection, pub/sub, debug (real 7.0.15 replies)', () => {
  test('PING, ECHO, PUBLISH', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'ping')).toBe('PONG');
    expect(run(ctx, 'PING', 'hi')).toBe('"hi"');
    expect(run(ctx, 'echo', 'x')).toBe('"x"');
    expect(run(ctx, 'publish', 'ch', 'hi')).toBe('(integer) 0');
  });
  test('DEBUG POPULATE: prefix:<i>, "value:<i>" cut or zero-padded, existing keys untouched', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'debug', 'populate', '3')).toBe('OK');
    expect(run(ctx, 'dbsize')).toBe('(integer) 3');
    expect(run(ctx, 'debug', 'populate', '5', 'key', '3')).toBe('OK');
    expect(run(ctx, 'get', 'key:0')).toBe('"value:0"'); // existed: untouched
    expect(run(ctx, 'get', 'key:4')).toBe('"val"');
    expect(run(ctx, 'debug', 'populate', '2', 'p', '12')).toBe('OK');
    expect(run(ctx, 'get', 'p:1')).toBe('"value:1\\x00\\x00\\x00\\x00\\x00"');
    expect(run(ctx, 'strlen', 'p:1')).toBe('(integer) 12');
    expect(run(ctx, 'debug', 'populate', '-1')).toBe('(error) ERR value is out of range, must be positive');
    expect(run(ctx, 'debug', 'populate', 'x')).toBe('(error) ERR value is out of range, must be positive'); // real
  });
  test('populated keys behave like any other key', () => {
    const ctx = makeCtx();
    run(ctx, 'debug', 'populate', '1000', 'key', '10');
    expect(run(ctx, 'append', 'key:1', 'x')).toBe('(integer) 11');
    expect(run(ctx, 'get', 'key:1')).toBe('"value:1\\x00\\x00\\x00x"');
    expect(run(ctx, 'incr', 'key:2')).toBe('(error) ERR value is not an integer or out of range');
    expect(run(ctx, 'expire', 'key:3', '100')).toBe('(integer) 1');
    expect(run(ctx, 'ttl', 'key:3')).toBe('(integer) 100');
    expect(run(ctx, 'del', 'key:4', 'key:5', 'nokey')).toBe('(integer) 2');
    expect(run(ctx, 'getdel', 'key:6')).toBe('"value:6\\x00\\x00\\x00"');
    expect(run(ctx, 'exists', 'key:4', 'key:6', 'key:7')).toBe('(integer) 1');
    expect(run(ctx, 'dbsize')).toBe('(integer) 997');
    expect(run(ctx, 'type', 'key:999')).toBe('string');
    expect(run(ctx, 'type', 'key:1000')).toBe('none');
    expect(run(ctx, 'strlen', 'key:999')).toBe('(integer) 10');
    expect(run(ctx, 'keys', 'key:99?').split('\n')).toEqual(Array.from({ length: 10 }, (_, i) => `${String(i + 1).padStart(2)}) "key:99${i}"`));
    expect(run(ctx, 'randomkey')).toMatch(/^"key:\d+"$/);
    run(ctx, 'debug', 'populate', '10', 'key', '10'); // re-creates the deleted key:4..6
    expect(run(ctx, 'dbsize')).toBe('(integer) 1000');
    expect(run(ctx, 'get', 'key:4')).toBe('"value:4\\x00\\x00\\x00"');
  });
  test('DEBUG DIGEST / DIGEST-VALUE equal a real 7.0.15 on the same dataset', () => {
    // Built on the real server with: debug populate 3; debug populate 5 key 3;
    // debug populate 2 p 12; set counter 12345; incr counter; sadd s a b c 1;
    // sadd si 1 2 3; set t v ex 1000; select 3; set x y; sadd s3 m.
    const ctx = makeCtx();
    for (const argv of [['debug', 'populate', '3'], ['debug', 'populate', '5', 'key', '3'], ['debug', 'populate', '2', 'p', '12'], ['set', 'counter', '12345'], ['incr', 'counter'], ['sadd', 's', 'a', 'b', 'c', '1'], ['sadd', 'si', '1', '2', '3'], ['set', 't', 'v', 'ex', '1000'], ['select', '3'], ['set', 'x', 'y'], ['sadd', 's3', 'm'], ['select', '0']]) {
      exec(ctx, ...argv);
    }
    expect(run(ctx, 'debug', 'digest')).toBe('2bfe87498f911ea3a4bb175007f78c6d21377246');
    expect(run(ctx, 'debug', 'digest-value', 'key:0', 's', 'si', 't', 'counter', 'nokey')).toBe(
      [
        '1) c15f34c747bf411833c10208c03e1da1bb7da7cf',
        '2) 6c563d3f017ec5083ac0b9f29fc635f90a47f2d9',
        '3) 2a462a3f51a1db89738ebbeef0c47ce1bbc85246',
        '4) 311b17018163335616e089f6b951c82c477335ac',
        '5) 8ce6337db2e42a86dbab94eee9a3348c7f8157d5',
        '6) 0000000000000000000000000000000000000000',
      ].join('\n'),
    );
    ctx.db = 3;
    expect(run(ctx, 'debug', 'digest-value', 'x', 's3')).toBe('1) 5de2ea9d5ffab1d9674bdd0e51d2eff013a722cc\n2) d9b4f839abc5a7be24b15d8e8ced8e4260ee7f0e');
    expect(run(makeCtx(), 'debug', 'digest')).toBe('0'.repeat(40));
  });
});

describe('keyspace statistics', () => {
  test('read lookups count hits and misses, write lookups do not', () => {
    const ctx = makeCtx();
    run(ctx, 'set', 'a', '1');
    run(ctx, 'get', 'a');
    run(ctx, 'get', 'b');
    run(ctx, 'mget', 'a', 'b', 'c');
    run(ctx, 'incr', 'a');
    run(ctx, 'exists', 'a');
    expect(ctx.stats).toMatchObject({ keyspaceHits: 3, keyspaceMisses: 3 });
  });
  test('dirty counts changes', () => {
    const ctx = makeCtx();
    run(ctx, 'mset', 'a', '1', 'b', '2');
    run(ctx, 'del', 'a', 'b', 'c');
    run(ctx, 'set', 'a', '1', 'NX');
    run(ctx, 'set', 'a', '1', 'NX');
    expect(ctx.stats.dirty).toBe(5);
  });
});

describe('keyspace_hits / keyspace_misses', () => {
  test('the same counts as a real 7.0.15 for a mixed sequence', () => {
    // real 7.0.15 after CONFIG RESETSTAT and this sequence: keyspace_hits:8 keyspace_misses:4
    const ctx = makeCtx();
    for (const argv of [['set', 'a', '1'], ['get', 'a'], ['get', 'b'], ['mget', 'a', 'b', 'c'], ['incr', 'a'], ['exists', 'a'], ['ttl', 'a'], ['type', 'zz'], ['keys', '*'], ['randomkey'], ['set', 'a', '1', 'GET'], ['getdel', 'a'], ['sadd', 's', 'x'], ['scard', 's'], ['smembers', 's'], ['srem', 's', 'x']]) {
      exec(ctx, ...argv);
    }
    expect([ctx.stats.keyspaceHits, ctx.stats.keyspaceMisses]).toEqual([8, 4]);
  });
});
