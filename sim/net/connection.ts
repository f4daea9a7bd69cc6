/**
 * A TCP connection as an application sees it: two Endpoints joined by two Pipes. The
 * application sends whole messages (a byte count plus an opaque payload) and receives them
 * whole, in order, after serialization and latency. Closing sends a FIN behind the data
 * the kernels hold (the application's own unsent buffer is discarded); resetting discards
 * undelivered data and sends an RST that the peer sees after one latency. Partitions never
 * close a connection by themselves: they delay it, until a stall outlasts the sender's
 * retransmissions (retransmit.ts) and its end fails with ETIMEDOUT (onClose('timeout')).
 */
import { simAssert } from '../engine/index.js';
import type { Micros } from '../engine/index.js';
import type { Host } from './host.js';
import type { Link } from './link.js';
import type { Network } from './network.js';
import { Pipe, type PipeReceiver, type PipeSender, SEG_DATA, SEG_FIN, SEG_RST, type Segment } from './pipe.js';
import type {} from './trace-kinds.js'; // the kinds this file records (TraceKinds)

export type EndpointState = 'connecting' | 'open' | 'closed';
export type CloseReason = 'fin' | 'reset' | 'timeout';
export type ConnectError = 'refused' | 'timeout' | 'unreachable';

export interface ConnectHandlers {
  onConnect(conn: Endpoint): void;
  onError(reason: ConnectError): void;
}

/** Default onData: data nobody listens for is a bug in the layer above, so say so loudly. */
function unhandledData(this: Endpoint, _payload: unknown, bytes: number): void {
  simAssert(false, this._conn.net.sim, `endpoint #${this.id} (${this.localHost}→${this.remoteHost}) received ${bytes} bytes but has no onData handler`);
}

/** Default onClose: ignoring a close is legitimate (e.g. after closing locally). */
function ignoreClose(_reason: CloseReason): void {}

/** Hands an arrived segment to the application (possibly later, via a paused host's queue). */
export function deliverSegment(seg: Segment): void {
  if (seg.dropped) return;
  const ep = seg.pipe.receiver as Endpoint;
  seg.pipe.take(seg);
  if (ep._state !== 'open') return;
  if (seg.kind === SEG_DATA) {
    ep._bytesReceived += seg.bytes;
    ep.onData(seg.payload, seg.bytes);
  } else {
    ep._closedByPeer(seg.kind === SEG_FIN ? 'fin' : 'reset');
  }
}

function deliverTimeout(ep: Endpoint): void {
  ep.onClose('timeout');
}

/** A notification held by a paused host (Host._notify) is about `ep`: its data or its end. */
export function heldForEndpoint(fn: unknown, arg: unknown, ep: Endpoint): boolean {
  if (fn === deliverSegment) return (arg as Segment).pipe.receiver === ep;
  return fn === deliverTimeout && arg === ep;
}

export class Endpoint implements PipeReceiver, PipeSender {
  readonly id: number = 0;
  readonly localHost: string;
  readonly remoteHost: string;
  /** The server's port: the one listened on at the accepting end, the one dialled at the client. */
  readonly port: number = 0;
  onData: (payload: unknown, bytes: number) => void = unhandledData;
  onClose: (reason: CloseReason) => void = ignoreClose;

  // Internal to sim/net (underscore: not part of the application-facing API).
  _state: EndpointState = 'connecting';
  /** The host whose process owns this end; null for a server end not yet accepted. */
  _host: Host | null;
  readonly _conn: Connection;
  /** This end's outgoing direction, and the peer's (which delivers to us). */
  _out: Pipe | null = null;
  _in: Pipe | null = null;
  _bytesSent = 0;
  _bytesReceived = 0;
  /** Set by _vanish until the RST for the peer's next segment has gone out. */
  _vanished = false;

  constructor(conn: Connection, id: number, localHost: string, remoteHost: string, port: number, host: Host | null) {
    this._conn = conn;
    this.id = id;
    this.localHost = localHost;
    this.remoteHost = remoteHost;
    this.port = port;
    this._host = host;
  }

