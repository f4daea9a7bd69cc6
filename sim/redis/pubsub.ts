/**
 * Pub/sub on one server (pubsub.c at 7.0.15), RESP2 only: SUBSCRIBE / UNSUBSCRIBE /
 * PSUBSCRIBE / PUNSUBSCRIBE, the delivery of PUBLISH (pubsubPublishMessage) and the rules of
 * the subscribed context (processCommand's CLIENT_PUBSUB check, pingCommand's RESP2 form).
 *
 * Checked on redis-server 7.0.15:
 *  - `SUBSCRIBE a b` answers one push per channel, `[subscribe, a, 1]`, `[subscribe, b, 2]`;
 *    the count is the client's channels plus patterns; subscribing twice does not count twice.
 *  - `UNSUBSCRIBE` with no channels, nothing subscribed: `[unsubscribe, nil, 0]`.
 *  - `PUBLISH ch m` answers the number of deliveries: channel subscribers first
 *    (`[message, ch, m]`), then every matching pattern (`[pmessage, pattern, ch, m]`); a client
 *    subscribed to both gets both and counts twice.
 *  - In the subscribed context only (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET
 *    run; PING answers `[pong, ""]` (or `[pong, msg]`). The refusal comes after -READONLY and
 *    before -MASTERDOWN (a subscribed PING on a stale replica gets -MASTERDOWN).
 *  - SUBSCRIBE inside MULTI is allowed (EXEC answers its confirmation).
 *
 * Order where Redis walks a dict (UNSUBSCRIBE with no arguments, the patterns of a PUBLISH)
 * is hash order in Redis, with a per-process random seed; here it is insertion order.
 *
 * A command's last confirmation is its reply (`done`); the earlier ones, and every message,
 * go through the session's `push` (a networked client's connection, client-connection.ts;
 * an in-process session without `push` only sees the last confirmation).
 */
import { array, bulk, err, int, nil, type Reply } from './protocol/reply.js';
import { stringMatch } from './protocol/glob.js';
import { replyBytes } from './protocol/resp.js';
import type { CommandSpec } from './commands/command-table.js';
import type { ClientSession, ReplyFn } from './command-processor.js';

/** A client's subscriptions (c->pubsub_channels, c->pubsub_patterns). */
export class Subscriptions {
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  get count(): number {
    return this.channels.size + this.patterns.size;
  }
}

/** Commands allowed in the subscribed context of a RESP2 client. */
const ALLOWED_IN_CONTEXT = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);

export class PubSub {
  /** server.pubsub_channels: channel → subscribers in subscription order. */
  private readonly channels = new Map<string, ClientSession[]>();
  /** server.pubsub_patterns: pattern → subscribers. */
  private readonly patterns = new Map<string, ClientSession[]>();

  /** ExecContext.publish: PUBLISH run by a client or from the master's stream. */
  readonly publishHook = (channel: string, message: string): number => this.publish(channel, message);

  /** A new process: nobody is subscribed. */
  reset(): void {
    this.channels.clear();
    this.patterns.clear();
  }

  /** processCommand's refusal for a subscribed RESP2 client, or null. */
  contextRefusal(session: ClientSession, spec: CommandSpec): Reply | null {
    if (!isSubscribed(session) || ALLOWED_IN_CONTEXT.has(spec.name)) return null;
    const text = `Can't execute '${spec.fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`;
    // rejectCommandFormat: on EXEC, rejectCommand turns it into -EXECABORT.
    return err(`ERR ${text}`);
  }

  /** pingCommand for a subscribed RESP2 client: `[pong, ""]` or `[pong, msg]`; null otherwise. */
  pingReply(session: ClientSession, argv: readonly string[]): Reply | null {
    if (!isSubscribed(session) || argv.length > 2) return null;
    return array([bulk('pong'), bulk(argv.length === 2 ? argv[1]! : '')]);
  }

  /** SUBSCRIBE / UNSUBSCRIBE / PSUBSCRIBE / PUNSUBSCRIBE. */
  command(session: ClientSession, name: string, argv: readonly string[], done: ReplyFn): void {
    const replies: Reply[] = [];
    const subs = (session.subscriptions ??= new Subscriptions());
    const args = argv.slice(1);
    switch (name) {
      case 'subscribe':
        for (const ch of args) {
          if (!subs.channels.has(ch)) {
            subs.channels.add(ch);
            listFor(this.channels, ch).push(session);
          }
          replies.push(confirmation('subscribe', ch, subs.count));
        }
        break;
      case 'psubscribe':
        for (const p of args) {
          if (!subs.patterns.has(p)) {
            subs.patterns.add(p);
            listFor(this.patterns, p).push(session);
          }
          replies.push(confirmation('psubscribe', p, subs.count));
        }
        break;
      case 'unsubscribe':
        for (const ch of args.length > 0 ? args : [...subs.channels]) {
          if (subs.channels.delete(ch)) removeFrom(this.channels, ch, session);
          replies.push(confirmation('unsubscribe', ch, subs.count));
        }
        if (replies.length === 0) replies.push(confirmation('unsubscribe', null, subs.count));
        break;
      case 'punsubscribe':
        for (const p of args.length > 0 ? args : [...subs.patterns]) {
          if (subs.patterns.delete(p)) removeFrom(this.patterns, p, session);
          replies.push(confirmation('punsubscribe', p, subs.count));
        }
        if (replies.length === 0) replies.push(confirmation('punsubscribe', null, subs.count));
        break;
    }
    for (let i = 0; i < replies.length - 1; i++) session.push?.(replies[i]!);
    done(replies[replies.length - 1]!);
  }

  /** pubsubPublishMessage: delivers to channel subscribers, then to matching patterns; returns the count. */
  publish(channel: string, message: string): number {
    let receivers = 0;
    const direct = this.channels.get(channel);
    if (direct) {
      const msg = array([bulk('message'), bulk(channel), bulk(message)]);
      // Measured once: every Sentinel's hello reaches every Sentinel subscribed here.
      const bytes = replyBytes(msg);
      for (const s of [...direct]) {
        s.push?.(msg, bytes);
        receivers++;
      }
    }
    // An array of the patterns only when there are any: every Sentinel hello is a PUBLISH.
    if (this.patterns.size === 0) return receivers;
    for (const [pattern, subscribers] of [...this.patterns]) {
      if (!stringMatch(pattern, channel)) continue;
      const msg = array([bulk('pmessage'), bulk(pattern), bulk(channel), bulk(message)]);
      for (const s of [...subscribers]) {
        s.push?.(msg);
        receivers++;
      }
    }
    return receivers;
  }

  /** pubsubUnsubscribeAllChannels/Patterns without notifications: the client is freed or RESET. */
  dropClient(session: ClientSession): void {
    const subs = session.subscriptions;
    if (!subs) return;
    for (const ch of subs.channels) removeFrom(this.channels, ch, session);
    for (const p of subs.patterns) removeFrom(this.patterns, p, session);
    session.subscriptions = null;
  }
}

export function isSubscribed(session: ClientSession): boolean {
  return session.subscriptions !== null && session.subscriptions.count > 0;
}

function confirmation(kind: string, name: string | null, count: number): Reply {
  return array([bulk(kind), name === null ? nil() : bulk(name), int(count)]);
}

function listFor(map: Map<string, ClientSession[]>, key: string): ClientSession[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}

function removeFrom(map: Map<string, ClientSession[]>, key: string, session: ClientSession): void {
  const list = map.get(key);
  if (!list) return;
  const i = list.indexOf(session);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) map.delete(key);
}
