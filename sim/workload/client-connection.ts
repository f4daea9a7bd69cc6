/**
 * The client end of one TCP connection to a Redis or Sentinel process, as a client library
 * holds it (redis-py's Connection, hiredis's context): commands go out as RESP, replies come
 * back in command order and are matched to their callbacks FIFO; pub/sub pushes (arrays
 * starting with `message`) go to `onPush`. A connect that does not complete within the
 * connect timeout, or a command whose reply does not come within the command timeout,
 * closes the connection (socket_connect_timeout / socket_timeout), and every pending
 * callback then gets null: the outcome of those commands is unknown to the client.
 */
import type { Simulator, TimerId } from '../engine/index.js';
import type { Micros } from '../engine/index.js';
import type { ConnectError, Endpoint } from '../net/index.js';
import type { Host } from '../net/index.js';
import type { Reply } from '../redis/index.js';
import { respCommandBytes } from '../redis/index.js';
import type { WireMessage } from '../redis/index.js';

export type ReplyCallback = (reply: Reply | null) => void;

export interface ClientConnectionOptions {
  connectTimeoutUs: Micros;
  /** 0: wait for replies forever. */
  commandTimeoutUs: Micros;
}

/** Why the connection ended: a connect error, a timeout, or the peer closing/resetting it. */
export type ConnectionEnd = ConnectError | 'connect-timeout' | 'command-timeout' | 'closed' | 'local';

export class ClientConnection {
  private ep: Endpoint | null = null;
  private open = false;
  private ended = false;
  private readonly pending: ReplyCallback[] = [];
  private readonly outbox: string[][] = [];
  private timer: TimerId | -1 = -1;
  /** A pub/sub message (or any reply nobody waits for). */
  onPush: (reply: Reply) => void = () => {};
  /** Called once when the connection ends for any reason but close(). */
  onEnd: (why: ConnectionEnd) => void = () => {};

  constructor(
    private readonly sim: Simulator,
    host: Host,
    readonly toHost: string,
    readonly port: number,
    private readonly opts: ClientConnectionOptions,
  ) {
    this.ep = host.connect(toHost, port, {
      onConnect: (ep) => this.connected(ep),
      onError: (reason) => this.end(reason),
    });
    this.arm(opts.connectTimeoutUs, 'connect-timeout');
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Sends argv; `cb` gets the reply, or null if the connection ends first. Buffered until connected. */
  call(argv: readonly string[], cb: ReplyCallback): void {
    if (this.ended) {
      cb(null);
      return;
    }
    this.pending.push(cb);
    if (this.open) this.write([...argv]);
    else this.outbox.push([...argv]);
  }

  /** A command whose answers are pushes (SUBSCRIBE): no callback waits for it. */
  send(argv: readonly string[]): void {
    if (this.ended) return;
    if (this.open) this.ep!.send(respCommandBytes(argv), { t: 'cmd', argv: [...argv] } satisfies WireMessage);
    else this.outbox.push([...argv]);
  }

  /** Closes locally (FIN); pending callbacks get null; onEnd is not called. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.disarm();
    this.ep?.close();
    this.failPending();
  }

  private write(argv: string[]): void {
    this.ep!.send(respCommandBytes(argv), { t: 'cmd', argv } satisfies WireMessage);
    if (this.opts.commandTimeoutUs > 0 && this.timer === -1) this.arm(this.opts.commandTimeoutUs, 'command-timeout');
  }

  private connected(ep: Endpoint): void {
    if (this.ended) {
      ep.close();
      return;
    }
    this.ep = ep;
    this.open = true;
    this.disarm();
    ep.onData = (payload) => this.data(payload as WireMessage);
    ep.onClose = () => this.end('closed');
    const box = this.outbox.splice(0);
    let expecting = 0;
    for (const argv of box) {
      ep.send(respCommandBytes(argv), { t: 'cmd', argv } satisfies WireMessage);
      expecting++;
    }
    if (expecting > 0 && this.pending.length > 0 && this.opts.commandTimeoutUs > 0) this.arm(this.opts.commandTimeoutUs, 'command-timeout');
  }

  private data(msg: WireMessage): void {
    if (msg.t !== 'reply' || this.ended) return;
    const r = msg.reply;
    if (isPush(r) || this.pending.length === 0) {
      this.onPush(r);
      return;
    }
    const cb = this.pending.shift()!;
    // The timeout runs from the oldest unanswered command's send (redis-py: per read).
    this.disarm();
    if (this.pending.length > 0 && this.opts.commandTimeoutUs > 0) this.arm(this.opts.commandTimeoutUs, 'command-timeout');
    cb(r);
  }

  private end(why: ConnectionEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.disarm();
    if (why === 'connect-timeout' || why === 'command-timeout') this.ep?.close();
    this.failPending();
    this.onEnd(why);
  }

  private failPending(): void {
    const cbs = this.pending.splice(0);
    for (const cb of cbs) cb(null);
  }

  private arm(us: Micros, why: ConnectionEnd): void {
    this.disarm();
    this.timer = this.sim.after(us, () => {
      this.timer = -1;
      this.end(why);
    });
  }

  private disarm(): void {
    if (this.timer !== -1) this.sim.cancel(this.timer);
    this.timer = -1;
  }
}

/** `message` / `pmessage` arrays of a subscribed connection (RESP2 pushes are plain arrays). */
function isPush(r: Reply): boolean {
  if (r.type !== 'array' || !r.items || r.items.length < 3) return false;
  const head = r.items[0]!;
  return head.type === 'bulk' && (head.value === 'message' || head.value === 'pmessage');
}
