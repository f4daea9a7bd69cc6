/**
 * Scripts through replication (redis-replication.md §3.5; eval.c / script.c at 7.0.15):
 * a script propagates its effects — one command bare, several wrapped in MULTI/EXEC —
 * and nothing when it writes nothing; SCRIPT LOAD is not propagated, so a promoted
 * replica answers NOSCRIPT; a read-only replica refuses a script's write with the texts a
 * real 7.0.15 replica printed (redis-cli, replica of a local master).
 */
import { describe, expect, it } from 'vitest';
import { masterWithReplica, offset, respBytes, runUntilTrue, TestCluster } from '../helpers/replication.js';

const NOSCRIPT = '(error) NOSCRIPT No matching script. Please use EVAL.';

function settle(c: TestCluster): void {
  c.runFor(1);
  runUntilTrue(c, () => offset(c, 'r1') === offset(c, 'm1'), 'replica caught up', 10);
}

describe('scripts replicated by effects', () => {
  it('one write goes bare, several inside MULTI/EXEC, a read-only script sends nothing', () => {
    const c = masterWithReplica();
    c.cmd('m1', 'SET', 'warm', 'up'); // the stream's SELECT 0 comes first
    settle(c);
    let before = offset(c, 'm1');
    expect(c.text('m1', 'EVAL', "return redis.call('set',KEYS[1],'v')", '1', 'a')).toBe('OK');
    expect(offset(c, 'm1') - before).toBe(respBytes('set', 'a', 'v'));
    before = offset(c, 'm1');
    expect(c.text('m1', 'EVAL', "redis.call('set','b','1'); return redis.call('incr','b')", '0')).toBe('(integer) 2');
    expect(offset(c, 'm1') - before).toBe(respBytes('MULTI') + respBytes('set', 'b', '1') + respBytes('incr', 'b') + respBytes('EXEC'));
    before = offset(c, 'm1');
    expect(c.text('m1', 'EVAL', "return redis.call('get','b')", '0')).toBe('"2"');
    expect(offset(c, 'm1')).toBe(before);
    settle(c);
    expect(c.text('r1', 'GET', 'a')).toBe('"v"');
    expect(c.text('r1', 'GET', 'b')).toBe('"2"');
  });

  it('redis.set_repl(REPL_AOF) keeps a write off the stream; REPL_NONE everywhere', () => {
    const c = masterWithReplica();
    c.cmd('m1', 'SET', 'warm', 'up');
    settle(c);
    const before = offset(c, 'm1');
    c.cmd('m1', 'EVAL', "redis.set_repl(redis.REPL_AOF); redis.call('set','x','1'); redis.set_repl(redis.REPL_NONE); redis.call('set','y','1')", '0');
    expect(offset(c, 'm1')).toBe(before);
    settle(c);
    expect(c.text('m1', 'GET', 'x')).toBe('"1"');
    expect(c.text('r1', 'GET', 'x')).toBe('(nil)');
  });

  it('SCRIPT LOAD stays on the master: a promoted replica answers NOSCRIPT', () => {
    const c = masterWithReplica();
    settle(c);
    const before = offset(c, 'm1');
    const sha = c.text('m1', 'SCRIPT', 'LOAD', "return 'x'").slice(1, -1);
    expect(sha).toBe('573cd020e2fc941d149285df8b681959190edd09'); // real 7.0.15
    expect(offset(c, 'm1')).toBe(before);
    expect(c.text('m1', 'EVALSHA', sha, '0')).toBe('"x"');
    expect(c.text('r1', 'EVALSHA', sha, '0')).toBe(NOSCRIPT);
    c.cmd('r1', 'REPLICAOF', 'NO', 'ONE');
    expect(c.text('r1', 'EVALSHA', sha, '0')).toBe(NOSCRIPT);
  });

  it('a restart empties the script cache', () => {
    const c = masterWithReplica();
    const sha = c.text('m1', 'SCRIPT', 'LOAD', "return 'x'").slice(1, -1);
    c.act({ kind: 'crash', node: 'm1' } as never);
    c.act({ kind: 'restart', node: 'm1' } as never);
    c.runFor(1);
    expect(c.text('m1', 'SCRIPT', 'EXISTS', sha)).toBe('1) (integer) 0');
  });

  it('on a read-only replica: reads run, a write inside fails, a shebang write script is refused up front', () => {
    const c = masterWithReplica();
    c.cmd('m1', 'SET', 'x', 'v');
    settle(c);
    expect(c.text('r1', 'EVAL', "return redis.call('get','x')", '0')).toBe('"v"');
    expect(c.text('r1', 'EVAL', "return redis.call('set','x','1')", '0')).toBe(
      "(error) READONLY You can't write against a read only replica. script: 8b2ae6dd76cda7fc3e27f97431ae27d7b08a221d, on @user_script:1.",
    );
    expect(c.text('r1', 'EVAL', "return redis.pcall('set','x','1')", '0')).toBe("(error) READONLY You can't write against a read only replica.");
    expect(c.text('r1', 'EVAL', "#!lua\nreturn redis.call('get','x')", '0')).toBe("(error) READONLY You can't write against a read only replica.");
    expect(c.text('r1', 'EVAL', "#!lua flags=no-writes\nreturn redis.call('get','x')", '0')).toBe('"v"');
    expect(c.text('r1', 'EVAL_RO', '#!lua\nreturn 1', '0')).toBe("(error) READONLY You can't write against a read only replica.");
  });

  it('min-replicas-to-write unmet: -NOREPLICAS from the first write inside the script', () => {
    const c = masterWithReplica();
    c.cmd('m1', 'CONFIG', 'SET', 'min-replicas-to-write', '3');
    c.runFor(2);
    expect(c.text('m1', 'EVAL', "return redis.call('get','x')", '0')).toBe('(nil)');
    const sha = c.text('m1', 'SCRIPT', 'LOAD', "return redis.call('set','x','1')").slice(1, -1);
    expect(c.text('m1', 'EVALSHA', sha, '0')).toBe(`(error) NOREPLICAS Not enough good replicas to write. script: ${sha}, on @user_script:1.`);
  });

  it('server commands run from a script: TIME answers the node clock', () => {
    const c = masterWithReplica();
    const t = c.text('m1', 'EVAL', "return redis.call('time')[1]", '0');
    expect(Number(t.slice(1, -1))).toBe(Math.floor(c.node('m1').nowMs() / 1000));
  });
});

