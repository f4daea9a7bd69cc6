/**
 * WATCH / UNWATCH (multi.c: watchCommand, touchWatchedKey, touchAllWatchedKeysInDb,
 * isWatchedKeyExpired, execCommand). Every expected reply was seen on a real redis-server
 * 7.0.15 with redis-cli (EXEC's `(nil)` is RESP2's null array `*-1`):
 *  - WATCH inside MULTI → "ERR WATCH inside MULTI is not allowed", and the transaction is
 *    NOT flagged: a later EXEC runs the queued commands;
 *  - a write to the watched key by the watcher itself, even SET to the same value → nil;
 *  - UNWATCH, then a write → EXEC runs;
 *  - FLUSHALL / FLUSHDB / SWAPDB touch a watched key only if it exists → nil; a watched
 *    key that does not exist → EXEC runs;
 *  - EXPIRE or DEL of a watched key that does not exist (reply 0) → EXEC runs;
 *  - a key that existed at WATCH time and expired since → nil, even if nothing deleted it;
 *  - a key already expired at WATCH time → EXEC runs.
 */
import { describe, expect, it } from 'vitest';
import { Client, linkUp, masterWithReplica, runUntilTrue } from '../helpers/replication.js';

describe('WATCH', () => {
  it('is refused inside MULTI without flagging the transaction', () => {
    const c = masterWithReplica();
    const a = new Client(c, 'm1');
    expect(a.pipeline([['WATCH', 'a'], ['MULTI'], ['WATCH', 'b'], ['SET', 'a', '1'], ['EXEC']])).toEqual([
      'OK',
      'OK',
      '(error) ERR WATCH inside MULTI is not allowed',
      'QUEUED',
      '1) OK',
    ]);
  });

  it("fails EXEC with a null array after another client's write, and propagates nothing", () => {
    const c = masterWithReplica();
    const a = new Client(c, 'm1');
    const b = new Client(c, 'm1');
    expect(a.run('WATCH', 'k')).toBe('OK');
    expect(b.run('SET', 'k', 'other')).toBe('OK');
    const offsetBefore = c.node('m1').masterReplOffset;
    expect(a.pipeline([['MULTI'], ['SET', 'k', 'mine'], ['INCR', 'n'], ['EXEC']])).toEqual(['OK', 'QUEUED', 'QUEUED', '(nil)']);
    expect(c.node('m1').masterReplOffset).toBe(offsetBefore);
    expect(b.run('GET', 'k')).toBe('"other"');
    expect(b.run('EXISTS', 'n')).toBe('(integer) 0');
  });

  it("fails EXEC after the watcher's own write of the same value", () => {
    const c = masterWithReplica();
    const a = new Client(c, 'm1');
    expect(a.pipeline([['SET', 's', '1'], ['WATCH', 's'], ['SET', 's', '1'], ['MULTI'], ['PING'], ['EXEC']])).toEqual([
      'OK',
      'OK',
      'OK',
      'OK',
      'QUEUED',
      '(nil)',
    ]);
  });

  it('runs EXEC when nothing touched the key, and EXEC forgets the watches', () => {
    const c = masterWithReplica();
    const a = new Client(c, 'm1');
    const b = new Client(c, 'm1');
    expect(a.pipeline([['WATCH', 'k'], ['MULTI'], ['SET', 'k', '1'], ['EXEC']])).toEqual(['OK', 'OK', 'QUEUED', '1) OK']);
    expect(b.run('SET', 'k', '2')).toBe('OK'); // after EXEC: no longer watched
    expect(a.pipeline([['MULTI'], ['GET', 'k'], ['EXEC']])).toEqual(['OK', 'QUEUED', '1) "2"']);
  });

  it('UNWATCH and DISCARD forget the watches', () => {
    const c = masterWithReplica();
    const a = new Client(c, 'm1');
    const b = new Client(c, 'm1');
    expect(a.run('WATCH', 'k')).toBe('OK');
    expect(a.run('UNWATCH')).toBe('OK');
    expect(b.run('SET', 'k', '3')).toBe('OK');
    expect(a.pipeline([['MULTI'], ['SET', 'x', '1'], ['EXEC']])).toEqual(['OK', 'QUEUED', '1) OK']);
    expect(a.pipeline([['WATCH', 'k'], ['MULTI'], ['DISCARD']])).toEqual(['OK', 'OK', 'OK']);
    expect(b.run('SET', 'k', '4')).toBe('OK');
    expect(a.pipeline([['MULTI'], ['PING'], ['EXEC']])).toEqual(['OK', 'QUEUED', '1) PONG']);
  });

  it('FLUSHALL and FLUSHDB touch a watched key only if it exists', () => {
    const c = masterWithReplica();
    const a = new Client(c, 'm1');
    const b = new Client(c, 'm1');
    expect(a.run('WATCH', 'nokey')).toBe('OK');
    expect(b.run('FLUSHALL')).toBe('OK');
    expect(a.pipeline([['MULTI'], ['PING'], ['EXEC']])).toEqual(['OK', 'QUEUED', '1) PONG']);
    expect(b.run('SET', 'y', '1')).toBe('OK');
    expect(a.run('WATCH', 'y')).toBe('OK');
    expect(b.run('FLUSHDB')).toBe('OK');
    expect(a.pipeline([['MULTI'], ['PING'], ['EXEC']])).toEqual(['OK', 'QUEUED', '(nil)']);
  });

  it('a DEL or EXPIRE that finds no key does not touch it', () => {
    const c = masterWithReplica();
    const a = new Client(c, 'm1');
    expect(a.pipeline([['WATCH', 'q'], ['EXPIRE', 'q', '10'], ['DEL', 'q'], ['MULTI'], ['PING'], ['EXEC']])).toEqual([
      'OK',
      '(integer) 0',
      '(integer) 0',
      'OK',
      'QUEUED',
      '1) PONG',
    ]);
  });

  it('fails EXEC when a key that existed at WATCH time expired since, even undeleted', () => {
    const c = masterWithReplica();
    const a = new Client(c, 'm1');
    expect(a.pipeline([['SET', 'e', '1', 'PX', '100'], ['WATCH', 'e']])).toEqual(['OK', 'OK']);
    c.runUntil(c.now + 300_000);
    expect(a.pipeline([['MULTI'], ['PING'], ['EXEC']])).toEqual(['OK', 'QUEUED', '(nil)']);
  });

  it('runs EXEC when the key was already expired at WATCH time and is deleted later', () => {
    const c = masterWithReplica();
    const a = new Client(c, 'm1');
    const b = new Client(c, 'm1');
    expect(a.run('SET', 'e2', '1', 'PX', '50')).toBe('OK');
    c.runUntil(c.now + 200_000);
    expect(a.run('WATCH', 'e2')).toBe('OK');
    expect(b.run('GET', 'e2')).toBe('(nil)'); // lazy expiry deletes it now
    expect(a.pipeline([['MULTI'], ['PING'], ['EXEC']])).toEqual(['OK', 'QUEUED', '1) PONG']);
  });

  it("on a replica, the master's stream touches a watched key", () => {
    const c = masterWithReplica();
    const onReplica = new Client(c, 'r1');
    const onMaster = new Client(c, 'm1');
    expect(onReplica.run('WATCH', 'k')).toBe('OK');
    expect(onMaster.run('SET', 'k', 'from-master')).toBe('OK');
    runUntilTrue(c, () => c.text('r1', 'GET', 'k') === '"from-master"', 'replicated', 5);
    expect(onReplica.pipeline([['MULTI'], ['GET', 'k'], ['EXEC']])).toEqual(['OK', 'QUEUED', '(nil)']);
  });

  it("a full sync's flush touches a watched key the replica held", () => {
    const c = masterWithReplica();
    const onReplica = new Client(c, 'r1');
    expect(c.text('m1', 'SET', 'k', 'v')).toBe('OK');
    runUntilTrue(c, () => c.text('r1', 'GET', 'k') === '"v"', 'replicated', 5);
    expect(onReplica.run('WATCH', 'k')).toBe('OK');
    // A new replication ID on the master's side forces a full sync of r1.
    expect(c.text('r1', 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
    expect(c.text('r1', 'REPLICAOF', 'm1', '6379')).toBe('OK');
    runUntilTrue(c, () => linkUp(c, 'r1'), 'link up again', 30);
    expect(onReplica.pipeline([['MULTI'], ['GET', 'k'], ['EXEC']])).toEqual(['OK', 'QUEUED', '(nil)']);
  });
});