  get state(): EndpointState {
    return this._state;
  }

  /** Data bytes sent from this end not yet handed to the peer application. */
  get bytesInFlight(): number {
    return this._out!.bytesQueued;
  }

  /** Of bytesInFlight, those the kernels hold (this end's send buffer, the peer's receive buffer). */
  get bytesInKernel(): number {
    return this._out!.bytesInKernel;
  }

  /** Of bytesInFlight, those no kernel has taken yet: still in this application's output buffer. */
  get bytesUnsent(): number {
    return this._out!.bytesUnsent;
  }

  get bytesSent(): number {
    return this._bytesSent;
  }

  get bytesReceived(): number {
    return this._bytesReceived;
  }

  /** Queues a message of `bytes` bytes; the peer's onData gets `payload` whole, in order. */
  send(bytes: number, payload: unknown): void {
    // Checked before calling simAssert: its message closures would be allocated per send.
    if (this._state !== 'open' || !(Number.isSafeInteger(bytes) && bytes >= 0)) {
      const sim = this._conn.net.sim;
      simAssert(this._state === 'open', sim, `send on a ${this._state} endpoint #${this.id} (${this.localHost}→${this.remoteHost})`);
      simAssert(false, sim, `send: bytes must be a non-negative integer, got ${bytes}`);
    }
    this._bytesSent += bytes;
    this._out!.send(SEG_DATA, bytes, payload);
  }

  /**
   * close(fd): what the kernels hold is still delivered, then the peer's onClose('fin'); what
   * they had not taken (bytesUnsent, the application's own buffer) is discarded. Idempotent.
   */
  close(): void {
    if (this._state === 'closed') return;
    if (this._state === 'connecting') {
      this._conn.abort();
      return;
    }
    this._becomeClosed();
    this._out!.discardUnsent();
    this._out!.send(SEG_FIN, 0, null);
    this._conn.net.sim.record('net.close', this.localHost, { conn: this.id, peer: this.remoteHost });
  }

  /** RST: undelivered data is dropped both ways; the peer's onClose('reset') after one latency. */
  reset(): void {
    if (this._state === 'closed') return;
    if (this._state === 'connecting') {
      this._conn.abort();
      return;
    }
    this._resetBy('reset');
  }

  /** Sends an RST for `cause` (an application reset, or the process crashing). */
  _resetBy(cause: 'reset' | 'crash'): void {
    this._becomeClosed();
    this._out!.clear();
    this._out!.send(SEG_RST, 0, null);
    this._conn.net.sim.record('net.reset', this.localHost, { conn: this.id, peer: this.remoteHost, cause });
  }

  /**
   * The host lost power: this end vanishes without a word (no RST, no FIN). The peer's
   * segments are dropped while the host is down; once it is up again its fresh stack answers
   * the first of them with an RST, as a rebooted machine does for a connection it never knew.
   */
  _vanish(): void {
    this._becomeClosed();
    this._out!.clear();
    this._vanished = true;
    this._conn.net.sim.record('net.vanish', this.localHost, { conn: this.id, peer: this.remoteHost });
  }

  /**
   * tcp_write_err: the kernel gave up retransmitting (ETIMEDOUT). The socket is gone without
   * a word to the peer (whose next segment our stack answers with an RST); an open end's
   * application learns it as onClose('timeout').
   */
  _retransmitTimedOut(): void {
    const wasOpen = this._state === 'open';
    if (this._state !== 'closed') this._becomeClosed();
    this._vanished = true;
    this._conn.net.sim.record('net.timeout', this.localHost, { conn: this.id, peer: this.remoteHost });
    if (wasOpen) this._host?._notify(deliverTimeout, this);
  }

  /** This end stops reading: whatever arrived and was not handed over is dropped. */
  _becomeClosed(): void {
    this._state = 'closed';
    this._in!.discardArrived();
    this._host?._endpoints.delete(this);
  }

