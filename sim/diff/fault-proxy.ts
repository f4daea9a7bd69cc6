/**
 * The fault proxy: a small TCP relay on 127.0.0.1 between one replica and one master, so
 * the scenario's network faults happen to a real replication link the way replsim's net
 * model makes them happen (docs/model.md, "The network": a partition does not close a connection, bytes stall).
 *
 * - A stalled direction stops reading its source socket and stops forwarding what it holds;
 *   nothing is closed. The kernel buffers fill and the sender's writes back up, exactly as
 *   when TCP retransmits into a dead network. A heal flushes the held bytes, in order.
 * - Added latency holds each chunk for that long after it arrived (FIFO, so order is kept).
 * - A FIN or a reset from one side travels behind that side's bytes: it stalls with them.
 * - A new connection made while the pair is cut in either direction is accepted by the
 *   proxy but connected upstream only at the first of Linux's SYN retransmissions (1, 3,
 *   7, 15, 31, 63 s after the connect) that finds the cut healed, as replsim's handshake
 *   model does: a handshake packet lost in a partition is not queued, it is retransmitted.
 *   (The replica sees its connect() succeed at once and waits in the handshake instead of
 *   in `connecting`; both states time out alike, after repl-timeout.)
 *
 * The policy (which directions are cut, how much latency) lives with the runner; the proxy
 * asks it whenever bytes arrive and whenever the runner calls update().
 *
 * In Sentinel scenarios a proxy is a node's (or a Sentinel's) front door instead, dialled by
 * everyone: `sourceOf` names the calling process from its loopback source address, and each
 * connection applies the policy to (caller, this process).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { SYN_GIVE_UP_AT_US, SYN_RETRANSMIT_AT_US } from '../net/index.js';

export interface LinkPolicy {
  /** Bytes from host `from` to host `to` must stall. */
  stalled(from: string, to: string): boolean;
  /** A handshake packet from `from` to `to` would be lost (a partition, not just a hold). */
  synLost(from: string, to: string): boolean;
  /** One-way delay to add to bytes from `from` to `to`, in ms (0 = none). */
  delayMs(from: string, to: string): number;
}

type Item = { data: Buffer; due: number } | { eof: 'end' | 'reset'; due: number };

/** One direction of one proxied connection. */
class Direction {
  private readonly queue: Item[] = [];
  private timer: NodeJS.Timeout | null = null;
  private finished = false;
  bytes = 0;

  constructor(
    private readonly src: Socket,
    private readonly dst: () => Socket | null,
    readonly from: string,
    readonly to: string,
    private readonly policy: LinkPolicy,
  ) {}

  push(item: { data: Buffer } | { eof: 'end' | 'reset' }): void {
    if (this.finished) return;
    this.queue.push({ ...item, due: Date.now() + this.policy.delayMs(this.from, this.to) } as Item);
    this.pump();
  }

  /** Delivers what is due, unless stalled; re-arms a timer for the next delayed chunk. */
  pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const dst = this.dst();
    if (this.policy.stalled(this.from, this.to) || dst === null) {
      if (!this.src.destroyed) this.src.pause();
      return;
    }
    const now = Date.now();
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (head.due > now) {
        this.timer = setTimeout(() => this.pump(), head.due - now);
        break;
      }
      this.queue.shift();
      if ('data' in head) {
        this.bytes += head.data.length;
        if (!dst.destroyed) dst.write(head.data);
      } else {
        this.finished = true;
        this.queue.length = 0;
        if (head.eof === 'end') dst.end();
        else dst.resetAndDestroy();
        break;
      }
    }
    if (!this.finished && !this.src.destroyed) this.src.resume();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.finished = true;
    this.queue.length = 0;
  }
}

/** A replica's connection through the proxy: replica socket ⇄ proxy ⇄ master socket. */
class ProxiedConnection {
  /** The node the client side belongs to (the proxy's replica, or the process the source address names). */
  private readonly from: string;
  private upstream: Socket | null = null;
  private connecting = false;
  private readonly acceptedAt = Date.now();
  /** Index into SYN_RETRANSMIT_AT_US of the next retransmission, or -1 if the first SYN got through. */
  private synRetransmit = -1;
  private synTimer: NodeJS.Timeout | null = null;
  readonly up: Direction;
  /** Made when the upstream socket connects (it is that Direction's source). */
  private down: Direction | null = null;
  closed = false;

  constructor(
    private readonly client: Socket,
    private readonly proxy: FaultProxy,
    private readonly policy: LinkPolicy,
  ) {
    this.from = proxy.sourceOf?.(client.remoteAddress ?? '') ?? proxy.replica;
    this.up = new Direction(client, () => this.upstream, this.from, proxy.master, policy);
    client.setNoDelay(true);
    attach(client, this.up);
    client.on('close', () => this.onClosed());
    if (this.lost()) {
      this.synRetransmit = 0;
      this.armSyn();
    }
    this.update();
  }

