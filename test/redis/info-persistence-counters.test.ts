/**
 * The fork and load counters operators watch, as redis-server 7.0.15 showed them here: a
 * master with diskless sync and a replica — after the first sync the master reports
 * total_forks:1 and rdb_saves:0 (a transfer to sockets is not an RDB save), the replica
 * rdb_last_load_keys_loaded:0; after SET k v and a second full sync through a disk BGSAVE
 * (repl-diskless-sync no), total_forks:2, rdb_saves:1, and the replica loaded 1 key.
 * SAVE counts as an rdb_save without a fork.
 */
import { describe, expect, it } from 'vitest';
import { infoField, linkUp, masterWithReplica, runUntilTrue } from '../helpers/replication.js';

describe('INFO fork and load counters', () => {
  it('count forks, RDB saves and keys loaded by a full sync as 7.0.15 does', () => {
    const c = masterWithReplica();
    expect(infoField(c, 'm1', 'total_forks', 'stats')).toBe('1');
    expect(infoField(c, 'm1', 'rdb_saves', 'persistence')).toBe('0');
    expect(infoField(c, 'r1', 'rdb_last_load_keys_loaded', 'persistence')).toBe('0');
    expect(c.text('m1', 'SET', 'k', 'v')).toBe('OK');
    expect(c.text('m1', 'CONFIG', 'SET', 'repl-diskless-sync', 'no')).toBe('OK');
    expect(c.text('r1', 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
    expect(c.text('r1', 'SET', 'x', 'y')).toBe('OK');
    expect(c.text('r1', 'REPLICAOF', 'm1', '6379')).toBe('OK');
    runUntilTrue(c, () => linkUp(c, 'r1') && infoField(c, 'r1', 'rdb_last_load_keys_loaded', 'persistence') === '1', 'second full sync', 30);
    expect(infoField(c, 'm1', 'total_forks', 'stats')).toBe('2');
    expect(infoField(c, 'm1', 'rdb_saves', 'persistence')).toBe('1');
    expect(c.text('m1', 'SAVE')).toBe('OK');
    expect(infoField(c, 'm1', 'rdb_saves', 'persistence')).toBe('2');
    expect(infoField(c, 'm1', 'total_forks', 'stats')).toBe('2');
    expect(infoField(c, 'm1', 'rdb_last_bgsave_status', 'persistence')).toBe('ok');
  });
});
