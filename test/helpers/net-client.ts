/**
 * A client on a host of its own that talks to a simulated server over the simulated
 * network, as Sentinel and networked application clients do: `{t:'cmd'}` messages out,
 * `{t:'reply'}` messages (replies and pub/sub pushes, in order) back.
 */
import type { Endpoint, CloseReason } from '../../sim/net/connection.js';
import type { Host } from '../../sim/net/host.js';
import { respCommandBytes } from '../../sim/redis/protocol/resp.js';
import { formatReply, type Reply } from '../../sim/redis/protocol/reply.js';
import type { WireMessage } from '../../sim/redis/wire.js';
import type { TestCluster } from './cluster.js';

export class NetClient {
  /** Everything received, in order (replies and pushes). */
  readonly received: Reply[] = [];
  /** Byte counts of what was received, per message. */
  readonly receivedBytes: number[] = [];
  closed: CloseReason | null = null;
  private conn: Endpoint | null = null;
  private read = 0;

  constructor(
    private readonly c: TestCluster,
    hostName: string,
    readonly node: string,
    port = 6379,
  ) {
    const net = c.world.net;
    const host: Host = net.hostOrUndefined(hostName) ?? net.addHost(hostName);
    let error: string | null = null;
    host.connect(node, port, {
      onConnect: (conn) => {
        this.conn = conn;
        conn.onData = (payload, bytes) => {
          const msg = payload as WireMessage;
          if (msg.t !== 'reply') throw new Error(`unexpected ${msg.t} message on a client connection`);
          this.received.push(msg.reply);
          this.receivedBytes.push(bytes);
        };
        conn.onClose = (reason) => (this.closed = reason);
      },
      onError: (reason) => (error = reason),
    });
    for (let i = 0; i < 1000 && this.conn === null && error === null; i++) c.runUntil(c.now + 1000);
    if (this.conn === null) throw new Error(`${hostName} could not connect to ${node}:${port}: ${error ?? 'timeout'}`);
  }

  /** Sends argv without running the clock. */
  send(...argv: string[]): void {
    this.conn!.send(respCommandBytes(argv), { t: 'cmd', argv } satisfies WireMessage);
  }

  /** The next message not read yet, running the clock (1 ms steps) up to `maxSeconds`. */
  next(maxSeconds = 10): Reply {
    const deadline = this.c.now + maxSeconds * 1e6;
    while (this.received.length <= this.read && this.closed === null && this.c.now < deadline) this.c.runUntil(this.c.now + 1000);
    if (this.received.length <= this.read) throw new Error(`no message from ${this.node}${this.closed ? ` (connection closed: ${this.closed})` : ''}`);
    return this.received[this.read++]!;
  }

  /** Sends argv and returns the next message, rendered as redis-cli does. */
  run(...argv: string[]): string {
    this.send(...argv);
    return formatReply(this.next());
  }

  /** The next message, rendered. */
  nextText(maxSeconds = 10): string {
    return formatReply(this.next(maxSeconds));
  }

  /** Messages received and not read yet, without running the clock. */
  unread(): Reply[] {
    const out = this.received.slice(this.read);
    this.read = this.received.length;
    return out;
  }

  close(): void {
    this.conn?.close();
  }
}

/** A push as a plain array of strings/numbers/null, for compact expectations. */
export function flat(r: Reply): unknown {
  switch (r.type) {
    case 'array':
      return r.items === null ? null : r.items.map(flat);
    case 'bulk':
      return r.value;
    case 'int':
      return r.value;
    default:
      return `${r.type === 'error' ? '-' : '+'}${r.text}`;
  }
}