  private cut(): boolean {
    return this.policy.stalled(this.from, this.proxy.master) || this.policy.stalled(this.proxy.master, this.from);
  }

  private lost(): boolean {
    return this.policy.synLost(this.from, this.proxy.master) || this.policy.synLost(this.proxy.master, this.from);
  }

  /** The next SYN retransmission: connect then if the cut has healed, else wait for the one after. */
  private armSyn(): void {
    const atUs = SYN_RETRANSMIT_AT_US[this.synRetransmit] ?? SYN_GIVE_UP_AT_US;
    this.synTimer = setTimeout(() => {
      this.synTimer = null;
      if (this.closed) return;
      if (this.synRetransmit >= SYN_RETRANSMIT_AT_US.length) {
        this.client.resetAndDestroy(); // ETIMEDOUT
        return;
      }
      if (!this.lost()) {
        this.synRetransmit = -1;
        this.update();
        return;
      }
      this.synRetransmit++;
      this.armSyn();
    }, Math.max(0, this.acceptedAt + atUs / 1000 - Date.now()));
  }

  /** Re-evaluates the policy: connects upstream once no direction is cut, flushes, stalls. */
  update(): void {
    if (this.closed) return;
    if (this.upstream === null && !this.connecting && this.synRetransmit < 0 && !this.cut()) this.connectUpstream();
    this.up.pump();
    this.down?.pump();
  }

  private connectUpstream(): void {
    const port = this.proxy.targetPort();
    this.connecting = true;
    const up = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    up.once('connect', () => {
      this.connecting = false;
      if (this.closed) {
        up.destroy();
        return;
      }
      up.setNoDelay(true);
      this.upstream = up;
      this.downFrom(up);
      this.update();
    });
    up.once('error', () => {
      if (this.upstream === null) {
        // Refused (the master is not running): the replica sees its connection drop.
        this.connecting = false;
        this.client.resetAndDestroy();
      }
    });
  }

  private downFrom(up: Socket): void {
    this.down = new Direction(up, () => this.client, this.proxy.master, this.from, this.policy);
    attach(up, this.down);
    up.on('close', () => this.onClosed());
  }

  private onClosed(): void {
    const clientGone = this.client.destroyed;
    const upGone = this.upstream === null ? !this.connecting : this.upstream.destroyed;
    if (clientGone && upGone && !this.closed) {
      this.closed = true;
      if (this.synTimer) clearTimeout(this.synTimer);
      this.proxy.forget(this);
    }
  }

  destroy(): void {
    this.closed = true;
    if (this.synTimer) clearTimeout(this.synTimer);
    this.up.cancel();
    this.down?.cancel();
    this.client.destroy();
    this.upstream?.destroy();
  }
}

/** Source socket events → items on its Direction (data, then its FIN or reset, in order). */
function attach(src: Socket, dir: Direction): void {
  let ended = false;
  src.on('data', (d: Buffer) => dir.push({ data: d }));
  src.on('end', () => {
    ended = true;
    dir.push({ eof: 'end' });
  });
  src.on('error', () => {
    // ECONNRESET and friends: the peer reset. 'close' follows.
  });
  src.on('close', (hadError: boolean) => {
    if (!ended) dir.push({ eof: hadError ? 'reset' : 'end' });
  });
}

export class FaultProxy {
  private server: Server | null = null;
  private readonly connections = new Set<ProxiedConnection>();
  port = 0;
  accepted = 0;

  constructor(
    /** The replica's node name (bytes it sends go "from" it). */
    readonly replica: string,
    readonly master: string,
    /** Where the master listens now. */
    readonly targetPort: () => number,
    private readonly policy: LinkPolicy,
    /**
     * A front proxy (Sentinel scenarios) serves every process that dials its node: each
     * process connects from a loopback address of its own (bind-source-addr), and this names
     * the process behind a source address. Without it the client side is always `replica`.
     */
    readonly sourceOf?: (ip: string) => string,
  ) {}

  /** Starts listening on a free loopback port; resolves with it. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
        this.accepted++;
        this.connections.add(new ProxiedConnection(socket, this, this.policy));
      });
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const addr = server.address();
        this.port = typeof addr === 'object' && addr !== null ? addr.port : 0;
        this.server = server;
        resolve(this.port);
      });
    });
  }

  /** After a partition, heal or latency change: stall, flush or connect every connection. */
  update(): void {
    for (const c of this.connections) c.update();
  }

  forget(c: ProxiedConnection): void {
    this.connections.delete(c);
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.destroy();
    this.connections.clear();
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}