describe('functions through replication and persistence', () => {
  const LIB = "#!lua name=lib\nredis.register_function('incrby2', function(keys) return redis.call('incrby', keys[1], 2) end)\nredis.register_function{function_name='peek', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}";

  it('FUNCTION LOAD travels as itself; FCALL as its effects; the replica can FCALL_RO', () => {
    const c = masterWithReplica();
    c.cmd('m1', 'SET', 'warm', 'up');
    settle(c);
    let before = offset(c, 'm1');
    expect(c.text('m1', 'FUNCTION', 'LOAD', LIB)).toBe('"lib"');
    expect(offset(c, 'm1') - before).toBe(respBytes('FUNCTION', 'LOAD', LIB));
    before = offset(c, 'm1');
    expect(c.text('m1', 'FCALL', 'incrby2', '1', 'n')).toBe('(integer) 2');
    expect(offset(c, 'm1') - before).toBe(respBytes('incrby', 'n', '2'));
    settle(c);
    expect(c.text('r1', 'FCALL_RO', 'peek', '1', 'n')).toBe('"2"');
    // A write function on a read-only replica: refused by processCommand (its flags say write).
    expect(c.text('r1', 'FCALL', 'incrby2', '1', 'n')).toBe("(error) READONLY You can't write against a read only replica.");
    c.cmd('m1', 'FUNCTION', 'DELETE', 'lib');
    settle(c);
    expect(c.text('r1', 'FCALL_RO', 'peek', '1', 'n')).toBe('(error) ERR Function not found');
  });

  it('a replica that full-syncs after the load gets the libraries in the RDB', () => {
    const c = masterWithReplica();
    c.cmd('m1', 'FUNCTION', 'LOAD', LIB);
    c.cmd('m1', 'SET', 'k', 'v');
    c.cmd('r1', 'REPLICAOF', 'NO', 'ONE');
    c.cmd('r1', 'FUNCTION', 'FLUSH');
    expect(c.text('r1', 'FCALL_RO', 'peek', '1', 'k')).toBe('(error) ERR Function not found');
    c.cmd('m1', 'SET', 'after', '1'); // r1's history diverged: it must full-sync
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => c.text('r1', 'GET', 'after') === '"1"', 'r1 resynced', 30);
    expect(c.text('r1', 'FCALL_RO', 'peek', '1', 'k')).toBe('"v"');
  });

  it('libraries survive a restart from the RDB', () => {
    const c = masterWithReplica();
    c.cmd('m1', 'FUNCTION', 'LOAD', LIB);
    expect(c.text('m1', 'SAVE')).toBe('OK');
    c.act({ kind: 'crash', node: 'm1' } as never);
    c.act({ kind: 'restart', node: 'm1' } as never);
    c.runFor(2);
    expect(c.text('m1', 'FCALL', 'incrby2', '1', 'n')).toBe('(integer) 2');
  });
});

describe('functions in the AOF', () => {
  it('a restart with appendonly yes replays FUNCTION LOAD', () => {
    const c = new TestCluster(`
nodes:
  m1: { config: { appendonly: "yes", appendfsync: always } }
`);
    c.runFor(1);
    c.cmd('m1', 'FUNCTION', 'LOAD', "#!lua name=lib\nredis.register_function('two', function() return 2 end)");
    c.act({ kind: 'crash', node: 'm1' } as never);
    c.act({ kind: 'restart', node: 'm1' } as never);
    c.runFor(2);
    expect(c.text('m1', 'FCALL', 'two', '0')).toBe('(integer) 2');
  });
});