  _closedByPeer(reason: CloseReason): void {
    this._becomeClosed();
    // The peer will read nothing more, so what we still had queued for it is discarded.
    this._out!.clear();
    this.onClose(reason);
  }

  _segmentArrived(seg: Segment): void {
    switch (this._state) {
      case 'open':
        // Handed over now (the process runs and holds nothing older): the segment is done
        // with and its pipe can reuse it. A held one is referenced by the host's queue.
        if (this._host!._notify(deliverSegment, seg)) seg.pipe.recycle(seg);
        return;
      case 'closed':
        this._in!.discardArrived();
        if (this._vanished && seg.kind !== SEG_RST && this._host !== null && this._host.up) {
          this._vanished = false;
          this._out!.send(SEG_RST, 0, null);
          this._conn.net.sim.record('net.reset', this.localHost, { conn: this.id, peer: this.remoteHost, cause: 'unknown-connection' });
        }
        return;
      case 'connecting':
        // Only possible when the SYN-ACK was lost (one-way partition) but the server, which
        // accepted, already sent. Data waits for the connect; an RST means the attempt failed,
        // which Linux reports for an RST in SYN_SENT as "connection refused".
        if (seg.kind === SEG_RST) this._conn.fail('refused');
        return;
    }
  }
}

/** Handshake state lives with the connection; the protocol steps are in handshake.ts. */
export class Connection {
  readonly net: Network;
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly port: number = 0;
  readonly handlers: ConnectHandlers;
  readonly link: Link;
  readonly startUs: Micros = 0;
  /** SYN retransmissions done so far (Linux: 6, then give up). */
  retransmits = 0;
  /** Retransmission / give-up timer of the connecting client, or -1. */
  timer = -1;
  /** The server accepted (its end is registered with its host and open). */
  accepted = false;
  /** The SYN-ACK arrived; onConnect is delivered (or held while the client is paused). */
  opening = false;
  acceptFn: ((conn: Endpoint) => void) | null = null;
  failReason: ConnectError = 'refused';

  constructor(net: Network, clientHost: Host, serverHost: string, port: number, handlers: ConnectHandlers, ids: number) {
    this.net = net;
    this.port = port;
    this.handlers = handlers;
    this.startUs = net.sim.now;
    this.client = new Endpoint(this, ids, clientHost.name, serverHost, port, clientHost);
    this.server = new Endpoint(this, ids + 1, serverHost, clientHost.name, port, null);
    this.link = net.link(clientHost.name, serverHost);
    const up = new Pipe(net, this.link, clientHost.name, serverHost, this.server);
    const down = new Pipe(net, this.link, serverHost, clientHost.name, this.client);
    up.sender = this.client;
    down.sender = this.server;
    this.client._out = up;
    this.server._in = up;
    this.server._out = down;
    this.client._in = down;
  }

  /** The connecting client gives up silently (caller's close, or its process crashed). */
  abort(): void {
    this.stopTimer();
    this.client._becomeClosed();
    this.resetServerSide();
  }

  /** The connect attempt failed: the client learns `reason` through onError. */
  fail(reason: ConnectError): void {
    if (this.client._state === 'closed') return;
    this.stopTimer();
    this.client._becomeClosed();
    this.resetServerSide();
    this.failReason = reason;
    this.net.sim.record('net.connect.fail', this.client.localHost, {
      conn: this.client.id,
      to: this.server.localHost,
      port: this.port,
      reason,
    });
    this.client._host!._notify(deliverConnectError, this);
  }

  stopTimer(): void {
    if (this.timer !== -1) this.net.sim.cancel(this.timer);
    this.timer = -1;
  }

  /** A server that accepted must not keep a half-open connection the client abandoned. */
  private resetServerSide(): void {
    if (this.accepted && this.server._state !== 'closed') this.client._out!.send(SEG_RST, 0, null);
  }
}

function deliverConnectError(conn: Connection): void {
  conn.handlers.onError(conn.failReason);
}
