/**
 * A client's commands run one after another: Redis reads a connection's next command only
 * after the current one has its reply, so a command stuck behind a blocked one (BLPOP, WAIT,
 * a write postponed by a pause) waits too. A process that dies closes its connections: the
 * stuck command and those behind it end with the connection error.
 */
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../sim/redis/protocol/reply.js';
import { masterWithReplica } from '../helpers/replication.js';

describe('one connection, one command at a time', () => {
  it('a GET behind a write postponed by CLIENT PAUSE waits for it, and sees its value', () => {
    const c = masterWithReplica();
    const s = c.node('m1');
    const session = s.commands.newSession('client');
    const replies: string[] = [];
    const send = (...argv: string[]) => s.commands.call(session, argv, (r) => replies.push(JSON.stringify(r)));
    c.cmd('m1', 'CLIENT', 'PAUSE', '300', 'WRITE');
    send('SET', 'x', '1');
    send('GET', 'x');
    c.runFor(0.2);
    expect(replies).toEqual([]);
    c.runFor(0.2);
    expect(replies).toEqual(['{"type":"status","text":"OK"}', '{"type":"bulk","value":"1"}']);
  });

  it('thousands of commands queued behind a pause run in order when it ends (a loop, not a call chain)', () => {
    const c = masterWithReplica();
    const s = c.node('m1');
    const session = s.commands.newSession('client');
    c.cmd('m1', 'CLIENT', 'PAUSE', '1000', 'WRITE');
    let answered = 0;
    let last = '';
    for (let i = 0; i < 30_000; i++) {
      s.commands.call(session, ['INCR', 'n'], (r) => {
        answered++;
        last = JSON.stringify(r);
      });
    }
    c.runFor(1.2);
    expect(answered).toBe(30_000);
    expect(last).toBe('{"type":"int","value":30000}');
  });

  it('an LPUSH sent behind a BLPOP on the same connection cannot serve it', () => {
    const c = masterWithReplica();
    const s = c.node('m1');
    const session = s.commands.newSession('client');
    const replies: Reply[] = [];
    s.commands.call(session, ['BLPOP', 'q', '0.5'], (r) => replies.push(r));
    s.commands.call(session, ['LPUSH', 'q', 'a'], (r) => replies.push(r));
    c.runFor(0.6);
    expect(replies).toEqual([{ type: 'array', items: null }, { type: 'int', value: 1 }]);
  });

  it('a crash closes the connection: the blocked command and the ones queued behind it get the connection error', () => {
    const c = masterWithReplica();
    const s = c.node('m1');
    const session = s.commands.newSession('client');
    const replies: Reply[] = [];
    s.commands.call(session, ['BLPOP', 'q', '0'], (r) => replies.push(r));
    s.commands.call(session, ['GET', 'q'], (r) => replies.push(r));
    c.act({ kind: 'crash', node: 'm1' });
    expect(replies).toEqual([
      { type: 'error', text: 'ERR Server closed the connection' },
      { type: 'error', text: 'ERR Server closed the connection' },
    ]);
  });
});
